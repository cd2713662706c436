import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXTURES } from '../../shared/reference-sample.js';
import { loadReferenceFixture } from '../fixtures.js';
import {
  axisStrides,
  coordDigits,
  decodeOracle,
  decodeShared,
  digitTupleCount,
  evaluateAt,
  levelCoord,
  mulberry32,
  prefixCount,
  prefixRanges,
  randomModel,
  regionPrefixCount,
  type AsmrSpec,
  type Prng,
  type Region,
} from '../../../src/model/index.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function int(rng: Prng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** A random spec of at most about `maxSamples` samples, with bases of 1 and odd bases. */
function randomSpec(rng: Prng, d: number, levels: number, maxSamples = 3000): AsmrSpec {
  const bases: number[][] = Array.from({ length: d }, () => []);
  let total = 1;
  for (let l = 0; l < levels; l++) {
    for (let a = 0; a < d; a++) {
      const b = pick(rng, [1, 2, 3, 4, 5, 6, 7, 1]);
      const fits = total * b <= maxSamples;
      bases[a]!.push(fits ? b : 1);
      if (fits) total *= b;
    }
  }
  const shape = bases.map((axis) => axis.reduce((n, b) => n * b, 1));
  const hidden = levels - 1;
  return {
    shape,
    bases,
    channels: int(rng, 1, 4),
    widths: Array.from({ length: hidden }, () => int(rng, 1, 24)),
    omegas: Array.from({ length: hidden }, () => pick(rng, [30, 30, 10, 1, 45.5, -7])),
    modScales: Array.from({ length: hidden }, () => pick(rng, [30, 30, 1, 0, 12.5])),
  };
}

function randomRegion(rng: Prng, shape: number[]): Region {
  const start = shape.map((s) => int(rng, 0, s - 1));
  const size = shape.map((s, a) => int(rng, 1, s - start[a]!));
  return { start, size };
}

/** Copies `region` out of a full decode laid out row-major over `shape`. */
function crop(full: Float32Array, shape: number[], channels: number, region: Region): Float32Array {
  const d = shape.length;
  const n = region.size.reduce((p, s) => p * s, 1);
  const out = new Float32Array(n * channels);
  const offset = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    let flat = 0;
    for (let a = 0; a < d; a++) flat = flat * shape[a]! + region.start[a]! + offset[a]!;
    for (let c = 0; c < channels; c++) out[i * channels + c] = full[flat * channels + c]!;
    for (let a = d - 1; a >= 0 && (offset[a] = offset[a]! + 1) === region.size[a]; a--) offset[a] = 0;
  }
  return out;
}

describe('digits', () => {
  const spec: AsmrSpec = {
    shape: [12, 10],
    bases: [
      [3, 2, 2],
      [5, 1, 2],
    ],
    channels: 1,
    widths: [4, 4],
    omegas: [30, 30],
    modScales: [30, 30],
  };

  it('computes strides per axis and level', () => {
    assert.deepEqual(axisStrides(spec), [
      [4, 2, 1],
      [2, 2, 1],
    ]);
  });

  it('decomposes coordinates into digits, most significant level first', () => {
    assert.deepEqual(coordDigits(spec, [7, 9]), [
      [1, 1, 1],
      [4, 0, 1],
    ]);
    assert.deepEqual(coordDigits(spec, [0, 0]), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    assert.deepEqual(coordDigits(spec, [11, 9]), [
      [2, 1, 1],
      [4, 0, 1],
    ]);
  });

  it('recomposes every coordinate from its digits', () => {
    const strides = axisStrides(spec);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 10; x++) {
        const digits = coordDigits(spec, [y, x]);
        const back = digits.map((axis, a) => axis.reduce((s, q, l) => s + q * strides[a]![l]!, 0));
        assert.deepEqual(back, [y, x]);
      }
    }
  });

  it('maps digits to level coordinates in [0, 1], 0 for base 1', () => {
    assert.equal(levelCoord(4, 5), 1);
    assert.equal(levelCoord(1, 3), 0.5);
    assert.equal(levelCoord(0, 1), 0);
    assert.equal(levelCoord(0, 8), 0);
  });

  it('counts prefixes and digit tuples', () => {
    assert.deepEqual(
      [0, 1, 2].map((l) => prefixCount(spec, l)),
      [15, 30, 120],
    );
    assert.deepEqual(
      [0, 1, 2].map((l) => digitTupleCount(spec, l)),
      [15, 2, 4],
    );
  });

  it('finds the prefixes a region touches', () => {
    const region = { start: [5, 3], size: [4, 4] };
    assert.deepEqual(prefixRanges(axisStrides(spec), region, 0), [
      { lo: 1, count: 2 },
      { lo: 1, count: 3 },
    ]);
    assert.deepEqual(prefixRanges(axisStrides(spec), region, 2), [
      { lo: 5, count: 4 },
      { lo: 3, count: 4 },
    ]);
    assert.equal(regionPrefixCount(spec, region, 1), 3 * 3);
  });
});

