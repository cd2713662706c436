/**
 * What <inr-image> and <inr-video> share: a shadow root holding a canvas that scales with CSS
 * and an error panel, the reflected `src`, `backend`, `budget` and `stall-timeout` attributes, how a failure is
 * shown (its reason in place of the picture, and an `error` event), and typed events: each
 * element passes its event map `M`, which types both its listeners and what it emits.
 */
import { DEFAULT_STALL_MS } from '../loader/stall.js';
import { InrError } from '../util/errors.js';
import type { TypedListener } from '../util/events.js';

/** The attributes both elements observe: a change to any starts the load again. */
export const LOAD_ATTRIBUTES = ['src', 'budget', 'backend', 'stall-timeout'] as const;

const STYLE = `
:host { display: inline-block; position: relative; line-height: 0; }
:host([hidden]) { display: none; }
canvas { display: block; width: 100%; height: auto; }
/* The reason is shown in place of the picture, in the flow, so the element is as large as its
   text needs even when it failed before it had a picture's size (a 404 before any model). */
.error { display: none; align-items: center; justify-content: center; box-sizing: border-box;
  min-width: 16em; min-height: 6em; overflow-wrap: anywhere; padding: 1em;
  font: 14px/1.3 system-ui, sans-serif; color: #900; background: #fee; line-height: 1.3; }
:host([data-state="error"]) .error { display: flex; }
:host([data-state="error"]) canvas { display: none; }
`;

export interface InrElementErrorDetail {
  error: unknown;
  /** One line for people: what went wrong. */
  reason: string;
}

/**
 * The events this base fires itself, which every element's map declares. An element's map
 * also keeps the DOM's events (`click`...), less the names it redefines, as lib.dom.d.ts's
 * HTMLVideoElementEventMap extends HTMLElementEventMap.
 */
export interface InrElementEventMap {
  error: CustomEvent<InrElementErrorDetail>;
}

/** The map of an element that declares none of its own: any other name, with any detail. */
type UndeclaredEventMap = Omit<HTMLElementEventMap, 'error'> & InrElementEventMap & { [type: string]: Event };

/**
 * What `emit` takes after the name: the declared detail of a CustomEvent; any (or none) for a
 * name the map does not declare as one.
 */
type EmitDetail<E> = E extends CustomEvent<infer D> ? [detail: D] : [detail?: unknown];

// Declaration merging: the typed overloads, as lib.dom.d.ts declares HTMLVideoElement's (an
// element must extend HTMLElement, so it cannot extend TypedEventTarget).
export interface InrCanvasElement<M extends InrElementEventMap = UndeclaredEventMap> {
  addEventListener<K extends keyof M & string>(type: K, listener: TypedListener<this, M[K]>, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof M & string>(type: K, listener: TypedListener<this, M[K]>, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class InrCanvasElement<M extends InrElementEventMap = UndeclaredEventMap> extends HTMLElement {
  private picture: HTMLCanvasElement;
  private readonly message: HTMLElement;
  private pending = false;

  /** `style`: the element's own rules, added to the shared ones. */
  constructor(style = '') {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const sheet = document.createElement('style');
    sheet.textContent = STYLE + style;
    this.picture = InrCanvasElement.newCanvas();
    this.message = document.createElement('div');
    this.message.className = 'error';
    this.message.setAttribute('role', 'alert');
    root.append(sheet, this.picture, this.message);
  }

  private static newCanvas(): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.width = 0;
    canvas.height = 0;
    return canvas;
  }

  /** The canvas the picture is drawn on (it may belong to the draw worker: read pixels there). */
  get canvas(): HTMLCanvasElement {
    return this.picture;
  }

  /**
   * Puts a fresh canvas in place of one that cannot be drawn on any more (its draw worker was
   * lost) or not as the next picture needs (by the draw worker), keeping its attributes (role,
   * label).
   */
  protected replaceCanvas(): void {
    const fresh = InrCanvasElement.newCanvas();
    for (const { name, value } of Array.from(this.picture.attributes)) if (name !== 'width' && name !== 'height') fresh.setAttribute(name, value);
    this.picture.replaceWith(fresh);
    this.picture = fresh;
  }

  /** Adds a part of the element's own (controls) above the canvas, below the error panel. */
  protected addPart(node: Node): void {
    this.message.before(node);
  }

  get src(): string {
    return this.getAttribute('src') ?? '';
  }
  set src(v: string) {
    this.setAttribute('src', v);
  }
  /** MACs per frame, or 'auto' (default). */
  get budget(): string {
    return this.getAttribute('budget') ?? 'auto';
  }
  set budget(v: string) {
    this.setAttribute('budget', v);
  }
  get backend(): string {
    return this.getAttribute('backend') ?? 'auto';
  }
  set backend(v: string) {
    this.setAttribute('backend', v);
  }
  /** Seconds without a byte from the server before a fetch fails ('stalled'); default 20. */
  get stallTimeout(): string {
    return this.getAttribute('stall-timeout') ?? String(DEFAULT_STALL_MS / 1000);
  }
  set stallTimeout(v: string) {
    this.setAttribute('stall-timeout', v);
  }

  /** `stall-timeout` in milliseconds; a RangeError (shown as the element's error) unless it is a positive number. */
  protected stallMs(): number {
    const seconds = Number(this.stallTimeout);
    if (!(seconds > 0)) throw new RangeError(`stall-timeout must be a positive number of seconds, not "${this.stallTimeout}"`);
    return seconds * 1000;
  }

  /** Starts (again) from `src`: the element's own load. */
  protected abstract reload(): Promise<void>;

  /** Batches attribute changes made together into one reload. */
  protected scheduleLoad(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      if (this.isConnected) void this.reload();
    });
  }

  /** Shows why `src` cannot be shown (`what`: "show", "play") and fires `error`. */
  protected fail(what: string, error: unknown): void {
    const reason = error instanceof InrError || error instanceof RangeError ? error.message : `unexpected failure: ${String(error)}`;
    this.message.textContent = `Cannot ${what} ${this.src}: ${reason}`;
    this.dataset.state = 'error';
    // Dispatched directly: inside this generic class `emit` cannot check a detail against M.
    this.dispatchEvent(new CustomEvent<InrElementErrorDetail>('error', { detail: { error, reason } }));
  }

  /** Fires `type` with the detail the element's map declares for it. */
  protected emit<K extends keyof M & string>(type: K, ...detail: EmitDetail<M[K]>): void {
    this.dispatchEvent(new CustomEvent(type, { detail: detail[0] }));
  }
}
