/**
 * The shared (level-by-level) evaluator. `W_i h_i + b_i` depends only on a sample's level
 * 0..i digits, so it is computed once per distinct level-i prefix the region touches and shared
 * by every sample below it; the modulation depends only on the level-(i+1) digits, so it is a
 * small table. Only the last level runs per sample, fused so that no samples x hidden array is
 * ever built. See docs/MODEL.md.
 *
 * On the CPU a sine costs far more than a multiply-add, so the child activation
 * sin(A + B), with A = w_i Z_i[parent] and B = w_i s_i Mod_i[digit], is expanded as
 * sin A cos B + cos A sin B: sines and cosines are taken once per parent prefix and once per
 * digit tuple, and each child costs two multiplies and an add per unit, no sine. The phases
 * are formed in float64 straight from the accumulators, so no float32 rounding is ever
 * amplified by w_i.
 *
 * Internally every signal is padded to 3 axes with leading size-1 axes (all bases 1), so one
 * triple loop serves D = 1, 2 and 3.
 */
import { axisStrides, fullRegion, levelCoord, prefixRanges, regionSize, validateRegion } from './digits.js';
import type { PrefixRange } from './digits.js';
import { axisCount, levelCount, validateSpec, validateWeights } from './spec.js';
import type { AsmrModel, Region } from './types.js';

const AXES = 3;
/** Last-layer weights are padded to this many channels so the per-sample loop never branches. */
const LANES = 4;

/**
 * sin and cos of a phase per row and unit, interleaved: [rows, width, 2] with
 * [..., 0] = sin, [..., 1] = cos.
 */
type TrigTable = Float64Array;

/** The model's axes padded in front to AXES. */
interface Padded {
  bases: number[][];
  /** Per level, per padded axis: the prefixes the region touches. */
  grids: PrefixRange[][];
}

function padAxes(model: AsmrModel, box: Region): Padded {
  const { spec } = model;
  const levels = levelCount(spec);
  const pad = AXES - axisCount(spec);
  const ones = (): number[] => new Array<number>(levels).fill(1);
  const bases = [...Array.from({ length: pad }, ones), ...spec.bases];
  const strides = [...Array.from({ length: pad }, ones), ...axisStrides(spec)];
  const box3: Region = {
    start: [...new Array<number>(pad).fill(0), ...box.start],
    size: [...new Array<number>(pad).fill(1), ...box.size],
  };
  const grids = Array.from({ length: levels }, (_, l) => prefixRanges(strides, box3, l));
  return { bases, grids };
}

/** Per padded axis, for each child prefix of a level's grid: its parent's grid index and its digit. */
interface Transition {
  parent: Int32Array[];
  digit: Int32Array[];
  /** Child grid size per axis. */
  counts: number[];
  /** Parent grid size per axis. */
  parentCounts: number[];
  /** Child-level base per axis (digit-tuple strides). */
  bases: number[];
}

function transition(padded: Padded, level: number): Transition {
  const child = padded.grids[level]!;
  const parentGrid = padded.grids[level - 1]!;
  const bases = padded.bases.map((axis) => axis[level]!);
  const parent: Int32Array[] = [];
  const digit: Int32Array[] = [];
  child.forEach(({ lo, count }, a) => {
    const p = new Int32Array(count);
    const g = new Int32Array(count);
    for (let r = 0; r < count; r++) {
      const q = lo + r;
      p[r] = Math.floor(q / bases[a]!) - parentGrid[a]!.lo;
      g[r] = q % bases[a]!;
    }
    parent.push(p);
    digit.push(g);
  });
  return {
    parent,
    digit,
    counts: child.map((r) => r.count),
    parentCounts: parentGrid.map((r) => r.count),
    bases,
  };
}

function setTrig(table: TrigTable, at: number, phase: number): void {
  table[at] = Math.sin(phase);
  table[at + 1] = Math.cos(phase);
}

