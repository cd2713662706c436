/**
 * The video player: a presentation clock, a decode-ahead queue (src/video/ahead.ts) and a
 * presenter (src/video/presenter.ts: a TileDrawer), in one of the states of
 * src/video/player-state.ts. Each display frame it shows
 * the frame due at the clock's time; between display frames the queue decodes the next frames
 * ahead from the runtime's tile source. When the frame due lives in a segment that has not
 * arrived, the clock stops and `waiting` fires; it runs on (`playing`) once that frame is
 * decoded. Frames go through the same TileSource and TileDrawer as pictures (docs/VIDEO.md).
 */
import type { DrawTarget } from '../render/render-job.js';
import type { TileDrawer } from '../render/tile-drawer.js';
import type { TileSource } from '../render/tile-source.js';
import { TypedEventTarget } from '../util/events.js';
import { DecodeAhead } from './ahead.js';
import { type Now, PresentationClock } from './clock.js';
import type { DecodedFrame, Detail } from './frame-decoder.js';
import { HELD, type PlayerState, WANTS_PLAY, transition } from './player-state.js';
import { FramePresenter } from './presenter.js';
import type { PlayerOptions, VideoPlayerEventMap } from './player-types.js';
import type { VideoSegment, VideoSource } from './source.js';
import { DueFrame, type PlaybackStats, StatsCounter } from './stats.js';

/** Emit timeupdate at most this often while playing, as browsers do (15 to 250 ms). */
const TIMEUPDATE_MS = 100;
/** Guard for frame indices computed from float seconds. */
const EPS = 1e-6;

export class VideoPlayer extends TypedEventTarget<VideoPlayerEventMap> {
  readonly source: VideoSource;
  readonly fps: number;
  loop: boolean;
  /** How frames are drawn (the draw worker, or this thread), and why there. */
  readonly drawer: Promise<TileDrawer>;
  private current: PlayerState = 'priming';
  /** A seek waits for its frame: independent of the state, as HTMLMediaElement.seeking. */
  private seekPending = false;
  private readonly presenter: FramePresenter;
  private readonly clock: PresentationClock;
  private readonly now: Now;
  private readonly requestFrame: (cb: () => void) => number;
  private readonly cancelFrame: (id: number) => void;
  private readonly counter = new StatsCounter();
  private readonly ahead: DecodeAhead;
  private readonly due = new DueFrame(this.counter);
  private lastTimeupdate = -Infinity;
  private rafId: number | undefined;
  private readonly onSegment = (e: CustomEvent<VideoSegment>) => {
    const { index, frameStart, frameCount } = e.detail;
    this.emit('progress', { segment: index, frameStart, frameCount });
    this.ahead.pump();
    this.schedule();
  };
  /** A stream that stopped early matters only once playback needs a segment it did not deliver. */
  private readonly onSourceError = () => this.schedule();

  /**
   * `tiles`: where full-detail frames are decoded (the runtime's: decode workers, or this
   * thread); `target`: a canvas (drawn on this thread) or a TileDrawer (Runtime.play hands a
   * page canvas to the draw worker).
   */
  constructor(tiles: TileSource, source: VideoSource, target: DrawTarget, options: PlayerOptions = {}) {
    super();
    this.source = source;
    this.fps = options.fps ?? source.fps;
    if (!(this.fps > 0 && Number.isFinite(this.fps))) throw new RangeError(`fps must be a positive number, not ${this.fps}`);
    this.loop = options.loop ?? false;
    this.now = options.now ?? (() => performance.now());
    this.clock = new PresentationClock(this.now);
    this.clock.rate = options.playbackRate ?? 1;
    this.requestFrame = options.requestFrame ?? ((cb) => requestAnimationFrame(cb));
    this.cancelFrame = options.cancelFrame ?? ((id) => cancelAnimationFrame(id));
    this.ahead = new DecodeAhead(tiles, source, options, {
      due: () => ({ frame: this.due.frame >= 0 ? this.due.frame : this.frameAt(this.clock.time), shown: this.due.shown }),
      timing: () => ({ timed: WANTS_PLAY.has(this.current), held: HELD.has(this.current) }),
      window: (frame) => [this.clock.wallAt(frame / this.fps) - this.now(), this.clock.wallAt((frame + 1) / this.fps) - this.now()],
      loop: () => this.loop,
      stopped: () => this.current === 'closed' || this.current === 'failed',
      decoded: (frame) => this.counter.recordDecode(frame.ms, frame.detail === 'coarse'),
      wake: () => this.schedule(),
      fail: (error) => this.fail(error),
    });
    this.presenter = new FramePresenter(
      target,
      source.width,
      source.height,
      this.now,
      () => this.schedule(),
      (error) => this.fail(error),
    );
    this.drawer = this.presenter.drawer;
    source.addEventListener('segment', this.onSegment);
    source.addEventListener('error', this.onSourceError);
    queueMicrotask(() => this.emit('loadedmetadata'));
    this.schedule();
  }

  // ---- the <video>-like surface ----

