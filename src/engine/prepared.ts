/**
 * A model rearranged once, on the CPU, into what the coarse ops and the last-level kernels
 * read: transposed layers (on first use, shared between models with the same weight arrays),
 * modulation tables already multiplied by s_i, and every hidden width padded to a multiple of 4
 * (zero weights, biases and modulations: a padded unit is sin(0) = 0 and adds nothing) so
 * kernels read vec4s.
 */
import { axisStrides } from '../model/digits.js';
import { axisCount, levelCount, validateSpec, validateWeights } from '../model/spec.js';
import type { AsmrModel } from '../model/types.js';
import { digitTupleCoords } from '../tiles/grids.js';

export interface PreparedLayer {
  /** The layer's weight as stored, [outStored, fanInStored] row-major (shared, never copied). */
  weight: Float32Array;
  outStored: number;
  fanInStored: number;
  /** [fanIn, out] (W transposed and padded) so that h @ weightT is the layer; built on first use. */
  readonly weightT: Float32Array;
  bias: Float32Array;
  fanIn: number;
  out: number;
}

export interface PreparedModel {
  model: AsmrModel;
  levels: number;
  strides: number[][];
  /** Hidden layers 0..L-2, widths padded to a multiple of 4 (layer L-2's to 4 * hidden4). */
  layers: PreparedLayer[];
  /** mods[i] = s_i M_i c over the level-(i+1) digit tuples: [T_{i+1}, out of layer i]. */
  mods: Float32Array[];
  hidden4: number;
  /** W_last grouped for the GPU kernels: [(unit group k, channel c)] -> W_last[c, 4k .. 4k+3]. */
  lastGrouped: Float32Array;
  /** W_last transposed to [4 * hidden4, 4] for the CPU kernel. */
  lastT: Float32Array;
  lastBias: [number, number, number, number];
  /** sin/cos of w_{L-2} s_{L-2} M_{L-2} c per last-level digit tuple in blocks of 4 units, [T, hidden4, (sin x4, cos x4)], phases in float64. */
  lastModTrig: Float32Array;
}

/**
 * W^T per stored weight, built once: a progressive render's preview models share their layers'
 * weight arrays with the full model, so they share the transpose too, and a decoder that never
 * reads W^T (the WebAssembly one packs its panels from W) never pays for it.
 */
const transposes = new WeakMap<Float32Array, Float32Array>();

function transposed(weight: Float32Array, out: number, fanIn: number, padIn: number, padOut: number): Float32Array {
  let t = transposes.get(weight);
  if (t?.length !== padIn * padOut) {
    t = new Float32Array(padIn * padOut);
    for (let o = 0; o < out; o++) for (let k = 0; k < fanIn; k++) t[k * padOut + o] = weight[o * fanIn + k]!;
    transposes.set(weight, t);
  }
  return t;
}

/** W^T (on first use) with zero rows for the padded inputs (padIn >= fanIn) and zero columns for the padded outputs. */
function prepareLayer(weight: Float32Array, bias: Float32Array, out: number, fanIn: number, padIn: number, padOut: number): PreparedLayer {
  const b = new Float32Array(padOut);
  b.set(bias.subarray(0, out));
  return {
    weight,
    outStored: out,
    fanInStored: fanIn,
    get weightT() {
      return transposed(weight, out, fanIn, padIn, padOut);
    },
    bias: b,
    fanIn: padIn,
    out: padOut,
  };
}

/** s * M c per digit tuple, [T, padOut], and (for the last level) its sin/cos at w s M c in float64. */
function modulation(model: AsmrModel, i: number, padOut: number, trig: boolean): { mod: Float32Array; trig: Float32Array } {
  const { spec, weights } = model;
  const d = axisCount(spec);
  const width = spec.widths[i]!;
  const m = weights.modulators[i]!;
  const coords = digitTupleCoords(spec.bases, i + 1);
  const tuples = coords.length / d;
  const s = spec.modScales[i]!;
  const w = spec.omegas[i]!;
  const mod = new Float32Array(tuples * padOut);
  const table = new Float32Array(trig ? tuples * padOut * 2 : 0);
  for (let t = 0; t < tuples; t++) {
    for (let j = 0; j < width; j++) {
      let v = 0;
      for (let a = 0; a < d; a++) v += m[j * d + a]! * coords[t * d + a]!;
      mod[t * padOut + j] = s * v;
      if (trig) {
        const at = t * padOut * 2 + (j >> 2) * 8 + (j & 3);
        table[at] = Math.sin(w * s * v);
        table[at + 4] = Math.cos(w * s * v);
      }
    }
    // Padded units: sin(0 + 0) = 0 in the direct form; cos B = 1 keeps the angle-addition form exact too.
    if (trig) for (let j = width; j < padOut; j++) table[t * padOut * 2 + (j >> 2) * 8 + (j & 3) + 4] = 1;
  }
  return { mod, trig: table };
}

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

/** L = 1 models (no hidden layer) keep only the model: they decode with the plain evaluator. */
export function prepareModel(model: AsmrModel): PreparedModel {
  const { spec, weights } = model;
  validateSpec(spec);
  validateWeights(model);
  const levels = levelCount(spec);
  const strides = axisStrides(spec);
  const top = levels - 2;
  if (top < 0) {
    const none = new Float32Array(0);
    return { model, levels, strides, layers: [], mods: [], hidden4: 0, lastGrouped: none, lastT: none, lastBias: [0, 0, 0, 0], lastModTrig: none };
  }
  const hidden = spec.widths[top]!;
  const hidden4 = Math.ceil(hidden / 4);
  const padded = hidden4 * 4;
  const layers: PreparedLayer[] = [];
  const mods: Float32Array[] = [];
  let lastModTrig: Float32Array = new Float32Array(0);
  for (let i = 0; i <= top; i++) {
    const fanIn = i === 0 ? axisCount(spec) : spec.widths[i - 1]!;
    const out = spec.widths[i]!;
    const padOut = i === top ? padded : pad4(out);
    layers.push(prepareLayer(weights.layers[i]!.weight, weights.layers[i]!.bias, out, fanIn, i === 0 ? fanIn : pad4(fanIn), padOut));
    const mod = modulation(model, i, padOut, i === top);
    mods.push(mod.mod);
    if (i === top) lastModTrig = mod.trig;
  }
  const last = weights.layers[levels - 1]!;
  const lastGrouped = new Float32Array(padded * 4);
  const lastT = new Float32Array(padded * 4);
  for (let c = 0; c < spec.channels; c++) {
    for (let j = 0; j < hidden; j++) {
      const v = last.weight[c * hidden + j]!;
      lastGrouped[(Math.floor(j / 4) * 4 + c) * 4 + (j % 4)] = v;
      lastT[j * 4 + c] = v;
    }
  }
  const lastBias: [number, number, number, number] = [0, 0, 0, 0];
  for (let c = 0; c < spec.channels; c++) lastBias[c] = last.bias[c]!;
  return { model, levels, strides, layers, mods, hidden4, lastGrouped, lastT, lastBias, lastModTrig };
}
