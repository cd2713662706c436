/** Shared by the video tests: a small seeded segmented clip, its oracle frames, tile sources, waiting on events. */
import type { BackendName } from '../../../src/backend/types.js';
import type { DecodeEngine } from '../../../src/engine/index.js';
import { encodeInrSegments } from '../../../src/format/asmr-codec.js';
import { decodeShared } from '../../../src/model/shared.js';
import { previewModel, previewRegion } from '../../../src/model/preview.js';
import { levelCount } from '../../../src/model/spec.js';
import { randomModel } from '../../../src/model/random.js';
import type { AsmrModel, AsmrSpec } from '../../../src/model/types.js';
import { frameRegion } from '../../../src/render/canvas.js';
import { EngineTileSource } from '../../../src/render/engine-source.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import type { Detail } from '../../../src/video/frame-decoder.js';
import type { VideoPlayer } from '../../../src/video/player.js';
import { engineOrSkip } from '../engine/helpers.js';

/**
 * An engine forced onto `backend` and this thread's tile source over it; skips the test, saying
 * why, when that backend does not start here.
 */
export async function tilesOn(ctx: Mocha.Context, backend: BackendName): Promise<{ engine: DecodeEngine; tiles: EngineTileSource }> {
  const engine = await engineOrSkip(ctx, backend);
  return { engine, tiles: new EngineTileSource(() => Promise.resolve(engine)) };
}

/** Block values (one RGBA8 per block) painted over a `width` x `height` frame: each pixel takes its block's. */
function expandBlocks(
  blocks: Uint8ClampedArray,
  blocksWide: number,
  blockHeight: number,
  blockWidth: number,
  height: number,
  width: number,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const b = (Math.floor(y / blockHeight) * blocksWide + Math.floor(x / blockWidth)) * 4;
      out.set(blocks.subarray(b, b + 4), (y * width + x) * 4);
    }
  }
  return out;
}

/** Two segments of 8 frames, 24 x 32, 3 levels, 16 wide: time digits shared by 4 and 2 frames. */
export function smallClip(fps = 30): { models: AsmrModel[]; bytes: Uint8Array } {
  const spec: AsmrSpec = {
    shape: [8, 24, 32],
    bases: [
      [2, 2, 2],
      [2, 3, 4],
      [2, 4, 4],
    ],
    channels: 3,
    widths: [16, 16],
    omegas: [30, 30],
    modScales: [30, 30],
  };
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
      return expandBlocks(rgba, blocks.size[2]!, preview.blockSize[1]!, preview.blockSize[2]!, region.size[1]!, region.size[2]!);
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

/** Resolves when the next event of that type fires, or rejects after `ms` (details: a typed listener of the emitter's own). */
export function nextEvent(target: EventTarget, type: string, ms = 30000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${type}' event within ${ms} ms`)), ms);
    target.addEventListener(
      type,
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Seeks to `frame` and resolves once it is on the canvas; rejects with the player's error. */
export function seekTo(player: VideoPlayer, frame: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    player.addEventListener('seeked', () => resolve(), { once: true });
    player.addEventListener('error', (e) => reject(e.detail.error), { once: true });
    player.currentTime = (frame + 0.5) / player.fps;
  });
}
