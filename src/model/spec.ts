import { InrModelError } from '../util/errors.js';
import type { AsmrModel, AsmrSpec } from './types.js';

/** Hard limits on a model description; checked before anything is allocated for it. */
export const MODEL_LIMITS = {
  maxAxes: 3,
  maxLevels: 16,
  maxWidth: 4096,
  maxChannels: 4,
  maxBase: 1 << 16,
  /** Per axis and in total: 2^31 - 1 keeps every index a safe small integer. */
  maxAxisSize: 1 << 20,
  maxTotalSize: 2 ** 31 - 1,
} as const;

export function levelCount(spec: AsmrSpec): number {
  return spec.bases[0]!.length;
}

export function axisCount(spec: AsmrSpec): number {
  return spec.shape.length;
}

function isPositiveInt(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Checks that `spec` describes a well-formed ASMR model within MODEL_LIMITS. Throws an
 * InrModelError naming the first bad field (`prefix` + field path).
 */
export function validateSpec(spec: AsmrSpec, prefix = ''): void {
  const fail = (field: string, msg: string): never => {
    throw new InrModelError('invalid-model', msg, prefix + field);
  };
  const { shape, bases, channels, widths, omegas, modScales } = spec;
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > MODEL_LIMITS.maxAxes) {
    fail('shape', `must list 1 to ${MODEL_LIMITS.maxAxes} axis sizes`);
  }
  let total = 1;
  shape.forEach((s, a) => {
    if (!isPositiveInt(s, MODEL_LIMITS.maxAxisSize)) {
      fail(`shape[${a}]`, `must be an integer in 1..${MODEL_LIMITS.maxAxisSize}`);
    }
    total *= s;
  });
  if (total > MODEL_LIMITS.maxTotalSize) fail('shape', `has ${total} samples, over ${MODEL_LIMITS.maxTotalSize}`);
  if (!Array.isArray(bases) || bases.length !== shape.length) fail('bases', 'needs one list per axis');
  const levels = Array.isArray(bases[0]) ? bases[0].length : 0;
  if (levels < 1 || levels > MODEL_LIMITS.maxLevels) fail('bases[0]', `must list 1 to ${MODEL_LIMITS.maxLevels} levels`);
  bases.forEach((axisBases, a) => {
    if (!Array.isArray(axisBases) || axisBases.length !== levels) {
      fail(`bases[${a}]`, `must list ${levels} levels like bases[0]`);
    }
    let prod = 1;
    axisBases.forEach((b, l) => {
      if (!isPositiveInt(b, MODEL_LIMITS.maxBase)) fail(`bases[${a}][${l}]`, 'must be a positive integer');
      prod *= b;
    });
    if (prod !== shape[a]) fail(`bases[${a}]`, `multiply to ${prod}, not shape[${a}] = ${shape[a]}`);
  });
  if (!isPositiveInt(channels, MODEL_LIMITS.maxChannels)) fail('channels', `must be 1 to ${MODEL_LIMITS.maxChannels}`);
  const hidden = levels - 1;
  for (const [name, list] of [
    ['widths', widths],
    ['omegas', omegas],
    ['modScales', modScales],
  ] as const) {
    if (!Array.isArray(list) || list.length !== hidden) fail(name, `must have ${hidden} entries (levels - 1)`);
  }
  widths.forEach((w, i) => {
    if (!isPositiveInt(w, MODEL_LIMITS.maxWidth)) fail(`widths[${i}]`, `must be an integer in 1..${MODEL_LIMITS.maxWidth}`);
  });
  omegas.forEach((w, i) => {
    if (!isFiniteNumber(w)) fail(`omegas[${i}]`, 'must be a finite number');
  });
  modScales.forEach((s, i) => {
    if (!isFiniteNumber(s)) fail(`modScales[${i}]`, 'must be a finite number');
  });
}

/** Row-major [out, in] shapes of every weight tensor the spec implies. */
export function layerShapes(spec: AsmrSpec): { layers: [number, number][]; modulators: [number, number][]; heads: [number, number][] } {
  const d = axisCount(spec);
  const layers: [number, number][] = [];
  let fanIn = d;
  for (const w of spec.widths) {
    layers.push([w, fanIn]);
    fanIn = w;
  }
  layers.push([spec.channels, fanIn]);
  return {
    layers,
    modulators: spec.widths.map((w) => [w, d] as [number, number]),
    // A head per level 1..L-2 (level L-1's output is the last layer itself).
    heads: spec.widths.slice(0, -1).map((w) => [spec.channels, w] as [number, number]),
  };
}

/** Checks weight array sizes against the spec and that every weight is finite. */
export function validateWeights(model: AsmrModel, prefix = ''): void {
  const { spec, weights } = model;
  const shapes = layerShapes(spec);
  const check = (field: string, arr: Float32Array | undefined, expected: number): void => {
    if (!(arr instanceof Float32Array) || arr.length !== expected) {
      throw new InrModelError('invalid-model', `must hold ${expected} float32 values`, prefix + field);
    }
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) {
        throw new InrModelError('non-finite-weight', `value ${i} is ${arr[i]}`, prefix + field);
      }
    }
  };
  if (weights.layers.length !== shapes.layers.length) {
    throw new InrModelError('invalid-model', `must have ${shapes.layers.length} layers`, prefix + 'layers');
  }
  if (weights.modulators.length !== shapes.modulators.length) {
    throw new InrModelError('invalid-model', `must have ${shapes.modulators.length} modulators`, prefix + 'modulators');
  }
  shapes.layers.forEach(([out, inp], i) => {
    check(`layers[${i}].weight`, weights.layers[i]!.weight, out * inp);
    check(`layers[${i}].bias`, weights.layers[i]!.bias, out);
  });
  shapes.modulators.forEach(([out, inp], i) => check(`modulators[${i}]`, weights.modulators[i], out * inp));
  if (weights.heads === undefined) return;
  if (!Array.isArray(weights.heads) || weights.heads.length !== shapes.heads.length) {
    throw new InrModelError('invalid-model', `must have ${shapes.heads.length} level heads (levels - 2)`, prefix + 'heads');
  }
  shapes.heads.forEach(([out, inp], j) => {
    check(`heads[${j}].weight`, weights.heads![j]!.weight, out * inp);
    check(`heads[${j}].bias`, weights.heads![j]!.bias, out);
  });
}
