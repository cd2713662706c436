/**
 * Seeded random models with the SIREN initialisation the reference uses (models/siren.py):
 * the first layer U(-1/fan_in, 1/fan_in); every later layer U(-sqrt(6/fan_in)/w, ...) with w
 * the frequency of the sine that follows it (omegas[i] for hidden layer i, and the last hidden
 * omega for the last layer), so that w * (W h) starts out of order 1. Biases share their
 * layer's range.
 */
import { fillUniform, mulberry32 } from './prng.js';
import { layerShapes, validateSpec } from './spec.js';
import type { AsmrModel, AsmrSpec } from './types.js';

export function randomModel(spec: AsmrSpec, seed: number): AsmrModel {
  validateSpec(spec);
  const rng = mulberry32(seed);
  const shapes = layerShapes(spec);
  const last = shapes.layers.length - 1;
  // A zero frequency would make the bound infinite; such a layer gets the plain sqrt(6/fan_in).
  const sirenBound = (fanIn: number, omega: number): number => Math.sqrt(6 / fanIn) / (Math.abs(omega) || 1);
  const layers = shapes.layers.map(([out, inp], i) => {
    const bound = i === 0 ? 1 / inp : sirenBound(inp, spec.omegas[Math.min(i, last - 1)]!);
    return {
      weight: fillUniform(rng, new Float32Array(out * inp), bound),
      bias: fillUniform(rng, new Float32Array(out), bound),
    };
  });
  // The reference leaves its modulators at PyTorch's default U(+-1/sqrt(D)); that is then
  // multiplied by s_i and w_i (30 * 30), so a smaller SIREN-style range keeps random models tame.
  const modulators = shapes.modulators.map(([out, inp], i) =>
    fillUniform(rng, new Float32Array(out * inp), sirenBound(inp, spec.omegas[i]!)),
  );
  return { spec, weights: { layers, modulators } };
}
