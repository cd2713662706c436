/**
 * `<inr-video src="clip.inr" controls autoplay loop muted backend="auto" budget="auto" stall-timeout="20">`: streams
 * a video model and plays it into a canvas with the surface of <video> where it makes sense:
 * play(), pause(), currentTime, duration, paused, ended, loop, playbackRate, the media events
 * (loadstart, loadedmetadata, loadeddata, canplay, play, playing, pause, waiting, seeking,
 * seeked, timeupdate, ended, progress, error, emptied) and getVideoPlaybackQuality(). `muted`
 * is accepted and reflected (a model has no sound). An error also shows its reason in place.
 * Frames are decoded and drawn by the page's runtime for the backend, as <inr-image>'s pictures.
 */
import { InrCanvasElement, LOAD_ATTRIBUTES, type InrElementErrorDetail } from './canvas-element.js';
import { isBackendChoice, sharedRuntime } from './shared-runtime.js';
import type { BackendChoice } from '../backend/types.js';
import { registerVideoPlayer, type Runtime } from '../runtime.js';
import { InrDrawError } from '../util/errors.js';
import { canvasLost } from '../workers/draw-client.js';
import type { TypedListener } from '../util/events.js';
import { buildControls } from '../video/controls.js';
import { openVideo } from '../video/open.js';
import { VideoPlayer } from '../video/player.js';
import type { VideoPlayerEventMap } from '../video/player-types.js';
import type { PlaybackStats } from '../video/stats.js';

// This module is what carries video: where it is loaded, runtimes can play it.
registerVideoPlayer(VideoPlayer);

/** The controls bar (the canvas and error panel come from InrCanvasElement). */
const STYLE = `
.controls { display: none; position: absolute; left: 0; right: 0; bottom: 0; gap: 0.5em; align-items: center;
  padding: 0.3em 0.5em; background: rgb(0 0 0 / 0.55); color: #fff; font: 12px/1.2 system-ui, sans-serif; }
:host([controls]) .controls { display: flex; }
.controls button { font: inherit; color: inherit; background: none; border: 0; cursor: pointer; min-width: 2em; }
.controls input { flex: 1; }
`;

/** Player events without a detail that the element passes on under the same names. */
const FORWARDED = ['loadeddata', 'canplay', 'play', 'playing', 'pause', 'waiting', 'seeking', 'seeked', 'ended'] as const;

export type InrVideoErrorDetail = InrElementErrorDetail;

/** <inr-video>'s events: the player's, the element's own (loadstart, loadedmetadata, emptied) and `error` with its reason. */
export interface InrVideoEventMap extends Omit<VideoPlayerEventMap, 'error'> {
  loadstart: Event;
  emptied: Event;
  error: CustomEvent<InrVideoErrorDetail>;
}

// Typed listeners merged into the class, as lib.dom.d.ts does for HTMLVideoElement (src/util/events.ts).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface InrVideoElement {
  addEventListener<K extends keyof InrVideoEventMap>(
    type: K,
    listener: TypedListener<this, InrVideoEventMap[K]>,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof InrVideoEventMap>(
    type: K,
    listener: TypedListener<this, InrVideoEventMap[K]>,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class InrVideoElement extends InrCanvasElement {
  static readonly observedAttributes = [...LOAD_ATTRIBUTES, 'loop'];
  /** Where elements get their runtime for a backend choice; replaceable (tests, custom pools). */
  static runtime: (backend: BackendChoice) => Runtime = sharedRuntime;

  private controller: AbortController | undefined;
  private player: VideoPlayer | undefined;
  /** The canvas went with a lost draw worker: the next load needs a new one. */
  private canvasLost = false;
  private wantPlay = false;
  private pendingSeek: number | undefined;
  private rate = 1;
  private failure: unknown = null;

  constructor() {
    super(STYLE);
    this.addPart(buildControls(this));
  }

  // ---- attributes (src, backend, budget, stall-timeout: InrCanvasElement) ----

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

  /** The frame on the canvas (the canvas may belong to the draw worker, so its pixels are read there). */
  async pixels(): Promise<ImageData> {
    if (!this.player) throw new RangeError('nothing is playing');
    return this.player.pixels();
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

  protected async reload(): Promise<void> {
    this.teardown(new DOMException('replaced by a new load', 'AbortError'));
    this.failure = null;
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    if (!this.src) return;
    if (this.canvasLost || canvasLost(this.canvas)) {
      this.replaceCanvas();
      this.canvasLost = false;
    }
    this.dataset.state = 'loading';
    this.emit('loadstart');
    try {
      const budget = this.budget === 'auto' ? 'auto' : Number(this.budget);
      if (budget !== 'auto' && !(budget > 0)) throw new RangeError(`budget must be a positive number of MACs or "auto", not "${this.budget}"`);
      const backend = this.backend;
      if (!isBackendChoice(backend)) throw new RangeError(`backend must be auto, webgpu, webgl, wasm or cpu, not "${backend}"`);
      const stallMs = this.stallMs();
      const runtime = InrVideoElement.runtime(backend);
      const source = await openVideo(new URL(this.src, document.baseURI), { signal, stallMs });
      signal.throwIfAborted();
      const player = runtime.play(source, this.canvas, { loop: this.loop, playbackRate: this.rate, budget });
      this.player = player;
      for (const type of FORWARDED) player.addEventListener(type, () => this.emit(type));
      player.addEventListener('timeupdate', (e) => this.emit('timeupdate', e.detail));
      player.addEventListener('frame', (e) => this.emit('frame', e.detail));
      player.addEventListener('progress', (e) => this.emit('progress', e.detail));
      player.addEventListener('error', (e) => this.show(e.detail.error));
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
    if (error instanceof InrDrawError) this.canvasLost = true;
    this.failure = error;
    this.fail('play', error);
  }
}

/** Registers <inr-video> unless something else already did. */
export function defineInrVideo(): void {
  if (typeof customElements !== 'undefined' && !customElements.get('inr-video')) customElements.define('inr-video', InrVideoElement);
}
