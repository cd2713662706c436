/** Quantisation-aware training and sizing for a byte budget. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { InrTrainError } from '../../../src/util/errors.js';
import { codedModel, encodeInr, modelFromInr, readInr } from '../../../src/format/index.js';
import { decodeShared, randomModel, type AsmrModel } from '../../../src/model/index.js';
import { useNodeBackend } from '../../../packages/inrstream-cli/src/train/backend-node.js';
import { encodeTrained, psnrOf } from '../../../src/train/encode.js';
import { planModel } from '../../../src/train/plan.js';
import { chooseSize, estimateBytes } from '../../../src/train/sizing.js';
import { trainAsmr } from '../../../src/train/trainer.js';
import { ROOT } from '../fixtures.js';
import { randomSignal } from './helpers.js';

before(async () => {
  await useNodeBackend();
});

/** A picture with detail at every scale (a chirp), so that a small model is far from perfect. */
function chirp(h: number, w: number) {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = 0.5 + 0.4 * Math.sin((x * x + 2 * y * y) / (20 + 7 * c));
    }
  }
  return { shape: [h, w], channels: 3, data };
}

const flat = (m: AsmrModel) => [...m.weights.layers.flatMap((l) => [l.weight, l.bias]), ...m.weights.modulators];

describe('quantisation-aware training', () => {
  it('returns the model a coded file holds, decoding to the PSNR it reports', async () => {
    const plan = planModel(chirp(32, 32), { levels: 3, hidden: 24 });
    const r = await trainAsmr(plan.signal, { spec: plan.spec, iterations: 60, lr: 1e-3, seed: 2, quantise: { bits: 4, iterations: 20 } });
    // On the quantiser's grid: coding it again changes nothing.
    assert.deepEqual(flat(codedModel(r.model, 4)), flat(r.model));
    const { bytes, psnr } = encodeTrained(r.model, plan.signal, {}, {}, 'q4');
    assert.deepEqual(flat(modelFromInr(readInr(bytes))), flat(r.model));
    assert.ok(Math.abs(psnr - r.finalPsnr) < 1e-3, `file ${psnr} dB, trainer ${r.finalPsnr} dB`);
    assert.ok(Math.abs(psnrOf(decodeShared(r.model), plan.signal.data) - r.finalPsnr) < 1e-3);
  });

  it('the quantised phase trains the quantised weights: their PSNR rises from the phase start', async () => {
    const plan = planModel(chirp(32, 32), { levels: 3, hidden: 32 });
    const r = await trainAsmr(plan.signal, {
      spec: plan.spec,
      iterations: 300,
      lr: 1e-3,
      seed: 3,
      evalEvery: 10,
      quantise: { bits: 4, iterations: 150, lr: 1e-3 },
    });
    const start = r.curve.find((p) => p.iteration === 160)!.psnr;
    assert.ok(r.finalPsnr > start + 0.5, `quantised: ${start.toFixed(2)} dB after 10 steps of the phase, ${r.finalPsnr.toFixed(2)} dB at its end`);
  });

  it('a target PSNR the float weights reach starts the quantised phase at once', async () => {
    const plan = planModel(chirp(16, 16), { levels: 3, hidden: 32 });
    const r = await trainAsmr(plan.signal, {
      spec: plan.spec,
      iterations: 2000,
      lr: 2e-3,
      seed: 4,
      evalEvery: 10,
      targetPsnr: 20,
      quantise: { bits: 6, iterations: 30 },
    });
    const reached = r.curve.findIndex((p) => p.psnr >= 20);
    assert.ok(reached > 0 && r.curve[reached]!.iteration < 1970, 'the float weights reach 20 dB early');
    assert.ok(r.iterations <= r.curve[reached]!.iteration + 30, `${r.iterations} iterations`);
  });

  it('rejects bits outside 2..16 and a phase longer than the run', async () => {
    const plan = planModel(chirp(8, 8), { levels: 2, hidden: 4 });
    for (const quantise of [
      { bits: 1, iterations: 1 },
      { bits: 17, iterations: 1 },
      { bits: 4.5, iterations: 1 },
      { bits: 4, iterations: 0 },
      { bits: 4, iterations: 6 },
      { bits: 4, iterations: 2, lr: 0 },
    ]) {
      await assert.rejects(
        trainAsmr(plan.signal, { spec: plan.spec, iterations: 5, quantise }),
        (e: unknown) => e instanceof InrTrainError && e.code === 'bad-option',
        JSON.stringify(quantise),
      );
    }
  });
});

