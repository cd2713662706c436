/**
 * From a stress ramp (frame times at rising MAC budgets) to the budgets a device can afford:
 * the largest that holds 60 and 30 fps at p95, and the one to recommend. Pure, tested in Node.
 */
import type { BudgetVerdict, CalibrationPoint, RampStep } from './types.js';

export const FRAME_60_MS = 1000 / 60;
export const FRAME_30_MS = 1000 / 30;
/**
 * The recommendation stays a quarter below the largest budget that held: the ramp's 20 frames
 * per budget are a small sample, and a machine's load changes from minute to minute.
 */
const RECOMMEND_SHARE = 0.75;

/**
 * The largest budget whose p95 frame time fits `frameMs`, climbing the ramp until two steps in a
 * row miss: on a busy machine one step can miss by chance, two in a row is the device. 0 when
 * none holds.
 */
export function largestHolding(ramp: readonly RampStep[], frameMs: number): number {
  const steps = [...ramp].sort((a, b) => a.budget - b.budget);
  let best = 0;
  let misses = 0;
  for (const step of steps) {
    if (step.summary.p95Ms <= frameMs) {
      best = step.budget;
      misses = 0;
    } else if (++misses === 2) {
      break;
    }
  }
  return best;
}

export function budgetVerdict(ramp: readonly RampStep[]): BudgetVerdict {
  if (ramp.length === 0) throw new RangeError('the stress ramp has no steps');
  const budget60 = largestHolding(ramp, FRAME_60_MS);
  const budget30 = largestHolding(ramp, FRAME_30_MS);
  const share = (b: number) => Math.round(b * RECOMMEND_SHARE);
  if (budget60 > 0) return { budget60, budget30, recommendedBudget: share(budget60), reason: '3/4 of the largest budget that holds 60 fps at p95' };
  if (budget30 > 0)
    return { budget60, budget30, recommendedBudget: share(budget30), reason: 'no budget holds 60 fps; 3/4 of the largest that holds 30 fps at p95' };
  const smallest = Math.min(...ramp.map((s) => s.budget));
  return { budget60, budget30, recommendedBudget: smallest, reason: 'no budget tried holds 30 fps; the smallest tried' };
}

/** MACs per frame for a ramp: geometric steps from `first`. */
export function rampBudgets(first: number, ratio: number, steps: number): number[] {
  if (!(first > 0) || !(ratio > 1) || !(steps >= 1)) throw new RangeError(`bad ramp: first ${first}, ratio ${ratio}, steps ${steps}`);
  return Array.from({ length: steps }, (_, i) => Math.round(first * ratio ** i));
}

/** The device's sustained throughput: the calibration point with the most samples. */
export function sustainedMacPerMs(points: readonly CalibrationPoint[]): number {
  if (points.length === 0) throw new RangeError('no calibration points');
  return points.reduce((a, b) => (b.samples > a.samples ? b : a)).macPerMs;
}
