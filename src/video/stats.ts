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