  get state(): PlayerState {
    return this.current;
  }
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
    return !WANTS_PLAY.has(this.current);
  }
  get ended(): boolean {
    return this.current === 'ended';
  }
  get seeking(): boolean {
    return this.seekPending;
  }
  get playbackRate(): number {
    return this.clock.rate;
  }
  set playbackRate(v: number) {
    this.clock.rate = v;
  }
  /** The frame on the canvas (-1 before the first) and its detail. */
  get currentFrame(): { frame: number; detail: Detail | undefined } {
    return { frame: this.presenter.frame, detail: this.presenter.detail };
  }
  get stats(): PlaybackStats {
    return this.counter.snapshot();
  }

  /** The canvas's pixels once every frame drawn so far is on it (the canvas may belong to the draw worker). */
  pixels(): Promise<ImageData> {
    return this.presenter.pixels();
  }

  play(): void {
    if (this.current === 'ended') this.seek(0);
    if (this.current === 'priming' || this.current === 'paused') {
      // The clock runs only once the due frame is on the canvas.
      const held = this.current === 'priming' || !this.due.shown;
      this.to(held ? 'starting' : 'playing');
      this.emit('play');
      if (!held) this.startClock();
      this.schedule();
    }
  }

  pause(): void {
    if (!WANTS_PLAY.has(this.current)) return;
    this.to(this.current === 'playing' ? 'paused' : 'priming');
    this.clock.stop();
    // With the clock stopped every frame has time again.
    this.ahead.unskip();
    this.emit('pause');
    this.emitTimeupdate();
  }

  /** Moves to `seconds` (clamped to the clip); the frame there is shown as soon as it is decoded. */
  seek(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`cannot seek to ${seconds}`);
    if (this.current === 'failed' || this.current === 'closed') return;
    const t = Math.min(Math.max(0, seconds), this.duration - 1 / this.fps / 2);
    this.clock.stop();
    this.clock.seek(t);
    this.to(WANTS_PLAY.has(this.current) ? 'starting' : 'priming');
    this.seekPending = true;
    this.ahead.unskip();
    this.due.reset(this.frameAt(t));
    this.ahead.dropBehind(this.due.frame);
    this.emit('seeking');
    this.schedule();
  }

  /** Stops everything and frees what this player loaded (weights, cached activations); resolves once freed. */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    this.to('closed');
    if (this.rafId !== undefined) this.cancelFrame(this.rafId);
    this.rafId = undefined;
    this.source.removeEventListener('segment', this.onSegment);
    this.source.removeEventListener('error', this.onSourceError);
    await this.ahead.close();
  }

  // ---- the loop ----

  private to(next: PlayerState): void {
    this.current = transition(this.current, next);
  }

  private frameAt(seconds: number): number {
    return Math.max(0, Math.floor(seconds * this.fps + EPS));
  }

  private schedule(): void {
    if (this.current === 'closed' || this.rafId !== undefined) return;
    this.rafId = this.requestFrame(() => {
      this.rafId = undefined;
      this.tick();
    });
  }

  private tick(): void {
    if (this.current === 'closed') return;
    if (HELD.has(this.current)) this.tryRelease();
    else if (this.current === 'playing') this.advance();
    this.ahead.pump();
    // Keep ticking while playing, or while a held frame still has to be shown.
    if (WANTS_PLAY.has(this.current) || HELD.has(this.current)) this.schedule();
  }

  /** A held clock (start, seek, stall) runs on once the due frame can be shown. */
  private tryRelease(): void {
    if (this.due.frame < 0) this.due.reset(this.frameAt(this.clock.time));
    // Nothing is taken from the queue until there is a drawer to show it (a draw worker starting).
    const frame = this.presenter.canShow ? this.ahead.take(this.due.frame) : undefined;
    if (!frame) {
      this.checkStall(this.due.frame);
      return;
    }
    this.present(frame);
    this.due.present(true);
    const play = WANTS_PLAY.has(this.current);
    this.to(play ? 'playing' : 'paused');
    if (this.seekPending) {
      this.seekPending = false;
      this.emit('seeked');
    }
    if (play) this.startClock();
    this.emitTimeupdate();
  }

  private startClock(): void {
    this.clock.start();
    this.emit('playing');
  }

  private advance(): void {
    let f = this.frameAt(this.clock.time);
    if (f >= this.source.frames) {
      this.due.moveTo(this.source.frames);
      if (!this.loop) {
        this.finish();
        return;
      }
      const wrapped = this.clock.time % this.duration;
      this.clock.seek(wrapped);
      f = this.frameAt(wrapped);
      this.due.reset(-1);
    }
    if (f !== this.due.frame) {
      this.due.moveTo(f);
      this.ahead.dropBehind(f);
    }
    this.due.tick();
    if (this.due.shown) return;
    const frame = this.ahead.take(f);
    if (frame) {
      this.present(frame);
      this.due.present(false);
      if (this.now() - this.lastTimeupdate >= TIMEUPDATE_MS) this.emitTimeupdate();
    } else {
      this.checkStall(f);
    }
  }

  /** When `frame`'s segment has not arrived: stops the clock and fires `waiting` (once per stall), or `error`. */
  private checkStall(frame: number): void {
    if (this.source.segmentOf(frame)) return;
    this.source.want(frame);
    if (this.source.error !== undefined) {
      this.fail(this.source.error);
    } else if (this.current === 'playing' || this.current === 'starting') {
      this.clock.stop();
      this.to('waiting');
      this.emit('waiting');
    }
  }

  private finish(): void {
    this.to('ended');
    this.clock.stop();
    this.clock.seek(this.duration);
    this.emitTimeupdate();
    this.emit('pause');
    this.emit('ended');
  }

  private present(frame: DecodedFrame): void {
    const first = this.presenter.frame < 0;
    this.presenter.show(frame);
    this.counter.presented++;
    this.emit('frame', { frame: frame.frame, detail: frame.detail, mediaTime: this.clock.time });
    if (first) {
      this.emit('loadeddata');
      this.emit('canplay');
    }
  }

  private fail(error: unknown): void {
    if (this.current === 'closed' || this.current === 'failed') return;
    // Once: playback stops here, and the loop with it.
    this.to('failed');
    this.clock.stop();
    this.emit('error', { error });
  }

  private emitTimeupdate(): void {
    this.lastTimeupdate = this.now();
    this.emit('timeupdate', { currentTime: this.currentTime, frame: this.presenter.frame });
  }
}
