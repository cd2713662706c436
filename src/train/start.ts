/**
 * Where training starts: the reference's initialisation (SIREN layers, modulators at PyTorch's
 * default range), with the last layer's bias set to the target's mean per channel unless the
 * caller asks for the reference's exact start. The reference starts that bias near 0 while its
 * targets average 0.3 to 0.6, and Adam moves a bias by about the learning rate per step: at
 * 5e-4 that is hundreds of steps in which the hidden layers chase a plain offset
 * (docs/TRAINING.md, "Parity with the reference", measures what this changes).
 */
import { type ModulatorRange, randomModel } from '../model/random.js';
import { layerShapes } from '../model/spec.js';
import type { AsmrModel, AsmrSpec } from '../model/types.js';
import type { TrainSignal } from './signal.js';

export type OutputBias = 'mean' | 'reference';

export interface StartOptions {
  /** Default 'reference' (what the reference uses); 'tame' reproduces the trainer's first start. */
  modulators?: ModulatorRange;
  /** Default 'mean'. */
  outputBias?: OutputBias;
  /** Give the model level heads (docs/MODEL.md, "Level heads"): zero weights, the target's mean as their bias. */
  levelHeads?: boolean;
}

export function startingModel(spec: AsmrSpec, signal: TrainSignal, seed: number, opts: StartOptions = {}): AsmrModel {
  const model = randomModel(spec, seed, opts.modulators ?? 'reference');
  const sums = new Float64Array(signal.channels);
  signal.data.forEach((v, i) => (sums[i % signal.channels] = sums[i % signal.channels]! + v));
  const samples = signal.data.length / signal.channels;
  const mean = Float32Array.from(sums, (sum) => sum / samples);
  if ((opts.outputBias ?? 'mean') === 'mean') model.weights.layers[model.weights.layers.length - 1]!.bias.set(mean);
  // A head starts as the flat mean picture: zero weights add nothing to the hidden layers' gradients at first.
  if (opts.levelHeads === true) {
    model.weights.heads = layerShapes(spec).heads.map(([out, inp]) => ({ weight: new Float32Array(out * inp), bias: mean.slice() }));
  }
  return model;
}
