import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32, decodeF16, dequantizeInt8, encodeF16, f16BitsToF32, f32ToF16Bits, quantizeInt8 } from '../../../src/format/index.js';
import { mulberry32 } from '../../../src/model/prng.js';

describe('crc32', () => {
  test('matches the zlib check values', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    assert.equal(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  });

  test('continues a running checksum across pieces', () => {
    const bytes = new TextEncoder().encode('incremental checksums over chunks');
    for (const cut of [0, 1, 7, bytes.length]) {
      assert.equal(crc32(bytes.subarray(cut), crc32(bytes.subarray(0, cut))), crc32(bytes));
    }
  });
});

/** All finite binary16 values, sorted, for a brute-force nearest-value reference. */
function finiteHalves(): { value: number; bits: number }[] {
  const out: { value: number; bits: number }[] = [];
  for (let h = 0; h < 0x7c00; h++) out.push({ value: f16BitsToF32(h), bits: h });
  return out;
}

/** Reference rounding: nearest representable magnitude, ties to the even bit pattern. */
function referenceF16(x: number, halves: { value: number; bits: number }[]): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  const maxFinite = 65504;
  // Above max + half an ulp (2^4 at the top binade) rounds to infinity.
  if (a >= maxFinite + 16) return sign | 0x7c00;
  let lo = 0;
  let hi = halves.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (halves[mid]!.value <= a) lo = mid;
    else hi = mid;
  }
  const below = halves[lo]!;
  const above = halves[hi]!;
  if (a >= above.value) return sign | above.bits;
  const dBelow = a - below.value;
  const dAbove = above.value - a;
  if (dBelow < dAbove) return sign | below.bits;
  if (dAbove < dBelow) return sign | above.bits;
  return sign | ((below.bits & 1) === 0 ? below.bits : above.bits);
}

describe('float16', () => {
  test('every binary16 value survives f16 -> f32 -> f16', () => {
    for (let h = 0; h < 65536; h++) {
      const v = f16BitsToF32(h);
      const back = f32ToF16Bits(v);
      if (Number.isNaN(v)) assert.ok((back & 0x7c00) === 0x7c00 && (back & 0x3ff) !== 0, `NaN ${h}`);
      else assert.equal(back, h, `bits ${h.toString(16)}`);
    }
  });

  test('special values, subnormals and overflow', () => {
    assert.equal(f16BitsToF32(0x3c00), 1);
    assert.equal(f16BitsToF32(0xc000), -2);
    assert.equal(f16BitsToF32(0x7bff), 65504);
    assert.equal(f16BitsToF32(0x0001), 2 ** -24);
    assert.equal(f16BitsToF32(0x03ff), 1023 * 2 ** -24);
    assert.equal(f16BitsToF32(0x7c00), Infinity);
    assert.equal(f16BitsToF32(0xfc00), -Infinity);
    assert.ok(Number.isNaN(f16BitsToF32(0x7e00)));
    assert.equal(f32ToF16Bits(65520), 0x7c00, 'max + half ulp rounds to infinity');
    assert.equal(f32ToF16Bits(65519.99), 0x7bff);
    assert.equal(f32ToF16Bits(2 ** -25), 0, 'half the smallest subnormal ties to zero');
    assert.equal(f32ToF16Bits(1.5 * 2 ** -24), 2, 'ties to even among subnormals');
    assert.equal(f32ToF16Bits(2 ** -25 * 1.0001), 1);
    assert.equal(f32ToF16Bits(-0), 0x8000);
    assert.equal(f32ToF16Bits(1 + 2 ** -11), 0x3c00, 'tie rounds down to even');
    assert.equal(f32ToF16Bits(1 + 3 * 2 ** -11), 0x3c02, 'tie rounds up to even');
    assert.equal(f32ToF16Bits(2 ** -14 - 2 ** -25), 0x0400, 'largest subnormal rounds up into the normals');
    assert.ok(Number.isNaN(f16BitsToF32(f32ToF16Bits(NaN))));
  });

  test('rounds to nearest, ties to even, like a brute-force reference', () => {
    const halves = finiteHalves();
    const rng = mulberry32(7);
    const f = new Float32Array(1);
    for (let i = 0; i < 20000; i++) {
      // Log-uniform magnitudes from far below the subnormals to past the overflow threshold.
      f[0] = (rng() < 0.5 ? -1 : 1) * 2 ** (rng() * 46 - 28);
      assert.equal(f32ToF16Bits(f[0]!), referenceF16(f[0]!, halves), `x = ${f[0]}`);
    }
    for (const { value } of halves.slice(1, -1)) {
      // Exact midpoints between neighbours are where ties-to-even matters.
      const next = f16BitsToF32(f32ToF16Bits(value) + 1);
      f[0] = (value + next) / 2;
      if (f[0] === (value + next) / 2) assert.equal(f32ToF16Bits(f[0]!), referenceF16(f[0]!, halves));
    }
  });

  test('array encode/decode is little-endian and lossless for binary16 values', () => {
    const values = Float32Array.of(1, -2, 0.5, 65504, 2 ** -24, 0);
    const bytes = new Uint8Array(values.length * 2);
    encodeF16(values, bytes);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x3c, 0x00, 0xc0]);
    assert.deepEqual(decodeF16(bytes, values.length), values);
  });
});

describe('int8 quantisation', () => {
  test('per-row symmetric scales; error within half a step', () => {
    const rng = mulberry32(3);
    const rows = 5;
    const cols = 13;
    const values = new Float32Array(rows * cols).map((_, i) => (rng() * 2 - 1) * (i < cols ? 0.01 : 3));
    values.fill(0, 2 * cols, 3 * cols);
    const { scales, values: q } = quantizeInt8(values, rows);
    assert.equal(scales[2], 0, 'a zero row gets scale 0');
    const back = dequantizeInt8(scales, q);
    for (let r = 0; r < rows; r++) {
      const row = values.subarray(r * cols, (r + 1) * cols);
      const max = Math.max(...row.map(Math.abs));
      assert.equal(scales[r], Math.fround(max / 127));
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        assert.ok(Math.abs(q[i]!) <= 127);
        assert.ok(Math.abs(back[i]! - values[i]!) <= scales[r]! / 2 + 1e-7 * max, `row ${r} col ${c}`);
      }
      if (max > 0) assert.equal(Math.max(...q.subarray(r * cols, (r + 1) * cols).map(Math.abs)), 127);
    }
  });
});
