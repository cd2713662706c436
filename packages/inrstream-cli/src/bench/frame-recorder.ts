/**
 * What the page lives through while a workload runs: every animation-frame interval (its own
 * requestAnimationFrame loop, independent of the workload's) and the long tasks (over 50 ms)
 * that the browser reports.
 */
export interface Recording {
  intervals: number[];
  longTasks: number[];
}

export class FrameRecorder {
  private intervals: number[] = [];
  private longTasks: number[] = [];
  private last: number | undefined;
  private running = false;
  private readonly observer: PerformanceObserver | undefined;

  constructor() {
    // Long-task timing exists in Chromium-based browsers only; elsewhere none are reported.
    const supported = typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('longtask');
    this.observer = supported ? new PerformanceObserver((list) => list.getEntries().forEach((e) => this.longTasks.push(e.duration))) : undefined;
  }

  start(): void {
    this.intervals = [];
    this.longTasks = [];
    this.last = undefined;
    this.running = true;
    this.observer?.observe({ type: 'longtask' });
    requestAnimationFrame((t) => this.tick(t));
  }

  stop(): Recording {
    this.running = false;
    this.observer?.disconnect();
    return { intervals: this.intervals, longTasks: this.longTasks };
  }

  private tick(time: number): void {
    if (!this.running) return;
    if (this.last !== undefined) this.intervals.push(time - this.last);
    this.last = time;
    requestAnimationFrame((t) => this.tick(t));
  }
}

export const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

/** Intervals of `count` animation frames with nothing else to do: the display's refresh. */
export async function idleIntervals(count: number): Promise<number[]> {
  const out: number[] = [];
  let last = await nextFrame();
  for (let i = 0; i < count; i++) {
    const t = await nextFrame();
    out.push(t - last);
    last = t;
  }
  return out;
}
