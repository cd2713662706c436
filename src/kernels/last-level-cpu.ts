/**
 * The fused last level for WASM and CPU. Here the sines, not the MACs, dominate (a Math.sin
 * costs several multiply-adds), so no sine is taken per sample: with A = w Z[parent] and
 * B = w s Mod[digit], sin(A + B) = sin A cos B + cos A sin B, where sin A / cos A are tabulated
 * once per parent prefix (1 / prod(last bases) of the samples) and sin B / cos B once per digit
 * tuple (at model load). Each unit then costs 2 multiplies and an add, with exact trig. The loop
 * runs in the WebAssembly SIMD module (last-level-simd.ts, with the parent rows' sin/cos taken
 * there too) where available, else in plain JavaScript; docs/ENGINE.md has the measurements.
 *
 * Trig tables are in blocks of 4 units: [rows, hidden4, (sin x4, cos x4)].
 */
import type { LastLevelParams } from './params.js';
import { reserve } from './coarse-cpu.js';
import type { SimdKernels } from './simd-module.js';

/** sin and cos of `omega * z` for a [rows, 4 * hidden4] table, blocked (phases in float64). */
function trigTable(z: Float32Array, omega: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(z.length * 2);
  for (let i = 0; i < z.length; i++) {
    const phase = omega * z[i]!;
    const at = (i >> 2) * 8 + (i & 3);
    out[at] = Math.sin(phase);
    out[at + 4] = Math.cos(phase);
  }
  return out;
}

/** The toRgba8 mapping (grey, grey + alpha, RGB, RGBA), scaled to 0..255 and clamped. */
export function writeDisplay(
  out: Float32Array,
  o: number,
  y0: number,
  y1: number,
  y2: number,
  y3: number,
  p: Pick<LastLevelParams, 'lo' | 'scale' | 'channels'>,
): void {
  const q = (v: number): number => Math.min(255, Math.max(0, (v - p.lo) * p.scale));
  const c = p.channels;
  if (c >= 3) {
    out[o] = q(y0);
    out[o + 1] = q(y1);
    out[o + 2] = q(y2);
    out[o + 3] = c === 4 ? q(y3) : 255;
  } else {
    const g = q(y0);
    out[o] = g;
    out[o + 1] = g;
    out[o + 2] = g;
    out[o + 3] = c === 2 ? q(y1) : 255;
  }
}

function emit(out: Float32Array, o: number, y0: number, y1: number, y2: number, y3: number, p: LastLevelParams): void {
  if (p.mode === 'display') return writeDisplay(out, o, y0, y1, y2, y3, p);
  out[o] = y0;
  out[o + 1] = y1;
  out[o + 2] = y2;
  out[o + 3] = y3;
}

/** Row (outer axes) offsets shared by both loops: parent row and digit row of (i0, i1). */
function rows(p: LastLevelParams, each: (i0: number, i1: number, parentRow: number, digitRow: number, o: number) => void): void {
  const [s0, s1, s2] = p.tileSize;
  const [t0, t1] = p.tileStart;
  const [b0, b1] = p.lastBase;
  const [l0, l1] = p.parentLo;
  const [, n1, n2] = p.parentCount;
  for (let i0 = 0, o = 0; i0 < s0; i0++) {
    const x0 = t0 + i0;
    for (let i1 = 0; i1 < s1; i1++, o += s2 * 4) {
      const x1 = t1 + i1;
      each(i0, i1, ((Math.floor(x0 / b0) - l0) * n1 + (Math.floor(x1 / b1) - l1)) * n2, ((x0 % b0) * b1 + (x1 % b1)) * p.lastBase[2], o);
    }
  }
}

/**
 * Plain JavaScript. z: [parents, 4 * hidden4] pre-activations of the tile's parent grid;
 * modTrig: the blocked sin/cos of w s Mod per digit tuple; weight: W_last transposed to
 * [4 * hidden4, 4]. Writes [samples, 4] into `out` in the raw or display mapping.
 */
