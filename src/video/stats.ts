/**
 * Playback statistics: how many frames were decoded (and how many as a coarser pass), how
 * many were presented on time, late or not at all, and the distribution of decode times.
 */
export interface PlaybackStats {
  /** Frames decoded, at either detail. */
  decoded: number;
  /** Of those, decoded as a coarser pass because full detail would have missed its time. */
  decodedCoarse: number;
  /** Frames put on the canvas. */
  presented: number;
  /** Presented at the first display frame at which they were due. */
  onTime: number;
  /** Presented, but after the display frame at which they were due. */
  late: number;
  /** Due during playback and never presented (skipped to stay in time). */
  dropped: number;
  /** Decode time per frame, ms: percentiles over every decode so far. */
  frameMs: { p50: number; p95: number; p99: number; max: number };
}

/** Percentile by the nearest-rank method; NaN for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export class StatsCounter {
  decoded = 0;
  decodedCoarse = 0;
  presented = 0;
  onTime = 0;
  late = 0;
  dropped = 0;
  private readonly times: number[] = [];

  recordDecode(ms: number, coarse: boolean): void {
    this.decoded++;
    if (coarse) this.decodedCoarse++;
    this.times.push(ms);
  }

  snapshot(): PlaybackStats {
    const sorted = this.times.slice().sort((a, b) => a - b);
    return {
      decoded: this.decoded,
      decodedCoarse: this.decodedCoarse,
      presented: this.presented,
      onTime: this.onTime,
      late: this.late,
      dropped: this.dropped,
      frameMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN },
    };
  }
}

/**
 * The frame due at the clock and what became of it, for the counts: shown at the first display
 * frame at which it was due (on time, as is a frame the clock waited for), at a later one
 * (late), or never (dropped).
 */
export class DueFrame {
  /** Frame index; -1 before one has fallen due (at the start, after a loop wraps). */
  frame = -1;
  /** Whether it is on the canvas. */
  shown = false;
  /** Display frames at which it has been due. */
  private ticks = 0;

  constructor(private readonly counter: StatsCounter) {}

  /** `frame` is due now, and nothing before it counts (a seek, a loop's wrap). */
  reset(frame: number): void {
    this.frame = frame;
    this.shown = false;
    this.ticks = 0;
  }

  /** Playback moved on to `next` (the frame count at the end): frames due before it and never shown are dropped. */
  moveTo(next: number): void {
    if (this.frame >= 0) this.counter.dropped += (this.shown ? 0 : 1) + Math.max(0, next - this.frame - 1);
    this.reset(next);
  }

  /** One more display frame with this frame due. */
  tick(): void {
    this.ticks++;
  }

  /** It went on the canvas; `held`: the clock waited for it, so it is shown exactly at its time. */
  present(held: boolean): void {
    if (held || this.ticks === 1) this.counter.onTime++;
    else this.counter.late++;
    this.shown = true;
    if (held) this.ticks = 1;
  }
}
