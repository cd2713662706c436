/**
 * The per-frame MAC budget: fixed by the user, or calibrated from measured throughput and a
 * target frame time (by default half of the display's frame, so decoding on the page's thread
 * leaves the other half to the page; all of it for decoders in workers).
 */
export interface BudgetOptions {
  /** MACs per frame, or 'auto' to calibrate. */
  budget?: number | 'auto';
  /** Target decode time per frame in ms; by default `frameShare` of the measured display frame. */
  targetFrameMs?: number;
  /**
   * The share of each display frame the decoders may fill: 0.5 (default) when they run on the
   * page's thread, which needs the rest; 1 for decoders off the thread (workers).
   */
  frameShare?: number;
  /** Starting throughput estimate (MAC per ms) for 'auto' before anything was measured. */
  initialMacPerMs?: number;
}

const DEFAULT_FRAME_MS = 1000 / 60;
/** Weight of the newest measurement in the running averages. */
const SMOOTHING = 0.2;
/** Work shorter than this says more about timer resolution than throughput. */
const MIN_MEASURED_MS = 0.5;

export class FrameBudget {
  private readonly fixed: number | undefined;
  private readonly targetFrameMs: number | undefined;
  private readonly frameShare: number;
  private macPerMs: number;
  private frameMs = DEFAULT_FRAME_MS;
  private measured = false;

  constructor(options: BudgetOptions = {}) {
    const { budget = 'auto', targetFrameMs, initialMacPerMs = 1e6, frameShare = 0.5 } = options;
    if (!(frameShare > 0 && frameShare <= 1)) throw new RangeError('frameShare must be in (0, 1]');
    this.frameShare = frameShare;
    if (budget !== 'auto' && !(budget > 0)) throw new RangeError(`budget must be a positive number of MACs or 'auto', not ${budget}`);
    if (targetFrameMs !== undefined && !(targetFrameMs > 0)) throw new RangeError('targetFrameMs must be positive');
    this.fixed = budget === 'auto' ? undefined : budget;
    this.targetFrameMs = targetFrameMs;
    this.macPerMs = initialMacPerMs;
  }

  /** MACs the next frame may spend. */
  get macs(): number {
    return this.fixed ?? this.macPerMs * (this.targetFrameMs ?? this.frameMs * this.frameShare);
  }

  /** Measured (or initial) throughput, MAC per ms. */
  get throughput(): number {
    return this.macPerMs;
  }

  /** Feeds the time one piece of work took. */
  recordWork(macs: number, ms: number): void {
    if (ms < MIN_MEASURED_MS || macs <= 0) return;
    this.measured = true;
    this.macPerMs += SMOOTHING * (macs / ms - this.macPerMs);
  }

  /**
   * A better starting throughput than the initial guess (a calibration cached for this
   * device): taken only while nothing has been measured here yet.
   */
  suggest(macPerMs: number): void {
    if (!this.measured && macPerMs > 0 && Number.isFinite(macPerMs)) this.macPerMs = macPerMs;
  }

  /** Feeds the interval between two display frames. */
  recordFrameInterval(ms: number): void {
    // Ignore hidden-tab gaps and duplicate callbacks.
    if (ms > 4 && ms < 100) this.frameMs += SMOOTHING * (ms - this.frameMs);
  }
}
