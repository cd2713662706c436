/**
 * Decodes one video frame at full detail on the decode engine, or as a coarser pass (the exact
 * centre-value preview one level up, docs/MODEL.md) with the plain-TypeScript shared
 * evaluator, and knows each one's MAC cost first. The coarser pass is one value per
 * last-level block (1,200 for 320x180 with last bases 6 x 8): a few ms on the CPU, while a
 * GPU round trip costs 10 to 20 ms whatever the size on a software GPU, so the pass meant to
 * catch up stays cheap on every backend. Frames of a segment share one engine model, so the
 * engine's activation cache reuses the coarse levels that neighbouring frames share (their
 * coarse time digits are equal).
 */
import { regionCost } from '../model/cost.js';
import { type PreviewModel, previewModel, previewRegion } from '../model/preview.js';
import { decodeShared } from '../model/shared.js';
import { levelCount } from '../model/spec.js';
import type { Region } from '../model/types.js';
import { frameRegion } from '../render/canvas.js';
import { toRgba8 } from '../render/rgba.js';
import { expandBlocks } from './expand.js';
import type { FullFrameSource } from './frame-source.js';
import type { VideoSegment } from './source.js';

export type Detail = 'full' | 'coarse';

export interface DecodedFrame {
  /** Frame index in the whole clip. */
  frame: number;
  detail: Detail;
  image: ImageData;
  macs: number;
  /** Wall time the decode took. */
  ms: number;
}

export class FrameDecoder {
  private readonly frames: FullFrameSource;
  private readonly outputRange: readonly [number, number];
  /** Each segment's coarser-pass model, once made; undefined for a one-level model. */
  private readonly previews = new Map<number, PreviewModel | undefined>();

  constructor(frames: FullFrameSource, outputRange: readonly [number, number]) {
    this.frames = frames;
    this.outputRange = outputRange;
  }

  /** MACs a frame costs at a detail; a one-level model has no coarser pass and costs its full price. */
  cost(segment: VideoSegment, frame: number, detail: Detail): number {
    const { full, preview } = this.plan(segment, frame, detail);
    return preview ? regionCost(preview.model.spec, previewRegion(preview, full)).macs : regionCost(segment.model.spec, full).macs;
  }

  async decode(segment: VideoSegment, frame: number, detail: Detail): Promise<DecodedFrame> {
    const { full, preview } = this.plan(segment, frame, detail);
    const [height, width] = full.size.slice(1) as [number, number];
    const macs = this.cost(segment, frame, detail);
    const start = performance.now();
    let image: ImageData;
    if (preview) {
      const blocks = previewRegion(preview, full);
      const rgba = toRgba8(decodeShared(preview.model, blocks), preview.model.spec.channels, this.outputRange);
      image = expandBlocks(rgba, blocks.size[1]!, blocks.size[2]!, preview.blockSize[1]!, preview.blockSize[2]!, height, width);
    } else {
      image = new ImageData(new Uint8ClampedArray(await this.frames.decode(segment, full)), width, height);
    }
    return { frame, detail: preview ? 'coarse' : 'full', image, macs, ms: performance.now() - start };
  }

  /** Frees what every segment holds in the frame source (weights, cached activations). */
  async release(): Promise<void> {
    const segments = [...this.previews.keys()];
    this.previews.clear();
    await Promise.all(segments.map((k) => this.frames.release(k)));
  }

  private plan(segment: VideoSegment, frame: number, detail: Detail): { full: Region; preview: PreviewModel | undefined } {
    const full = frameRegion(segment.model.spec, frame - segment.frameStart);
    if (!this.previews.has(segment.index)) {
      const levels = levelCount(segment.model.spec);
      this.previews.set(segment.index, levels < 2 ? undefined : previewModel(segment.model, levels - 2));
    }
    return { full, preview: detail === 'full' ? undefined : this.previews.get(segment.index) };
  }
}
