import { FrameBudget, type BudgetOptions } from './budget.js';

/** One piece of work with a cost known before it runs. */
export interface WorkItem {
  /** MACs it will spend. */
  cost: number;
  /** Lower runs first (e.g. preview before refinement, then distance from the centre). */
  priority: number;
  run(): void | Promise<void>;
}

/** Where frames come from: requestAnimationFrame in a page, a fake in tests. */
export interface FrameClock {
  requestFrame(callback: (time: number) => void): void;
  now(): number;
}

export const animationFrameClock: FrameClock = {
  requestFrame: (cb) => void requestAnimationFrame(cb),
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
}

interface Pending {
  item: WorkItem;
  seq: number;
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
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
  private queue: Pending[] = [];
  private seq = 0;
  private frameRequested = false;
  private lastFrameTime: number | undefined;

  constructor(options: BudgetOptions & { clock?: FrameClock; onFrame?(report: FrameReport): void } = {}) {
    this.budget = new FrameBudget(options);
    this.clock = options.clock ?? animationFrameClock;
    this.onFrame = options.onFrame;
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
      const entry: Pending = { item, seq: this.seq++, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        entry.onAbort = () => {
          this.queue = this.queue.filter((p) => p !== entry);
          reject(signal.reason);
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.queue.push(entry);
      this.requestFrame();
    });
  }

  private requestFrame(): void {
    if (this.frameRequested || this.queue.length === 0) return;
    this.frameRequested = true;
    this.clock.requestFrame((time) => void this.frame(time));
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
    if (this.lastFrameTime !== undefined) this.budget.recordFrameInterval(time - this.lastFrameTime);
    this.lastFrameTime = time;
    const budget = this.budget.macs;
    const start = this.clock.now();
    const batch: Pending[] = [];
    let spent = 0;
    for (let next = this.takeNext(0, budget); next; next = this.takeNext(spent, budget)) {
      if (next.onAbort) next.signal!.removeEventListener('abort', next.onAbort);
      spent += next.item.cost;
      batch.push(next);
    }
    // The frame's items start together (a worker pool runs them in parallel) and the next
    // frame's batch waits for them: at most one frame of work is ever in flight.
    await Promise.all(
      batch.map(async (p) => {
        try {
          await p.item.run();
          p.resolve();
        } catch (e) {
          p.reject(e);
        }
      }),
    );
    const ms = this.clock.now() - start;
    this.budget.recordWork(spent, ms);
    this.onFrame?.({ spent, budget, items: batch.length, ms });
    this.frameRequested = false;
    this.requestFrame();
  }
}
