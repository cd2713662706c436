/**
 * The stress ramp's frames: regions of a picture whose counted cost (regionCost, the count the
 * scheduler budgets with) adds up to a MAC budget. Every frame of a budget decodes the same
 * regions, from the top: the shapes repeat, so a GPU backend compiles its programs once (in the
 * untimed warm-up frame), as it does for the runtime's equal-sized tiles.
 */
import { regionCost } from '../model/cost.js';
import type { AsmrSpec, Region } from '../model/types.js';

export interface FrameRegions {
  regions: Region[];
  macs: number;
}

/** Enough passes over the picture for any budget the ramp tries. */
const MAX_REGIONS = 64;

/** Largest n in 0..max with fits(n); fits must be true up to some n and false after. */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Bands of whole rows from the top (wrapping at the bottom), then the start of the next row,
 * while they fit `budget`. A frame always decodes something: at least one pixel.
 */
export function regionsForBudget(spec: AsmrSpec, budget: number): FrameRegions {
  if (spec.shape.length !== 2) throw new RangeError('the stress ramp decodes a picture (2 axes)');
  if (!(budget > 0)) throw new RangeError(`budget must be positive, not ${budget}`);
  const [height, width] = spec.shape as [number, number];
  const cost = (r: number, rows: number, cols = width) => regionCost(spec, { start: [r, 0], size: [rows, cols] }).macs;
  const regions: Region[] = [];
  let macs = 0;
  let r = 0;
  while (regions.length < MAX_REGIONS) {
    const left = budget - macs;
    const rows = largestFitting(height - r, (n) => cost(r, n) <= left);
    if (rows > 0) {
      regions.push({ start: [r, 0], size: [rows, width] });
      macs += cost(r, rows);
      r = (r + rows) % height;
      continue;
    }
    const cols = largestFitting(width, (n) => cost(r, 1, n) <= left);
    if (cols > 0 || regions.length === 0) {
      regions.push({ start: [r, 0], size: [1, Math.max(1, cols)] });
      macs += cost(r, 1, Math.max(1, cols));
    }
    break;
  }
  return { regions, macs };
}
