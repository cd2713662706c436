/**
 * Puts decoded frames on the canvas through a TileDrawer (the draw worker, or this thread) and
 * remembers which frame is there. A draw the worker could not make (it was lost) shows up at a
 * flush: looked for about once a second while frames go out, not at every frame, since each
 * flush adds a round trip and a listener on the worker's loss.
 */
import { checkCanvasSize } from '../render/canvas.js';
import { CanvasDrawer } from '../render/canvas-drawer.js';
import type { DrawTarget } from '../render/render-job.js';
import type { TileDrawer } from '../render/tile-drawer.js';
import type { Now } from './clock.js';
import type { DecodedFrame, Detail } from './frame-decoder.js';

/** How often drawing is checked for failures while frames go out, ms. */
const FLUSH_MS = 1000;

export class FramePresenter {
  /** How frames are drawn (the draw worker, or this thread), and why there. */
  readonly drawer: Promise<TileDrawer>;
  /** The frame on the canvas (-1 before the first) and its detail. */
  frame = -1;
  detail: Detail | undefined;
  /** The drawer once it has sized the canvas (a draw worker takes a while to start). */
  private ready: TileDrawer | undefined;
  private lastFlush = -Infinity;

  /** `target`: a canvas (drawn on this thread) or a drawer; `onReady` once frames can be shown, `onError` when drawing fails. */
  constructor(
    target: DrawTarget,
    width: number,
    height: number,
    private readonly now: Now,
    onReady: () => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.drawer = target instanceof Promise || 'flush' in target ? Promise.resolve(target) : Promise.resolve(new CanvasDrawer(target));
    this.drawer.then((drawer) => {
      try {
        checkCanvasSize(width, height);
      } catch (e) {
        onError(e);
        return;
      }
      drawer.begin(width, height, [0, 0]);
      this.ready = drawer;
      onReady();
    }, onError);
  }

  /** Whether a frame can go on the canvas now. */
  get canShow(): boolean {
    return this.ready !== undefined;
  }

  show(frame: DecodedFrame): void {
    const drawer = this.ready!;
    drawer.draw(frame.rgba, frame.width, frame.height, [0, 0], frame.blockSize);
    if (this.now() - this.lastFlush >= FLUSH_MS) {
      this.lastFlush = this.now();
      drawer.flush().catch(this.onError);
    }
    this.frame = frame.frame;
    this.detail = frame.detail;
  }

  /** The canvas's pixels once every frame drawn so far is on it (the canvas may belong to the draw worker). */
  async pixels(): Promise<ImageData> {
    return (await this.drawer).pixels();
  }
}