describe('shared evaluator vs per-coordinate oracle', () => {
  const rng = mulberry32(20240611);
  const cases: { d: number; levels: number }[] = [];
  for (let d = 1; d <= 3; d++) for (let levels = 1; levels <= 6; levels++) for (let k = 0; k < 4; k++) cases.push({ d, levels });

  for (const [n, { d, levels }] of cases.entries()) {
    const spec = randomSpec(rng, d, levels);
    const model = randomModel(spec, n + 1);
    const label = `D=${d} L=${levels} shape=${spec.shape.join('x')} bases=${JSON.stringify(spec.bases)} ch=${spec.channels} widths=${spec.widths.join(',')}`;
    it(label, () => {
      const full = decodeShared(model);
      assert.ok(maxAbsDiff(full, decodeOracle(model)) < 1e-5);
      for (let r = 0; r < 3; r++) {
        const region = randomRegion(rng, spec.shape);
        const part = decodeShared(model, region);
        assert.ok(maxAbsDiff(part, crop(full, spec.shape, spec.channels, region)) <= 1e-6);
        assert.ok(maxAbsDiff(part, decodeOracle(model, region)) < 1e-5);
      }
      const coord = spec.shape.map((s) => int(rng, 0, s - 1));
      const flat = coord.reduce((f, x, a) => f * spec.shape[a]! + x, 0);
      const y = evaluateAt(model, coord);
      const row = full.subarray(flat * spec.channels, (flat + 1) * spec.channels);
      assert.ok(maxAbsDiff(y, row) < 1e-5);
    });
  }

  it('handles odd bases, a level of all-1 bases, 4 channels and differing widths', () => {
    const spec: AsmrSpec = {
      shape: [35, 18],
      bases: [
        [5, 1, 1, 7],
        [3, 6, 1, 1],
      ],
      channels: 4,
      widths: [5, 17, 9],
      omegas: [30, 12, -3],
      modScales: [30, 0.5, 2],
    };
    const model = randomModel(spec, 11);
    const full = decodeShared(model);
    assert.ok(maxAbsDiff(full, decodeOracle(model)) < 1e-5);
    const out = new Float64Array(4);
    assert.equal(evaluateAt(model, [34, 17], out), out);
    assert.ok(maxAbsDiff(out, full.subarray(full.length - 4)) < 1e-5);
  });

  it('handles a square power-of-two image with equal widths (the common case)', () => {
    const spec: AsmrSpec = {
      shape: [64, 64],
      bases: [
        [4, 4, 4],
        [4, 4, 4],
      ],
      channels: 3,
      widths: [32, 32],
      omegas: [30, 30],
      modScales: [30, 30],
    };
    const model = randomModel(spec, 7);
    assert.ok(maxAbsDiff(decodeShared(model), decodeOracle(model)) < 1e-5);
  });
});

describe('reference fixtures', () => {
  for (const name of FIXTURES) {
    it(`${name}: the oracle agrees with the shared decode on a crop`, () => {
      const { model } = loadReferenceFixture(name);
      const shape = model.spec.shape;
      const region: Region = {
        start: shape.map((s) => Math.floor(s / 3)),
        size: shape.map((s) => Math.min(s - Math.floor(s / 3), shape.length === 3 ? 24 : 48)),
      };
      const full = decodeShared(model);
      assert.ok(maxAbsDiff(decodeOracle(model, region), crop(full, shape, model.spec.channels, region)) < 1e-5);
    });
  }
});