/** B = w_i s_i M_i c for every level-(i+1) digit tuple (row-major over axes), as sin/cos. */
function modulationTrig(model: AsmrModel, i: number): TrigTable {
  const { spec, weights } = model;
  const d = axisCount(spec);
  const width = spec.widths[i]!;
  const m = weights.modulators[i]!;
  const scale = spec.omegas[i]! * spec.modScales[i]!;
  const bases = spec.bases.map((axis) => axis[i + 1]!);
  const tuples = bases.reduce((n, b) => n * b, 1);
  const table = new Float64Array(tuples * width * 2);
  const c = new Float64Array(d);
  for (let t = 0; t < tuples; t++) {
    // Row-major digits of tuple t, innermost axis fastest.
    for (let a = d - 1, rest = t; a >= 0; a--) {
      c[a] = levelCoord(rest % bases[a]!, bases[a]!);
      rest = Math.floor(rest / bases[a]!);
    }
    for (let j = 0; j < width; j++) {
      let v = 0;
      for (let a = 0; a < d; a++) v += m[j * d + a]! * c[a]!;
      setTrig(table, (t * width + j) * 2, scale * v);
    }
  }
  return table;
}

/** A = w_0 (W_0 c0 + b_0) for every level-0 prefix in the grid, as sin/cos. */
function levelZeroTrig(model: AsmrModel, padded: Padded): TrigTable {
  const { spec, weights } = model;
  const d = axisCount(spec);
  const pad = AXES - d;
  const width = spec.widths[0]!;
  const omega = spec.omegas[0]!;
  const { weight, bias } = weights.layers[0]!;
  const grid = padded.grids[0]!;
  const count = grid.reduce((n, r) => n * r.count, 1);
  const table = new Float64Array(count * width * 2);
  const c = new Float64Array(d);
  for (let p = 0; p < count; p++) {
    for (let a = AXES - 1, rest = p; a >= pad; a--) {
      const { lo, count: n } = grid[a]!;
      c[a - pad] = levelCoord(lo + (rest % n), padded.bases[a]![0]!);
      rest = Math.floor(rest / n);
    }
    for (let o = 0; o < width; o++) {
      let z = bias[o]!;
      for (let a = 0; a < d; a++) z += weight[o * d + a]! * c[a]!;
      setTrig(table, (p * width + o) * 2, omega * z);
    }
  }
  return table;
}

/**
 * For every level-(i+1) prefix: h = sin(A[parent] + B[digit]) by angle addition, then
 * A' = w_{i+1} (W_{i+1} h + b_{i+1}), as sin/cos.
 */
function nextLevelTrig(model: AsmrModel, padded: Padded, i: number, parentTrig: TrigTable): TrigTable {
  const { spec, weights } = model;
  const fanIn = spec.widths[i]!;
  const width = spec.widths[i + 1]!;
  const omega = spec.omegas[i + 1]!;
  const { weight, bias } = weights.layers[i + 1]!;
  const mod = modulationTrig(model, i);
  const t = transition(padded, i + 1);
  const [n0, n1, n2] = t.counts;
  const [, np1, np2] = t.parentCounts;
  const [, b1, b2] = t.bases;
  const [p0, p1, p2] = t.parent;
  const [g0, g1, g2] = t.digit;
  const table = new Float64Array(n0! * n1! * n2! * width * 2);
  const h = new Float64Array(fanIn);
  let q = 0;
  for (let r0 = 0; r0 < n0!; r0++) {
    for (let r1 = 0; r1 < n1!; r1++) {
      const rowParent = (p0![r0]! * np1! + p1![r1]!) * np2!;
      const rowDigit = (g0![r0]! * b1! + g1![r1]!) * b2!;
      for (let r2 = 0; r2 < n2!; r2++, q++) {
        const aOff = (rowParent + p2![r2]!) * fanIn * 2;
        const bOff = (rowDigit + g2![r2]!) * fanIn * 2;
        for (let j = 0, k = 0; j < fanIn; j++, k += 2) {
          h[j] = parentTrig[aOff + k]! * mod[bOff + k + 1]! + parentTrig[aOff + k + 1]! * mod[bOff + k]!;
        }
        for (let o = 0; o < width; o++) {
          let z = bias[o]!;
          const row = o * fanIn;
          for (let j = 0; j < fanIn; j++) z += weight[row + j]! * h[j]!;
          setTrig(table, (q * width + o) * 2, omega * z);
        }
      }
    }
  }
  return table;
}

