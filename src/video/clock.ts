/**
 * The presentation clock: media time (seconds) as a function of wall time, with play, pause,
 * seek and a playback rate. The wall clock is injectable so the player's logic can be driven
 * by a test's own time.
 */
export type Now = () => number;

export class PresentationClock {
  private readonly now: Now;
  /** Media time at `anchorWall` (ms of the wall clock). */
  private anchorMedia = 0;
  private anchorWall = 0;
  private running = false;
  private speed = 1;

  constructor(now: Now = () => performance.now()) {
    this.now = now;
  }

  get playing(): boolean {
    return this.running;
  }

  /** Media time in seconds. */
  get time(): number {
    return this.running ? this.anchorMedia + ((this.now() - this.anchorWall) / 1000) * this.speed : this.anchorMedia;
  }

  get rate(): number {
    return this.speed;
  }

  set rate(v: number) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`playbackRate must be a positive number, not ${v}`);
    this.rebase();
    this.speed = v;
  }

  start(): void {
    if (this.running) return;
    this.anchorWall = this.now();
    this.running = true;
  }

  stop(): void {
    this.rebase();
    this.running = false;
  }

  seek(seconds: number): void {
    this.anchorMedia = seconds;
    this.anchorWall = this.now();
  }

  /** Wall time (ms) at which media time reaches `seconds`, were the clock to run on from now. */
  wallAt(seconds: number): number {
    return this.now() + ((seconds - this.time) * 1000) / this.speed;
  }

  private rebase(): void {
    this.anchorMedia = this.time;
    this.anchorWall = this.now();
  }
}
