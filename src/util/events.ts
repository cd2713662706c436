/**
 * Typed events. Every emitter in the library declares an event map (event name -> event type,
 * a `CustomEvent<Detail>` for ours), so that `addEventListener('load', (e) => e.detail...)` is
 * typed without casts, as the DOM's own `HTMLElementEventMap` does. Names outside the map still
 * reach the plain `EventTarget` overload.
 *
 * Emitters that are not elements extend `TypedEventTarget<Map>`. Elements (which must extend
 * HTMLElement) declare the same two overloads in an interface merged with their class, as
 * lib.dom.d.ts does for HTMLVideoElement.
 */

/** The detail type of a declared event (`undefined` for a plain `Event`). */
type DetailOf<E> = E extends CustomEvent<infer D> ? D : undefined;

/** A listener for event `E` called with `this` = `T`. */
export type TypedListener<T, E> = ((this: T, ev: E) => unknown) | null;

// Declaration merging: the class below gains the typed overloads.
export interface TypedEventTarget<M> {
  addEventListener<K extends keyof M & string>(type: K, listener: TypedListener<this, M[K]>, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof M & string>(type: K, listener: TypedListener<this, M[K]>, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** An EventTarget that emits only the events of its map `M`, each with its declared detail. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class TypedEventTarget<M> extends EventTarget {
  protected emit<K extends keyof M & string>(type: K, ...detail: DetailOf<M[K]> extends undefined ? [] : [DetailOf<M[K]>]): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail: detail[0] }));
  }
}