/** The last layer transposed to [in, LANES] with zero padding, and its bias padded to LANES. */
function paddedLastLayer(model: AsmrModel): { weight: Float64Array; bias: Float64Array } {
  const { spec, weights } = model;
  const layer = weights.layers[weights.layers.length - 1]!;
  const fanIn = layer.weight.length / spec.channels;
  const weight = new Float64Array(fanIn * LANES);
  const bias = new Float64Array(LANES);
  for (let ch = 0; ch < spec.channels; ch++) {
    bias[ch] = layer.bias[ch]!;
    for (let j = 0; j < fanIn; j++) weight[j * LANES + ch] = layer.weight[ch * fanIn + j]!;
  }
  return { weight, bias };
}

/** The fused last level: y = W_last sin(A[parent] + B[digit]) + b, straight into `out`. */
function lastLevel(model: AsmrModel, padded: Padded, parentTrig: TrigTable, out: Float32Array): void {
  const { spec } = model;
  const i = spec.widths.length - 1;
  const fanIn = spec.widths[i]!;
  const channels = spec.channels;
  const mod = modulationTrig(model, i);
  const last = paddedLastLayer(model);
  const w = last.weight;
  const [c0, c1, c2, c3] = last.bias;
  const t = transition(padded, i + 1);
  const [n0, n1, n2] = t.counts;
  const [, np1, np2] = t.parentCounts;
  const [, b1, b2] = t.bases;
  const [p0, p1, p2] = t.parent;
  const [g0, g1, g2] = t.digit;
  let n = 0;
  for (let r0 = 0; r0 < n0!; r0++) {
    for (let r1 = 0; r1 < n1!; r1++) {
      const rowParent = (p0![r0]! * np1! + p1![r1]!) * np2!;
      const rowDigit = (g0![r0]! * b1! + g1![r1]!) * b2!;
      for (let r2 = 0; r2 < n2!; r2++, n += channels) {
        const aOff = (rowParent + p2![r2]!) * fanIn * 2;
        const bOff = (rowDigit + g2![r2]!) * fanIn * 2;
        let y0 = c0!;
        let y1 = c1!;
        let y2 = c2!;
        let y3 = c3!;
        for (let j = 0, k = 0, l = 0; j < fanIn; j++, k += 2, l += LANES) {
          const v = parentTrig[aOff + k]! * mod[bOff + k + 1]! + parentTrig[aOff + k + 1]! * mod[bOff + k]!;
          y0 += w[l]! * v;
          y1 += w[l + 1]! * v;
          y2 += w[l + 2]! * v;
          y3 += w[l + 3]! * v;
        }
        out[n] = y0;
        if (channels > 1) out[n + 1] = y1;
        if (channels > 2) out[n + 2] = y2;
        if (channels > 3) out[n + 3] = y3;
      }
    }
  }
}

/** L = 1: no hidden layer, y = W_0 c0 + b_0 per sample (level 0 is the sample itself). */
function singleLevel(model: AsmrModel, box: Region, out: Float32Array): void {
  const { spec, weights } = model;
  const d = axisCount(spec);
  const channels = spec.channels;
  const { weight, bias } = weights.layers[0]!;
  const offset = new Array<number>(d).fill(0);
  const c = new Float64Array(d);
  for (let n = 0; n < out.length; n += channels) {
    for (let a = 0; a < d; a++) c[a] = levelCoord(box.start[a]! + offset[a]!, spec.shape[a]!);
    for (let ch = 0; ch < channels; ch++) {
      let y = bias[ch]!;
      for (let a = 0; a < d; a++) y += weight[ch * d + a]! * c[a]!;
      out[n + ch] = y;
    }
    for (let a = d - 1; a >= 0 && (offset[a] = offset[a]! + 1) === box.size[a]; a--) offset[a] = 0;
  }
}

/**
 * Decodes `region` (default: the whole signal) level by level. Output:
 * `[prod(region.size), channels]`, row-major over the region, outermost axis first, unclamped.
 */
export function decodeShared(model: AsmrModel, region?: Region): Float32Array {
  const { spec } = model;
  validateSpec(spec);
  validateWeights(model);
  const box = region ?? fullRegion(spec);
  validateRegion(spec, box);
  const out = new Float32Array(regionSize(box) * spec.channels);
  const levels = levelCount(spec);
  if (levels === 1) {
    singleLevel(model, box, out);
    return out;
  }
  const padded = padAxes(model, box);
  let trig = levelZeroTrig(model, padded);
  for (let i = 0; i < levels - 2; i++) trig = nextLevelTrig(model, padded, i, trig);
  lastLevel(model, padded, trig, out);
  return out;
}
