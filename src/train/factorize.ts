/**
 * The factorisation chooser: per-axis bases for ASMR. An axis of size S is split into L bases
 * whose product is S, as even as the prime factors allow, coarse levels smallest and the
 * finest level largest (as the reference's Kodak configuration [4, 4, 6, 8]). A size whose
 * factors cannot be spread that way (a large prime, 2 x a large prime, ...) is reported, and
 * the nearest size that can be (cropping or padding) is proposed.
 */
import { InrTrainError } from '../util/errors.js';

export interface AxisPlan {
  /** The size the bases multiply to (the input size, or the cropped / padded one). */
  size: number;
  bases: number[];
}

/** The largest base accepted for an axis of size S split into L levels. */
function maxGoodBase(size: number, levels: number): number {
  return Math.max(16, Math.ceil(2 * Math.pow(size, 1 / levels)));
}

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      out.push(p);
      n /= p;
    }
  }
  if (n > 1) out.push(n);
  return out;
}

/** The most even split of `size` into `levels` bases, ascending; null when a base must exceed the limit. */
export function factorizeAxis(size: number, levels: number): number[] | null {
  if (!Number.isInteger(size) || size < 1) return null;
  const bins = new Array<number>(levels).fill(1);
  // Largest factors first, each into the currently smallest bin.
  for (const p of primeFactors(size).sort((a, b) => b - a)) {
    let smallest = 0;
    for (let i = 1; i < levels; i++) if (bins[i]! < bins[smallest]!) smallest = i;
    bins[smallest] = bins[smallest]! * p;
  }
  bins.sort((a, b) => a - b);
  return bins[levels - 1]! <= maxGoodBase(size, levels) ? bins : null;
}

export type FitMode = 'crop' | 'pad';

/**
 * Bases for one axis. When `size` itself cannot be factorised well, the nearest smaller
 * (crop) or larger (pad) size that can be is used; the caller must then crop or pad the data.
 */
export function planAxis(size: number, levels: number, fit: FitMode | 'none'): AxisPlan {
  const direct = factorizeAxis(size, levels);
  if (direct) return { size, bases: direct };
  if (fit === 'none') {
    throw new InrTrainError(
      'bad-size',
      `size ${size} cannot be split into ${levels} bases of at most ${maxGoodBase(size, levels)} (prime factors ${primeFactors(size).join(' x ')}); crop or pad it`,
    );
  }
  const step = fit === 'crop' ? -1 : 1;
  for (let s = size + step; s >= 1 && s <= 2 * size; s += step) {
    const bases = factorizeAxis(s, levels);
    if (bases) return { size: s, bases };
  }
  throw new InrTrainError('bad-size', `no size near ${size} splits into ${levels} good bases`);
}

/**
 * Parses "--bases": per-axis lists, axes split by ';', outermost axis first, e.g.
 * "4,4,4,8;4,4,6,8". Every axis must list the same number of levels.
 */
export function parseBases(text: string): number[][] {
  const axes = text.split(';').map((axis) => axis.split(',').map((v) => Number(v.trim())));
  const levels = axes[0]!.length;
  axes.forEach((axis, a) => {
    if (axis.length !== levels) throw new InrTrainError('bad-bases', `axis ${a} lists ${axis.length} bases, axis 0 lists ${levels}`, 'bases');
    if (!axis.every((b) => Number.isInteger(b) && b >= 1))
      throw new InrTrainError('bad-bases', `axis ${a}: "${text.split(';')[a]}" is not a list of positive integers`, 'bases');
  });
  return axes;
}

/** Checks user-given bases against the signal's shape. */
export function checkBases(bases: number[][], shape: number[]): void {
  if (bases.length !== shape.length) {
    throw new InrTrainError('bad-bases', `lists ${bases.length} axes, the input has ${shape.length} (${shape.join('x')})`, 'bases');
  }
  bases.forEach((axis, a) => {
    const prod = axis.reduce((n, b) => n * b, 1);
    if (prod !== shape[a]) throw new InrTrainError('bad-bases', `axis ${a} multiplies to ${prod}, but the input's size there is ${shape[a]}`, 'bases');
  });
}
