/**
 * The draw worker's wire types (workers/draw-worker.ts implements them, draw-client.ts calls
 * them through comlink). Calls are applied in the order sent.
 */
export interface DrawWorkerApi {
  /** Answers once the script runs: the page waits for this before it transfers a canvas. */
  ready(): true;
  attach(id: number, offscreen: OffscreenCanvas): void;
  begin(id: number, width: number, height: number, origin: [number, number]): void;
  draw(id: number, rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void;
  /** Resolves once every call so far is on the canvas; rejects with the first that failed. */
  settle(id: number): void;
  pixels(id: number): Promise<ImageData>;
  /** The page's canvas was collected. */
  detach(id: number): void;
}
