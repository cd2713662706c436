/**
 * Where full-detail frames are decoded: the main thread's decode engine, or a decode worker
 * (its own engine and backend). A worker keeps a GPU readback, which can hold the thread it
 * runs on for the whole decode on a software GPU, off the thread that presents frames.
 */
import type { DecodeEngine, EngineModel } from '../engine/index.js';
import { encodeInr } from '../format/asmr-codec.js';
import type { Region } from '../model/types.js';
import type { DecodeWorker } from '../workers/client.js';
import type { VideoSegment } from './source.js';

export interface FullFrameSource {
  /** RGBA8 of a region of a segment's model. */
  decode(segment: VideoSegment, region: Region): Promise<Uint8ClampedArray>;
  /** Frees what decoding a segment holds (weights, cached activations). */
  release(segmentIndex: number): Promise<void>;
}

export class EngineFrames implements FullFrameSource {
  private readonly models = new Map<number, EngineModel>();

  constructor(
    private readonly engine: DecodeEngine,
    private readonly outputRange: readonly [number, number],
  ) {}

  decode(segment: VideoSegment, region: Region): Promise<Uint8ClampedArray> {
    let m = this.models.get(segment.index);
    if (!m) {
      m = this.engine.load(segment.model, { outputRange: this.outputRange });
      this.models.set(segment.index, m);
    }
    return this.engine.decodeRgba(m, region);
  }

  async release(segmentIndex: number): Promise<void> {
    const m = this.models.get(segmentIndex);
    this.models.delete(segmentIndex);
    if (m) this.engine.release(m);
  }
}

export class WorkerFrames implements FullFrameSource {
  private readonly handles = new Map<number, Promise<number>>();

  constructor(
    private readonly worker: DecodeWorker,
    private readonly outputRange: [number, number],
  ) {}

  async decode(segment: VideoSegment, region: Region): Promise<Uint8ClampedArray> {
    let id = this.handles.get(segment.index);
    if (!id) {
      // The worker takes models as .inr bytes: each segment goes once, as a model of its own.
      id = this.worker.load(encodeInr(segment.model, { outputRange: this.outputRange }));
      this.handles.set(segment.index, id);
    }
    return (await this.worker.decode(await id, region)).rgba;
  }

  async release(segmentIndex: number): Promise<void> {
    const id = this.handles.get(segmentIndex);
    this.handles.delete(segmentIndex);
    if (id) await this.worker.release(await id.catch(() => -1)).catch(() => undefined);
  }
}
