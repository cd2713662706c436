import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateAt } from '../../../src/model/oracle.js';
import { previewModel, previewRegion } from '../../../src/model/preview.js';
import { randomModel } from '../../../src/model/random.js';
import { decodeShared } from '../../../src/model/shared.js';
import type { AsmrModel, AsmrSpec } from '../../../src/model/types.js';
import { loadReferenceFixture } from '../fixtures.js';

/** Max |preview value - oracle at the block's centre sample| over every block. */
function worstCentreError(model: AsmrModel, level: number): number {
  const p = previewModel(model, level);
  const values = decodeShared(p.model);
  const shape = p.model.spec.shape;
  const channels = model.spec.channels;
  let worst = 0;
  const count = shape.reduce((a, b) => a * b, 1);
  for (let n = 0; n < count; n++) {
    const block: number[] = [];
    for (let a = shape.length - 1, rest = n; a >= 0; a--) {
      block[a] = rest % shape[a]!;
      rest = Math.floor(rest / shape[a]!);
    }
    const y = evaluateAt(
      model,
      block.map((b, a) => b * p.blockSize[a]! + p.centre[a]!),
    );
    for (let c = 0; c < channels; c++) worst = Math.max(worst, Math.abs(values[n * channels + c]! - y[c]!));
  }
  return worst;
}

describe('progressive preview models', () => {
  const specs: AsmrSpec[] = [
    {
      shape: [24, 40],
      bases: [
        [2, 3, 4],
        [5, 2, 4],
      ],
      channels: 3,
      widths: [16, 12],
      omegas: [30, 30],
      modScales: [30, 30],
    },
    {
      shape: [6, 12, 10],
      bases: [
        [3, 1, 2],
        [2, 3, 2],
        [1, 5, 2],
      ],
      channels: 2,
      widths: [8, 8],
      omegas: [20, 30],
      modScales: [30, 25],
    },
    { shape: [60], bases: [[3, 4, 5]], channels: 1, widths: [8, 8], omegas: [30, 30], modScales: [30, 30] },
  ];
  for (const [k, spec] of specs.entries()) {
    it(`every level's preview is the exact centre sample of each block (random model ${k})`, () => {
      const model = randomModel(spec, 100 + k);
      for (let level = 0; level < spec.bases[0]!.length; level++) assert.ok(worstCentreError(model, level) < 1e-5, `level ${level}`);
    });
  }

  it('on the astronaut fixture, levels 0..2 match the oracle; the last level is the full decode', () => {
    const { model } = loadReferenceFixture('astronaut512_L4_h64');
    // The folded biases are float32 and w_i = 30 multiplies their rounding: 1e-4, not 1e-5.
    for (const level of [0, 1, 2]) assert.ok(worstCentreError(model, level) < 1e-4, `level ${level}`);
    const last = previewModel(model, 3);
    assert.deepEqual(last.blockSize, [1, 1]);
    const region = { start: [100, 200], size: [16, 16] };
    assert.deepEqual(decodeShared(last.model, region), decodeShared(model, region));
  });

  it('maps a sample region to the blocks it touches', () => {
    const p = previewModel(randomModel(specs[0]!, 1), 1);
    assert.deepEqual(p.blockSize, [4, 4]);
    assert.deepEqual(p.centre, [2, 2]);
    assert.deepEqual(previewRegion(p, { start: [3, 8], size: [6, 8] }), { start: [0, 2], size: [3, 2] });
  });

  it('refuses a level outside the model', () => {
    assert.throws(() => previewModel(randomModel(specs[0]!, 1), 3), RangeError);
  });
});
