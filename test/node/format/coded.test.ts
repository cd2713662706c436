/** The coded dtypes' pieces: the range coder, the quantiser and the stored bytes of one tensor. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InrFormatError } from '../../../src/util/errors.js';
import { codedLengthRange, decodeCoded, encodeCoded, fakeQuantise, scaleCount } from '../../../src/format/coded.js';
import { rangeModuleBytes } from '../../../src/format/range-bytes.js';
import { decodeSymbols, decodeSymbolsPlain, encodeSymbols, maxPayloadBytes } from '../../../src/format/range-coder.js';
import { mulberry32, type Prng } from '../../../src/model/prng.js';

/** Symbols 0 .. 2^bits - 2 drawn from a geometric-like law whose spread is `spread`. */
function symbols(rng: Prng, count: number, bits: number, spread: number): number[] {
  return Array.from({ length: count }, () => Math.min(2 ** bits - 2, Math.floor(-Math.log(1 - rng()) * spread)));
}

function roundTrip(list: number[], bits: number): Int32Array {
  const payload = encodeSymbols(list, bits);
  assert.ok(payload.length <= maxPayloadBytes(list.length, bits));
  const out = new Int32Array(list.length);
  assert.equal(decodeSymbols(payload, list.length, bits, 2 ** bits - 2, out), null);
  return out;
}

describe('range coder', () => {
  test('decodes what it coded, for every bit depth, length and spread', () => {
    const rng = mulberry32(7);
    for (let trial = 0; trial < 400; trial++) {
      const bits = 2 + (trial % 15);
      const count = 1 + Math.floor(rng() * (trial % 3 === 0 ? 8 : 2000));
      const list = symbols(rng, count, bits, [0.01, 0.5, 3, 40, 5000][trial % 5]!);
      assert.deepEqual([...roundTrip(list, bits)], list, `trial ${trial}: ${count} symbols of ${bits} bits`);
    }
  });

  test('extremes: all zero (no bytes at all), all the largest symbol, one symbol', () => {
    assert.equal(encodeSymbols(new Array<number>(5000).fill(0), 4).length, 0);
    assert.deepEqual([...roundTrip(new Array<number>(5000).fill(0), 4)], new Array<number>(5000).fill(0));
    assert.deepEqual([...roundTrip(new Array<number>(3000).fill(14), 4)], new Array<number>(3000).fill(14));
    for (let s = 0; s <= 254; s += 17) assert.deepEqual([...roundTrip([s], 8)], [s]);
  });

  test('adapts: a skewed tensor costs about its entropy, a uniform one about its bits', () => {
    const rng = mulberry32(8);
    const skewed = symbols(rng, 4096, 4, 1);
    const counts = new Map<number, number>();
    for (const s of skewed) counts.set(s, (counts.get(s) ?? 0) + 1);
    const entropyBits = [...counts.values()].reduce((sum, c) => sum - c * Math.log2(c / skewed.length), 0);
    const coded = 8 * encodeSymbols(skewed, 4).length;
    assert.ok(coded < entropyBits * 1.03 + 200, `${coded} bits against an entropy of ${entropyBits.toFixed(0)}`);
    const uniform = Array.from({ length: 4096 }, () => Math.floor(rng() * 255));
    assert.ok(encodeSymbols(uniform, 8).length < 4096 * 1.02);
  });

  test('a payload with a symbol past the largest, or bytes it never reads, is reported', () => {
    const out = new Int32Array(100);
    assert.equal(decodeSymbols(encodeSymbols(new Array<number>(100).fill(15), 4), 100, 4, 14, out), 'bad-symbol');
    const good = encodeSymbols(symbols(mulberry32(9), 100, 4, 2), 4);
    // The decoder reads up to 4 bytes ahead of what it has decoded; bytes past those are left over.
    assert.equal(decodeSymbols(Uint8Array.of(...good, 7, 7, 7, 7, 7), 100, 4, 14, out), 'left-over');
    // 0xff... holds the code past the range: every bit decodes as 1, the all-ones symbol.
    assert.equal(decodeSymbols(new Uint8Array(64).fill(0xff), 100, 4, 14, out), 'bad-symbol');
  });

  test('garbage decodes in bounded work and never reads outside its bytes', () => {
    const rng = mulberry32(10);
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Uint8Array.from({ length: Math.floor(rng() * 40) }, () => Math.floor(rng() * 256));
      const bits = 2 + (trial % 15);
      const out = new Int32Array(500);
      const problem = decodeSymbols(bytes, 500, bits, 2 ** bits - 2, out);
      assert.ok(problem === null || problem === 'bad-symbol' || problem === 'left-over');
      if (problem === null) assert.ok(out.every((s) => s >= 0 && s <= 2 ** bits - 2));
    }
  });
});

