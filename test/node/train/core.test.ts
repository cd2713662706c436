import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { InrTrainError, type InrTrainErrorCode } from '../../../src/util/errors.js';
import { decodeOracle, decodeShared, fillUniform, mulberry32, randomModel, type AsmrSpec } from '../../../src/model/index.js';
import { useNodeBackend } from '../../../packages/inrstream-cli/src/train/backend-node.js';
import { checkBases, factorizeAxis, parseBases, planAxis } from '../../../src/train/factorize.js';
import { planModel } from '../../../src/train/plan.js';
import { cosineLr, ratioAt, selectsAt } from '../../../src/train/schedules.js';
import { topK } from '../../../src/train/select.js';
import type { TrainSignal } from '../../../src/train/signal.js';
import { trainAsmr } from '../../../src/train/trainer.js';
import { analyticGrads, checkAgainstDifferences, oracleLoss, randomSignal } from './helpers.js';

const spec: AsmrSpec = {
  shape: [6, 8],
  bases: [
    [1, 2, 3],
    [2, 2, 2],
  ],
  channels: 2,
  widths: [5, 4],
  omegas: [30, 30],
  modScales: [30, 30],
};

/** A smooth test picture: gradients and a slow wave, easy to fit. */
function smoothSignal(h: number, w: number): TrainSignal {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      data[o] = x / (w - 1);
      data[o + 1] = y / (h - 1);
      data[o + 2] = 0.5 + 0.4 * Math.sin((x + y) / 5);
    }
  }
  return { shape: [h, w], channels: 3, data };
}

before(async () => {
  await useNodeBackend();
});

