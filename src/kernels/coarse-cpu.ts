/**
 * One coarse transition on the CPU, Z_next = W sin(w (Z[parent] + Mod[digit])) + b
 * (docs/MODEL.md, "Shared evaluation"), in the WebAssembly SIMD module or in plain
 * JavaScript. Inputs and outputs are JS arrays; the module's memory is only scratch, laid out
 * afresh for each call and grown to the largest call seen.
 */
import type { SimdKernels } from './simd-module.js';

/**
 * A hidden layer as the CPU kernels read it: the SIMD module reads `panels` (packPanels), plain
 * JavaScript reads `weightT` [k, n] (n a multiple of 4); a decoder builds only the one it runs.
 */
export interface CpuLayer {
  weightT: Float32Array;
  panels: Float32Array;
  bias: Float32Array;
  k: number;
  n: number;
}

export interface Transition {
  /** Z of the parent grid, [parents, layer.k]. */
  z: Float32Array;
  parent: Int32Array;
  /** s Mod per digit tuple, [T, layer.k]. */
  mod: Float32Array;
  digit: Int32Array;
  omega: number;
  layer: CpuLayer;
  /** Where Z_next goes: an array of the given length whose every element is overwritten. */
  take: (length: number) => Float32Array;
}

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Grows `memory` to at least `bytes`. */
export function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}

export function transitionSimd(kernels: SimdKernels, t: Transition): Float32Array {
  const { layer } = t;
  const rows = t.parent.length;
  const rows4 = Math.ceil(rows / 4) * 4;
  const w = 0;
  const b = w + align(layer.panels.byteLength);
  const mod = b + align(layer.bias.byteLength);
  const z = mod + align(t.mod.byteLength);
  const parent = z + align(t.z.byteLength);
  const digit = parent + rows4 * 4;
  const h = digit + rows4 * 4;
  const out = h + rows4 * layer.k * 4;
  reserve(kernels.memory, out + rows4 * layer.n * 4);
  const f32 = new Float32Array(kernels.memory.buffer);
  const i32 = new Int32Array(kernels.memory.buffer);
  f32.set(layer.panels, w / 4);
  f32.set(layer.bias, b / 4);
  f32.set(t.mod, mod / 4);
  f32.set(t.z, z / 4);
  // Padding rows (up to a multiple of 4) read row 0 and are dropped.
  i32.fill(0, parent / 4, h / 4);
  i32.set(t.parent, parent / 4);
  i32.set(t.digit, digit / 4);
  kernels.activate(z, layer.k, parent, mod, digit, rows, t.omega, h);
  kernels.dense(h, rows4, layer.k, w, layer.n, b, out);
  const next = t.take(rows * layer.n);
  next.set(f32.subarray(out / 4, out / 4 + rows * layer.n));
  return next;
}

export function transitionJs(t: Transition): Float32Array {
  const { k, n, weightT, bias } = t.layer;
  const rows = t.parent.length;
  const out = t.take(rows * n);
  const h = new Float32Array(k);
  for (let r = 0; r < rows; r++) {
    const zp = t.parent[r]! * k;
    const mp = t.digit[r]! * k;
    for (let j = 0; j < k; j++) h[j] = Math.sin(t.omega * (t.z[zp + j]! + t.mod[mp + j]!));
    const o = r * n;
    out.set(bias, o);
    for (let j = 0; j < k; j++) {
      const v = h[j]!;
      if (v === 0) continue;
      const wRow = j * n;
      for (let c = 0; c < n; c++) out[o + c]! += v * weightT[wRow + c]!;
    }
  }
  return out;
}

/**
 * W^T as `dense` reads it, [k, n] in column panels of 8 (the last one 4 wide when n = 8m + 4),
 * each [k][8] contiguous, k padded to even, packed straight from W as stored, [rows, cols]
 * row-major (rows <= n outputs, cols <= k inputs; the padding is zero).
 */
export function packPanels(weight: Float32Array, rows: number, cols: number, k: number, n: number): Float32Array {
  const kEven = k + (k & 1);
  const out = new Float32Array(kEven * n);
  for (let jb = 0; jb < n; jb += 8) {
    const width = Math.min(8, n - jb);
    const panel = jb * kEven;
    for (let c = 0; c < width && jb + c < rows; c++) {
      const row = (jb + c) * cols;
      for (let kk = 0; kk < cols; kk++) out[panel + kk * width + c] = weight[row + kk]!;
    }
  }
  return out;
}
