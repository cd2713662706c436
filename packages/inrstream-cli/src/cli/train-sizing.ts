/**
 * `inrstream train`'s quantisation (`--bits`, `--qat-iters`, `--qat-lr`) and sizing
 * (`--target-bytes`, `--bpp`) options: parsing, and the sizing's choice as printed.
 */
import { MAX_CODED_BITS, MIN_CODED_BITS } from '../../../../src/format/coded.js';
import type { FitMode } from '../../../../src/train/factorize.js';
import { chooseSize, type SizingCandidate, type SizingOptions } from '../../../../src/train/sizing.js';
import type { TrainSignal } from '../../../../src/train/signal.js';
import type { QuantiseOptions } from '../../../../src/train/trainer.js';
import { InrTrainError } from '../../../../src/util/errors.js';
import { UsageError } from './io.js';

export interface QuantiseCliOptions {
  bits?: string;
  qatIters?: string;
  qatLr?: string;
}

export interface TargetCliOptions {
  targetBytes?: string;
  bpp?: string;
  bases?: string;
  hidden?: string;
}

/**
 * The quantisation-aware phase: by default the last third of the run, its learning rate
 * restarted at the run's peak and annealed again (docs/TRAINING.md has the measurements).
 */
export function quantiseOptions(o: QuantiseCliOptions, iterations: number, lr: number): QuantiseOptions | undefined {
  if (o.bits === undefined) {
    if (o.qatIters !== undefined || o.qatLr !== undefined) throw new UsageError('--qat-iters and --qat-lr need --bits');
    return undefined;
  }
  const bits = Number(o.bits);
  if (!Number.isInteger(bits) || bits < MIN_CODED_BITS || bits > MAX_CODED_BITS) {
    throw new UsageError(`--bits must be an integer in ${MIN_CODED_BITS}..${MAX_CODED_BITS}, not "${o.bits}"`);
  }
  const phase = o.qatIters === undefined ? Math.max(1, Math.round(iterations / 3)) : Number(o.qatIters);
  if (!Number.isInteger(phase) || phase < 1 || phase > iterations)
    throw new UsageError(`--qat-iters must be an integer in 1..${iterations} (--iters), not "${o.qatIters}"`);
  const qatLr = o.qatLr === undefined ? lr : Number(o.qatLr);
  if (!(Number.isFinite(qatLr) && qatLr > 0)) throw new UsageError(`--qat-lr must be a positive number, not "${o.qatLr}"`);
  return { bits, iterations: phase, lr: qatLr };
}

export type Target = { bytes: number } | { bpp: number };

export function targetOptions(o: TargetCliOptions): Target | undefined {
  if (o.targetBytes === undefined && o.bpp === undefined) return undefined;
  if (o.targetBytes !== undefined && o.bpp !== undefined) throw new UsageError('give --target-bytes or --bpp, not both');
  if (o.bases !== undefined || o.hidden !== undefined)
    throw new UsageError('--target-bytes and --bpp choose the bases and width: leave out --bases and --hidden');
  if (o.targetBytes !== undefined) {
    const bytes = Number(o.targetBytes);
    if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`--target-bytes must be a positive integer, not "${o.targetBytes}"`);
    return { bytes };
  }
  const bpp = Number(o.bpp);
  if (!(Number.isFinite(bpp) && bpp > 0)) throw new UsageError(`--bpp must be a positive number, not "${o.bpp}"`);
  return { bpp };
}

export interface Sizing {
  targetBytes: number;
  chosen: SizingCandidate;
  candidates: SizingCandidate[];
}

/** Levels, bases and width for the target; `piece` is the signal one model covers (a segment of a clip). */
export function sizeFor(
  target: Target,
  wholeShape: number[],
  piece: TrainSignal,
  opts: Omit<SizingOptions, 'budget' | 'levels' | 'fit'> & { levels: number | undefined; fit: FitMode | 'none' },
): Sizing {
  const samples = wholeShape.reduce((a, b) => a * b, 1);
  const targetBytes = 'bytes' in target ? target.bytes : Math.floor((target.bpp * samples) / 8);
  const { levels, ...rest } = opts;
  try {
    const { chosen, candidates } = chooseSize(piece.shape, piece.channels, {
      ...rest,
      budget: targetBytes,
      ...(levels === undefined ? {} : { levels: [levels] }),
    });
    return { targetBytes, chosen, candidates };
  } catch (e) {
    // Nothing fits: the target is wrong for this input, a usage mistake.
    if (e instanceof InrTrainError && e.field === 'target-bytes') throw new UsageError(`${e.message} (--target-bytes / --bpp)`);
    throw e;
  }
}

/** The choice and its alternatives, one line each. */
export function sizingReport(s: Sizing): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const describe = (c: SizingCandidate) =>
    c.hidden === 0
      ? `${c.levels} levels (bases ${c.bases.map((a) => a.join(',')).join(';')}): nothing fits`
      : `${c.levels} levels, bases ${c.bases.map((a) => a.join(',')).join(';')}, ${c.hidden} wide: about ${fmt(c.bytes)} bytes, ${fmt(c.weights)} weights, ${c.macPerPx.toFixed(1)} MAC/px`;
  return [
    `sizing for ${fmt(s.targetBytes)} bytes: ${describe(s.chosen)}`,
    ...s.candidates.filter((c) => c !== s.chosen).map((c) => `  alternative: ${describe(c)}`),
  ].join('\n');
}