describe('factorisation chooser', () => {
  it('splits sizes as evenly as their factors allow, finest level largest', () => {
    assert.deepEqual(factorizeAxis(512, 4), [4, 4, 4, 8]);
    assert.deepEqual(factorizeAxis(768, 4), [4, 4, 6, 8]);
    assert.deepEqual(factorizeAxis(12, 4), [1, 2, 2, 3]);
    assert.deepEqual(factorizeAxis(1, 3), [1, 1, 1]);
  });

  it('says when a size cannot be factorised well, and proposes a crop or a pad', () => {
    assert.equal(factorizeAxis(509, 4), null);
    assert.throws(
      () => planAxis(509, 4, 'none'),
      (e: unknown) => e instanceof InrTrainError && e.code === 'bad-size' && /509 cannot be split/.test(e.message),
    );
    const crop = planAxis(509, 4, 'crop');
    const pad = planAxis(509, 4, 'pad');
    assert.ok(crop.size < 509 && pad.size > 509);
    for (const p of [crop, pad])
      assert.equal(
        p.bases.reduce((a, b) => a * b, 1),
        p.size,
      );
  });

  it('records the crop in the plan and crops the signal', () => {
    const plan = planModel(randomSignal([17, 16], 3, 1), { levels: 2, hidden: 8 });
    assert.deepEqual(plan.spec.shape, [16, 16]);
    assert.equal(plan.signal.data.length, 16 * 16 * 3);
    assert.match(plan.resize!, /^crop 16x16 at 0,0 of 17x16$/);
  });

  it('parses --bases and checks them against the input', () => {
    assert.deepEqual(parseBases('5,5,16;5,8,15'), [
      [5, 5, 16],
      [5, 8, 15],
    ]);
    const badBases = (message: RegExp) => (e: unknown) =>
      e instanceof InrTrainError && e.code === 'bad-bases' && e.field === 'bases' && message.test(e.message);
    assert.throws(() => parseBases('4,4;4,4,4'), badBases(/axis 1 lists 3 bases/));
    assert.throws(() => parseBases('4,x'), badBases(/is not a list of positive integers/));
    assert.throws(
      () =>
        checkBases(
          [
            [4, 4],
            [4, 4],
          ],
          [16, 15],
        ),
      badBases(/axis 1 multiplies to 16, but the input's size there is 15/),
    );
    assert.throws(() => checkBases([[4, 4]], [16, 16]), badBases(/lists 1 axes, the input has 2/));
  });
});

describe('teacher schedules (as stevolopolis/nmt_inr)', () => {
  it('ratio schedules start at the start ratio and end at or near 1', () => {
    assert.equal(ratioAt('step', 0, 1000, 0.2), 0.2);
    assert.ok(Math.abs(ratioAt('step', 100, 1000, 0.2) - 0.28) < 1e-12);
    assert.ok(Math.abs(ratioAt('step', 999, 1000, 0.2) - 0.92) < 1e-12);
    assert.equal(ratioAt('constant', 500, 1000, 0.3), 0.3);
    assert.ok(Math.abs(ratioAt('linear', 500, 1000, 0.2) - 0.6) < 1e-12);
    assert.ok(Math.abs(ratioAt('cosine', 500, 1000, 0.2) - 0.6) < 1e-12);
  });

  it('incremental selects every step for 25%, then every 10, 20, .. 50 steps', () => {
    const at = (t: number) => selectsAt('incremental', t, 1000);
    assert.ok([0, 1, 100, 249].every(at));
    assert.deepEqual([251, 255, 260].map(at), [false, false, true]);
    assert.equal(at(410), false);
    assert.equal(at(420), true);
    assert.equal(at(990), false);
    assert.equal(at(950), true);
    assert.ok([0, 1, 2, 3].every((t) => selectsAt('dense', t, 10)));
  });

  it('cosine learning rate goes from lr to its floor (0, or 1e-5 as the reference)', () => {
    assert.equal(cosineLr(1e-3, 0, 100), 1e-3);
    assert.ok(Math.abs(cosineLr(1e-3, 50, 100) - 5e-4) < 1e-15);
    assert.ok(cosineLr(1e-3, 100, 100) < 1e-18);
    assert.ok(Math.abs(cosineLr(5e-4, 100, 100, 1e-5) - 1e-5) < 1e-18);
    assert.ok(Math.abs(cosineLr(5e-4, 50, 100, 1e-5) - (1e-5 + 0.5 * (5e-4 - 1e-5))) < 1e-18);
  });

  it('topK picks the largest residuals, ties in index order, sorted by index', () => {
    const r = Float32Array.from([0.1, 0.9, 0.5, 0.9, 0.2, 0.5, 0.5]);
    assert.deepEqual([...topK(r, 3)], [1, 2, 3]);
    assert.deepEqual([...topK(r, 4)], [1, 2, 3, 5]);
    assert.deepEqual([...topK(r, 7)], [0, 1, 2, 3, 4, 5, 6]);
    const rng = mulberry32(3);
    const big = Float32Array.from({ length: 5000 }, () => rng());
    const k = topK(big, 1000);
    const threshold = [...big].sort((a, b) => b - a)[999]!;
    assert.ok([...k].every((i) => big[i]! >= threshold));
  });
});

describe('training maths', () => {
  it('the gradients match finite differences of the float64 oracle loss', () => {
    const model = randomModel(spec, 7);
    const signal = randomSignal(spec.shape, spec.channels, 8);
    const { loss, analytic } = analyticGrads(model, signal, null);
    assert.ok(Math.abs(loss - oracleLoss(model, signal.data)) < 1e-5);
    checkAgainstDifferences(model, analytic, () => oracleLoss(model, signal.data));
  });

  it("the teacher's residuals are the oracle's, and the loss on a chosen subset has that subset's gradients", () => {
    const model = randomModel(spec, 9);
    const signal = randomSignal(spec.shape, spec.channels, 10);
    const all = analyticGrads(model, signal, null);
    const y = decodeOracle(model);
    const C = spec.channels;
    for (let k = 0; k < all.order.length; k++) {
      const j = all.order[k]!;
      let l1 = 0;
      for (let c = 0; c < C; c++) l1 += Math.abs(y[j * C + c]! - signal.data[j * C + c]!);
      assert.ok(Math.abs(all.residual[k]! - l1) < 1e-5, `sample ${j}: ${all.residual[k]} vs ${l1}`);
    }
    const chosen = topK(all.residual, 10);
    const rows = Array.from(chosen, (k) => all.order[k]!);
    const subsetLoss = () => {
      const out = decodeOracle(model);
      let sq = 0;
      for (const j of rows) for (let c = 0; c < C; c++) sq += (out[j * C + c]! - signal.data[j * C + c]!) ** 2;
      return sq / (rows.length * C);
    };
    const subset = analyticGrads(model, signal, chosen);
    assert.ok(Math.abs(subset.loss - subsetLoss()) < 1e-5);
    checkAgainstDifferences(model, subset.analytic, subsetLoss);
  });

  it("the trainer's forward and the project's decodeShared agree on the trained model", async () => {
    const signal = smoothSignal(16, 24);
    const plan = planModel(signal, { levels: 3, hidden: 16 });
    const r = await trainAsmr(plan.signal, { spec: plan.spec, iterations: 30, lr: 1e-3, seed: 1 });
    const d = decodeShared(r.model);
    let m = 0;
    for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]! - r.output[i]!));
    assert.ok(m < 1e-4, `max |decodeShared - trainer| = ${m}`);
  });

  it('trains a small image past 30 dB', async () => {
    const signal = smoothSignal(32, 32);
    const plan = planModel(signal, { levels: 3, hidden: 64 });
    const r = await trainAsmr(plan.signal, { spec: plan.spec, iterations: 400, lr: 2e-3, seed: 0, targetPsnr: 30 });
    assert.ok(r.finalPsnr >= 30, `reached ${r.finalPsnr} dB in ${r.iterations} iterations`);
    assert.ok(r.curve[0]!.psnr < 20);
  });

  it('is reproducible from its seed, and the teacher changes the result', async () => {
    const signal = smoothSignal(16, 16);
    const plan = planModel(signal, { levels: 3, hidden: 8 });
    const train = (teacher: 'int' | 'uniform', seed: number) => trainAsmr(plan.signal, { spec: plan.spec, iterations: 20, seed, teacher });
    const [a, b, c, u] = await Promise.all([train('int', 5), train('int', 5), train('int', 6), train('uniform', 5)]);
    assert.deepEqual(a.model.weights, b.model.weights);
    assert.notDeepEqual(a.model.weights, c.model.weights);
    assert.notDeepEqual(a.model.weights, u.model.weights);
  });

  it('a NaN loss stops training with a clear error', async () => {
    const model = randomModel(spec, 1);
    fillUniform(mulberry32(1), model.weights.layers[0]!.weight, Infinity);
    await assert.rejects(
      trainAsmr(randomSignal(spec.shape, spec.channels, 2), { spec, iterations: 5, init: model }),
      (e: unknown) => e instanceof InrTrainError && e.code === 'nan-loss',
    );
  });

  it('rejects empty and mismatched signals', async () => {
    const code = (c: InrTrainErrorCode, message: RegExp) => (e: unknown) => e instanceof InrTrainError && e.code === c && message.test(e.message);
    await assert.rejects(trainAsmr({ shape: [0, 4], channels: 3, data: new Float32Array(0) }, { spec, iterations: 1 }), code('empty-signal', /empty/));
    await assert.rejects(trainAsmr(randomSignal([6, 9], 2, 1), { spec, iterations: 1 }), code('bad-spec', /does not match/));
    await assert.rejects(trainAsmr({ ...randomSignal(spec.shape, 2, 1), channels: 5 }, { spec, iterations: 1 }), code('bad-signal', /5 channels/));
    const nan = randomSignal(spec.shape, spec.channels, 1);
    nan.data[7] = NaN;
    await assert.rejects(trainAsmr(nan, { spec, iterations: 1 }), code('bad-signal', /value 7 is NaN/));
  });

  it('rejects bad options, and stops with "aborted" when asked to', async () => {
    const signal = randomSignal(spec.shape, spec.channels, 3);
    const code = (c: InrTrainErrorCode) => (e: unknown) => e instanceof InrTrainError && e.code === c;
    await assert.rejects(trainAsmr(signal, { spec, iterations: 0 }), code('bad-option'));
    await assert.rejects(trainAsmr(signal, { spec, iterations: 5, startRatio: 0 }), code('bad-option'));
    await assert.rejects(trainAsmr(signal, { spec, iterations: 5, abort: AbortSignal.abort() }), code('aborted'));
  });
});
