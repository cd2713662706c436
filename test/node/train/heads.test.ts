import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useNodeBackend } from '../../../packages/inrstream-cli/src/train/backend-node.js';
import { encodeInr, modelFromInr, readInr } from '../../../src/format/index.js';
import { axisStrides, decodeOracle, headModel, randomModel, type AsmrModel, type AsmrSpec } from '../../../src/model/index.js';
import { withHeads } from '../fixtures.js';
import type { TrainSignal } from '../../../src/train/signal.js';
import { trainAsmr } from '../../../src/train/trainer.js';
import { analyticGrads, checkAgainstDifferences, oracleLoss, randomSignal } from './helpers.js';

const spec: AsmrSpec = {
  shape: [12, 16],
  bases: [
    [2, 3, 1, 2],
    [2, 2, 2, 2],
  ],
  channels: 2,
  widths: [5, 4, 3],
  omegas: [30, 30, 30],
  modScales: [30, 30, 30],
};

/** The signal's mean over each level-`level` block, row-major over the blocks: what that level's head is trained towards. */
function blockMeans(signal: TrainSignal, level: number): Float64Array {
  const [bh, bw] = axisStrides(spec).map((s) => s[level]!) as [number, number];
  const [h, w] = signal.shape as [number, number];
  const c = signal.channels;
  const out = new Float64Array((h / bh) * (w / bw) * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const block = Math.floor(y / bh) * (w / bw) + Math.floor(x / bw);
      for (let k = 0; k < c; k++) out[block * c + k]! += signal.data[(y * w + x) * c + k]! / (bh * bw);
    }
  }
  return out;
}

/** The training loss with heads, in float64 through the oracle: the picture's MSE plus `weight` times each head's. */
function lossWithHeads(model: AsmrModel, signal: TrainSignal, weight: number): number {
  let loss = oracleLoss(model, signal.data);
  for (let level = 1; level <= 2; level++) {
    const y = decodeOracle(headModel(model, level)!.model);
    const m = blockMeans(signal, level);
    let sq = 0;
    for (let i = 0; i < m.length; i++) sq += (y[i]! - m[i]!) ** 2;
    loss += (weight * sq) / m.length;
  }
  return loss;
}

before(async () => {
  await useNodeBackend();
});

describe('level heads in training', () => {
  it("the heads' loss and every gradient match finite differences of the float64 oracle loss", () => {
    const model = withHeads(randomModel(spec, 3), 4);
    const signal = randomSignal(spec.shape, spec.channels, 5);
    const weight = 0.7;
    const { loss, analytic } = analyticGrads(model, signal, null, weight);
    assert.ok(Math.abs(loss - lossWithHeads(model, signal, weight)) < 1e-5, `${loss} vs ${lossWithHeads(model, signal, weight)}`);
    assert.ok(analytic['head1.weight'] && analytic['head2.bias']);
    checkAgainstDifferences(model, analytic, () => lossWithHeads(model, signal, weight));
  });

  it('trains heads whose pictures beat the flat mean, and a file keeps them (format 4)', async () => {
    const signal = randomSignal(spec.shape, spec.channels, 6);
    // A smooth picture, so that the coarse levels have something to say.
    signal.data.forEach((_, i) => {
      const [y, x] = [Math.floor(i / 32), Math.floor(i / 2) % 16];
      signal.data[i] = 0.5 + 0.4 * Math.sin(y / 3 + (i % 2)) * Math.cos(x / 4);
    });
    const r = await trainAsmr(signal, { spec, iterations: 300, lr: 2e-3, seed: 1, headWeight: 0.5, teacher: 'uniform' });
    assert.equal(r.model.weights.heads?.length, 2);
    assert.equal(r.levelPsnr?.length, 2);
    for (let level = 1; level <= 2; level++) {
      const m = blockMeans(signal, level);
      const flat = new Float64Array(spec.channels);
      m.forEach((v, i) => (flat[i % spec.channels]! += v / (m.length / spec.channels)));
      const mse = (y: ArrayLike<number>) => Array.from(m, (v, i) => (y[i]! - v) ** 2).reduce((a, b) => a + b, 0) / m.length;
      const head = mse(decodeOracle(headModel(r.model, level)!.model));
      const mean = mse(Array.from(m, (_, i) => flat[i % spec.channels]!));
      assert.ok(head < mean / 2, `level ${level}: head MSE ${head}, the flat mean's ${mean}`);
    }
    const file = readInr(encodeInr(r.model));
    assert.equal(file.version.major, 4);
    assert.deepEqual(modelFromInr(file).weights.heads, r.model.weights.heads);
    const none = await trainAsmr(signal, { spec, iterations: 5, seed: 1 });
    assert.equal(none.model.weights.heads, undefined);
    assert.equal(readInr(encodeInr(none.model)).version.major, 1);
  });
});
