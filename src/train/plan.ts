/**
 * From a signal and the user's layout options to an ASMR spec: user-given bases are checked
 * against the signal; otherwise the factorisation chooser proposes them, cropping or padding
 * axes whose size cannot be factorised well (the change is returned for the header).
 */
import { validateSpec } from '../model/spec.js';
import type { AsmrSpec } from '../model/types.js';
import { checkBases, type FitMode, planAxis } from './factorize.js';
import { checkSignal, resizeSignal, type TrainSignal } from './signal.js';

export interface LayoutOptions {
  /** Per-axis bases, outermost axis first; when absent the chooser proposes them. */
  bases?: number[][];
  /** Levels for the chooser. Default 4. */
  levels?: number;
  /** Width of every hidden layer. Default 64. */
  hidden?: number;
  /** Sine frequency w0 (and modulation scale, as the reference). Default 30. */
  omega?: number;
  /** What to do with a size the chooser cannot factorise well. Default 'crop'. */
  fit?: FitMode | 'none';
}

export interface Plan {
  spec: AsmrSpec;
  signal: TrainSignal;
  /** Set when the signal was cropped or padded: e.g. "crop 510x512 at 1,0 of 512x512". */
  resize: string | null;
}

/** The header's record of a crop or pad: "crop 510x512 at 1,0 of 512x512". */
export function resizeNote(mode: FitMode, shape: number[], offsets: number[], original: number[]): string {
  return `${mode} ${shape.join('x')} at ${offsets.join(',')} of ${original.join('x')}`;
}

export function planModel(signal: TrainSignal, opts: LayoutOptions = {}): Plan {
  checkSignal(signal);
  const hidden = opts.hidden ?? 64;
  const omega = opts.omega ?? 30;
  let bases = opts.bases;
  let fitted = signal;
  let resize: string | null = null;
  if (bases) {
    checkBases(bases, signal.shape);
  } else {
    const levels = opts.levels ?? 4;
    const mode = opts.fit ?? 'crop';
    const plans = signal.shape.map((size) => planAxis(size, levels, mode));
    bases = plans.map((p) => p.bases);
    const shape = plans.map((p) => p.size);
    if (shape.some((s, a) => s !== signal.shape[a]) && mode !== 'none') {
      const r = resizeSignal(signal, shape, mode);
      fitted = r.signal;
      resize = resizeNote(mode, shape, r.offsets, signal.shape);
    }
  }
  const levels = bases[0]!.length;
  const spec: AsmrSpec = {
    shape: fitted.shape.slice(),
    bases,
    channels: fitted.channels,
    widths: new Array<number>(levels - 1).fill(hidden),
    omegas: new Array<number>(levels - 1).fill(omega),
    modScales: new Array<number>(levels - 1).fill(omega),
  };
  validateSpec(spec);
  return { spec, signal: fitted, resize };
}
