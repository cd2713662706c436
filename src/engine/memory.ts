/**
 * The decoder's memory model (docs/ENGINE.md, "Memory budget"): what decoding a model will
 * hold, computed from its spec before anything is allocated, so that a small valid file that
 * describes enormous tables is refused with a typed error instead of growing the page by
 * gigabytes. The estimate is an upper bound of the engine's own arrays (the browser's overhead
 * is on top).
 */
import { InrModelError } from '../util/errors.js';
import { axisCount, layerShapes, levelCount } from '../model/spec.js';
import type { AsmrSpec } from '../model/types.js';

/** The engine's defaults: the activation cache's byte budget and the largest tile, in samples. */
export const DEFAULT_CACHE_BYTES = 64 << 20;
export const DEFAULT_MAX_TILE_SAMPLES = 1 << 20;

/** Default budget for one decoder (a page's engine, or each decode worker's). */
export const DEFAULT_MEMORY_BYTES = 512 * 2 ** 20;

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;
const product = (xs: number[]): number => xs.reduce((n, x) => n * x, 1);

/** Bytes of the model's weights as float32: a decoder holds them once, as it received them. */
function weightBytes(spec: AsmrSpec): number {
  const { layers, modulators } = layerShapes(spec);
  return 4 * [...layers.map(([o, i]) => o * i + o), ...modulators.map(([o, i]) => o * i)].reduce((a, b) => a + b, 0);
}

/**
 * Bytes of the prepared model (prepared.ts) beside the weights: one rearranged copy of each
 * layer (the SIMD kernels' panels, or W^T for plain JavaScript and the GPUs), padded, counted
 * twice to cover the SIMD module's scratch copy of the layer it runs.
 */
export function preparedBytes(spec: AsmrSpec): number {
  const levels = levelCount(spec);
  const d = axisCount(spec);
  let floats = 0;
  for (let i = 0; i <= levels - 2; i++) {
    const out = pad4(spec.widths[i]!);
    const fanIn = i === 0 ? d : pad4(spec.widths[i - 1]!);
    // W^T or panels and bias, twice (see above); the modulation table over the next level's
    // digit tuples and its coordinates; the last one's sin/cos too.
    const tuples = product(spec.bases.map((b) => b[i + 1]!));
    floats += 2 * (fanIn * out + out) + tuples * (out + d) + (i === levels - 2 ? 2 * tuples * out : 0);
  }
  if (levels >= 2) floats += 8 * pad4(spec.widths[levels - 2]!);
  return 4 * floats;
}

/**
 * Bytes of the largest tile's working set: its samples x 4 float32 output, the RGBA8 copy, the
 * SIMD module's copy of the output, the CPU decoders' freed buffers kept for reuse (at most one
 * tile's output, FloatPool); its parent table with the sin/cos rows, twice (cached and in the
 * module). A tile is at most `maxTileSamples`, unless one block of the last level is
 * larger (tiles never split a block).
 */
function tileBytes(spec: AsmrSpec, maxTileSamples: number): number {
  const levels = levelCount(spec);
  const total = product(spec.shape);
  const lastBlock = product(spec.bases.map((b) => b[levels - 1]!));
  const samples = Math.min(total, Math.max(maxTileSamples, lastBlock));
  const parents = Math.max(1, samples / lastBlock);
  const hidden = levels >= 2 ? pad4(spec.widths[levels - 2]!) : 0;
  return samples * (16 + 4 + 16 + 16) + parents * hidden * 4 * 3 * 2;
}

export interface MemoryBudget {
  memoryBytes: number;
  cacheBytes: number;
  maxTileSamples: number;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MiB`;

/**
 * Throws InrModelError 'too-large' when decoding `spec` would need more than the budget: its
 * weights, the prepared tables, the largest tile, the cache and `extraBytes` (an output).
 */
export function checkDecodeMemory(spec: AsmrSpec, budget: MemoryBudget, extraBytes = 0): void {
  const weights = weightBytes(spec);
  const tables = preparedBytes(spec);
  const tile = tileBytes(spec, budget.maxTileSamples);
  const need = weights + tables + tile + budget.cacheBytes + extraBytes;
  if (need > budget.memoryBytes) {
    throw new InrModelError(
      'too-large',
      `decoding needs about ${mib(need)} (weights ${mib(weights)}, tables ${mib(tables)}, largest tile ${mib(tile)}, cache ${mib(budget.cacheBytes)}${extraBytes ? `, output ${mib(extraBytes)}` : ''}), over the memory budget of ${mib(budget.memoryBytes)} (memoryBytes)`,
      'spec',
    );
  }
}
