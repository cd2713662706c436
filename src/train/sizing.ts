/**
 * Sizing (docs/TRAINING.md, "Sizing for a byte budget"): the levels, bases and width of a model
 * whose `.inr` fits a byte budget. For each level count the factorisation chooser's bases (with
 * its crop or pad) are taken and the widest width whose file fits is found; the candidates have
 * about the same number of weights, so the level count decides: 4, then 5, 3 and 6, the order
 * measured at equal bytes (docs/TRAINING.md), skipping any narrower than 8. A file's bytes are
 * known before training from its spec: the header is laid out for real (with the provenance it
 * will carry, in the header or from format 4 after the tensors; CRCs at their longest), plain tensors have exact sizes, and a coded tensor is
 * counted at `bits` per code (entropy coding saves some of that on trained weights, so a coded
 * file lands under its estimate).
 */
import { encodedLength, type InrMeta } from '../format/asmr-codec.js';
import { codedBits } from '../format/coded.js';
import { storedLengthRange } from '../format/tensor-data.js';
import type { InrDtype } from '../format/types.js';
import { modelCost } from '../model/cost.js';
import { MODEL_LIMITS, layerShapes } from '../model/spec.js';
import type { AsmrSpec } from '../model/types.js';
import { InrTrainError } from '../util/errors.js';
import { type FitMode, planAxis } from './factorize.js';
import { resizeNote } from './plan.js';

export interface SizingOptions {
  /** Bytes the whole file may take. */
  budget: number;
  dtype: InrDtype;
  /** Level counts to try. Default 3 to 6. */
  levels?: number[];
  fit?: FitMode | 'none';
  /** The header the file will have (its provenance counts; a crop or pad's note is added). */
  meta?: InrMeta;
  /** Time segments the clip is cut into (one model each, all of the same layout). Default 1. */
  segments?: number;
  omega?: number;
  /** The model has level heads (their bytes count). Default false. */
  heads?: boolean;
}

export interface SizingCandidate {
  levels: number;
  bases: number[][];
  /** The shape the bases multiply to (the input's, or cropped / padded). */
  shape: number[];
  /** Width of every hidden layer; 0 when not even width 1 fits. */
  hidden: number;
  /** Estimated bytes of the file (0 when nothing fits). */
  bytes: number;
  weights: number;
  macPerPx: number;
}

const DEFAULT_LEVELS = [3, 4, 5, 6];
/** Level counts best first, as measured at equal bytes (docs/TRAINING.md, "Sizing for a byte budget"). */
const PREFERENCE = [4, 5, 3, 6];
/** Narrower candidates come last, whatever their level count. */
const MIN_PREFERRED_WIDTH = 8;

function specOf(shape: number[], bases: number[][], channels: number, hidden: number, omega: number): AsmrSpec {
  const levels = bases[0]!.length;
  const fill = (v: number) => new Array<number>(levels - 1).fill(v);
  return { shape, bases, channels, widths: fill(hidden), omegas: fill(omega), modScales: fill(omega) };
}

/** Stored bytes of a tensor: exact for plain dtypes; for coded ones its scales and `bits` per code (plus the coder's last bytes). */
function storedEstimate(dtype: InrDtype, shape: number[]): number {
  const { min } = storedLengthRange(dtype, shape);
  const bits = codedBits(dtype);
  return bits === undefined ? min : min + Math.ceil((shape.reduce((a, b) => a * b, 1) * bits) / 8) + 4;
}

/** Estimated bytes of the `.inr` of a model of `spec` stored as `dtype` (see the module comment). */
export function estimateBytes(spec: AsmrSpec, dtype: InrDtype, meta: InrMeta = {}, segments = 1, heads = false): number {
  return encodedLength(spec, meta, dtype, segments, storedEstimate, heads);
}

/** The widest width (at most MODEL_LIMITS.maxWidth) whose file fits, by bisection (bytes grow with the width). */
function widestFitting(fits: (hidden: number) => boolean): number {
  if (!fits(1)) return 0;
  let lo = 1;
  let hi: number = MODEL_LIMITS.maxWidth;
  if (fits(hi)) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Candidates for a signal of `shape` x `channels` under `opts.budget`, and the one chosen. */
export function chooseSize(shape: number[], channels: number, opts: SizingOptions): { chosen: SizingCandidate; candidates: SizingCandidate[] } {
  const omega = opts.omega ?? 30;
  const candidates: SizingCandidate[] = [];
  for (const levels of opts.levels ?? DEFAULT_LEVELS) {
    let plans;
    try {
      plans = shape.map((size) => planAxis(size, levels, opts.fit ?? 'crop'));
    } catch (e) {
      if (e instanceof InrTrainError) continue; // no good bases at this level count
      throw e;
    }
    const bases = plans.map((p) => p.bases);
    const fitted = plans.map((p) => p.size);
    // A crop or pad is recorded in the provenance: counted with offsets at their longest.
    const fit = opts.fit ?? 'crop';
    const resized = fit !== 'none' && fitted.some((size, a) => size !== shape[a]);
    const meta = resized
      ? {
          ...opts.meta,
          provenance: {
            ...opts.meta?.provenance,
            resize: resizeNote(
              fit,
              fitted,
              fitted.map(() => -99999),
              shape,
            ),
          },
        }
      : opts.meta;
    const estimate = (hidden: number) => estimateBytes(specOf(fitted, bases, channels, hidden, omega), opts.dtype, meta, opts.segments, opts.heads);
    const hidden = widestFitting((w) => estimate(w) <= opts.budget);
    const spec = specOf(fitted, bases, channels, Math.max(1, hidden), omega);
    const { layers, modulators, heads } = layerShapes(spec);
    const count = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const dense = (shapes: [number, number][]) => shapes.reduce((n, s) => n + count(s) + s[0], 0);
    candidates.push({
      levels,
      bases,
      shape: fitted,
      hidden,
      bytes: hidden > 0 ? estimate(hidden) : 0,
      weights: hidden > 0 ? dense(layers) + modulators.reduce((n, s) => n + count(s), 0) + (opts.heads ? dense(heads) : 0) : 0,
      macPerPx: modelCost(spec).macPerPx,
    });
  }
  const fitting = candidates.filter((c) => c.hidden > 0);
  if (fitting.length === 0) {
    throw new InrTrainError(
      'bad-option',
      `no model of ${(opts.levels ?? DEFAULT_LEVELS).join(', ')} levels fits in ${opts.budget} bytes as ${opts.dtype}`,
      'target-bytes',
    );
  }
  const rank = (c: SizingCandidate) => (c.hidden < MIN_PREFERRED_WIDTH ? 100 : 0) + (PREFERENCE.includes(c.levels) ? PREFERENCE.indexOf(c.levels) : c.levels);
  const chosen = fitting.reduce((best, c) => (rank(c) < rank(best) || (rank(c) === rank(best) && c.hidden > best.hidden) ? c : best));
  return { chosen, candidates };
}
