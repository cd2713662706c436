/**
 * The benchmark page (served by scripts/bench-decode.ts, run in headless Chromium): this
 * machine's WebAssembly SIMD multiply-add peak (the floor), per backend the fused engine
 * against the plain tfjs-ops decoder of the same model, then `auto`, and with
 * ?memory=1 the 8192 x 8192 tile-by-tile decode with its peak tensor memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_ORDER, type BackendName } from '../../src/backend/types.js';
import { createEngine, type DecodeEngine, type EngineModel } from '../../src/engine/index.js';
import { modelCost } from '../../src/model/cost.js';
import { randomModel } from '../../src/model/random.js';
import type { AsmrModel, AsmrSpec } from '../../src/model/types.js';
import { KODAK } from '../lib/bench-models.js';
import { simdPeak } from './peak.js';
import { decodeTfjsOps, uploadTfjsOps, useTfjsBackend } from './tfjs-ops.js';

/** 8192 x 8192, 6 levels, 128 wide, bases 4,4,4,4,4,8 per axis. */
const BIG: AsmrSpec = {
  shape: [8192, 8192],
  bases: [
    [4, 4, 4, 4, 4, 8],
    [4, 4, 4, 4, 4, 8],
  ],
  channels: 3,
  widths: [128, 128, 128, 128, 128],
  omegas: [30, 30, 30, 30, 30],
  modScales: [30, 30, 30, 30, 30],
};

export interface Run {
  backend: BackendName;
  model: string;
  engine: 'fused' | 'tfjs-ops';
  msPerDecode: number;
  mpixPerSec: number;
  macPerPx: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Median ms of each of several decoders, timed alternately (A B A B ...) after one untimed
 * warm-up each (shader compiles, pools), so that load from other processes on a small machine
 * falls on all of them alike.
 */
async function interleaved(reps: number, decoders: (() => Promise<unknown>)[]): Promise<number[]> {
  for (const f of decoders) await f();
  const ms = decoders.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    for (const [i, f] of decoders.entries()) {
      const t0 = performance.now();
      await f();
      ms[i]!.push(performance.now() - t0);
    }
  }
  return ms.map(median);
}

function run(backend: BackendName, model: AsmrModel, name: string, engine: Run['engine'], ms: number): Run {
  const pixels = model.spec.shape.reduce((n, s) => n * s, 1);
  console.log(`${backend} ${engine}: ${ms.toFixed(1)} ms`);
  return { backend, model: name, engine, msPerDecode: ms, mpixPerSec: pixels / 1e6 / (ms / 1000), macPerPx: modelCost(model.spec).macPerPx };
}

/** A full fused decode that starts from an empty activation cache: the whole cost, as tfjs-ops pays it. */
function coldDecode(engine: DecodeEngine, h: EngineModel): () => Promise<unknown> {
  return () => {
    engine.clearCache();
    return engine.decodeRgba(h);
  };
}

async function speed(reps: Record<BackendName, number>): Promise<{ runs: Run[]; skipped: string[]; auto: Record<string, unknown> }> {
  const model = randomModel(KODAK, 1);
  const name = '768x512 L4 w256';
  const runs: Run[] = [];
  const skipped: string[] = [];
  for (const backend of BACKEND_ORDER) {
    let engine: DecodeEngine;
    try {
      engine = await createEngine({ backend });
    } catch (e) {
      skipped.push(`${backend}: ${(e as Error).message}`);
      continue;
    }
    const h = engine.load(model);
    await useTfjsBackend(backend);
    const ops = uploadTfjsOps(model);
    const [fusedMs, opsMs] = await interleaved(reps[backend], [coldDecode(engine, h), () => decodeTfjsOps(ops)]);
    ops.dispose();
    engine.dispose();
    runs.push(run(backend, model, name, 'fused', fusedMs!), run(backend, model, name, 'tfjs-ops', opsMs!));
  }
  // auto against the fastest forced backend, timed alternately in the same stretch.
  const fastest = runs.filter((r) => r.engine === 'fused').reduce((a, b) => (b.msPerDecode < a.msPerDecode ? b : a));
  const auto = await createEngine({});
  const forced = await createEngine({ backend: fastest.backend });
  const [autoMs, fastestMs] = await interleaved(3, [coldDecode(auto, auto.load(model)), coldDecode(forced, forced.load(model))]);
  const report = auto.report;
  auto.dispose();
  forced.dispose();
  return {
    runs,
    skipped,
    auto: {
      backend: report.backend,
      reason: report.reason,
      calibration: report.calibration,
      msPerDecode: autoMs,
      fastestBackend: fastest.backend,
      fastestMs,
      slowerThanFastestPct: (autoMs! / fastestMs! - 1) * 100,
    },
  };
}

/**
 * The 8192^2 model tile by tile on `backend`: time, the peak of tfjs's tensor bytes (GPU
 * backends) and of the activation cache's bytes (all backends: the CPU decoders hold their
 * activations there as arrays, not tensors).
 */
async function memory(backend: BackendName): Promise<Record<string, unknown>> {
  const engine = await createEngine({ backend });
  const model = randomModel(BIG, 3);
  const h = engine.load(model);
  let tiles = 0;
  let checksum = 0;
  let gpuAllocated = 0;
  let cacheBytes = 0;
  const t0 = performance.now();
  const profile = await tf.profile(async () => {
    for await (const tile of engine.tiles(h)) {
      tiles++;
      checksum += tile.rgba[0]! + tile.rgba[tile.rgba.length - 2]!;
      gpuAllocated = Math.max(gpuAllocated, (tf.memory() as { numBytesInGPUAllocated?: number }).numBytesInGPUAllocated ?? 0);
      cacheBytes = Math.max(cacheBytes, engine.cacheStats.bytes);
    }
  });
  const ms = performance.now() - t0;
  engine.release(h);
  engine.dispose();
  return {
    backend,
    model: '8192x8192 L6 w128',
    tiles,
    seconds: ms / 1000,
    peakTensorMB: profile.peakBytes / 2 ** 20,
    peakCacheMB: cacheBytes / 2 ** 20,
    gpuTexturePoolMB: gpuAllocated / 2 ** 20,
    checksum,
  };
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const result: Record<string, unknown> = { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
  if (params.get('speed') !== '0') {
    const peak = simdPeak();
    const frameMacs = modelCost(KODAK).macPerPx * KODAK.shape[0]! * KODAK.shape[1]!;
    Object.assign(result, { peakGmacPerS: peak.gmacPerS, peakRelaxed: peak.relaxed, frameMacs, floorMs: frameMacs / (peak.gmacPerS * 1e6) });
    Object.assign(result, await speed({ webgpu: 1, webgl: 3, wasm: 5, cpu: 1 }));
  }
  if (params.get('memory') === '1') result.memory = [await memory('wasm'), await memory('webgl')];
  (window as unknown as { benchResult: unknown }).benchResult = result;
}

main().catch((e: unknown) => {
  (window as unknown as { benchResult: unknown }).benchResult = { error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
});
