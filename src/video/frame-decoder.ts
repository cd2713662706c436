/**
 * Decodes one video frame at full detail from the runtime's tile source (decode workers, or
 * this thread's engine), or as a coarser pass (the exact centre-value preview one level up,
 * docs/MODEL.md) on this thread with the plain-TypeScript decoder, and knows each one's MAC
 * cost first. A frame is one tile: the whole frame region, drawn by the TileDrawer like any
 * other tile (a coarse one as blocks scaled up by the drawer). The coarser pass is one value
 * per last-level block (1,200 for 320x180 with last bases 6 x 8): a few ms on the CPU, while a
 * GPU round trip costs 10 to 20 ms whatever the size on a software GPU, so the pass meant to
 * catch up stays cheap on every backend. Frames of a segment share one model in the source,
 * so the engine's activation cache reuses the coarse levels that neighbouring frames share
 * (their coarse time digits are equal).
 */
import { regionCost } from '../model/cost.js';
import { type PreviewModel, previewModel, previewRegion } from '../model/preview.js';
import { levelCount } from '../model/spec.js';
import type { Region } from '../model/types.js';
import { frameRegion } from '../render/canvas.js';
import { CpuTileSource, type TileSource } from '../render/tile-source.js';
import type { VideoSegment } from './source.js';

export type Detail = 'full' | 'coarse';

/** A decoded frame, ready for `TileDrawer.draw`. */
export interface DecodedFrame {
  /** Frame index in the whole clip. */
  frame: number;
  detail: Detail;
  /** RGBA8 samples, `width` x `height`; one per block of `blockSize` pixels for a coarse frame. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  /** Pixels per sample, [y, x]: [1, 1] at full detail. */
  blockSize: [number, number];
  macs: number;
  /** Wall time from asking to having the pixels here (queueing and messaging included). */
  ms: number;
}

interface SegmentHandles {
  /** The segment's model in the tile source. */
  full: unknown;
  /** The coarser pass's model and its handle in the CPU source; undefined for a one-level model. */
  preview: { model: PreviewModel; handle: CpuHandle } | undefined;
}

type CpuHandle = ReturnType<CpuTileSource['load']>;

export class FrameDecoder {
  private readonly quick: TileSource<CpuHandle> = new CpuTileSource();
  private readonly segments = new Map<number, SegmentHandles>();

  constructor(
    private readonly tiles: TileSource,
    private readonly outputRange: readonly [number, number],
  ) {}

  /** MACs a frame costs at a detail; a one-level model has no coarser pass and costs its full price. */
  cost(segment: VideoSegment, frame: number, detail: Detail): number {
    const full = frameRegion(segment.model.spec, frame - segment.frameStart);
    const preview = detail === 'coarse' ? this.handles(segment).preview : undefined;
    return preview ? regionCost(preview.model.model.spec, previewRegion(preview.model, full)).macs : regionCost(segment.model.spec, full).macs;
  }

  async decode(segment: VideoSegment, frame: number, detail: Detail): Promise<DecodedFrame> {
    const full = frameRegion(segment.model.spec, frame - segment.frameStart);
    const handles = this.handles(segment);
    const preview = detail === 'coarse' ? handles.preview : undefined;
    const macs = this.cost(segment, frame, detail);
    const start = performance.now();
    const region: Region = preview ? previewRegion(preview.model, full) : full;
    const { rgba } = preview ? await this.quick.decodeRgba(preview.handle, region) : await this.tiles.decodeRgba(handles.full, region);
    const [height, width] = region.size.slice(-2) as [number, number];
    const blockSize = (preview ? preview.model.blockSize.slice(-2) : [1, 1]) as [number, number];
    return { frame, detail: preview ? 'coarse' : 'full', rgba, width, height, blockSize, macs, ms: performance.now() - start };
  }

  /** Frees what every segment holds in the tile source (weights, cached activations). */
  release(): void {
    for (const { full, preview } of this.segments.values()) {
      this.tiles.release(full);
      if (preview) this.quick.release(preview.handle);
    }
    this.segments.clear();
  }

  /** A segment's models, loaded on its first frame. */
  private handles(segment: VideoSegment): SegmentHandles {
    let h = this.segments.get(segment.index);
    if (!h) {
      const opts = { outputRange: this.outputRange };
      const levels = levelCount(segment.model.spec);
      const model = levels < 2 ? undefined : previewModel(segment.model, levels - 2);
      h = { full: this.tiles.load(segment.model, opts), preview: model && { model, handle: this.quick.load(model.model, opts) } };
      this.segments.set(segment.index, h);
    }
    return h;
  }
}
