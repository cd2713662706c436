/**
 * Finding a hung or dead worker from its silence (docs/RUNTIME.md "Workers"). A worker runs one
 * task at a time and answers each call when it is done, so a worker that holds calls and answers
 * none of them for longer than its work can take is hung (a loop that never ends) or dead (closed
 * without an error event): no ping tells more, since a worker busy with a long honest call cannot
 * answer a ping either. How long its work can take is known before it runs: a decode worker's
 * tiles are cut to a MAC budget, and each worker's measured speed says how long those MACs take
 * (Pace); the draw worker's calls each take milliseconds.
 */

/** How often a busy worker's silence is checked. */
const CHECK_EVERY_MS = 250;
/**
 * A check this much later than it was due says this thread was blocked or throttled (a long task,
 * a background tab): the worker's answers may be waiting behind it, so that check does not judge.
 */
const LATE_MS = 1000;

/** Watches one worker: `onSilent` hears once when it holds calls and answers none for too long. */
export class Watchdog {
  private held = 0;
  /** What the calls held expect beyond the floor, ms. */
  private allowedMs = 0;
  /** The worker's last answer, or when it was last handed work while idle. */
  private since = 0;
  private lastCheck = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  /**
   * @param floorMs - silence always allowed (the worker's own pauses, a busy machine)
   * @param onSilent - the worker was silent `silentMs`, past `limitMs`
   * @param now - the clock, ms
   */
  constructor(
    private readonly floorMs: number,
    private readonly onSilent: (silentMs: number, limitMs: number) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `call` went to the worker; left alone it needs `expectMs` of the worker's time. */
  watch<T>(call: Promise<T>, expectMs = 0): Promise<T> {
    if (this.stopped) return call;
    if (this.held++ === 0) {
      this.since = this.now();
      this.lastCheck = this.since;
      this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    }
    this.allowedMs += expectMs;
    const answered = () => {
      this.since = this.now();
      if (--this.held > 0) {
        this.allowedMs -= expectMs;
        return;
      }
      this.allowedMs = 0;
      clearInterval(this.timer);
    };
    call.then(answered, answered);
    return call;
  }

  /** The worker is gone (or replaced): no more checks. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private check(): void {
    // An idle or stopped worker is not judged (a check may still come after its interval was cleared).
    if (this.stopped || this.held === 0) return;
    const now = this.now();
    const late = now - this.lastCheck > CHECK_EVERY_MS + LATE_MS;
    this.lastCheck = now;
    const limitMs = Math.max(this.floorMs, this.allowedMs);
    if (late || now - this.since <= limitMs) return;
    this.stop();
    this.onSilent(Math.round(now - this.since), Math.round(limitMs));
  }
}

/**
 * Before a decode worker has answered a tile, it is taken to decode 2x10^4 MAC/ms: 25 times
 * slower than WASM on the project's 2-core build machine (docs/BENCH.md), so that a slow
 * device's first tiles are not taken for a hang. Weighted as one 10^6-MAC tile, so the first
 * real tiles outweigh it.
 */
const PRIOR_MACS = 1e6;
const PRIOR_MS = 50;
/** Older tiles count less: each new one multiplies the past by this. */
const DECAY = 0.8;
/** A tile may take this many times what the worker's measured speed says (a busy machine, a slow first call). */
const SLACK = 8;
/** A model's weights are taken to be checked and loaded at 10^4 bytes per ms (10 MB/s). */
const LOAD_BYTES_PER_MS = 1e4;

/** How fast one decode worker decodes, from its answers: the time its next calls may take. */
export class Pace {
  private macs = PRIOR_MACS;
  private ms = PRIOR_MS;

  /** A tile of `macs` took the worker's engine `busyMs`. */
  record(macs: number, busyMs: number): void {
    this.macs = this.macs * DECAY + macs;
    this.ms = this.ms * DECAY + busyMs;
  }

  /** How long a tile of `macs` may take. */
  tileMs(macs: number): number {
    return (SLACK * macs * this.ms) / this.macs;
  }

  /** How long loading a model of `bytes` may take. */
  loadMs(bytes: number): number {
    return (SLACK * bytes) / LOAD_BYTES_PER_MS;
  }
}
