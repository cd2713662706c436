/**
 * Cuts a region into tiles aligned to level blocks. A tile is the part of the region inside one
 * block of the tile level t: every sample in it shares its level 0..t prefixes, so the coarse
 * activations of those levels are one row each, shared with every other tile under the same
 * ancestors. t is the coarsest level whose blocks hold at most `maxTileSamples` samples
 * (t = -1: the whole signal is one block).
 */
import { axisStrides } from '../model/digits.js';
import { levelCount } from '../model/spec.js';
import type { AsmrSpec, Region } from '../model/types.js';

export interface TilePlan {
  /** The tile level, -1 .. L-1. */
  level: number;
  /** Tiles in row-major block order, outermost axis first; together exactly the region. */
  tiles: Region[];
}

/** Samples per block at level `level` (-1: the whole signal). */
export function blockSamples(spec: AsmrSpec, level: number): number {
  if (level < 0) return spec.shape.reduce((n, s) => n * s, 1);
  return axisStrides(spec).reduce((n, axis) => n * axis[level]!, 1);
}

/** The coarsest level whose blocks hold at most `maxTileSamples` samples. */
export function tileLevel(spec: AsmrSpec, maxTileSamples: number): number {
  const last = levelCount(spec) - 1;
  for (let t = -1; t < last; t++) if (blockSamples(spec, t) <= maxTileSamples) return t;
  return last;
}

/** Per axis, the [start, size) spans of `region` cut at the boundaries of level `level`'s blocks. */
export function blockSpans(spec: AsmrSpec, region: Region, level: number): [number, number][][] {
  const strides = level < 0 ? spec.shape : axisStrides(spec).map((axis) => axis[level]!);
  return region.start.map((start, a) => {
    const stride = strides[a]!;
    const end = start + region.size[a]!;
    const out: [number, number][] = [];
    for (let lo = start; lo < end;) {
      const hi = Math.min(end, (Math.floor(lo / stride) + 1) * stride);
      out.push([lo, hi - lo]);
      lo = hi;
    }
    return out;
  });
}

/** The tiles of `region` (already validated) at the tile level for `maxTileSamples`. */
export function planTiles(spec: AsmrSpec, region: Region, maxTileSamples: number): TilePlan {
  const level = tileLevel(spec, maxTileSamples);
  const spans = blockSpans(spec, region, level);
  const tiles: Region[] = [];
  const pick = new Array<number>(spans.length).fill(0);
  for (;;) {
    tiles.push({ start: pick.map((k, a) => spans[a]![k]![0]), size: pick.map((k, a) => spans[a]![k]![1]) });
    let a = spans.length - 1;
    for (; a >= 0 && ++pick[a]! === spans[a]!.length; a--) pick[a] = 0;
    if (a < 0) return { level, tiles };
  }
}
