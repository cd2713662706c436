/**
 * Phase wrapping (docs/MODEL.md, "Periodic weights"): some weights only ever reach the model's
 * output through a sine's phase at the level coordinates q / (b - 1), q = 0 .. b - 1, so adding
 * a whole period to them changes nothing at any sample. Level i's unit o computes
 * sin(w_i (z + s_i M_i c)) with z = W h + bias:
 *  - a modulator entry M_i[o, a] enters as w_i s_i M c_a: period 2 pi (b - 1) / (w_i s_i), with
 *    b the axis' base at level i + 1 (with b = 1 the coordinate is always 0: the entry does nothing, and becomes 0);
 *  - a layer-0 weight W_0[o, a] enters as w_0 W c_a: period 2 pi (b - 1) / w_0, b the level-0 base;
 *  - a bias of a hidden layer enters as w_i bias: period 2 pi / w_i.
 * Wrapping them into about half a period around 0 leaves every decode the same (up to float
 * rounding, which it reduces) and shrinks their range, which is what quantisation pays for:
 * with the reference's w_i s_i = 900 a modulator's period is about 0.02, against a spread of
 * +-0.7 at initialisation.
 */
import { axisCount, levelCount } from './spec.js';
import type { AsmrModel } from './types.js';

/**
 * Values already within this many periods of 0 are kept, so wrapping what was wrapped (and
 * then rounded a little, by quantisation) changes nothing.
 */
const KEEP_WITHIN = 0.5 + 1 / 64;

/** `v` wrapped by `period`; a period of 0 marks a weight that never reaches the output (it becomes 0). */
function wrap(v: number, period: number): number {
  if (period === 0) return 0;
  if (!Number.isFinite(period) || Math.abs(v) <= KEEP_WITHIN * period) return v;
  return v - period * Math.round(v / period);
}

/** Period of a weight reaching a phase as `gain * v * q / (base - 1)`: 0 when the base is 1 (the coordinate is always 0). */
function coordPeriod(gain: number, base: number): number {
  return base === 1 ? 0 : (2 * Math.PI * (base - 1)) / Math.abs(gain);
}

/** `model` with its periodic weights wrapped into about half a period around 0: decodes the same. */
export function wrapPhases(model: AsmrModel): AsmrModel {
  const { spec, weights } = model;
  const d = axisCount(spec);
  const hidden = levelCount(spec) - 1;
  const periodic = (values: Float32Array, period: (k: number) => number) => values.map((v, k) => wrap(v, period(k)));
  return {
    spec,
    weights: {
      layers: weights.layers.map((layer, i) => {
        if (i >= hidden) return layer;
        const omega = spec.omegas[i]!;
        const weight = i === 0 ? periodic(layer.weight, (k) => coordPeriod(omega, spec.bases[k % d]![0]!)) : layer.weight;
        return { weight, bias: periodic(layer.bias, () => (2 * Math.PI) / Math.abs(omega)) };
      }),
      modulators: weights.modulators.map((m, i) => periodic(m, (k) => coordPeriod(spec.omegas[i]! * spec.modScales[i]!, spec.bases[k % d]![i + 1]!))),
      ...(weights.heads ? { heads: weights.heads } : {}),
    },
  };
}
