/** Frame-time arithmetic: percentiles, missed display frames, frame rate. Pure, so it is tested in Node. */
import type { FrameTimeSummary } from './types.js';

/** Nearest-rank percentile (the smallest value with at least p% of the values at or below it). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in 0..100, not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(ms: readonly number[]): FrameTimeSummary {
  return {
    frames: ms.length,
    meanMs: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    p99Ms: percentile(ms, 99),
    maxMs: ms.length ? Math.max(...ms) : 0,
  };
}

/**
 * Display frames that went by without a new animation frame. An interval of n refreshes shows
 * n - 1 missed frames; jitter under half a refresh is not a miss.
 */
export function missedFrames(intervals: readonly number[], refreshMs: number): number {
  if (!(refreshMs > 0)) throw new RangeError(`refresh interval must be positive, not ${refreshMs}`);
  let missed = 0;
  for (const dt of intervals) missed += Math.max(0, Math.round(dt / refreshMs) - 1);
  return missed;
}

/** Animation frames per second over a run of consecutive intervals. */
export function framesPerSecond(intervals: readonly number[]): number {
  const total = intervals.reduce((a, b) => a + b, 0);
  return total > 0 ? (1000 * intervals.length) / total : 0;
}

/** The display refresh interval: the median of idle animation-frame intervals. */
export function refreshInterval(idleIntervals: readonly number[]): number {
  const r = percentile(idleIntervals, 50);
  if (!(r > 0)) throw new RangeError('no idle animation-frame intervals to measure the refresh from');
  return r;
}

/** Counts of values in bins of `binMs` from 0; the last bin also takes everything beyond it. */
export function histogram(values: readonly number[], binMs: number, bins: number): number[] {
  if (!(binMs > 0) || !(bins >= 1)) throw new RangeError(`bad histogram: bin ${binMs} ms, ${bins} bins`);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v / binMs)))]!++;
  return counts;
}
