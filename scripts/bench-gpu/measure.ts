/**
 * One configuration through the engine on WebGPU: frame times with the engine's readback (what a
 * caller gets today), the same decodes' GPU kernel time without it, and a parity check of the
 * timed frames against the plain-TypeScript decoder, so that a wrong answer cannot pass as fast.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES, createEngine, type DecodeEngine, type EngineModel } from '../../src/engine/index.js';
import { GpuTileDecoder } from '../../src/engine/gpu-decoder.js';
import { prepareModel } from '../../src/engine/prepared.js';
import type { ModelEntry } from '../../src/engine/tile-decoder.js';
import { modelCost } from '../../src/model/cost.js';
import { axisStrides, fullRegion } from '../../src/model/digits.js';
import { randomModel } from '../../src/model/random.js';
import { decodeShared } from '../../src/model/shared.js';
import type { AsmrModel, Region } from '../../src/model/types.js';
import { toRgba8 } from '../../src/render/rgba.js';
import { planTiles } from '../../src/tiles/tiler.js';
import type { GpuConfig } from './configs.js';
import { RGBA_TOLERANCE, VALUE_TOLERANCE, type ConfigResult } from './report.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 24 x 24 samples (less on small axes) straddling the first level-0 block corner, so tiles meet inside it. */
function parityRegion(model: AsmrModel): Region {
  const { shape } = model.spec;
  const strides = axisStrides(model.spec);
  const size = shape.map((s) => Math.min(24, s));
  const start = shape.map((s, a) => Math.min(Math.max(strides[a]![0]! - size[a]! / 2, 0), s - size[a]!));
  return { start, size };
}

/** The region's pixels out of a whole-frame RGBA8 buffer. */
function crop(rgba: Uint8ClampedArray, width: number, region: Region): Uint8ClampedArray {
  const [y0, x0] = region.start as [number, number];
  const [h, w] = region.size as [number, number];
  const out = new Uint8ClampedArray(h * w * 4);
  for (let y = 0; y < h; y++) out.set(rgba.subarray(((y0 + y) * width + x0) * 4, ((y0 + y) * width + x0 + w) * 4), y * w * 4);
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};

/**
 * Kernel time of one decode on the engine's own tile decoder: each tile's GPU work is issued
 * synchronously inside decodeTile (coarse ops, then the last-level kernel) before it awaits the
 * readback, so tfjs-webgpu's timer (tf.time) sees every kernel and none of the copy back.
 */
async function kernelMs(decoder: GpuTileDecoder, entry: ModelEntry, tiles: Region[]): Promise<number> {
  let sum = 0;
  for (const tile of tiles) {
    let pending: Promise<Float32Array> | undefined;
    const timing = await tf.time(() => {
      pending = decoder.decodeTile(entry, tile, 'display');
    });
    await pending;
    if (typeof timing.kernelMs !== 'number') throw new Error(`kernel timing failed: ${timing.kernelMs.error}`);
    sum += timing.kernelMs;
  }
  return sum;
}

async function timeDecode(engine: DecodeEngine, h: EngineModel, cold: boolean): Promise<{ ms: number; rgba: Uint8ClampedArray }> {
  if (cold) engine.clearCache();
  const t0 = performance.now();
  const rgba = await engine.decodeRgba(h);
  return { ms: performance.now() - t0, rgba };
}

/** Decodes `config` `reps` times cold and warm (alternately, after two untimed decodes), then checks parity. */
export async function measureConfig(config: GpuConfig, reps: number, timestamps: boolean): Promise<ConfigResult> {
  const maxTileSamples = config.maxTileSamples ?? DEFAULT_MAX_TILE_SAMPLES;
  const engine = await createEngine({ backend: 'webgpu', maxTileSamples });
  const model = randomModel(config.spec, 7);
  const h = engine.load(model);
  const [height, width] = config.spec.shape as [number, number];
  const first = await timeDecode(engine, h, true);
  await timeDecode(engine, h, true);
  const cold: number[] = [];
  const warm: number[] = [];
  let lastCold = first.rgba;
  let lastWarm = first.rgba;
  for (let r = 0; r < reps; r++) {
    const c = await timeDecode(engine, h, true);
    const w = await timeDecode(engine, h, false);
    cold.push(c.ms);
    warm.push(w.ms);
    lastCold = c.rgba;
    lastWarm = w.rgba;
  }
  const region = parityRegion(model);
  const expected = decodeShared(model, region);
  const maxAbsDiff = maxDiff(await engine.decodeValues(h, region), expected);
  const expectedRgba = toRgba8(expected, config.spec.channels);
  const rgbaMaxDiff = Math.max(maxDiff(crop(lastCold, width, region), expectedRgba), maxDiff(crop(lastWarm, width, region), expectedRgba));
  const tiles = planTiles(config.spec, fullRegion(config.spec), maxTileSamples).tiles;
  engine.release(h);
  engine.dispose();

  let coldKernelMs: number | null = null;
  let warmKernelMs: number | null = null;
  if (timestamps) {
    const decoder = new GpuTileDecoder('webgpu', { cacheBytes: DEFAULT_CACHE_BYTES, maxTileSamples });
    const entry: ModelEntry = { key: 'kernels', prepared: prepareModel(model), outputRange: [0, 1] };
    await decoder.activate();
    await kernelMs(decoder, entry, tiles);
    const coldK: number[] = [];
    const warmK: number[] = [];
    for (let r = 0; r < reps; r++) {
      decoder.forget();
      coldK.push(await kernelMs(decoder, entry, tiles));
      warmK.push(await kernelMs(decoder, entry, tiles));
    }
    decoder.release(entry);
    coldKernelMs = median(coldK);
    warmKernelMs = median(warmK);
  }
  return {
    name: config.name,
    width,
    height,
    macPerPx: modelCost(config.spec).macPerPx,
    tiles: tiles.length,
    firstMs: first.ms,
    coldMs: median(cold),
    warmMs: median(warm),
    coldKernelMs,
    warmKernelMs,
    maxAbsDiff,
    rgbaMaxDiff,
    parity: maxAbsDiff <= VALUE_TOLERANCE && rgbaMaxDiff <= RGBA_TOLERANCE,
  };
}
