/**
 * Tables for the level-by-level forward (docs/MODEL.md, "Level-by-level evaluation").
 *
 * The trainer numbers prefixes parent-major: the level-l prefix with parent k (a level-(l-1)
 * prefix) and digit tuple q is k * T_l + q, where T_l = prod_a bases[a][l] is the number of
 * digit tuples (every parent has exactly one child per tuple). Then "gather each prefix's
 * parent row" is a broadcast over a [P_{l-1}, T_l, width] block and its transpose a sum, with
 * no index arrays; the last level's prefixes are the samples in this numbering, and `order`
 * maps them back to the decoders' row-major order.
 */
import { axisStrides, digitAt, levelCoord } from '../model/digits.js';
import type { AsmrSpec } from '../model/types.js';

export interface LevelTables {
  levels: number;
  /** coords[l]: [T_l, D] level coordinates of every level-l digit tuple (row-major over axes). */
  coords: Float32Array[];
  /** tupleCount[l] = T_l. */
  tupleCount: number[];
  /** prefixCount[l] = P_l = T_0 * ... * T_l. */
  prefixCount: number[];
  /** order[k]: the row-major sample index of parent-major sample k. */
  order: Int32Array;
}

export function buildLevelTables(spec: AsmrSpec): LevelTables {
  const d = spec.shape.length;
  const levels = spec.bases[0]!.length;
  const coords: Float32Array[] = [];
  const tupleCount: number[] = [];
  const prefixCount: number[] = [];
  for (let l = 0; l < levels; l++) {
    const bases = spec.bases.map((axis) => axis[l]!);
    const t = bases.reduce((n, b) => n * b, 1);
    const c = new Float32Array(t * d);
    for (let row = 0; row < t; row++) {
      // Row-major over axes: the last axis varies fastest.
      let rest = row;
      for (let a = d - 1; a >= 0; a--) {
        c[row * d + a] = levelCoord(rest % bases[a]!, bases[a]!);
        rest = Math.floor(rest / bases[a]!);
      }
    }
    coords.push(c);
    tupleCount.push(t);
    prefixCount.push((prefixCount[l - 1] ?? 1) * t);
  }
  return { levels, coords, tupleCount, prefixCount, order: parentMajorOrder(spec) };
}

function parentMajorOrder(spec: AsmrSpec): Int32Array {
  const d = spec.shape.length;
  const levels = spec.bases[0]!.length;
  const strides = axisStrides(spec);
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const order = new Int32Array(n);
  const x = new Array<number>(d).fill(0);
  for (let j = 0; j < n; j++) {
    let k = 0;
    for (let l = 0; l < levels; l++) {
      let q = 0;
      for (let a = 0; a < d; a++) q = q * spec.bases[a]![l]! + digitAt(x[a]!, strides[a]![l]!, spec.bases[a]![l]!);
      k = k * tupleCountAt(spec, l) + q;
    }
    order[k] = j;
    for (let a = d - 1; a >= 0; a--) {
      if (++x[a]! < spec.shape[a]!) break;
      x[a] = 0;
    }
  }
  return order;
}

function tupleCountAt(spec: AsmrSpec, level: number): number {
  return spec.bases.reduce((n, axis) => n * axis[level]!, 1);
}

/** Rows of `data` ([n, channels]) moved from one numbering to the other: out[k] = data[order[k]] or the inverse. */
export function permuteRows(data: Float32Array, channels: number, order: Int32Array, inverse: boolean): Float32Array {
  const out = new Float32Array(data.length);
  for (let k = 0; k < order.length; k++) {
    const [to, from] = inverse ? [order[k]!, k] : [k, order[k]!];
    for (let c = 0; c < channels; c++) out[to * channels + c] = data[from * channels + c]!;
  }
  return out;
}
