/**
 * `<inr-image src="photo.inr" budget="auto" backend="auto" alt="...">`: streams the model,
 * renders it progressively into a canvas (coarse preview first), and behaves like an <img>:
 * intrinsic size from the model, scales with CSS, `alt` for assistive technology, and
 * `load` / `progress` / `error` events. An error also shows its reason in the element.
 */
import { statedPsnr } from '../format/provenance.js';
import { modelCost } from '../model/cost.js';
import type { RenderJob, RenderProgress, RenderStats } from '../render/render-job.js';
import type { SourceDecoding } from '../render/tile-source.js';
import { InrDrawError } from '../util/errors.js';
import { canvasLost } from '../workers/draw-client.js';
import { type Runtime } from '../runtime.js';
import type { BackendChoice } from '../backend/types.js';
import { InrCanvasElement, LOAD_ATTRIBUTES, type InrElementErrorDetail, type InrElementEventMap } from './canvas-element.js';
import { isBackendChoice, sharedRuntime } from './shared-runtime.js';

export type InrImageProgressDetail =
  { phase: 'download'; bytes: number; total: number | undefined; tensorsReady: number; tensorsTotal: number } | ({ phase: 'render' } & RenderProgress);

export interface InrImageLoadDetail {
  width: number;
  height: number;
  /** Bytes of the `.inr`. */
  bytes: number;
  macPerPx: number;
  /** The PSNR (dB) the file states for its own weights against its source, if it states one. */
  psnr: number | undefined;
  /** The decode backend that ran, where (workers or main thread), and why. */
  backend: string;
  where: 'workers' | 'main-thread';
  reason: string;
  /** Where the tiles were drawn ('worker': the canvas was handed to the draw worker), and why. */
  drawing: RenderStats['drawing'];
  firstPreviewMs: number;
  totalMs: number;
}

export type InrImageErrorDetail = InrElementErrorDetail;

/** <inr-image>'s events, as an <img> has them (plus `progress`), and the DOM's others. */
export interface InrImageEventMap extends Omit<HTMLElementEventMap, 'load' | 'progress' | 'error'>, InrElementEventMap {
  /** Download (bytes, tensors parsed), then render (pass, tiles drawn) progress. */
  progress: CustomEvent<InrImageProgressDetail>;
  /** The whole picture is drawn. */
  load: CustomEvent<InrImageLoadDetail>;
  /** The picture cannot be shown; the element shows the reason in its place. */
  error: CustomEvent<InrImageErrorDetail>;
}

export class InrImageElement extends InrCanvasElement<InrImageEventMap> {
  static readonly observedAttributes = [...LOAD_ATTRIBUTES, 'alt'];
  /** Where elements get their runtime for a backend choice; replaceable (tests, custom pools). */
  static runtime: (backend: BackendChoice) => Runtime = sharedRuntime;

  private controller: AbortController | undefined;
  private job: RenderJob | undefined;
  /** The canvas went with a lost draw worker: the next load needs a new one. */
  private canvasLost = false;
  /** The last picture was drawn on this thread: the canvas has a context and cannot go to the draw worker. */
  private drawnHere = false;

  constructor() {
    super();
    this.canvas.setAttribute('role', 'img');
  }

  get alt(): string {
    return this.getAttribute('alt') ?? '';
  }
  set alt(v: string) {
    this.setAttribute('alt', v);
  }

  /**
   * The picture's pixels as drawn so far (the whole picture after `load`). The canvas may belong
   * to the draw worker, so they are read there.
   */
  async pixels(): Promise<ImageData> {
    // Asked too early: the DOM's error for a call in the wrong state, as a canvas gives.
    if (!this.job) throw new DOMException('nothing has been rendered yet', 'InvalidStateError');
    return this.job.pixels();
  }

  connectedCallback(): void {
    this.scheduleLoad();
  }

  disconnectedCallback(): void {
    this.controller?.abort(new DOMException('the element was removed', 'AbortError'));
    this.controller = undefined;
  }

  attributeChangedCallback(name: string): void {
    if (name === 'alt') this.canvas.setAttribute('aria-label', this.alt);
    else if (this.isConnected) this.scheduleLoad();
  }

  protected async reload(): Promise<void> {
    this.controller?.abort(new DOMException('replaced by a new load', 'AbortError'));
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    if (!this.src) return;
    if (this.canvasLost || canvasLost(this.canvas)) {
      this.replaceCanvas();
      this.canvasLost = false;
    }
    this.dataset.state = 'loading';
    try {
      const budget = this.budget === 'auto' ? 'auto' : Number(this.budget);
      if (budget !== 'auto' && !(budget > 0)) throw new RangeError(`budget must be a positive number of MACs or "auto", not "${this.budget}"`);
      const backend = this.backend;
      if (!isBackendChoice(backend)) throw new RangeError(`backend must be auto, webgpu, webgl, wasm or cpu, not "${backend}"`);
      const stallMs = this.stallMs();
      const runtime = InrImageElement.runtime(backend);
      // Rendered while it arrives: a file with level heads shows each level as its bytes land.
      const opening = runtime.open(new URL(this.src, document.baseURI), {
        signal,
        stallMs,
        onProgress: (p) => this.emit('progress', { phase: 'download', ...p }),
      });
      // A large picture after one drawn on this thread needs a canvas the draw worker can take.
      if (this.drawnHere && runtime.drawsInWorker((await opening.arriving.layout).spec.shape)) this.replaceCanvas();
      const job = runtime.render(opening, this.canvas, { budget, signal });
      this.job = job;
      job.addEventListener('progress', (e) => this.emit('progress', { phase: 'render', ...e.detail }));
      const [loaded, stats] = await Promise.all([opening.loaded, job.done]);
      this.drawnHere = stats.drawing.where === 'main-thread';
      // Decoded on this thread by the page's kernels, or by the runtime's source (its report).
      const decoding: Pick<SourceDecoding, 'backend' | 'where' | 'reason'> = stats.decoding ?? (await runtimeDecoding(runtime));
      this.dataset.state = 'loaded';
      this.emit('load', {
        width: loaded.model.spec.shape.at(-1)!,
        height: loaded.model.spec.shape.at(-2)!,
        bytes: loaded.bytes,
        macPerPx: modelCost(loaded.model.spec).macPerPx,
        psnr: statedPsnr(loaded.header),
        backend: decoding.backend,
        where: decoding.where,
        reason: decoding.reason,
        drawing: stats.drawing,
        firstPreviewMs: stats.firstPassMs,
        totalMs: stats.totalMs,
      });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof InrDrawError) this.canvasLost = true;
      this.fail('show', error);
    }
  }
}

/** Where the runtime's own source decodes (the decode workers, or this thread's engine), and why. */
async function runtimeDecoding(runtime: Runtime): Promise<Pick<SourceDecoding, 'backend' | 'where' | 'reason'>> {
  const report = await runtime.backend();
  return { backend: report.backend, where: runtime.where, reason: `${report.reason}; ${runtime.reason}` };
}

/** Registers <inr-image> unless something else already did. */
export function defineInrImage(): void {
  if (typeof customElements !== 'undefined' && !customElements.get('inr-image')) customElements.define('inr-image', InrImageElement);
}
