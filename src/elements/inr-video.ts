/**
 * `<inr-video src="clip.inr" controls autoplay loop muted backend="auto" budget="auto">`: streams
 * a video model and plays it into a canvas with the surface of <video> where it makes sense:
 * play(), pause(), currentTime, duration, paused, ended, loop, playbackRate, the media events
 * (loadstart, loadedmetadata, loadeddata, canplay, play, playing, pause, waiting, seeking,
 * seeked, timeupdate, ended, progress, error, emptied) and getVideoPlaybackQuality(). `muted`
 * is accepted and reflected (a model has no sound). An error also shows its reason in place.
 */
import { isBackendChoice } from './shared-runtime.js';
import { InrError } from '../errors.js';
import { buildControls } from '../video/controls.js';
import { openVideo } from '../video/open.js';
import { VideoPlayer } from '../video/player.js';
import { sharedEngine } from '../video/shared-engine.js';
import type { PlaybackStats } from '../video/stats.js';

const STYLE = `
:host { display: inline-block; position: relative; line-height: 0; }
:host([hidden]) { display: none; }
canvas { display: block; width: 100%; height: auto; }
.controls { display: none; position: absolute; left: 0; right: 0; bottom: 0; gap: 0.5em; align-items: center;
  padding: 0.3em 0.5em; background: rgb(0 0 0 / 0.55); color: #fff; font: 12px/1.2 system-ui, sans-serif; }
:host([controls]) .controls { display: flex; }
.controls button { font: inherit; color: inherit; background: none; border: 0; cursor: pointer; min-width: 2em; }
.controls input { flex: 1; }
.error { position: absolute; inset: 0; display: none; align-items: center; justify-content: center;
  padding: 1em; font: 14px/1.3 system-ui, sans-serif; color: #900; background: #fee; line-height: 1.3; }
:host([data-state="error"]) .error { display: flex; }
`;

/** Player events the element passes on under the same names. */
const FORWARDED = ['loadeddata', 'canplay', 'play', 'playing', 'pause', 'waiting', 'seeking', 'seeked', 'timeupdate', 'ended', 'frame'];

export interface InrVideoErrorDetail {
  error: unknown;
  /** One line for people: what went wrong. */
  reason: string;
}

export class InrVideoElement extends HTMLElement {
  static readonly observedAttributes = ['src', 'backend', 'budget', 'loop'];

