/**
 * The CPU decode's WebAssembly SIMD module: the coarse levels' dense layers, activations and
 * trig tables (coarse-simd.ts) and the last level's rows (last-level-simd.ts), sharing one
 * memory. Compiled once per thread in the variant the browser validates (simd-bytes.ts): with
 * relaxed-SIMD fused multiply-adds where it has them, else with a separate multiply and add.
 */
import { moduleBytes } from './simd-bytes.js';

export interface SimdKernels {
  memory: WebAssembly.Memory;
  /** Whether this instance uses relaxed-SIMD multiply-adds. */
  relaxed: boolean;
  dense(h: number, rows: number, k: number, w: number, n: number, b: number, out: number): void;
  activate(z: number, width: number, parent: number, mod: number, digit: number, rows: number, omega: number, out: number): void;
  trig(z: number, count: number, omega: number, out: number): void;
  row: RowKernel;
  /** `row` for models of at most 3 channels (channel 3's sums skipped). */
  row3: RowKernel;
}

type RowKernel = (
  aBase: number,
  mBase: number,
  x: number,
  count: number,
  base: number,
  lo: number,
  stride: number,
  hidden4: number,
  wBase: number,
  out: number,
  map: number,
  grey: number,
) => void;

let compiled: { module: WebAssembly.Module; relaxed: boolean } | null | undefined;

/**
 * Compiling is what tells whether the browser has relaxed SIMD (a CompileError where not): a
 * WebAssembly.validate first would decode the module twice, a few ms of a cold page.
 */
function compile(): { module: WebAssembly.Module; relaxed: boolean } | null {
  if (typeof WebAssembly !== 'object') return null;
  for (const relaxed of [true, false]) {
    try {
      return { module: new WebAssembly.Module(moduleBytes(relaxed)), relaxed };
    } catch {
      // No relaxed SIMD (then try without), no SIMD, or a CSP that forbids compiling.
    }
  }
  return null;
}

/**
 * A fresh instance (own memory), or null where WebAssembly SIMD is unavailable: no SIMD, or a
 * page whose Content-Security-Policy forbids compiling WebAssembly (no 'wasm-unsafe-eval'),
 * where the plain-JS kernels do the same work. `relaxed: false` forces the plain-SIMD variant.
 */
export function instantiateSimd(options: { relaxed?: boolean } = {}): SimdKernels | null {
  try {
    if (options.relaxed === false) {
      const bytes = moduleBytes(false);
      if (!WebAssembly.validate(bytes)) return null;
      return wrap(new WebAssembly.Instance(new WebAssembly.Module(bytes)), false);
    }
    if (compiled === undefined) compiled = compile();
    if (!compiled) return null;
    return wrap(new WebAssembly.Instance(compiled.module), compiled.relaxed);
  } catch {
    compiled = null;
    return null;
  }
}

function wrap(instance: WebAssembly.Instance, relaxed: boolean): SimdKernels {
  const e = instance.exports as unknown as Omit<SimdKernels, 'relaxed'>;
  return { memory: e.memory, relaxed, dense: e.dense, activate: e.activate, trig: e.trig, row: e.row, row3: e.row3 };
}
