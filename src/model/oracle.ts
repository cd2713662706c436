/**
 * The per-coordinate evaluator: the DESIGN formula applied to one coordinate at a time in
 * float64 on the float32 weights. Slow (full network per sample) but obviously right, so every
 * other decode path is tested against it.
 */
import { InrModelError } from '../util/errors.js';
import { axisStrides, digitAt, fullRegion, levelCoord, regionSize, validateRegion } from './digits.js';
import { axisCount, levelCount, validateSpec, validateWeights } from './spec.js';
import type { AsmrModel, Region } from './types.js';

type Evaluate = (coord: readonly number[], out: Float64Array) => Float64Array;

function makeEvaluator(model: AsmrModel): Evaluate {
  const { spec, weights } = model;
  const levels = levelCount(spec);
  const d = axisCount(spec);
  const strides = axisStrides(spec);
  const maxWidth = Math.max(d, ...spec.widths);
  let h = new Float64Array(maxWidth);
  let next = new Float64Array(maxWidth);
  const c = new Float64Array(d);

  const fillLevelCoords = (coord: readonly number[], level: number): void => {
    for (let a = 0; a < d; a++) {
      const base = spec.bases[a]![level]!;
      c[a] = levelCoord(digitAt(coord[a]!, strides[a]![level]!, base), base);
    }
  };

  return (coord, out) => {
    fillLevelCoords(coord, 0);
    h.set(c);
    let fanIn = d;
    for (let i = 0; i < levels - 1; i++) {
      const width = spec.widths[i]!;
      const { weight, bias } = weights.layers[i]!;
      const mod = weights.modulators[i]!;
      const omega = spec.omegas[i]!;
      const scale = spec.modScales[i]!;
      fillLevelCoords(coord, i + 1);
      for (let o = 0; o < width; o++) {
        let z = bias[o]!;
        for (let k = 0; k < fanIn; k++) z += weight[o * fanIn + k]! * h[k]!;
        let m = 0;
        for (let a = 0; a < d; a++) m += mod[o * d + a]! * c[a]!;
        next[o] = Math.sin(omega * (z + scale * m));
      }
      [h, next] = [next, h];
      fanIn = width;
    }
    const { weight, bias } = weights.layers[levels - 1]!;
    for (let o = 0; o < spec.channels; o++) {
      let y = bias[o]!;
      for (let k = 0; k < fanIn; k++) y += weight[o * fanIn + k]! * h[k]!;
      out[o] = y;
    }
    return out;
  };
}

function checkCoord(model: AsmrModel, coord: readonly number[]): void {
  const { shape } = model.spec;
  if (coord.length !== shape.length) throw new InrModelError('invalid-coord', `must list ${shape.length} indices`, 'coord');
  coord.forEach((x, a) => {
    if (!Number.isInteger(x) || x < 0 || x >= shape[a]!) {
      throw new InrModelError('invalid-coord', `must be an integer in 0..${shape[a]! - 1}`, `coord[${a}]`);
    }
  });
}

/** The unclamped output (one value per channel) at one integer coordinate. */
export function evaluateAt(model: AsmrModel, coord: number[], out?: Float64Array): Float64Array {
  checkCoord(model, coord);
  return makeEvaluator(model)(coord, out ?? new Float64Array(model.spec.channels));
}

/**
 * Decodes `region` (default: the whole signal) one coordinate at a time. Output:
 * `[prod(region.size), channels]`, row-major over the region, outermost axis first, unclamped.
 */
export function decodeOracle(model: AsmrModel, region?: Region): Float32Array {
  const { spec } = model;
  validateSpec(spec);
  validateWeights(model);
  const box = region ?? fullRegion(spec);
  validateRegion(spec, box);
  const channels = spec.channels;
  const d = axisCount(spec);
  const evaluate = makeEvaluator(model);
  const out = new Float32Array(regionSize(box) * channels);
  const y = new Float64Array(channels);
  const offset = new Array<number>(d).fill(0);
  const coord = new Array<number>(d);
  for (let n = 0; n < out.length; n += channels) {
    for (let a = 0; a < d; a++) coord[a] = box.start[a]! + offset[a]!;
    evaluate(coord, y);
    for (let ch = 0; ch < channels; ch++) out[n + ch] = y[ch]!;
    // Odometer over the region, innermost axis fastest.
    for (let a = d - 1; a >= 0 && (offset[a] = offset[a]! + 1) === box.size[a]; a--) offset[a] = 0;
  }
  return out;
}