export function lastLevelJs(z: Float32Array, modTrig: Float32Array, weight: Float32Array, p: LastLevelParams, out: Float32Array): void {
  const hidden = p.hidden4 * 4;
  const row = hidden * 2;
  const parentTrig = trigTable(z, p.omega);
  const [b2, l2, t2, s2] = [p.lastBase[2], p.parentLo[2], p.tileStart[2], p.tileSize[2]];
  const [c0, c1, c2, c3] = p.bias;
  rows(p, (_i0, _i1, parentRow, digitRow, o) => {
    for (let i2 = 0; i2 < s2; i2++, o += 4) {
      const x2 = t2 + i2;
      const a = (parentRow + Math.floor(x2 / b2) - l2) * row;
      const m = (digitRow + (x2 % b2)) * row;
      let y0 = c0;
      let y1 = c1;
      let y2 = c2;
      let y3 = c3;
      for (let g = 0; g < row; g += 8) {
        for (let l = 0; l < 4; l++) {
          const v = parentTrig[a + g + l]! * modTrig[m + g + l + 4]! + parentTrig[a + g + l + 4]! * modTrig[m + g + l]!;
          const w = 2 * g + 4 * l;
          y0 += weight[w]! * v;
          y1 += weight[w + 1]! * v;
          y2 += weight[w + 2]! * v;
          y3 += weight[w + 3]! * v;
        }
      }
      emit(out, o, y0, y1, y2, y3, p);
    }
  });
}

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * The row kernel's output mapping (see last-level-simd.ts): bias, mul, add, min, max per lane,
 * and whether grey lanes (0, 0, 0, 1) are taken. Display: (y + bias - lo) * scale clamped to
 * 0..255, alpha 255 where the model has none; raw: y + bias.
 */
function rowMapping(p: LastLevelParams): { map: Float32Array; grey: boolean } {
  const map = new Float32Array(20);
  if (p.mode === 'raw') {
    map.set(p.bias, 0);
    map.fill(1, 4, 8);
    map.fill(-Infinity, 12, 16);
    map.fill(Infinity, 16, 20);
    return { map, grey: false };
  }
  // The bias is added before the grey shuffle, so it stays per channel.
  map.set(
    p.bias.map((b) => b - p.lo),
    0,
  );
  map.fill(p.scale, 4, 8);
  map.fill(255, 16, 20);
  if (p.channels === 1 || p.channels === 3) {
    map[7] = 0;
    map[11] = 255;
  }
  return { map, grey: p.channels < 3 };
}

/**
 * The same in the WebAssembly SIMD module; weightGrouped is [(group k, channel c)] ->
 * W_last[c, 4k .. 4k + 3]. The tile's tables go into the module's memory, the parent rows'
 * sin/cos are taken there (`trig`), then `row` decodes each run of samples straight into the
 * output mapping.
 */
export function lastLevelSimd(
  kernels: SimdKernels,
  z: Float32Array,
  modTrig: Float32Array,
  weightGrouped: Float32Array,
  p: LastLevelParams,
  out: Float32Array,
): void {
  const stride = p.hidden4 * 32;
  const { map, grey } = rowMapping(p);
  const mapBase = 0;
  const wBase = align(map.byteLength);
  const mBase = wBase + align(weightGrouped.byteLength);
  const zBase = mBase + align(modTrig.byteLength);
  const aBase = zBase + align(z.byteLength);
  const oBase = aBase + align(z.byteLength * 2);
  const s2 = p.tileSize[2];
  reserve(kernels.memory, oBase + s2 * 16);
  const heap = new Float32Array(kernels.memory.buffer);
  heap.set(map, mapBase / 4);
  heap.set(weightGrouped, wBase / 4);
  heap.set(modTrig, mBase / 4);
  heap.set(z, zBase / 4);
  kernels.trig(zBase, z.length, p.omega, aBase);
  const result = heap.subarray(oBase / 4, oBase / 4 + s2 * 4);
  const row = p.channels <= 3 ? kernels.row3 : kernels.row;
  rows(p, (_i0, _i1, parentRow, digitRow, o) => {
    row(
      aBase + parentRow * stride,
      mBase + digitRow * stride,
      p.tileStart[2],
      s2,
      p.lastBase[2],
      p.parentLo[2],
      stride,
      p.hidden4,
      wBase,
      oBase,
      mapBase,
      grey ? 1 : 0,
    );
    out.set(result, o);
  });
}
