/** Shared by the video tests: a small seeded segmented clip, its oracle frames, waiting on events. */
import { encodeInrSegments } from '../../src/format/asmr-codec.js';
import { decodeShared } from '../../src/model/shared.js';
import { previewModel, previewRegion } from '../../src/model/preview.js';
import { levelCount } from '../../src/model/spec.js';
import { randomModel } from '../../src/model/random.js';
import type { AsmrModel, AsmrSpec } from '../../src/model/types.js';
import { frameRegion } from '../../src/render/canvas.js';
import { toRgba8 } from '../../src/render/rgba.js';
import { expandBlocks } from '../../src/video/expand.js';
import type { Detail } from '../../src/video/frame-decoder.js';

/** Two segments of 8 frames, 24 x 32, 3 levels, 16 wide: time digits shared by 4 and 2 frames. */
export function smallClip(fps = 30): { models: AsmrModel[]; bytes: Uint8Array } {
  const spec: AsmrSpec = { shape: [8, 24, 32], bases: [[2, 2, 2], [2, 3, 4], [2, 4, 4]], channels: 3, widths: [16, 16], omegas: [30, 30], modScales: [30, 30] };
  const models = [randomModel(spec, 11), randomModel(spec, 12)];
  return { models, bytes: encodeInrSegments(models, { fps }) };
}

/** The oracle's RGBA8 for frame `frame` of a clip cut into `models` in order, at a detail. */
export function oracleFrame(models: AsmrModel[], frame: number, detail: Detail): Uint8ClampedArray {
  let start = 0;
  for (const model of models) {
    const count = model.spec.shape[0]!;
    if (frame < start + count) {
      const region = frameRegion(model.spec, frame - start);
      if (detail === 'full') return toRgba8(decodeShared(model, region), model.spec.channels);
      const preview = previewModel(model, levelCount(model.spec) - 2);
      const blocks = previewRegion(preview, region);
      const rgba = toRgba8(decodeShared(preview.model, blocks), model.spec.channels);
      return expandBlocks(rgba, blocks.size[1]!, blocks.size[2]!, preview.blockSize[1]!, preview.blockSize[2]!, region.size[1]!, region.size[2]!).data;
    }
    start += count;
  }
  throw new RangeError(`frame ${frame} is past the clip`);
}

/** Largest per-byte difference. */
export function maxByteDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Resolves with the next event of that type, or rejects after `ms`. */
export function nextEvent<T = unknown>(target: EventTarget, type: string, ms = 30000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${type}' event within ${ms} ms`)), ms);
    target.addEventListener(
      type,
      (e) => {
        clearTimeout(timer);
        resolve((e as CustomEvent<T>).detail);
      },
      { once: true },
    );
  });
}
