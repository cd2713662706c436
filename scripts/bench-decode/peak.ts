/**
 * This machine's WebAssembly SIMD multiply-add peak on one thread: a loop of 12 independent
 * f32x4 accumulators (relaxed-SIMD fused multiply-adds where the browser has them, as the
 * decode kernels use, else a multiply and an add), nothing loaded or stored inside the loop.
 * A decode can go no faster than its MACs at this rate: that is its floor.
 */
import { I32, V128, assemble, brIf, f32x4Const, get, i32, i32Sub, loop, madd, set, tee, v128Store } from '../../src/util/wasm-asm.js';
import { instantiateSimd } from '../../src/kernels/simd-module.js';

const ACCUMULATORS = 12;

function peakModule(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const [N, X, Y] = [0, 1, 2];
  const acc = Array.from({ length: ACCUMULATORS }, (_, i) => 3 + i);
  const body = [
    ...f32x4Const(1.0001),
    ...set(X),
    ...f32x4Const(0.9999),
    ...set(Y),
    ...acc.flatMap((a, i) => [...f32x4Const(i), ...set(a)]),
    ...loop(...acc.map((a) => [...madd(relaxed, get(a), get(X), get(Y)), ...set(a)]), [...get(N), ...i32(1), ...i32Sub, ...tee(N), ...brIf(0)]),
    // Stored so that the loop's results are used.
    ...acc.flatMap((a, i) => [...i32(16 * i), ...get(a), ...v128Store(0)]),
  ];
  return assemble([{ name: 'peak', params: [I32], locals: [V128, V128, ...acc.map(() => V128)], body }]);
}

/** GMAC/s: best of 5 runs of 2^24 loop passes (12 x 4 MACs each). */
export function simdPeak(): { gmacPerS: number; relaxed: boolean } {
  const relaxed = instantiateSimd()?.relaxed ?? false;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(peakModule(relaxed)));
  const peak = instance.exports.peak as (n: number) => void;
  const passes = 1 << 24;
  peak(1 << 20);
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    peak(passes);
    best = Math.min(best, performance.now() - t0);
  }
  return { gmacPerS: (passes * ACCUMULATORS * 4) / (best * 1e6), relaxed };
}