  readonly canvas: HTMLCanvasElement;
  private readonly message: HTMLElement;
  private controller: AbortController | undefined;
  private player: VideoPlayer | undefined;
  private pending = false;
  private wantPlay = false;
  private pendingSeek: number | undefined;
  private rate = 1;
  private failure: unknown = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.canvas = document.createElement('canvas');
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.message = document.createElement('div');
    this.message.className = 'error';
    this.message.setAttribute('role', 'alert');
    root.append(style, this.canvas, buildControls(this), this.message);
  }

  // ---- attributes ----

  get src(): string {
    return this.getAttribute('src') ?? '';
  }
  set src(v: string) {
    this.setAttribute('src', v);
  }
  get backend(): string {
    return this.getAttribute('backend') ?? 'auto';
  }
  set backend(v: string) {
    this.setAttribute('backend', v);
  }
  /** MACs per frame at full detail, or 'auto' (default). */
  get budget(): string {
    return this.getAttribute('budget') ?? 'auto';
  }
  set budget(v: string) {
    this.setAttribute('budget', v);
  }
  get loop(): boolean {
    return this.hasAttribute('loop');
  }
  set loop(v: boolean) {
    this.toggleAttribute('loop', v);
  }
  get autoplay(): boolean {
    return this.hasAttribute('autoplay');
  }
  set autoplay(v: boolean) {
    this.toggleAttribute('autoplay', v);
  }
  get controls(): boolean {
    return this.hasAttribute('controls');
  }
  set controls(v: boolean) {
    this.toggleAttribute('controls', v);
  }
  get muted(): boolean {
    return this.hasAttribute('muted');
  }
  set muted(v: boolean) {
    this.toggleAttribute('muted', v);
  }

  // ---- media state ----

  get duration(): number {
    return this.player?.duration ?? NaN;
  }
  get currentTime(): number {
    return this.player?.currentTime ?? this.pendingSeek ?? 0;
  }
  set currentTime(seconds: number) {
    if (this.player) this.player.currentTime = seconds;
    else this.pendingSeek = seconds;
  }
  get paused(): boolean {
    return this.player ? this.player.paused : !this.wantPlay;
  }
  get ended(): boolean {
    return this.player?.ended ?? false;
  }
  get playbackRate(): number {
    return this.rate;
  }
  set playbackRate(v: number) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`playbackRate must be a positive number, not ${v}`);
    this.rate = v;
    if (this.player) this.player.playbackRate = v;
  }
  get videoWidth(): number {
    return this.player?.source.width ?? 0;
  }
  get videoHeight(): number {
    return this.player?.source.height ?? 0;
  }
  /** The failure that stopped the element, or null. */
  get error(): unknown {
    return this.failure;
  }
  /** Decoded, presented, late and dropped frames and decode-time percentiles. */
  get stats(): PlaybackStats | undefined {
    return this.player?.stats;
  }
  /** As HTMLVideoElement's: frames due so far and those dropped. */
  getVideoPlaybackQuality(): { totalVideoFrames: number; droppedVideoFrames: number; corruptedVideoFrames: number; creationTime: number } {
    const s = this.player?.stats;
    return { totalVideoFrames: s ? s.presented + s.dropped : 0, droppedVideoFrames: s?.dropped ?? 0, corruptedVideoFrames: 0, creationTime: performance.now() };
  }

  /** Resolves once playback runs, rejects if loading fails or a new source replaces this one. */
  play(): Promise<void> {
    this.wantPlay = true;
    if (this.player && !this.player.paused) return Promise.resolve();
    const started = new Promise<void>((resolve, reject) => {
      const done = (e: Event): void => {
        for (const t of ['playing', 'error', 'emptied']) this.removeEventListener(t, done);
        if (e.type === 'playing') resolve();
        else reject(e.type === 'error' ? this.failure : new DOMException('the source changed', 'AbortError'));
      };
      for (const t of ['playing', 'error', 'emptied']) this.addEventListener(t, done);
    });
    this.player?.play();
    return started;
  }

  pause(): void {
    this.wantPlay = false;
    this.player?.pause();
  }

  /** Starts loading the current `src` again. */
  load(): void {
    void this.reload();
  }

  connectedCallback(): void {
    this.scheduleLoad();
  }

  disconnectedCallback(): void {
    this.teardown(new DOMException('the element was removed', 'AbortError'));
  }

  attributeChangedCallback(name: string): void {
    if (name === 'loop') {
      if (this.player) this.player.loop = this.loop;
    } else if (this.isConnected) {
      this.scheduleLoad();
    }
  }

  /** Batches attribute changes made together into one load. */
  private scheduleLoad(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      if (this.isConnected) void this.reload();
    });
  }

  /** Aborts the download and frees the player's tensors. */
  private teardown(reason: DOMException): void {
    this.controller?.abort(reason);
    this.controller = undefined;
    if (this.player) {
      void this.player.close();
      this.player = undefined;
      this.emit('emptied');
    }
  }

  private async reload(): Promise<void> {
    this.teardown(new DOMException('replaced by a new load', 'AbortError'));
    this.failure = null;
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    if (!this.src) return;
    this.dataset.state = 'loading';
    this.emit('loadstart');
    try {
      const budget = this.budget === 'auto' ? 'auto' : Number(this.budget);
      if (budget !== 'auto' && !(budget > 0)) throw new RangeError(`budget must be a positive number of MACs or "auto", not "${this.budget}"`);
      const backend = this.backend;
      if (!isBackendChoice(backend)) throw new RangeError(`backend must be auto, webgpu, webgl, wasm or cpu, not "${backend}"`);
      const engine = await sharedEngine(backend);
      signal.throwIfAborted();
      const source = await openVideo(new URL(this.src, document.baseURI), { signal });
      signal.throwIfAborted();
      const player = new VideoPlayer(engine, source, this.canvas, { loop: this.loop, playbackRate: this.rate, budget });
      this.player = player;
      for (const type of FORWARDED) player.addEventListener(type, (e) => this.emit(type, (e as CustomEvent).detail));
      player.addEventListener('progress', (e) => this.emit('progress', (e as CustomEvent).detail));
      player.addEventListener('error', (e) => this.show((e as CustomEvent<{ error: unknown }>).detail.error));
      this.dataset.state = 'loaded';
      // Fired here, not forwarded, so that it comes before an autoplay's 'play' as in <video>.
      this.emit('loadedmetadata');
      if (this.pendingSeek !== undefined) player.currentTime = this.pendingSeek;
      this.pendingSeek = undefined;
      if (this.wantPlay || this.autoplay) {
        this.wantPlay = true;
        player.play();
      }
    } catch (error) {
      if (signal.aborted) return;
      this.show(error);
    }
  }

  private show(error: unknown): void {
    const reason = error instanceof InrError || error instanceof RangeError ? error.message : `unexpected failure: ${String(error)}`;
    this.failure = error;
    this.message.textContent = `Cannot play ${this.src}: ${reason}`;
    this.dataset.state = 'error';
    this.emit<InrVideoErrorDetail>('error', { error, reason });
  }

  private emit<T>(type: string, detail?: T): void {
    this.dispatchEvent(new CustomEvent<T | undefined>(type, { detail }));
  }
}

/** Registers <inr-video> unless something else already did. */
export function defineInrVideo(): void {
  if (typeof customElements !== 'undefined' && !customElements.get('inr-video')) customElements.define('inr-video', InrVideoElement);
}
