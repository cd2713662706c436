/** The model core: ASMR spec as data, digit decomposition, evaluators, cost model. */
export type { AsmrModel, AsmrSpec, AsmrWeights, DenseLayer, Region } from './types.js';
export { MODEL_LIMITS, axisCount, layerShapes, levelCount, validateSpec, validateWeights } from './spec.js';
export {
  axisStrides,
  coordDigits,
  cumulativeBases,
  digitAt,
  digitTupleCount,
  fullRegion,
  levelCoord,
  prefixCount,
  prefixRanges,
  regionPrefixCount,
  regionSize,
  validateRegion,
  type PrefixRange,
} from './digits.js';
export { decodeOracle, evaluateAt } from './oracle.js';
export { decodeShared } from './shared.js';
export { modelCost, regionCost, type ModelCost, type RegionCost } from './cost.js';
export { headModel, levelPicture, previewModel, previewRegion, type PreviewModel } from './preview.js';
export { randomModel } from './random.js';
export { fillUniform, mulberry32, type Prng } from './prng.js';
