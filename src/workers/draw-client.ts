/**
 * Drawing off the main thread: a page's canvas is handed to the draw worker
 * (workers/draw-worker.ts) with transferControlToOffscreen, and tiles go there as transferred
 * buffers. Putting a tile into a large canvas costs the thread that owns it a copy of the whole
 * canvas after each displayed frame (tens of ms at 2048 x 2048 on a slow CPU); in the worker
 * that copy no longer blocks the page. Where the browser cannot do this, or the worker does not
 * start, the canvas is drawn on this thread and the reason is given. A draw worker that crashes,
 * or stops answering (liveness.ts), is stopped: the canvases it held fail with a typed error, and
 * the next canvas gets a new worker.
 */
import { transfer, wrap, type Remote } from 'comlink';
import { InrDrawError } from '../util/errors.js';
import { withDeadline } from '../util/deadline.js';
import { CanvasDrawer } from '../render/canvas-drawer.js';
import type { TileDrawer } from '../render/tile-drawer.js';
import type { DrawWorkerApi } from './draw-protocol.js';
import { scriptAt, workerFailure, type WorkerScript } from './worker-script.js';
import { Watchdog } from './liveness.js';

/** A draw worker silent this long after it was created did not start (missing or blocked script). */
const START_TIMEOUT_MS = 10_000;
/**
 * A draw worker that holds calls and answers none for this long is hung: each call takes it
 * milliseconds (a paint puts at most 50 ms of tiles on a canvas), so only a worker that no longer
 * runs is this silent.
 */
const SILENCE_MS = 3000;

interface DrawWorker {
  remote: Remote<DrawWorkerApi>;
  /** Every call goes through this: a worker silent past SILENCE_MS is stopped and lost. */
  watch<T>(call: Promise<T>): Promise<T>;
  /** Rejects when the worker fails: every canvas it holds is lost with it. */
  lost: Promise<never>;
  /** Tells the worker to drop a canvas the page no longer holds. */
  forget: FinalizationRegistry<number>;
}

/** One draw worker per script, shared by the page's canvases. */
const workers = new Map<string, Promise<DrawWorker>>();
let nextCanvasId = 1;

/** Where a draw worker comes from: a script URL, or the runtime's asset locations' answer. */
export type DrawWorkerSource = string | Promise<WorkerScript>;

