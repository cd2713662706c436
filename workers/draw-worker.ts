/**
 * Draw worker: owns canvases transferred from the page (transferControlToOffscreen) and puts
 * decoded tiles on them, so that a large canvas's per-frame copies and scaled draws happen off
 * the page's main thread. One per page, shared by its canvases; driven through comlink by
 * src/render/worker-drawer.ts. Calls are synchronous here, so they finish in the order sent.
 */
import { expose, transfer } from 'comlink';
import { CanvasDrawer } from '../src/render/canvas-drawer.js';

const drawers = new Map<number, CanvasDrawer>();

function drawer(id: number): CanvasDrawer {
  const d = drawers.get(id);
  if (!d) throw new RangeError(`no canvas with id ${id}`);
  return d;
}

const api = {
  /** Answers once the script runs: the page waits for this before it transfers a canvas. */
  ready(): true {
    return true;
  },
  attach(id: number, canvas: OffscreenCanvas): void {
    drawers.set(id, new CanvasDrawer(canvas, 'draw worker'));
  },
  begin(id: number, width: number, height: number, origin: [number, number]): void {
    drawer(id).begin(width, height, origin);
  },
  draw(id: number, rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void {
    drawer(id).draw(rgba, width, height, block, blockSize);
  },
  async pixels(id: number): Promise<ImageData> {
    const image = await drawer(id).pixels();
    return transfer(image, [image.data.buffer]);
  },
  /** The page's canvas was collected. */
  detach(id: number): void {
    drawers.delete(id);
  },
};

export type DrawWorkerApi = typeof api;

expose(api);
