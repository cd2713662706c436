/**
 * A video model as it streams in: the header first (size, frame rate, segments), then each
 * time segment as soon as all of its tensors have arrived, so playback can start on segment 0
 * while later segments are still on the wire (docs/VIDEO.md).
 */
import { InrFormatError } from '../util/errors.js';
import { modelFromInr, specFromHeader } from '../format/asmr-codec.js';
import { expectedTensors } from '../format/tensor-table.js';
import type { InrFile, InrHeader, InrVersion } from '../format/types.js';
import type { InrEvent } from '../format/parser.js';
import type { AsmrModel } from '../model/types.js';
import { TypedEventTarget } from '../util/events.js';

export interface VideoSegment {
  index: number;
  /** First frame of the whole clip that this segment holds. */
  frameStart: number;
  frameCount: number;
  /** The segment's own model over [frameCount, H, W]. */
  model: AsmrModel;
}

/** A VideoSource's events. */
export interface VideoSourceEventMap {
  /** A segment's tensors have all arrived and been verified. */
  segment: CustomEvent<VideoSegment>;
  /** Every segment has arrived. */
  loaded: Event;
  /** Playback needs segment `detail` first (a range reader honours it). */
  want: CustomEvent<number>;
  /** The stream stopped before every segment arrived: why. */
  error: CustomEvent<unknown>;
}

/** Frame rate assumed when a header gives none. */
const DEFAULT_FPS = 30;

/** The segments a header announces: a file without `segments` is one segment over every frame. */
function segmentLayout(header: InrHeader): { frameStart: number; frameCount: number; names: Set<string> }[] {
  const list = header.segments ?? [{ frameStart: 0, frameCount: header.shape[0]!, prefix: '' }];
  return list.map((s, k) => ({
    frameStart: s.frameStart,
    frameCount: s.frameCount,
    names: new Set(expectedTensors(specFromHeader(header, header.segments ? k : undefined), s.prefix).map((t) => t.name)),
  }));
}

/** Checks that a header describes a video this player can show. */
function checkVideoHeader(header: InrHeader): void {
  if (header.shape.length !== 3) {
    throw new InrFormatError('not-video', `a video needs 3 axes [T, H, W]; this ${header.kind} has ${header.shape.length}`, 'header.shape');
  }
}

/**
 * Collects parser events (from a progressive fetch or range reads) into segments. Segment
 * models share the parser's arrays; nothing is copied.
 */
export class VideoSource extends TypedEventTarget<VideoSourceEventMap> {
  readonly header: InrHeader;
  readonly fps: number;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  private readonly version: InrVersion;
  private readonly tensors = new Map<string, Float32Array>();
  private readonly layout: ReturnType<typeof segmentLayout>;
  private readonly ready: (VideoSegment | undefined)[];
  private failure: unknown;
  private complete = false;
  /** The last segment asked for, so a stall asks once, not every display frame. */
  private wanted = -1;

  /** How the bytes come: one progressive read, or a range read per segment. */
  readonly transport: 'stream' | 'range';

  constructor(version: InrVersion, header: InrHeader, transport: 'stream' | 'range' = 'stream') {
    super();
    this.transport = transport;
    checkVideoHeader(header);
    this.version = version;
    this.header = header;
    this.fps = header.fps ?? DEFAULT_FPS;
    [this.frames, this.height, this.width] = header.shape as [number, number, number];
    this.layout = segmentLayout(header);
    this.ready = this.layout.map(() => undefined);
  }

  get segmentCount(): number {
    return this.layout.length;
  }

  /** Seconds of video. */
  get duration(): number {
    return this.frames / this.fps;
  }

  /** Whether every segment has arrived. */
  get loaded(): boolean {
    return this.complete;
  }

  /** Why the stream stopped early, if it did. */
  get error(): unknown {
    return this.failure;
  }

  /** Index of the segment holding `frame`. */
  segmentIndexOf(frame: number): number {
    const k = this.layout.findIndex((s) => frame >= s.frameStart && frame < s.frameStart + s.frameCount);
    if (k < 0) throw new RangeError(`frame ${frame} is outside 0..${this.frames - 1}`);
    return k;
  }

  /** The segment holding `frame`, or undefined while it has not arrived. */
  segmentOf(frame: number): VideoSegment | undefined {
    return this.ready[this.segmentIndexOf(frame)];
  }

  /** Asks for the segment holding `frame` before the others (a range reader honours it). */
  want(frame: number): void {
    const k = this.segmentIndexOf(frame);
    if (this.ready[k] || k === this.wanted) return;
    this.wanted = k;
    this.emit('want', k);
  }

  /** Byte span of segment k's tensors, relative to the data start (for range reads). */
  segmentSpan(k: number): { start: number; end: number } {
    const names = this.layout[k]!.names;
    const entries = this.header.tensors.filter((t) => names.has(t.name));
    return { start: Math.min(...entries.map((t) => t.offset)), end: Math.max(...entries.map((t) => t.offset + t.length)) };
  }

  /** Feeds one verified tensor event; announces every segment it completes. */
  add(event: InrEvent): void {
    if (event.type !== 'tensor') return;
    this.tensors.set(event.entry.name, event.values);
    this.layout.forEach((s, k) => {
      if (this.ready[k] || !s.names.has(event.entry.name) || ![...s.names].every((n) => this.tensors.has(n))) return;
      const file: InrFile = { version: this.version, header: this.header, tensors: this.tensors, byteLength: 0 };
      const segment = { index: k, frameStart: s.frameStart, frameCount: s.frameCount, model: modelFromInr(file, this.header.segments ? k : undefined) };
      this.ready[k] = segment;
      this.complete = this.ready.every((r) => r !== undefined);
      this.emit('segment', segment);
      if (this.complete) this.emit('loaded');
    });
  }

  /** Records that no more bytes will come: `error` is why, if the file was not complete. */
  end(error?: unknown): void {
    if (error !== undefined && !this.complete && this.failure === undefined) {
      this.failure = error;
      this.emit('error', error);
    }
  }
}