async function startDrawWorker(script: WorkerScript): Promise<DrawWorker> {
  const worker = script.start();
  const remote = wrap<DrawWorkerApi>(worker);
  let loseWith!: (error: Error) => void;
  const lost = new Promise<never>((_, reject) => {
    loseWith = reject;
  });
  lost.catch(() => undefined);
  const watchdog = new Watchdog(SILENCE_MS, (silentMs) => {
    worker.terminate();
    loseWith(new InrDrawError('timeout', `the draw worker stopped answering (nothing for ${silentMs} ms); it was stopped, the next canvas gets a new one`));
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    watchdog.stop();
    loseWith(new InrDrawError('worker-lost', workerFailure(script, e).reason));
  });
  try {
    await withDeadline(
      remote.ready(),
      lost,
      START_TIMEOUT_MS,
      () => new InrDrawError('worker-start', `the draw worker did not start in ${START_TIMEOUT_MS} ms`),
    );
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return {
    remote,
    watch: (call) => watchdog.watch(call),
    lost,
    forget: new FinalizationRegistry((id) => void remote.detach(id).catch(() => undefined)),
  };
}

class WorkerDrawer implements TileDrawer {
  readonly where = 'worker';
  readonly reason = 'the canvas was handed to the draw worker';
  /** A call the worker could not take (its own failures come back from settle). */
  private failure: unknown;

  constructor(
    private readonly worker: DrawWorker,
    private readonly id: number,
  ) {}

  begin(width: number, height: number, origin: [number, number]): void {
    this.track(this.worker.remote.begin(this.id, width, height, origin));
  }

  draw(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void {
    this.track(this.worker.remote.draw(this.id, transfer(rgba, [rgba.buffer]), width, height, block, blockSize));
  }

  flush(): Promise<void> {
    return this.answer(this.worker.remote.settle(this.id));
  }

  /** Asked at once: the worker answers after the draws sent before, and before any later ones. */
  pixels(): Promise<ImageData> {
    return this.answer(this.worker.remote.pixels(this.id));
  }

  private track(call: Promise<void>): void {
    this.worker.watch(call).catch((e: unknown) => {
      this.failure ??= e;
    });
  }

  private async answer<T>(call: Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await Promise.race([this.worker.watch(call), this.worker.lost]);
    } catch (e) {
      throw e instanceof InrDrawError ? e : this.drawError(e);
    }
    if (this.failure !== undefined) throw this.drawError(this.failure);
    return result;
  }

  private drawError(cause: unknown): InrDrawError {
    return new InrDrawError('draw-failed', `the draw worker could not draw: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

const chosen = new WeakMap<HTMLCanvasElement, Promise<TileDrawer>>();
/** Canvases whose draw worker was lost (crashed, or stopped answering): nothing can draw on them again. */
const lostCanvases = new WeakSet<HTMLCanvasElement>();

/** Whether `canvas` went with a lost draw worker (even while idle): a page shows its next picture on a new canvas. */
export function canvasLost(canvas: HTMLCanvasElement): boolean {
  return lostCanvases.has(canvas);
}

/**
 * How to draw on `canvas`: through the draw worker from `worker` where the canvas can be handed
 * over, else on this thread with the reason (`noWorker` when there is none). Chosen once per
 * canvas: a canvas handed to the worker stays there.
 */
export function drawerForCanvas(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  worker: DrawWorkerSource | undefined,
  noWorker = 'no draw worker script',
): Promise<TileDrawer> {
  if (typeof HTMLCanvasElement === 'undefined' || !(canvas instanceof HTMLCanvasElement)) {
    return Promise.resolve(new CanvasDrawer(canvas, 'an OffscreenCanvas is drawn by the thread that holds it'));
  }
  let drawer = chosen.get(canvas);
  if (!drawer) {
    drawer = choose(canvas, worker, noWorker);
    chosen.set(canvas, drawer);
  }
  return drawer;
}

/** Whether this browser can hand a page canvas to a worker. */
function canHandOver(): boolean {
  return (
    typeof Worker !== 'undefined' && typeof HTMLCanvasElement !== 'undefined' && typeof HTMLCanvasElement.prototype.transferControlToOffscreen === 'function'
  );
}

/** The page's draw worker from `source`, started on first use. */
async function drawWorker(source: DrawWorkerSource): Promise<DrawWorker> {
  const script = typeof source === 'string' ? scriptAt('the draw worker', source) : await source;
  const key = script.url ?? script.what;
  let started = workers.get(key);
  if (!started) {
    const starting = startDrawWorker(script);
    // A worker lost after it started is replaced for the canvases that come after (its own
    // are gone with it); a script that does not start is not retried for every canvas.
    starting.then(
      (w) => w.lost.catch(() => workers.get(key) === starting && workers.delete(key)),
      () => undefined,
    );
    workers.set(key, starting);
    started = starting;
  }
  return started;
}

async function choose(canvas: HTMLCanvasElement, source: DrawWorkerSource | undefined, noWorker: string): Promise<TileDrawer> {
  const here = (reason: string) => new CanvasDrawer(canvas, reason);
  if (source === undefined) return here(noWorker);
  if (!canHandOver()) return here('this browser cannot hand a canvas to a worker');
  let worker: DrawWorker;
  try {
    worker = await drawWorker(source);
  } catch (e) {
    return here(`the draw worker is unavailable (${(e as Error).message})`);
  }
  let offscreen: OffscreenCanvas;
  try {
    offscreen = canvas.transferControlToOffscreen();
  } catch {
    return here('the canvas already has a rendering context');
  }
  const id = nextCanvasId++;
  await Promise.race([worker.watch(worker.remote.attach(id, transfer(offscreen, [offscreen]))), worker.lost]);
  worker.forget.register(canvas, id);
  worker.lost.catch(() => lostCanvases.add(canvas));
  return new WorkerDrawer(worker, id);
}
