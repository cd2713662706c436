/**
 * Decodes one video frame on the decode engine, at full detail or as a coarser pass (the exact
 * centre-value preview one level up, docs/MODEL.md), and knows each one's MAC cost first.
 * Frames of a segment share one engine model, so the engine's activation cache reuses the
 * coarse levels that neighbouring frames share (their coarse time digits are equal).
 */
import type { DecodeEngine, EngineModel } from '../engine/index.js';
import { regionCost } from '../model/cost.js';
import { type PreviewModel, previewModel, previewRegion } from '../model/preview.js';
import { levelCount } from '../model/spec.js';
import type { Region } from '../model/types.js';
import { frameRegion } from '../render/canvas.js';
import { expandBlocks } from './expand.js';
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

interface Loaded {
  full: EngineModel;
  preview: PreviewModel | undefined;
  coarse: EngineModel | undefined;
}

export class FrameDecoder {
  private readonly engine: DecodeEngine;
  private readonly outputRange: readonly [number, number];
  private readonly loaded = new Map<number, Loaded>();

  constructor(engine: DecodeEngine, outputRange: readonly [number, number]) {
    this.engine = engine;
    this.outputRange = outputRange;
  }

  /** MACs a frame costs at a detail; a one-level model has no coarser pass and costs its full price. */
  cost(segment: VideoSegment, frame: number, detail: Detail): number {
    const { full, preview } = this.plan(segment, frame, detail);
    return preview ? regionCost(preview.model.spec, previewRegion(preview, full)).macs : regionCost(segment.model.spec, full).macs;
  }

  async decode(segment: VideoSegment, frame: number, detail: Detail): Promise<DecodedFrame> {
    const { full, preview } = this.plan(segment, frame, detail);
    const loaded = this.load(segment);
    const [height, width] = full.size.slice(1) as [number, number];
    const macs = this.cost(segment, frame, detail);
    const start = performance.now();
    let image: ImageData;
    if (preview) {
      loaded.coarse ??= this.engine.load(preview.model, { outputRange: this.outputRange });
      const blocks = previewRegion(preview, full);
      const rgba = await this.engine.decodeRgba(loaded.coarse, blocks);
      image = expandBlocks(rgba, blocks.size[1]!, blocks.size[2]!, preview.blockSize[1]!, preview.blockSize[2]!, height, width);
    } else {
      image = new ImageData(await this.engine.decodeRgba(loaded.full, full), width, height);
    }
    return { frame, detail: preview ? 'coarse' : 'full', image, macs, ms: performance.now() - start };
  }

  /** Frees a segment's engine models (weights and cached activations). */
  releaseSegment(index: number): void {
    const l = this.loaded.get(index);
    if (!l) return;
    this.engine.release(l.full);
    if (l.coarse) this.engine.release(l.coarse);
    this.loaded.delete(index);
  }

  release(): void {
    for (const k of [...this.loaded.keys()]) this.releaseSegment(k);
  }

  private plan(segment: VideoSegment, frame: number, detail: Detail): { full: Region; preview: PreviewModel | undefined } {
    const full = frameRegion(segment.model.spec, frame - segment.frameStart);
    return { full, preview: detail === 'full' ? undefined : this.load(segment).preview };
  }

  private load(segment: VideoSegment): Loaded {
    let l = this.loaded.get(segment.index);
    if (!l) {
      const levels = levelCount(segment.model.spec);
      l = {
        full: this.engine.load(segment.model, { outputRange: this.outputRange }),
        preview: levels < 2 ? undefined : previewModel(segment.model, levels - 2),
        coarse: undefined,
      };
      this.loaded.set(segment.index, l);
    }
    return l;
  }
}
