/**
 * Which dtype each tensor of a model gets, and what a coded file stores for a model
 * (docs/FORMAT.md, "Coded tensors").
 */
import { wrapPhases } from '../model/phases.js';
import { layerShapes } from '../model/spec.js';
import type { AsmrModel } from '../model/types.js';
import { MAX_CODED_BITS, codedBits, codedDtype, fakeQuantise } from './coded.js';
import type { ExpectedTensor } from './tensor-table.js';
import type { InrDtype } from './types.js';

/**
 * Bits of a tensor in a model coded at `bits`: the weights of layers 1..L-1 get `bits`; layer 0's
 * weight, the modulators and every bias 4 more (at most 16). Their rounding errors enter a sine's
 * phase multiplied by w_i (or w_i s_i), with no sum over many inputs to average them out
 * (docs/FORMAT.md, "Coded tensors", has the measurements behind the margin).
 */
function codedTensorBits(part: ExpectedTensor['part'], layer: number, bits: number): number {
  // A head is a last layer (a sum over many inputs, no sine after it).
  const extra = (part === 'weight' && layer > 0) || part === 'head-weight' ? 0 : 4;
  return Math.min(MAX_CODED_BITS, bits + extra);
}

/**
 * The dtype of a tensor of a model written as `dtype`: a plain dtype applies to the weights of
 * layers 1..L-1 (the rest stay f32: tiny, and their errors are multiplied by the sine
 * frequencies); a coded one to every tensor, at codedTensorBits.
 */
export function tensorDtype(part: ExpectedTensor['part'], layer: number, dtype: InrDtype): InrDtype {
  const bits = codedBits(dtype);
  if (bits !== undefined) return codedDtype(codedTensorBits(part, layer, bits));
  return (part === 'weight' && layer > 0) || part === 'head-weight' ? dtype : 'f32';
}

/**
 * What a file coded at `bits` (dtype `q{bits}`) stores for `model`: its periodic weights wrapped
 * (wrapPhases: the same decode, a smaller range), every tensor quantised at its bits and decoded
 * again. The trainer's quantisation-aware phase trains through this.
 */
export function codedModel(model: AsmrModel, bits: number): AsmrModel {
  const wrapped = wrapPhases(model);
  const { layers, modulators, heads } = layerShapes(model.spec);
  return {
    spec: model.spec,
    weights: {
      layers: wrapped.weights.layers.map((l, i) => ({
        weight: fakeQuantise(l.weight, layers[i]!, codedTensorBits('weight', i, bits)),
        bias: fakeQuantise(l.bias, [l.bias.length], codedTensorBits('bias', i, bits)),
      })),
      modulators: wrapped.weights.modulators.map((m, i) => fakeQuantise(m, modulators[i]!, codedTensorBits('modulator', i, bits))),
      ...(wrapped.weights.heads
        ? {
            heads: wrapped.weights.heads.map((h, j) => ({
              weight: fakeQuantise(h.weight, heads[j]!, codedTensorBits('head-weight', j + 1, bits)),
              bias: fakeQuantise(h.bias, [h.bias.length], codedTensorBits('head-bias', j + 1, bits)),
            })),
          }
        : {}),
    },
  };
}
