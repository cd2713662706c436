/**
 * The video player: a presentation clock, a decode-ahead queue and a canvas. Each display
 * frame it shows the frame due at the clock's time; between display frames it decodes the
 * next frames ahead, one at a time, at full detail when that fits before the frame is due
 * (time measured per detail, and the per-frame MAC budget), as a coarser pass when only that
 * fits, and not at all when neither does (the frame is dropped, never shown late on purpose).
 * When the frame due lives in a segment that has not arrived, the clock stops and `waiting`
 * fires; it runs on (`playing`) once that frame is decoded.
 *
 * Events (as HTMLMediaElement's): loadedmetadata, loadeddata, play, playing, pause, waiting,
 * seeking, seeked, timeupdate, ended, progress (a segment arrived), error; and `frame` for
 * every frame put on the canvas.
 */
import { DecodeEngine } from '../engine/index.js';
import { type Now, PresentationClock } from './clock.js';
import { type DecodedFrame, type Detail, FrameDecoder } from './frame-decoder.js';
import { EngineFrames, type FullFrameSource } from './frame-source.js';
import type { VideoSegment, VideoSource } from './source.js';
import { type PlaybackStats, StatsCounter } from './stats.js';

export interface PlayerOptions {
  loop?: boolean;
  playbackRate?: number;
  /** Frames decoded ahead of the one due (a buffer against hiccups of the main thread). Default 6. */
  ahead?: number;
  /**
   * MACs a frame may spend at full detail (more: the coarser pass), or 'auto' (default): the
   * measured throughput times the time left until the frame is due.
   */
  budget?: number | 'auto';
  /** Frames per second; default the file's. */
  fps?: number;
  /** Wall clock in ms (tests); default performance.now. */
  now?: Now;
  /** Display-frame callback (tests, benchmarks); default requestAnimationFrame. */
  requestFrame?: (cb: () => void) => number;
  cancelFrame?: (id: number) => void;
}

/** Detail of the `frame` event, fired as each frame goes on the canvas (like requestVideoFrameCallback). */
export interface PresentedFrame {
  frame: number;
  detail: Detail;
  /** The clock's media time (seconds) when it was put on the canvas. */
  mediaTime: number;
}

/** Emit timeupdate at most this often while playing, as browsers do (15 to 250 ms). */
const TIMEUPDATE_MS = 100;
/** Guard for frame indices computed from float seconds. */
const EPS = 1e-6;

export class VideoPlayer extends EventTarget {
  readonly source: VideoSource;
  readonly canvas: HTMLCanvasElement | OffscreenCanvas;
  readonly fps: number;
  loop: boolean;
  private readonly ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  private readonly decoder: FrameDecoder;
  private readonly clock: PresentationClock;
  private readonly now: Now;
  private readonly budget: number | undefined;
  private readonly ahead: number;
  private readonly requestFrame: (cb: () => void) => number;
  private readonly cancelFrame: (id: number) => void;
  private readonly counter = new StatsCounter();
  /** Decoded frames not yet shown, by frame index. */
  private readonly queue = new Map<number, DecodedFrame>();
  /** Measured decode ms per detail (running averages); undefined until measured. */
  private readonly decodeMs: Record<Detail, number | undefined> = { full: undefined, coarse: undefined };
  /** Frames the pump gave up on (no detail fits before they are due). */
  private readonly skipped = new Set<number>();
  private readonly warmed = new Set<Detail>();
  private inflight: Promise<void> | undefined;
  private wantPlay = false;
  private isEnded = false;
  /** The clock is held until the due frame is decoded: at start, after a seek, or on a stall. */
  private holding = true;
  private seeking = false;
  private stalled = false;
  /** The frame due at the clock, whether it was shown, and at which display frame it fell due. */
  private due = -1;
  private dueShown = false;
  private dueTicks = 0;
  private shown = -1;
  private shownDetail: Detail | undefined;
  private lastTimeupdate = -Infinity;
  private rafId: number | undefined;
  private closed = false;
  private failed = false;
  private firstFrame = true;
  private readonly onSegment = (e: Event) => this.segmentArrived((e as CustomEvent<VideoSegment>).detail);
  /** A stream that stopped early matters only once playback needs a segment it did not deliver. */
  private readonly onSourceError = () => this.schedule();

