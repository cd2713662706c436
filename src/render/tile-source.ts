import { decodeShared } from '../model/shared.js';
import type { AsmrModel, Region } from '../model/types.js';
import { toRgba8 } from './rgba.js';

/**
 * Where tiles come from: anything that loads a model and decodes regions of it to RGBA8. The
 * GPU decode engine (src/engine) is one; CpuTileSource, the plain-TypeScript decoder, another.
 */
export interface TileSource<H = unknown> {
  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] }): H;
  /** RGBA8 of a region whose last two axes are (height, width), [samples, 4]. */
  decodeRgba(handle: H, region: Region): Promise<Uint8ClampedArray<ArrayBuffer>>;
  release(handle: H): void;
}

interface CpuHandle {
  model: AsmrModel;
  outputRange: readonly [number, number];
}

/** The plain-TypeScript shared decoder as a tile source (main thread or worker, no GPU). */
export class CpuTileSource implements TileSource<CpuHandle> {
  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] } = {}): CpuHandle {
    return { model, outputRange: opts.outputRange ?? [0, 1] };
  }

  async decodeRgba(handle: CpuHandle, region: Region): Promise<Uint8ClampedArray<ArrayBuffer>> {
    return toRgba8(decodeShared(handle.model, region), handle.model.spec.channels, handle.outputRange);
  }

  release(): void {}
}
