import type { BackendName } from '../backend/types.js';
import { decodeShared } from '../model/shared.js';
import type { AsmrModel, Region } from '../model/types.js';
import { yieldToEventLoop } from '../util/yield.js';
import { toRgba8 } from './rgba.js';

/** A decoded tile and how long its decoder was busy with it. */
export interface DecodedRgba {
  /** RGBA8, [samples, 4]. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /**
   * ms the decoder spent on this tile alone (not queueing or messaging): throughput is
   * measured from this, so that the latency of a round trip to a worker does not read as
   * slow decoding.
   */
  busyMs: number;
}

/** Where a source decodes, with which backend, and why there. */
export interface SourceDecoding {
  where: 'workers' | 'main-thread';
  backend: BackendName;
  device: string;
  reason: string;
}

/**
 * Where tiles come from: anything that loads a model and decodes regions of it to RGBA8. The
 * GPU decode engine (src/engine) is one; CpuTileSource, the plain-TypeScript decoder, another.
 */
export interface TileSource<H = unknown> {
  /** Tiles it decodes at once (workers in a pool); 1 when absent. */
  readonly parallelism?: number;
  /** Whether it decodes off this thread (workers): then the scheduler keeps two frames' tiles in flight. */
  readonly offThread?: boolean;
  /**
   * MAC per ms an 'auto' budget starts from with this source before it has measured any, where
   * its decoder is faster than the render's guess for its thread.
   */
  readonly initialMacPerMs?: number;
  /** Where and how it decodes, for a source that knows this itself (the page's kernels); the runtime reports the others. */
  readonly decoding?: SourceDecoding;
  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] }): H;
  /**
   * `model`, the preview of the loaded `base` at `level`, where the source can derive it from
   * the weights it already holds (workers: nothing more is sent). Absent: load(model) instead.
   */
  loadPreview?(base: H, level: number, model: AsmrModel): H;
  /** A region whose last two axes are (height, width). */
  decodeRgba(handle: H, region: Region): Promise<DecodedRgba>;
  release(handle: H): void;
}

export interface CpuHandle {
  model: AsmrModel;
  outputRange: readonly [number, number];
}

/** The plain-TypeScript shared decoder as a tile source (main thread or worker, no GPU). */
export class CpuTileSource implements TileSource<CpuHandle> {
  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] } = {}): CpuHandle {
    return { model, outputRange: opts.outputRange ?? [0, 1] };
  }

  async decodeRgba(handle: CpuHandle, region: Region): Promise<DecodedRgba> {
    // A frame's tiles start together; each decodes in a task of its own (this thread's decode
    // is synchronous), so a frame's work is never one long task.
    await yieldToEventLoop();
    return this.decodeNow(handle, region);
  }

  /** decodeRgba in the caller's task: for work small enough not to need one of its own. */
  decodeNow(handle: CpuHandle, region: Region): DecodedRgba {
    const start = performance.now();
    const rgba = toRgba8(decodeShared(handle.model, region), handle.model.spec.channels, handle.outputRange);
    return { rgba, busyMs: performance.now() - start };
  }

  release(): void {}
}
