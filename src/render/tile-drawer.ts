/**
 * How to draw, as the render job sees it: a canvas sized to the picture, tiles put on it, and
 * its pixels read back. CanvasDrawer draws on the calling thread; WorkerDrawer forwards to a
 * draw worker that owns the canvas (transferred with transferControlToOffscreen); GpuDrawer
 * (engine-source.ts) is drawn by this thread's GPU decoder, its tiles never read back.
 */
import type { Region } from '../model/types.js';
import type { TileSource } from './tile-source.js';

/** A drawer whose decoder draws tiles itself, from the GPU that decoded them. */
export interface DirectDraw {
  /** The tile source whose handles `draw` takes: tiles from it come here instead of as RGBA8. */
  readonly source: TileSource;
  /** Decodes `region` of the model `handle` and draws it as TileDrawer.draw would; resolves with the decoder's busy time, ms. */
  draw(handle: unknown, region: Region, block: [number, number], blockSize: [number, number]): Promise<{ busyMs: number }>;
}

/** How to draw: size the canvas, put tiles on it, read its pixels back. */
export interface TileDrawer {
  /** Where the drawing happens, and why there. */
  readonly where: 'worker' | 'main-thread';
  readonly reason: string;
  /** Sizes the canvas to a picture of `width` x `height`; `origin` = picture [y, x] of its top-left pixel. */
  begin(width: number, height: number, origin: [number, number]): void;
  /**
   * Draws `rgba` (height x width samples) whose sample (0, 0) is block `block` = [y, x] of a
   * grid of `blockSize` pixels. Takes `rgba` over: its buffer may be transferred.
   */
  draw(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void;
  /** Resolves when every draw so far is on the canvas; rejects with the first that failed. */
  flush(): Promise<void>;
  /** Present when the drawer's decoder draws tiles itself (no RGBA8 on the way). */
  readonly direct?: DirectDraw;
  /** The canvas's pixels after the draws made before this call, and none made after it. */
  pixels(): Promise<ImageData>;
}
