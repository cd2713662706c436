/**
 * The prefix grids a tile touches and the index maps between consecutive levels, flattened
 * row-major (outermost axis first), as the coarse-level ops and the kernels consume them.
 */
import { levelCoord, prefixRanges } from '../model/digits.js';
import type { PrefixRange } from '../model/digits.js';
import type { Region } from '../model/types.js';

/** Per level, per axis: the prefixes `box` touches. */
export function levelGrids(strides: number[][], box: Region, levels: number): PrefixRange[][] {
  return Array.from({ length: levels }, (_, l) => prefixRanges(strides, box, l));
}

export function gridSize(grid: readonly PrefixRange[]): number {
  return grid.reduce((n, r) => n * r.count, 1);
}

/** A cache key for one level's grid: the level and each axis's range. */
export function gridKey(level: number, grid: readonly PrefixRange[]): string {
  return `${level}:${grid.map((r) => `${r.lo}+${r.count}`).join(',')}`;
}

/**
 * For every prefix of the level-`level` grid (level >= 1): the flat index of its parent in the
 * level-(level-1) grid, and the row-major index of its digit tuple over `bases[.][level]`.
 */
export function transitionIndices(
  bases: number[][],
  parentGrid: readonly PrefixRange[],
  grid: readonly PrefixRange[],
  level: number,
): { parent: Int32Array; digit: Int32Array } {
  const d = grid.length;
  const size = gridSize(grid);
  const parent = new Int32Array(size);
  const digit = new Int32Array(size);
  const offset = new Array<number>(d).fill(0);
  for (let n = 0; n < size; n++) {
    let p = 0;
    let g = 0;
    for (let a = 0; a < d; a++) {
      const b = bases[a]![level]!;
      const q = grid[a]!.lo + offset[a]!;
      p = p * parentGrid[a]!.count + (Math.floor(q / b) - parentGrid[a]!.lo);
      g = g * b + (q % b);
    }
    parent[n] = p;
    digit[n] = g;
    for (let a = d - 1; a >= 0 && ++offset[a]! === grid[a]!.count; a--) offset[a] = 0;
  }
  return { parent, digit };
}

/** Level coordinates c[.][0] of every level-0 prefix in `grid`: [size, D] row-major. */
export function levelZeroCoords(bases: number[][], grid: readonly PrefixRange[]): Float32Array {
  const d = grid.length;
  const size = gridSize(grid);
  const out = new Float32Array(size * d);
  const offset = new Array<number>(d).fill(0);
  for (let n = 0; n < size; n++) {
    for (let a = 0; a < d; a++) out[n * d + a] = levelCoord(grid[a]!.lo + offset[a]!, bases[a]![0]!);
    for (let a = d - 1; a >= 0 && ++offset[a]! === grid[a]!.count; a--) offset[a] = 0;
  }
  return out;
}

/** Level coordinates of every level-`level` digit tuple: [prod_a bases[a][level], D] row-major. */
export function digitTupleCoords(bases: number[][], level: number): Float32Array {
  const d = bases.length;
  const radix = bases.map((axis) => axis[level]!);
  const count = radix.reduce((n, b) => n * b, 1);
  const out = new Float32Array(count * d);
  for (let t = 0; t < count; t++) {
    for (let a = d - 1, rest = t; a >= 0; a--) {
      out[t * d + a] = levelCoord(rest % radix[a]!, radix[a]!);
      rest = Math.floor(rest / radix[a]!);
    }
  }
  return out;
}
