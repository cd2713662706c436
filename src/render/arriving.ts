/**
 * A model still arriving, as a render sees it: its layout once the header is in, then each
 * level's picture as the bytes that level needs land (docs/MODEL.md, "Level heads"), then the
 * whole model. The runtime feeds it from the loader; a RenderJob paints from it, always the
 * finest picture there is, so the picture sharpens as the file arrives (docs/RUNTIME.md,
 * "Rendering while the model arrives").
 */
import type { PreviewModel } from '../model/preview.js';
import { levelCount } from '../model/spec.js';
import type { AsmrModel, AsmrSpec } from '../model/types.js';

/** What has arrived: a level's picture, or the whole model. */
export type Arrival = (
  { kind: 'level'; level: number; picture: PreviewModel; bytes: number } | { kind: 'model'; level: number; model: AsmrModel; bytes: number }
) & {
  /** When it arrived (performance.now()). */
  at: number;
};

export interface ArrivingLayout {
  spec: AsmrSpec;
  outputRange: readonly [number, number];
}

/** Where the bytes stand when the header has arrived. */
export interface ArrivingBytes {
  /** Bytes read by then. */
  read: number;
  /** Bytes the whole model needs (to the end of its last tensor). */
  model: number;
}

/** Fed by a loader (header, level, complete, fail); read by a render (layout, next). */
export class ArrivingModel {
  /** Resolves once the header has arrived. */
  readonly layout: Promise<ArrivingLayout>;
  private resolveLayout!: (layout: ArrivingLayout) => void;
  private rejectLayout!: (error: unknown) => void;
  private latest: Arrival | undefined;
  private failure: { error: unknown } | undefined;
  private waiting: (() => void)[] = [];
  private started: { at: number; read: number; model: number } | undefined;

  constructor() {
    this.layout = new Promise<ArrivingLayout>((resolve, reject) => {
      this.resolveLayout = resolve;
      this.rejectLayout = reject;
    });
    this.layout.catch(() => undefined);
  }

  /** The header has arrived; `bytes` (where the loader knows them) let `remainingMs` estimate. */
  header(layout: ArrivingLayout, bytes?: ArrivingBytes): void {
    if (bytes) this.started = { at: performance.now(), ...bytes };
    this.resolveLayout(layout);
  }

  /**
   * ms until the whole model is in, at the rate the file has arrived since its header (0 where
   * it all came at once); undefined where the header said nothing of its bytes. An estimate: a
   * link may speed up or stall.
   */
  remainingMs(arrival: Arrival): number | undefined {
    const started = this.started;
    if (!started) return undefined;
    const left = started.model - arrival.bytes;
    if (left <= 0) return 0;
    const ms = arrival.at - started.at;
    const read = arrival.bytes - started.read;
    return read > 0 ? (left * ms) / read : undefined;
  }

  /** Level `picture.level`'s picture can be drawn: `bytes` of the file had arrived. */
  level(picture: PreviewModel, bytes: number): void {
    this.arrive({ kind: 'level', level: picture.level, picture, bytes, at: performance.now() });
  }

  complete(model: AsmrModel, bytes: number): void {
    this.arrive({ kind: 'model', level: levelCount(model.spec) - 1, model, bytes, at: performance.now() });
  }

  /** The load failed: a render waiting for more rejects with `error`. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.rejectLayout(error);
    this.notify();
  }

  /**
   * The finest arrival above level `after` (levels that arrived while the render was busy are
   * skipped: only the finest is worth painting); waits until there is one. Several may wait at once.
   */
  async next(after: number): Promise<Arrival> {
    for (;;) {
      if (this.latest !== undefined && this.latest.level > after) return this.latest;
      if (this.failure) throw this.failure.error;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private arrive(arrival: Arrival): void {
    if (this.failure || (this.latest !== undefined && this.latest.level >= arrival.level)) return;
    this.latest = arrival;
    this.notify();
  }

  private notify(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
