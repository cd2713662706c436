/**
 * Seeded random models with the SIREN initialisation of the reference (models/siren.py): the
 * first layer U(-1/fan_in, 1/fan_in); every later layer U(-sqrt(6/fan_in)/w, ...) with w the
 * frequency of the sine that follows it (omegas[i] for hidden layer i, and the last hidden
 * omega for the last layer), so that w * (W h) starts out of order 1. Biases share their
 * layer's range.
 *
 * Modulators, two ranges:
 * - `reference` (what the trainer starts from): PyTorch's default for a bias-free nn.Linear,
 *   U(+-1/sqrt(D)), which the reference leaves untouched. Times s_i * w_i (30 * 30) that gives
 *   every child block phases of hundreds of radians: near-random features per block, which is
 *   what lets a level tell its children apart from the first step (docs/TRAINING.md).
 * - `tame` (the default, for tests and the engine's known-answer trials): the SIREN range
 *   sqrt(6/D)/w, about 12x smaller, so a random model's output stays smooth and small.
 */
import { fillUniform, mulberry32 } from './prng.js';
import { layerShapes, validateSpec } from './spec.js';
import type { AsmrModel, AsmrSpec } from './types.js';

export type ModulatorRange = 'reference' | 'tame';

export function randomModel(spec: AsmrSpec, seed: number, modulators: ModulatorRange = 'tame'): AsmrModel {
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
  const modulatorBound = (fanIn: number, i: number) => (modulators === 'reference' ? 1 / Math.sqrt(fanIn) : sirenBound(fanIn, spec.omegas[i]!));
  return {
    spec,
    weights: {
      layers,
      modulators: shapes.modulators.map(([out, inp], i) => fillUniform(rng, new Float32Array(out * inp), modulatorBound(inp, i))),
    },
  };
}
