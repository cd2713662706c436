/**
 * Draws decoded tiles on a 2-D canvas on this thread (the page's, or a draw worker's). A
 * preview tile holds one value per block and is scaled up by the block size with
 * nearest-neighbour sampling, so each block shows its exact centre value; a full-detail tile
 * is put pixel for pixel.
 */
import type { TileDrawer } from './tile-drawer.js';
import { InrDrawError } from '../util/errors.js';

type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export class CanvasDrawer implements TileDrawer {
  readonly where = 'main-thread';
  private readonly ctx: Ctx2D;
  private scratch: OffscreenCanvas | undefined;
  private origin: [number, number] = [0, 0];

  constructor(
    private readonly canvas: HTMLCanvasElement | OffscreenCanvas,
    readonly reason = "drawn by the caller's thread",
  ) {
    // A CPU-backed canvas: tiles arrive as pixels, and putting them into a GPU-backed canvas
    // costs an upload and a raster flush each time (hundreds of ms per frame with a software GPU).
    // Not `desynchronized`: such a canvas was never shown (headless Chromium, software
    // compositing: a blank picture).
    const ctx = canvas.getContext('2d', { willReadFrequently: true }) as Ctx2D | null;
    if (!ctx) throw new InrDrawError('no-context', 'the canvas has no 2d context (it has another kind, or the browser refused one)');
    this.ctx = ctx;
  }

  begin(width: number, height: number, origin: [number, number]): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.origin = origin;
  }

  draw(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void {
    const image = new ImageData(rgba, width, height);
    const y = block[0] * blockSize[0] - this.origin[0];
    const x = block[1] * blockSize[1] - this.origin[1];
    if (blockSize[0] === 1 && blockSize[1] === 1) {
      this.ctx.putImageData(image, x, y);
      return;
    }
    if (!this.scratch || this.scratch.width < width || this.scratch.height < height) {
      this.scratch = new OffscreenCanvas(Math.max(width, this.scratch?.width ?? 0), Math.max(height, this.scratch?.height ?? 0));
    }
    const scratchCtx = this.scratch.getContext('2d', { willReadFrequently: true })!;
    scratchCtx.putImageData(image, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(this.scratch, 0, 0, width, height, x, y, width * blockSize[1], height * blockSize[0]);
  }

  async flush(): Promise<void> {}

  async pixels(): Promise<ImageData> {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }
}