  /** `frames`: a decode engine (main thread), or a FullFrameSource such as WorkerFrames. */
  constructor(frames: DecodeEngine | FullFrameSource, source: VideoSource, canvas: HTMLCanvasElement | OffscreenCanvas, options: PlayerOptions = {}) {
    super();
    this.source = source;
    this.canvas = canvas;
    this.fps = options.fps ?? source.fps;
    if (!(this.fps > 0 && Number.isFinite(this.fps))) throw new RangeError(`fps must be a positive number, not ${this.fps}`);
    this.loop = options.loop ?? false;
    this.ahead = options.ahead ?? 6;
    if (!(Number.isInteger(this.ahead) && this.ahead >= 1)) throw new RangeError(`ahead must be an integer >= 1, not ${this.ahead}`);
    this.now = options.now ?? (() => performance.now());
    this.clock = new PresentationClock(this.now);
    this.clock.rate = options.playbackRate ?? 1;
    this.requestFrame = options.requestFrame ?? ((cb) => requestAnimationFrame(cb));
    this.cancelFrame = options.cancelFrame ?? ((id) => cancelAnimationFrame(id));
    const budget = options.budget ?? 'auto';
    if (budget !== 'auto' && !(budget > 0)) throw new RangeError(`budget must be a positive number of MACs or 'auto', not ${budget}`);
    this.budget = budget === 'auto' ? undefined : budget;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!ctx) throw new Error('the canvas has no 2d context');
    this.ctx = ctx;
    canvas.width = source.width;
    canvas.height = source.height;
    const range = source.header.outputRange;
    this.decoder = new FrameDecoder(frames instanceof DecodeEngine ? new EngineFrames(frames, range) : frames, range);
    source.addEventListener('segment', this.onSegment);
    source.addEventListener('error', this.onSourceError);
    queueMicrotask(() => this.emit('loadedmetadata'));
    this.schedule();
  }

  // ---- the <video>-like surface ----

  get duration(): number {
    return this.source.frames / this.fps;
  }
  get currentTime(): number {
    return this.clock.time;
  }
  set currentTime(seconds: number) {
    this.seek(seconds);
  }
  get paused(): boolean {
    return !this.wantPlay;
  }
  get ended(): boolean {
    return this.isEnded;
  }
  get playbackRate(): number {
    return this.clock.rate;
  }
  set playbackRate(v: number) {
    this.clock.rate = v;
  }
  /** The frame on the canvas (-1 before the first) and its detail. */
  get currentFrame(): { frame: number; detail: Detail | undefined } {
    return { frame: this.shown, detail: this.shownDetail };
  }
  get stats(): PlaybackStats {
    return this.counter.snapshot();
  }

  play(): void {
    if (this.closed || this.failed) return;
    if (this.isEnded) this.seek(0);
    if (this.wantPlay) return;
    this.wantPlay = true;
    this.emit('play');
    // The clock runs only once the due frame is on the canvas.
    this.holding = this.holding || !this.dueShown;
    if (!this.holding) {
      this.clock.start();
      this.emit('playing');
    }
    this.schedule();
  }

  pause(): void {
    if (!this.wantPlay) return;
    this.wantPlay = false;
    this.clock.stop();
    // With the clock stopped every frame has time again.
    this.skipped.clear();
    this.emit('pause');
    this.emitTimeupdate();
  }

  /** Moves to `seconds` (clamped to the clip); the frame there is shown as soon as it is decoded. */
  seek(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`cannot seek to ${seconds}`);
    const t = Math.min(Math.max(0, seconds), this.duration - 1 / this.fps / 2);
    this.clock.stop();
    this.clock.seek(t);
    this.isEnded = false;
    this.seeking = true;
    this.holding = true;
    this.skipped.clear();
    this.due = this.frameAt(t);
    this.dueShown = false;
    this.dueTicks = 0;
    this.dropBehind(this.due);
    this.emit('seeking');
    this.schedule();
  }

  /** Stops everything and frees every tensor this player made; resolves once they are freed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wantPlay = false;
    if (this.rafId !== undefined) this.cancelFrame(this.rafId);
    this.rafId = undefined;
    this.source.removeEventListener('segment', this.onSegment);
    this.source.removeEventListener('error', this.onSourceError);
    this.queue.clear();
    await this.inflight?.catch(() => undefined);
    await this.decoder.release();
  }

  // ---- the loop ----

  private frameAt(seconds: number): number {
    return Math.max(0, Math.floor(seconds * this.fps + EPS));
  }

  private schedule(): void {
    if (this.closed || this.rafId !== undefined) return;
    this.rafId = this.requestFrame(() => {
      this.rafId = undefined;
      this.tick();
    });
  }

  private tick(): void {
    if (this.closed) return;
    if (this.holding) this.tryRelease();
    else if (this.wantPlay) this.advance();
    this.pump();
    // Keep ticking while playing, or while a held frame still has to be shown.
    if (this.wantPlay || this.holding) this.schedule();
  }

  /** A held clock (start, seek, stall) runs on once the due frame can be shown. */
  private tryRelease(): void {
    if (this.due < 0) this.due = this.frameAt(this.clock.time);
    const frame = this.queue.get(this.due);
    if (!frame) {
      this.checkStall(this.due);
      return;
    }
    // The clock waited for this frame, so it is shown exactly at its time.
    this.present(frame);
    this.counter.onTime++;
    this.dueShown = true;
    this.dueTicks = 1;
    this.holding = false;
    if (this.seeking) {
      this.seeking = false;
      this.emit('seeked');
    }
    if (this.wantPlay) {
      this.clock.start();
      this.stalled = false;
      this.emit('playing');
    }
    this.emitTimeupdate();
  }

  private advance(): void {
    let f = this.frameAt(this.clock.time);
    if (f >= this.source.frames) {
      if (!this.loop) {
        this.account(this.source.frames);
        this.finish();
        return;
      }
      this.account(this.source.frames);
      const wrapped = this.clock.time % this.duration;
      this.clock.seek(wrapped);
      f = this.frameAt(wrapped);
      this.due = -1;
    }
    if (f !== this.due) {
      this.account(f);
      this.due = f;
      this.dueShown = false;
      this.dueTicks = 0;
      this.dropBehind(f);
    }
    this.dueTicks++;
    if (this.dueShown) return;
    const frame = this.queue.get(f);
    if (frame) {
      this.present(frame);
      this.dueShown = true;
      if (this.dueTicks === 1) this.counter.onTime++;
      else this.counter.late++;
      if (this.now() - this.lastTimeupdate >= TIMEUPDATE_MS) this.emitTimeupdate();
    } else if (this.checkStall(f)) {
      this.clock.stop();
      this.holding = true;
    }
  }

  /** Counts the frames that fell due before `next` and were never shown. */
  private account(next: number): void {
    if (this.due < 0) return;
    if (!this.dueShown) this.counter.dropped++;
    for (let g = this.due + 1; g < next; g++) this.counter.dropped++;
  }

  /** True when `frame`'s segment has not arrived: fires `waiting` (once per stall) or `error`. */
  private checkStall(frame: number): boolean {
    if (this.source.segmentOf(frame)) return false;
    this.source.want(frame);
    if (this.source.error !== undefined) {
      this.fail(this.source.error);
      return true;
    }
    if (!this.stalled && this.wantPlay) {
      this.stalled = true;
      this.emit('waiting');
    }
    return true;
  }

  private finish(): void {
    this.wantPlay = false;
    this.isEnded = true;
    this.clock.stop();
    this.clock.seek(this.duration);
    this.emitTimeupdate();
    this.emit('pause');
    this.emit('ended');
  }

  private present(frame: DecodedFrame): void {
    this.ctx.putImageData(frame.image, 0, 0);
    this.queue.delete(frame.frame);
    this.shown = frame.frame;
    this.shownDetail = frame.detail;
    this.counter.presented++;
    this.emit('frame', { frame: frame.frame, detail: frame.detail, mediaTime: this.clock.time } satisfies PresentedFrame);
    if (this.firstFrame) {
      this.firstFrame = false;
      this.emit('loadeddata');
      this.emit('canplay');
    }
  }

  /** Forgets queued frames that are no longer ahead of `frame` in playing order. */
  private dropBehind(frame: number): void {
    for (const g of this.queue.keys()) if (this.distance(frame, g) > this.ahead) this.queue.delete(g);
    for (const g of this.skipped) if (this.distance(frame, g) > this.ahead) this.skipped.delete(g);
  }

  /** Frames from `from` forward to `to` in playing order (wrapping when looping); Infinity if never. */
  private distance(from: number, to: number): number {
    if (to >= from) return to - from;
    return this.loop ? to - from + this.source.frames : Infinity;
  }

  // ---- decoding ahead ----

  private pump(): void {
    if (this.closed || this.failed || this.inflight) return;
    const start = this.due >= 0 ? this.due : this.frameAt(this.clock.time);
    for (let d = 0; d <= this.ahead; d++) {
      if (!this.loop && start + d >= this.source.frames) return;
      const g = (start + d) % this.source.frames;
      if (d === 0 && this.dueShown) continue;
      if (this.queue.has(g) || this.skipped.has(g)) continue;
      const segment = this.source.segmentOf(g);
      // Frames are decoded in playing order: nothing beyond a segment that has not arrived.
      if (!segment) {
        this.source.want(g);
        return;
      }
      const detail = this.chooseDetail(segment, g, d);
      if (detail === undefined) {
        this.skipped.add(g);
        continue;
      }
      this.inflight = this.decode(segment, g, detail);
      return;
    }
  }

  /**
   * Full detail if it is ready before the frame is due and within the MAC budget; else the
   * coarser pass if that is ready before the frame is due, or at least before its display
   * window ends (shown late); else none (dropped).
   */
  private chooseDetail(segment: VideoSegment, frame: number, distance: number): Detail | undefined {
    // Nothing is due while paused, and the clock waits for a held frame: full detail.
    if (!this.wantPlay || (this.holding && distance === 0)) return 'full';
    const now = this.now();
    const at = (this.due >= 0 ? this.due : this.frameAt(this.clock.time)) + distance;
    const due = this.clock.wallAt(at / this.fps) - now;
    const windowEnd = this.clock.wallAt((at + 1) / this.fps) - now;
    const full = this.decodeMs.full ?? 0;
    const coarse = this.decodeMs.coarse ?? 0;
    // 'auto' compares measured ms with the time left: the same as throughput x time left in MACs.
    if ((this.budget === undefined || this.decoder.cost(segment, frame, 'full') <= this.budget) && full <= due) return 'full';
    return coarse <= due || coarse <= windowEnd ? 'coarse' : undefined;
  }

  private async decode(segment: VideoSegment, frame: number, detail: Detail): Promise<void> {
    try {
      const decoded = await this.decoder.decode(segment, frame, detail);
      if (this.closed) return;
      this.counter.recordDecode(decoded.ms, decoded.detail === 'coarse');
      this.measure(decoded);
      const from = this.due >= 0 ? this.due : this.frameAt(this.clock.time);
      if (this.distance(from, frame) <= this.ahead) this.queue.set(frame, decoded);
    } catch (error) {
      this.fail(error);
    } finally {
      this.inflight = undefined;
    }
    if (!this.closed) {
      this.pump();
      this.schedule();
    }
  }

  /** Running average of decode ms per detail; each detail's first decode (shader compiles, uploads) is left out. */
  private measure(decoded: DecodedFrame): void {
    const d = decoded.detail;
    if (!this.warmed.has(d)) {
      this.warmed.add(d);
      return;
    }
    const prev = this.decodeMs[d];
    this.decodeMs[d] = prev === undefined ? decoded.ms : prev + 0.2 * (decoded.ms - prev);
  }

  private segmentArrived(segment: VideoSegment): void {
    this.emit('progress', { segment: segment.index, frameStart: segment.frameStart, frameCount: segment.frameCount });
    this.pump();
    this.schedule();
  }

  private fail(error: unknown): void {
    if (this.closed || this.failed) return;
    // Once: playback stops here, and the loop with it.
    this.failed = true;
    this.holding = false;
    this.wantPlay = false;
    this.clock.stop();
    this.emit('error', { error });
  }

  private emitTimeupdate(): void {
    this.lastTimeupdate = this.now();
    this.emit('timeupdate', { currentTime: this.currentTime, frame: this.shown });
  }

  private emit(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
