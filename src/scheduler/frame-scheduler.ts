import { FrameBudget, type BudgetOptions } from './budget.js';

/** What a finished work item may say about itself. */
interface WorkDone {
  /** ms its worker was busy with it, when that differs from the wall time (work off-thread). */
  busyMs: number;
}

/** One piece of work with a cost known before it runs. */
export interface WorkItem {
  /** MACs it will spend. */
  cost: number;
  /** Lower runs first (e.g. preview before refinement, then distance from the centre). */
  priority: number;
  run(): void | WorkDone | Promise<void | WorkDone>;
}

/** Where frames come from: requestAnimationFrame in a page, a fake in tests. */
export interface FrameClock {
  requestFrame(callback: (time: number) => void): void;
  /**
   * Calls back as soon as this thread is free, for batches of work that run off it (decode
   * workers): those need no display frame, and waiting for one left the workers idle while the
   * page composited a large canvas. Without it, batches wait for `requestFrame` too.
   */
  requestTask?(callback: (time: number) => void): void;
  now(): number;
}

const animationFrameClock: FrameClock = {
  requestFrame: (cb) => void requestAnimationFrame(cb),
  // A hidden page gets no animation frames, so its work on this thread pauses: its work in
  // workers pauses with it rather than running on throttled timers.
  requestTask: (cb) => {
    if ((globalThis as { document?: { hidden?: boolean } }).document?.hidden) requestAnimationFrame(cb);
    else setTimeout(() => cb(performance.now()), 0);
  },
  now: () => performance.now(),
};

/** What one frame did. */
export interface FrameReport {
  /** MACs started this frame. */
  spent: number;
  budget: number;
  items: number;
  /** Wall time of the frame's work, ms. */
  ms: number;
  /** Decoder time of the frame's work (sum of the items' busyMs / parallelism), when they all said. */
  busyMs?: number;
}

export interface SchedulerOptions extends BudgetOptions {
  clock?: FrameClock;
  onFrame?(report: FrameReport): void;
  /** Items that run at once (decode workers): their busy times overlap this much. Default 1. */
  parallelism?: () => number;
  /**
   * Frames' batches that may be in flight at once. 1 (default) when the work runs on this
   * thread; 2 for decoders off the thread, so that a worker is handed the next frame's tiles
   * while it finishes the last ones. Above 1, batches start as tasks (`FrameClock.requestTask`)
   * rather than on animation frames.
   */
  framesInFlight?: () => number;
}

interface Pending {
  item: WorkItem;
  seq: number;
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
}

/**
 * Runs queued work items in priority order, a frame at a time, until the frame's MAC budget
 * is spent. It never starts an item that would break the budget, except the first item of a
 * frame (an item larger than the whole budget must still progress).
 */
export class FrameScheduler {
  readonly budget: FrameBudget;
  private readonly clock: FrameClock;
  private readonly onFrame: ((report: FrameReport) => void) | undefined;
  private readonly parallelism: () => number;
  private readonly framesInFlight: () => number;
  private inFlight = 0;
  private queue: Pending[] = [];
  /**
   * One abort listener per signal, not per item: a pass queues a thousand tiles under one
   * signal, and a thousand listeners on it made queuing them a 35 ms task.
   */
  private readonly watched = new Map<AbortSignal, () => void>();
  private seq = 0;
  private frameRequested = false;
  private lastFrameTime: number | undefined;

  constructor(options: SchedulerOptions = {}) {
    this.budget = new FrameBudget(options);
    this.clock = options.clock ?? animationFrameClock;
    this.onFrame = options.onFrame;
    this.parallelism = options.parallelism ?? (() => 1);
    this.framesInFlight = options.framesInFlight ?? (() => 1);
  }

  /** Items not yet started. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Queues an item; resolves once it has run. Aborting before it starts removes it and rejects
   * with the signal's reason; an item already running finishes.
   */
  schedule(item: WorkItem, signal?: AbortSignal): Promise<void> {
    if (!(item.cost >= 0) || !Number.isFinite(item.cost)) throw new RangeError(`work item cost must be a finite MAC count, not ${item.cost}`);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (signal) this.watch(signal);
      this.queue.push({ item, seq: this.seq++, resolve, reject, signal });
      this.requestFrame();
    });
  }

  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    const onAbort = () => {
      this.watched.delete(signal);
      const dropped = this.queue.filter((p) => p.signal === signal);
      this.queue = this.queue.filter((p) => p.signal !== signal);
      for (const p of dropped) p.reject(signal.reason);
    };
    this.watched.set(signal, onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
  }

  /** Stops watching signals that no queued item carries any more. */
  private unwatchIdle(): void {
    for (const [signal, onAbort] of this.watched) {
      if (this.queue.some((p) => p.signal === signal)) continue;
      signal.removeEventListener('abort', onAbort);
      this.watched.delete(signal);
    }
  }

  private requestFrame(): void {
    if (this.frameRequested || this.queue.length === 0 || this.inFlight >= this.framesInFlight()) return;
    this.frameRequested = true;
    const run = (time: number) => void this.frame(time);
    if (this.framesInFlight() > 1 && this.clock.requestTask) this.clock.requestTask(run);
    else this.clock.requestFrame(run);
  }

  private takeNext(spent: number, budget: number): Pending | undefined {
    if (this.queue.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i]!;
      const b = this.queue[best]!;
      if (a.item.priority < b.item.priority || (a.item.priority === b.item.priority && a.seq < b.seq)) best = i;
    }
    const next = this.queue[best]!;
    if (spent > 0 && spent + next.item.cost > budget) return undefined;
    this.queue.splice(best, 1);
    return next;
  }

  private async frame(time: number): Promise<void> {
    // Only display frames say how long a frame is (and so size the budget): batches started as
    // tasks come as fast as the workers finish them.
    const displayFrame = this.framesInFlight() === 1 || !this.clock.requestTask;
    if (displayFrame && this.lastFrameTime !== undefined) this.budget.recordFrameInterval(time - this.lastFrameTime);
    this.lastFrameTime = displayFrame ? time : undefined;
    const budget = this.budget.macs;
    const start = this.clock.now();
    const batch: Pending[] = [];
    let spent = 0;
    for (let next = this.takeNext(0, budget); next; next = this.takeNext(spent, budget)) {
      spent += next.item.cost;
      batch.push(next);
    }
    if (this.watched.size > 0) this.unwatchIdle();
    // The frame's items start together (a worker pool runs them in parallel); the next frame's
    // batch starts once fewer than framesInFlight batches are running.
    this.inFlight++;
    this.frameRequested = false;
    this.requestFrame();
    const busy = await Promise.all(
      batch.map(async (p) => {
        try {
          const done = await p.item.run();
          p.resolve();
          return done ? done.busyMs : undefined;
        } catch (e) {
          p.reject(e);
          return undefined;
        }
      }),
    );
    const ms = this.clock.now() - start;
    // Off-thread work is measured by its busy time: the wall time of a round trip to a worker
    // is mostly latency, and would shrink the budget below the size of one tile.
    const busyMs = busy.every((b) => b !== undefined) ? busy.reduce((a, b) => a + b, 0) / Math.max(1, this.parallelism()) : undefined;
    this.budget.recordWork(spent, busyMs ?? ms);
    this.onFrame?.({ spent, budget, items: batch.length, ms, ...(busyMs === undefined ? {} : { busyMs }) });
    this.inFlight--;
    this.requestFrame();
  }
}