describe('sizing for a byte budget', () => {
  const meta = { provenance: { method: 'asmr-train', source: 'photo.png', seconds: 12.5, psnr: 30.125 } };

  it('knows a plain file to the CRC digits, and a coded one of trained weights from above', () => {
    const spec = planModel(randomSignal([24, 40], 3, 1), { levels: 3, hidden: 12 }).spec;
    for (const dtype of ['f32', 'f16', 'int8'] as const) {
      const actual = encodeInr(randomModel(spec, 5), meta, { dtype }).length;
      const estimate = estimateBytes(spec, dtype, meta);
      assert.ok(actual <= estimate && estimate <= actual + 16 + 10 * 8, `${dtype}: ${actual} bytes, estimate ${estimate}`);
    }
    const trained = modelFromInr(readInr(new Uint8Array(readFileSync(join(ROOT, 'demo/models/astronaut512.inr')))));
    for (const dtype of ['q4', 'q5', 'q6', 'q8'] as const) {
      const actual = encodeInr(trained, meta, { dtype }).length;
      const estimate = estimateBytes(trained.spec, dtype, meta);
      assert.ok(actual <= estimate && estimate < actual * 1.15, `${dtype}: ${actual} bytes, estimate ${estimate}`);
    }
    // Segments: one header, every segment's tensors.
    const clip = planModel(randomSignal([4, 8, 8], 1, 2), { levels: 2, hidden: 6 }).spec;
    assert.ok(estimateBytes(clip, 'f32', { kind: 'video' }, 3) > 2.5 * estimateBytes(clip, 'f32', { kind: 'video' }));
  });

  it('takes the widest width that fits at each level count, and prefers 4 levels, then 5, 3 and 6', () => {
    const budget = 6000;
    const { chosen, candidates } = chooseSize([512, 512], 3, { budget, dtype: 'q4', meta });
    assert.deepEqual(
      candidates.map((c) => c.levels),
      [3, 4, 5, 6],
    );
    for (const c of candidates) {
      assert.ok(c.hidden > 0 && c.bytes <= budget, `${c.levels} levels: ${c.hidden} wide, ${c.bytes} bytes`);
      const wider = planModel(
        { shape: c.shape, channels: 3, data: new Float32Array(c.shape[0]! * c.shape[1]! * 3) },
        { levels: c.levels, hidden: c.hidden + 1 },
      );
      assert.ok(estimateBytes(wider.spec, 'q4', meta) > budget, `${c.levels} levels: ${c.hidden + 1} wide would fit too`);
    }
    assert.equal(chosen.levels, 4);
    assert.equal(chooseSize([512, 512], 3, { budget, dtype: 'q4', meta, levels: [3, 5, 6] }).chosen.levels, 5);
    // Below 8 wide a level count gives way: in 1,500 bytes 4 levels are 2 wide, 3 levels 8.
    const small = chooseSize([64, 64], 3, { budget: 1500, dtype: 'f16' });
    assert.deepEqual(
      small.candidates.map((c) => [c.levels, c.hidden]),
      [
        [3, 8],
        [4, 2],
        [5, 0],
        [6, 0],
      ],
    );
    assert.equal(small.chosen.levels, 3);
    // 509 = a prime: no good bases without a crop; the crop's note is counted.
    const cropped = chooseSize([509, 512], 3, { budget, dtype: 'f16', meta, levels: [4] });
    assert.deepEqual(cropped.chosen.shape, [507, 512]);
    assert.throws(
      () => chooseSize([512, 512], 3, { budget: 300, dtype: 'f32', meta }),
      (e: unknown) => e instanceof InrTrainError && e.code === 'bad-option' && e.field === 'target-bytes',
    );
  });
});
