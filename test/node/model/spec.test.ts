import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InrModelError } from '../../../src/util/errors.js';
import {
  decodeOracle,
  decodeShared,
  evaluateAt,
  mulberry32,
  randomModel,
  regionCost,
  validateSpec,
  validateWeights,
  type AsmrSpec,
} from '../../../src/model/index.js';

describe('random models and the PRNG', () => {
  const spec: AsmrSpec = {
    shape: [16, 9],
    bases: [
      [4, 4],
      [3, 3],
    ],
    channels: 3,
    widths: [20],
    omegas: [30],
    modScales: [30],
  };

  it('is reproducible from the seed', () => {
    const a = randomModel(spec, 42);
    const b = randomModel(spec, 42);
    const c = randomModel(spec, 43);
    assert.deepEqual(a.weights, b.weights);
    assert.notDeepEqual(a.weights.layers[0]!.weight, c.weights.layers[0]!.weight);
    validateWeights(a);
  });

  it('draws weights within the SIREN bounds', () => {
    const { layers, modulators } = randomModel(spec, 1).weights;
    const within = (arr: Float32Array, bound: number) => arr.every((v) => Math.abs(v) <= bound);
    assert.ok(within(layers[0]!.weight, 1 / 2) && within(layers[0]!.bias, 1 / 2));
    assert.ok(within(layers[1]!.weight, Math.sqrt(6 / 20) / 30) && within(layers[1]!.bias, Math.sqrt(6 / 20) / 30));
    assert.ok(within(modulators[0]!, Math.sqrt(6 / 2) / 30));
  });

  it('mulberry32 is deterministic and uniform in [0, 1)', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const v = a();
      assert.equal(v, b());
      assert.ok(v >= 0 && v < 1);
      sum += v;
    }
    assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
  });
});

describe('validation', () => {
  const good = (): AsmrSpec => ({
    shape: [8, 6],
    bases: [
      [2, 4],
      [3, 2],
    ],
    channels: 3,
    widths: [8],
    omegas: [30],
    modScales: [30],
  });
  const rejects = (fn: () => unknown, field: string, code = 'invalid-model') =>
    assert.throws(fn, (e: unknown) => e instanceof InrModelError && e.field === field && e.code === code);

  it('accepts a good spec', () => validateSpec(good()));

  it('rejects bad specs, naming the field', () => {
    rejects(
      () =>
        validateSpec({
          ...good(),
          bases: [
            [2, 4],
            [3, 3],
          ],
        }),
      'bases[1]',
    );
    rejects(() => validateSpec({ ...good(), bases: [[2, 4], [3]] }), 'bases[1]');
    rejects(
      () =>
        validateSpec({
          ...good(),
          bases: [
            [2, 4],
            [0, 2],
          ],
        }),
      'bases[1][0]',
    );
    rejects(() => validateSpec({ ...good(), shape: [8, 6.5] }), 'shape[1]');
    rejects(() => validateSpec({ ...good(), channels: 5 }), 'channels');
    rejects(() => validateSpec({ ...good(), widths: [8, 8] }), 'widths');
    rejects(() => validateSpec({ ...good(), widths: [0] }), 'widths[0]');
    rejects(() => validateSpec({ ...good(), omegas: [Number.NaN] }), 'omegas[0]');
    rejects(() => validateSpec({ ...good(), modScales: [Infinity] }), 'modScales[0]');
    rejects(() => randomModel({ ...good(), channels: 0 }, 1), 'channels');
  });

  it('rejects bad weights, naming the tensor', () => {
    const model = randomModel(good(), 3);
    const short = { ...model.weights, layers: [{ ...model.weights.layers[0]!, weight: new Float32Array(3) }, model.weights.layers[1]!] };
    rejects(() => decodeShared({ spec: model.spec, weights: short }), 'layers[0].weight');
    const nan = model.weights.modulators[0]!.slice();
    nan[5] = Number.NaN;
    rejects(() => decodeOracle({ spec: model.spec, weights: { ...model.weights, modulators: [nan] } }), 'modulators[0]', 'non-finite-weight');
  });

  it('rejects bad regions and coordinates', () => {
    const model = randomModel(good(), 3);
    rejects(() => decodeShared(model, { start: [0, 0], size: [9, 6] }), 'region.size[0]', 'invalid-region');
    rejects(() => decodeShared(model, { start: [0, -1], size: [1, 1] }), 'region.start[1]', 'invalid-region');
    rejects(() => decodeOracle(model, { start: [0, 0], size: [1, 0] }), 'region.size[1]', 'invalid-region');
    rejects(() => regionCost(model.spec, { start: [0], size: [1] }), 'region.start', 'invalid-region');
    rejects(() => evaluateAt(model, [0, 6]), 'coord[1]', 'invalid-coord');
    rejects(() => evaluateAt(model, [0]), 'coord', 'invalid-coord');
  });
});
