/**
 * The CPU decode kernels against plain arithmetic and the oracle: the WebAssembly SIMD
 * module's dense layer, activation and trig tables, and whole decodes on `wasm` and `cpu`
 * for every channel count in both output mappings. Node runs the plain-SIMD variant (no
 * relaxed SIMD here); the browser tests run the relaxed one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CpuTileDecoder } from '../../../src/engine/cpu-decoder.js';
import { prepareModel } from '../../../src/engine/prepared.js';
import { decodeRgba, decodeValues, type ModelEntry } from '../../../src/engine/tile-decoder.js';
import { packPanels } from '../../../src/kernels/coarse-cpu.js';
import { instantiateSimd, type SimdKernels } from '../../../src/kernels/simd-module.js';
import { fullRegion } from '../../../src/model/digits.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import { mulberry32 } from '../../../src/model/prng.js';
import { randomModel } from '../../../src/model/random.js';
import type { AsmrSpec } from '../../../src/model/types.js';
import { toRgba8 } from '../../../src/render/rgba.js';

const simd = (): SimdKernels => {
  const k = instantiateSimd({ relaxed: false });
  assert.ok(k, 'Node 20 has WebAssembly SIMD');
  k.memory.grow(16);
  return k;
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};

describe('WebAssembly SIMD kernels', () => {
  const rng = mulberry32(3);
  const uniform = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (rng() - 0.5) * scale);

  it('dense: h W + b for 8- and 4-wide column panels and row counts padded to 4', () => {
    const k = simd();
    const heap = new Float32Array(k.memory.buffer);
    // [rows, k, n, W's stored outputs and inputs]: the panels pad W with zeros up to n and k.
    for (const [rows, kk, n, outStored, inStored] of [
      [8, 12, 20, 18, 11],
      [4, 4, 8, 8, 4],
      [12, 256, 36, 36, 256],
    ] as const) {
      const h = uniform(rows * kk, 2);
      const w = uniform(outStored * inStored, 1);
      const wT = new Float32Array(kk * n);
      for (let o = 0; o < outStored; o++) for (let q = 0; q < inStored; q++) wT[q * n + o] = w[o * inStored + q]!;
      const b = uniform(n, 1);
      const [H, W, B, OUT] = [0, 65536, 2 * 65536, 3 * 65536];
      heap.set(h, H / 4);
      heap.set(packPanels(w, outStored, inStored, kk, n), W / 4);
      heap.set(b, B / 4);
      k.dense(H, rows, kk, W, n, B, OUT);
      const want = Float32Array.from({ length: rows * n }, (_, i) => {
        const [r, j] = [Math.floor(i / n), i % n];
        let v = b[j]!;
        for (let q = 0; q < kk; q++) v += h[r * kk + q]! * wT[q * n + j]!;
        return v;
      });
      assert.ok(maxDiff(heap.subarray(OUT / 4, OUT / 4 + rows * n), want) < 1e-4, `${rows}x${kk}x${n}`);
    }
  });

  it('activate and trig: sines and cosines of phases up to a few hundred within 3e-5', () => {
    const k = simd();
    const heap = new Float32Array(k.memory.buffer);
    const ints = new Int32Array(k.memory.buffer);
    const [width, rows, parents, digits] = [12, 7, 5, 3];
    const z = uniform(parents * width, 10);
    const mod = uniform(digits * width, 10);
    const parent = Int32Array.from({ length: rows }, () => Math.floor(rng() * parents));
    const digit = Int32Array.from({ length: rows }, () => Math.floor(rng() * digits));
    const [Z, MOD, P, D, OUT] = [0, 4096, 8192, 12288, 16384];
    heap.set(z, Z / 4);
    heap.set(mod, MOD / 4);
    ints.set(parent, P / 4);
    ints.set(digit, D / 4);
    k.activate(Z, width, P, MOD, D, rows, 30, OUT);
    const want = Float32Array.from({ length: rows * width }, (_, i) => {
      const [r, j] = [Math.floor(i / width), i % width];
      return Math.sin(30 * (z[parent[r]! * width + j]! + mod[digit[r]! * width + j]!));
    });
    assert.ok(maxDiff(heap.subarray(OUT / 4, OUT / 4 + rows * width), want) < 3e-5);
    k.trig(Z, z.length, 30, OUT);
    const trig = heap.subarray(OUT / 4, OUT / 4 + z.length * 2);
    const sin = Float32Array.from(z, (_, i) => trig[(i >> 2) * 8 + (i & 3)]!);
    const cos = Float32Array.from(z, (_, i) => trig[(i >> 2) * 8 + (i & 3) + 4]!);
    assert.ok(
      maxDiff(
        sin,
        Float32Array.from(z, (v) => Math.sin(30 * v)),
      ) < 3e-5,
    );
    assert.ok(
      maxDiff(
        cos,
        Float32Array.from(z, (v) => Math.cos(30 * v)),
      ) < 3e-5,
    );
  });
});

describe('CPU decoders (wasm and cpu)', () => {
  const spec = (channels: number, widths: number[]): AsmrSpec => ({
    shape: [12, 20],
    bases: [
      [2, 3, 2],
      [2, 2, 5],
    ],
    channels,
    widths,
    omegas: [30, 30],
    modScales: [30, 30],
  });
  for (const channels of [1, 2, 3, 4]) {
    it(`${channels} channel(s), widths not multiples of 4: raw values and display bytes match the oracle`, async () => {
      const model = randomModel(spec(channels, [10, 7]), 40 + channels);
      const range = [-0.5, 0.5] as const;
      const entry: ModelEntry = { key: 'm', prepared: prepareModel(model), outputRange: [range[0], range[1]] };
      const region = fullRegion(model.spec);
      const oracle = decodeOracle(model);
      for (const backend of ['wasm', 'cpu'] as const) {
        // Tiles of one level-1 block row: the cache and the tiler are on the path too.
        const decoder = CpuTileDecoder.create(backend, { cacheBytes: 1 << 16, maxTileSamples: 40 });
        assert.ok(maxDiff(await decodeValues(decoder, entry, region, 40), oracle) <= 2e-3, `${backend} values`);
        assert.ok(maxDiff(await decodeRgba(decoder, entry, region, 40), toRgba8(oracle, channels, range)) <= 1, `${backend} display`);
      }
    });
  }

  it('wasm says how its kernels run', () => {
    assert.match(CpuTileDecoder.create('wasm', { cacheBytes: 0, maxTileSamples: 1 }).device, /^WebAssembly SIMD on the CPU/);
    assert.equal(CpuTileDecoder.create('cpu', { cacheBytes: 0, maxTileSamples: 1 }).device, 'JavaScript on the CPU');
  });
});
