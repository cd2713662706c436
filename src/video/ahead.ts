/**
 * The player's decode-ahead queue: between display frames it decodes the next frames after the
 * one due, one at a time, in playing order (wrapping when looping), at full detail when that
 * fits before the frame is due (time measured per detail, and the per-frame MAC budget), as a
 * coarser pass when only that fits, and not at all when neither does (the frame is dropped,
 * never shown late on purpose).
 */
import type { TileSource } from '../render/tile-source.js';
import { type DecodedFrame, type Detail, FrameDecoder } from './frame-decoder.js';
import type { PlayerOptions } from './player-types.js';
import type { VideoSegment, VideoSource } from './source.js';

/** What the queue reads from the player, and tells it. */
export interface AheadHost {
  /** The frame due now (the clock's when none has fallen due yet), and whether it is on the canvas. */
  due(): { frame: number; shown: boolean };
  /** Whether frames have times to meet (play is wanted), and whether the clock waits for the frame due. */
  timing(): { timed: boolean; held: boolean };
  /** ms from now until `frame` falls due, and until its display window ends. */
  window(frame: number): [number, number];
  loop(): boolean;
  /** Closed or failed: nothing more to decode. */
  stopped(): boolean;
  decoded(frame: DecodedFrame): void;
  /** A decode finished: the next display frame may show it. */
  wake(): void;
  fail(error: unknown): void;
}

export class DecodeAhead {
  private readonly decoder: FrameDecoder;
  private readonly depth: number;
  private readonly budget: number | undefined;
  /** Decoded frames not yet shown, by frame index. */
  private readonly queue = new Map<number, DecodedFrame>();
  /** Measured decode ms per detail (running averages); undefined until measured. */
  private readonly decodeMs: Record<Detail, number | undefined> = { full: undefined, coarse: undefined };
  private readonly warmed = new Set<Detail>();
  /** Frames given up on (no detail fits before they are due). */
  private readonly skipped = new Set<number>();
  private inflight: Promise<void> | undefined;

  constructor(
    tiles: TileSource,
    private readonly source: VideoSource,
    options: Pick<PlayerOptions, 'ahead' | 'budget'>,
    private readonly host: AheadHost,
  ) {
    this.depth = options.ahead ?? 6;
    if (!(Number.isInteger(this.depth) && this.depth >= 1)) throw new RangeError(`ahead must be an integer >= 1, not ${this.depth}`);
    const budget = options.budget ?? 'auto';
    if (budget !== 'auto' && !(budget > 0)) throw new RangeError(`budget must be a positive number of MACs or 'auto', not ${budget}`);
    this.budget = budget === 'auto' ? undefined : budget;
    this.decoder = new FrameDecoder(tiles, source.header.outputRange ?? [0, 1]);
  }

  /** Takes frame `frame` out of the queue, if it was decoded. */
  take(frame: number): DecodedFrame | undefined {
    const decoded = this.queue.get(frame);
    this.queue.delete(frame);
    return decoded;
  }

  /** With the clock stopped (a pause, a seek) every frame has time again. */
  unskip(): void {
    this.skipped.clear();
  }

  /** Forgets queued frames that are no longer ahead of `frame` in playing order. */
  dropBehind(frame: number): void {
    for (const g of this.queue.keys()) if (this.distance(frame, g) > this.depth) this.queue.delete(g);
    for (const g of this.skipped) if (this.distance(frame, g) > this.depth) this.skipped.delete(g);
  }

  /** Starts the next decode, unless one is in flight or nothing is left to decode. */
  pump(): void {
    if (this.host.stopped() || this.inflight) return;
    const { frame: start, shown } = this.host.due();
    const frames = this.source.frames;
    for (let d = 0; d <= this.depth; d++) {
      if (!this.host.loop() && start + d >= frames) return;
      const g = (start + d) % frames;
      if (d === 0 && shown) continue;
      if (this.queue.has(g) || this.skipped.has(g)) continue;
      const segment = this.source.segmentOf(g);
      // Frames are decoded in playing order: nothing beyond a segment that has not arrived.
      if (!segment) {
        this.source.want(g);
        return;
      }
      const detail = this.chooseDetail(segment, g, start + d);
      if (detail === undefined) {
        this.skipped.add(g);
        continue;
      }
      this.inflight = this.decode(segment, g, detail);
      return;
    }
  }

  /** Waits for a decode in flight, then frees what the decoder loaded. */
  async close(): Promise<void> {
    this.queue.clear();
    await this.inflight?.catch(() => undefined);
    this.decoder.release();
  }

  /** Frames from `from` forward to `to` in playing order (wrapping when looping); Infinity if never. */
  private distance(from: number, to: number): number {
    if (to >= from) return to - from;
    return this.host.loop() ? to - from + this.source.frames : Infinity;
  }

  /**
   * Full detail if it is ready before the frame is due and within the MAC budget; else the
   * coarser pass if that is ready before the frame is due, or at least before its display
   * window ends (shown late); else none (dropped). `at`: the frame's place on the clock.
   */
  private chooseDetail(segment: VideoSegment, frame: number, at: number): Detail | undefined {
    const { timed, held } = this.host.timing();
    // Nothing is due while paused, and the clock waits for a held frame: full detail.
    if (!timed || (held && at === this.host.due().frame)) return 'full';
    const [dueIn, windowEnd] = this.host.window(at);
    // Unmeasured is optimistic: a detail tried is measured, so the player learns what fits. (A
    // calibration's estimate could rule full detail out before it was ever measured here.)
    const full = this.decodeMs.full ?? 0;
    const coarse = this.decodeMs.coarse ?? 0;
    // 'auto' compares measured ms with the time left: the same as throughput x time left in MACs.
    if ((this.budget === undefined || this.decoder.cost(segment, frame, 'full') <= this.budget) && full <= dueIn) return 'full';
    return coarse <= dueIn || coarse <= windowEnd ? 'coarse' : undefined;
  }

  private async decode(segment: VideoSegment, frame: number, detail: Detail): Promise<void> {
    try {
      const decoded = await this.decoder.decode(segment, frame, detail);
      if (this.host.stopped()) return;
      this.host.decoded(decoded);
      this.measure(decoded);
      if (this.distance(this.host.due().frame, frame) <= this.depth) this.queue.set(frame, decoded);
    } catch (error) {
      this.host.fail(error);
    } finally {
      this.inflight = undefined;
    }
    if (!this.host.stopped()) {
      this.pump();
      this.host.wake();
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
}
