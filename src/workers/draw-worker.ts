/**
 * The draw worker (dist/inrstream-draw-worker.min.js, a module worker; the ESM build's entry,
 * draw-entry.ts, loads it): owns canvases transferred from the page
 * (transferControlToOffscreen) and puts decoded tiles on them, so that a large canvas's copies
 * and scaled draws happen off the page's main thread. One per page, shared by its canvases;
 * driven through comlink by draw-client.ts (wire types: draw-protocol.ts). Calls are applied in
 * the order sent.
 */
import { expose, transfer } from 'comlink';
import { CanvasDrawer } from '../render/canvas-drawer.js';
import type { DrawWorkerApi } from './draw-protocol.js';

/**
 * Tiles are put on a canvas together, at most this often: the first write after a canvas was
 * shown copies all of it, so painting as tiles arrive (about one frame apart) cost a
 * whole-canvas copy per frame.
 */
const PAINT_EVERY_MS = 50;
/**
 * And painting takes at most this share of the draw worker's time: where that copy is slow
 * (a large canvas on a machine slow to fault in fresh memory: 80 ms at 2048 x 2048 on one, 12
 * on another) it would otherwise keep a core busy that the decode workers need (docs/RUNTIME.md,
 * "Drawing").
 */
const PAINT_SHARE = 0.25;
/** The longest wait between paints, well under the 3 s in which a silent draw worker is judged lost. */
const PAINT_WAIT_MAX_MS = 1000;

interface Held {
  drawer: CanvasDrawer;
  /** Calls not yet applied, in order. */
  waiting: (() => void)[];
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The first call that failed since the last settle. */
  failure: unknown;
  /** How long the last paint took, ms. */
  paintMs: number;
}

const held = new Map<number, Held>();

function canvas(id: number): Held {
  const h = held.get(id);
  if (!h) throw new RangeError(`no canvas with id ${id}`);
  return h;
}

/** The wait before the next paint when the last one took `paintMs`. */
function paintWait(paintMs: number): number {
  return Math.min(PAINT_WAIT_MAX_MS, Math.max(PAINT_EVERY_MS, (paintMs * (1 - PAINT_SHARE)) / PAINT_SHARE));
}

function later(id: number, call: () => void): void {
  const h = canvas(id);
  h.waiting.push(call);
  h.timer ??= setTimeout(() => paint(h), paintWait(h.paintMs));
}

function paint(h: Held): void {
  clearTimeout(h.timer);
  h.timer = undefined;
  const start = performance.now();
  for (const call of h.waiting.splice(0)) {
    try {
      call();
    } catch (e) {
      h.failure ??= e;
    }
  }
  h.paintMs = performance.now() - start;
}

/** Applies every call so far; throws the first that failed. */
function settle(h: Held): void {
  paint(h);
  const { failure } = h;
  h.failure = undefined;
  if (failure !== undefined) throw failure;
}

const api: DrawWorkerApi = {
  ready(): true {
    return true;
  },
  attach(id: number, offscreen: OffscreenCanvas): void {
    held.set(id, { drawer: new CanvasDrawer(offscreen, 'draw worker'), waiting: [], timer: undefined, failure: undefined, paintMs: 0 });
  },
  begin(id: number, width: number, height: number, origin: [number, number]): void {
    later(id, () => canvas(id).drawer.begin(width, height, origin));
  },
  draw(id: number, rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void {
    later(id, () => canvas(id).drawer.draw(rgba, width, height, block, blockSize));
  },
  settle(id: number): void {
    settle(canvas(id));
  },
  async pixels(id: number): Promise<ImageData> {
    const h = canvas(id);
    settle(h);
    const image = await h.drawer.pixels();
    return transfer(image, [image.data.buffer]);
  },
  detach(id: number): void {
    const h = held.get(id);
    if (h) clearTimeout(h.timer);
    held.delete(id);
  },
};

expose(api);
