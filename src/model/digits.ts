/**
 * Digit decomposition of integer coordinates (see docs/MODEL.md).
 *
 * Axis a at level l is cut into blocks of `stride[a][l] = shape[a] / prod_{k<=l} bases[a][k]`
 * samples. The level-l prefix of x_a is floor(x_a / stride[a][l]) (which block it is in), and
 * its level-l digit is that prefix mod bases[a][l] (which child of its parent block).
 */
import { InrModelError } from '../util/errors.js';
import type { AsmrSpec, Region } from './types.js';

/** cum[a][l] = prod_{k<=l} bases[a][k]: the number of level-l prefixes along axis a. */
export function cumulativeBases(spec: AsmrSpec): number[][] {
  return spec.bases.map((axis) => {
    let prod = 1;
    return axis.map((b) => (prod *= b));
  });
}

/** stride[a][l] = shape[a] / prod_{k<=l} bases[a][k]; stride[a][L-1] is 1. */
export function axisStrides(spec: AsmrSpec): number[][] {
  return cumulativeBases(spec).map((cum, a) => cum.map((c) => spec.shape[a]! / c));
}

/** The digit of coordinate x at a level with the given stride and base. */
export function digitAt(x: number, stride: number, base: number): number {
  return Math.floor(x / stride) % base;
}

/** The level coordinate of digit q: q / (base - 1), in [0, 1]; 0 where the base is 1. */
export function levelCoord(q: number, base: number): number {
  return base === 1 ? 0 : q / (base - 1);
}

/** digits[a][l] of an integer coordinate (one index per axis). */
export function coordDigits(spec: AsmrSpec, coord: readonly number[]): number[][] {
  const strides = axisStrides(spec);
  return spec.bases.map((axis, a) => axis.map((b, l) => digitAt(coord[a]!, strides[a]![l]!, b)));
}

/** Number of distinct level-l prefixes over the whole signal: prod_a prod_{k<=l} bases[a][k]. */
export function prefixCount(spec: AsmrSpec, level: number): number {
  return cumulativeBases(spec).reduce((n, cum) => n * cum[level]!, 1);
}

/** Number of distinct level-l digit tuples: prod_a bases[a][l] (rows of a modulation table). */
export function digitTupleCount(spec: AsmrSpec, level: number): number {
  return spec.bases.reduce((n, axis) => n * axis[level]!, 1);
}

/** The level-l prefixes a region touches along one axis: lo .. lo + count - 1. */
export interface PrefixRange {
  lo: number;
  count: number;
}

/** Per axis, the level-l prefixes that `region` touches (a box in prefix space). */
export function prefixRanges(strides: number[][], region: Region, level: number): PrefixRange[] {
  return strides.map((axis, a) => {
    const stride = axis[level]!;
    const lo = Math.floor(region.start[a]! / stride);
    const hi = Math.floor((region.start[a]! + region.size[a]! - 1) / stride);
    return { lo, count: hi - lo + 1 };
  });
}

/** Number of distinct level-l prefixes that `region` touches. */
export function regionPrefixCount(spec: AsmrSpec, region: Region, level: number): number {
  return prefixRanges(axisStrides(spec), region, level).reduce((n, r) => n * r.count, 1);
}

/** The whole signal as a region. */
export function fullRegion(spec: AsmrSpec): Region {
  return { start: spec.shape.map(() => 0), size: spec.shape.slice() };
}

/** Number of samples in a region. */
export function regionSize(region: Region): number {
  return region.size.reduce((n, s) => n * s, 1);
}

/** Checks that `region` is a non-empty box of integers inside the signal; names the bad field. */
export function validateRegion(spec: AsmrSpec, region: Region): void {
  const d = spec.shape.length;
  const fail = (field: string, msg: string): never => {
    throw new InrModelError('invalid-region', msg, field);
  };
  if (!Array.isArray(region.start) || region.start.length !== d) fail('region.start', `must list ${d} indices`);
  if (!Array.isArray(region.size) || region.size.length !== d) fail('region.size', `must list ${d} sizes`);
  for (let a = 0; a < d; a++) {
    const start = region.start[a]!;
    const size = region.size[a]!;
    if (!Number.isInteger(start) || start < 0) fail(`region.start[${a}]`, 'must be a non-negative integer');
    if (!Number.isInteger(size) || size < 1) fail(`region.size[${a}]`, 'must be a positive integer');
    if (start + size > spec.shape[a]!) fail(`region.size[${a}]`, `reaches ${start + size}, past shape[${a}] = ${spec.shape[a]}`);
  }
}