describe('the two range decoders (WebAssembly, and plain JS where a page cannot compile it)', () => {
  /** Both decoders on the same bytes: the same problem and, where there is none, the same symbols. */
  function agree(payload: Uint8Array, count: number, bits: number, maxSymbol: number, what: string): void {
    const fast = new Int32Array(count);
    const plain = new Int32Array(count);
    const problem = decodeSymbols(payload, count, bits, maxSymbol, fast);
    assert.equal(problem, decodeSymbolsPlain(payload, count, bits, maxSymbol, plain), what);
    if (problem === null) assert.deepEqual(fast, plain, what);
  }

  test('the same symbols and problems on coded, truncated, extended and garbled payloads', () => {
    const rng = mulberry32(11);
    for (let trial = 0; trial < 300; trial++) {
      const bits = 2 + (trial % 15);
      const count = 1 + Math.floor(rng() * (trial % 4 === 0 ? 10 : 3000));
      const list = symbols(rng, count, bits, [0.01, 0.5, 3, 40, 5000][trial % 5]!);
      const payload = encodeSymbols(list, bits);
      const what = `trial ${trial}: ${count} symbols of ${bits} bits`;
      agree(payload, count, bits, 2 ** bits - 2, what);
      agree(payload.subarray(0, Math.floor(payload.length / 2)), count, bits, 2 ** bits - 2, `${what}, cut`);
      agree(Uint8Array.of(...payload, 1, 2, 3, 4, 5), count, bits, 2 ** bits - 2, `${what}, extended`);
      const garbled = payload.slice();
      for (let k = 0; k < 3 && garbled.length > 0; k++) garbled[Math.floor(rng() * garbled.length)] = Math.floor(rng() * 256);
      agree(garbled, count, bits, Math.floor((2 ** bits - 1) * 0.6), `${what}, garbled`);
    }
  });

  test('the WebAssembly module is valid (else decodeSymbols would quietly be the plain one, and the test above prove nothing)', () => {
    assert.ok(WebAssembly.validate(rangeModuleBytes()));
  });

  test('large tensors (16-bit codes: 256 KiB of counts; 300,000 symbols: over the memory kept between calls) and an all-ones payload', () => {
    // 0xff bytes decode as all-ones symbols: reported at once.
    const out = new Int32Array(3);
    assert.equal(decodeSymbols(new Uint8Array(8).fill(0xff), 3, 16, 2 ** 16 - 2, out), 'bad-symbol');
    const list = symbols(mulberry32(12), 100_000, 16, 5000);
    assert.deepEqual([...roundTrip(list, 16)], list);
    const long = symbols(mulberry32(13), 300_000, 4, 3);
    assert.deepEqual([...roundTrip(long, 4)], long);
  });
});

describe('quantiser and stored bytes', () => {
  test('one scale per row where rows hold 16 values or more, else one for the tensor', () => {
    assert.equal(scaleCount([64, 64]), 64);
    assert.equal(scaleCount([3, 16]), 3);
    assert.equal(scaleCount([64, 15]), 1);
    assert.equal(scaleCount([64, 2]), 1);
    assert.equal(scaleCount([64]), 1);
    assert.deepEqual(codedLengthRange(4, [64, 64]), { min: 128, max: 128 + maxPayloadBytes(4096, 4) });
    // Codes wider than 8 bits carry binary32 scales.
    assert.deepEqual(codedLengthRange(12, [64, 2]), { min: 4, max: 4 + maxPayloadBytes(128, 12) });
  });

  test('decoding the stored bytes gives exactly fakeQuantise; codes stay within +-(2^(bits-1) - 1) steps', () => {
    const rng = mulberry32(11);
    for (const [bits, shape] of [
      [2, [8, 32]],
      [4, [64, 64]],
      [5, [3, 64]],
      [8, [64]],
      [12, [64, 2]],
      [16, [4, 40]],
    ] as const) {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: n }, () => (rng() - 0.5) * 0.1 * (1 + rng() * 10));
      const q = fakeQuantise(values, shape, bits);
      const bytes = encodeCoded(bits, shape, values);
      const { min, max } = codedLengthRange(bits, shape);
      assert.ok(bytes.length >= min && bytes.length <= max);
      assert.deepEqual(decodeCoded(bits, shape, bytes, 'tensor'), q);
      assert.deepEqual(fakeQuantise(q, shape, bits), q, `${bits} bits: quantising again changes nothing`);
      const rows = scaleCount(shape);
      for (let r = 0; r < rows; r++) {
        const size = n / rows;
        const row = values.subarray(r * size, (r + 1) * size);
        const step = Math.max(...row.map(Math.abs)) / (2 ** (bits - 1) - 1);
        row.forEach((v, i) => assert.ok(Math.abs(q[r * size + i]! - v) <= step * 0.5005 + 1e-12, `${bits} bits, row ${r}: ${v} -> ${q[r * size + i]}`));
      }
    }
  });

  test('zeros and tiny values: the scale never falls below the smallest normal float, so nothing divides by 0', () => {
    const zeros = new Float32Array(64);
    assert.deepEqual(fakeQuantise(zeros, [64], 4), zeros);
    assert.deepEqual(decodeCoded(4, [64], encodeCoded(4, [64], zeros), 'tensor'), zeros);
    const tiny = Float32Array.from({ length: 64 }, (_, i) => (i - 32) * 1e-9);
    const q = fakeQuantise(tiny, [64], 8);
    assert.deepEqual(fakeQuantise(q, [64], 8), q);
  });

  test('a value whose scale overflows binary16 is unrepresentable; binary32 scales take it', () => {
    const big = Float32Array.of(1e6, -2, 3, 4);
    assert.throws(
      () => encodeCoded(4, [4], big),
      (e: unknown) => e instanceof InrFormatError && e.code === 'unrepresentable',
    );
    assert.equal(fakeQuantise(big, [4], 12)[0], 1e6);
  });

  test('a bad payload is InrFormatError invalid-tensor, naming the field', () => {
    const bytes = encodeCoded(
      4,
      [16],
      Float32Array.from({ length: 16 }, (_, i) => i - 8),
    );
    for (const broken of [Uint8Array.of(...bytes, 1, 1, 1, 1, 1), Uint8Array.of(bytes[0]!, bytes[1]!, 0xff, 0xff, 0xff, 0xff)]) {
      assert.throws(
        () => decodeCoded(4, [16], broken, 'header.tensors[3]'),
        (e: unknown) => e instanceof InrFormatError && e.code === 'invalid-tensor' && e.field === 'header.tensors[3]',
      );
    }
  });
});
