import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InrError, InrImportError, type InrImportErrorCode } from '../../../src/util/errors.js';
import { importReferenceAsmr } from '../../../src/import/asmr-reference.js';
import { readSafetensors } from '../../../src/import/safetensors.js';
import { psnrOf as psnr } from '../../../src/train/encode.js';
import { decodeShared } from '../../../src/model/shared.js';
import { encodeInr, modelFromInr, readInr } from '../../../src/format/index.js';
import { FIXTURES, maxAbsDiffAtSample, psnrAtSample } from '../../shared/reference-sample.js';
import { hasSharedFixtures, loadReferenceFixture, readF32, SHARED_FIXTURES } from '../fixtures.js';

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('import of the PyTorch ASMR reference', () => {
  for (const name of FIXTURES) {
    it(`${name}: decode matches the reference on the project's sample (<= 1e-3)`, () => {
      const { model, sample } = loadReferenceFixture(name);
      assert.ok(maxAbsDiffAtSample(decodeShared(model), sample) <= 1e-3);
    });

    it(`${name}: decode matches the whole reference_decode.f32 (<= 1e-3)`, { skip: !hasSharedFixtures && 'no ../shared' }, () => {
      const { model } = loadReferenceFixture(name);
      const diff = maxAbsDiff(decodeShared(model), readF32(join(SHARED_FIXTURES, name, 'reference_decode.f32')));
      assert.ok(diff <= 1e-3, `max abs diff ${diff}`);
    });
  }

  for (const name of FIXTURES) {
    it(`${name}: f16 and int8 storage stay within 0.5 dB PSNR of f32`, () => {
      const { model, meta, sample } = loadReferenceFixture(name);
      const full = hasSharedFixtures ? readF32(join(SHARED_FIXTURES, name, 'target.f32')) : undefined;
      const psnrOf = (dtype: 'f32' | 'f16' | 'int8') => {
        const decoded = decodeShared(modelFromInr(readInr(encodeInr(model, meta, { dtype }))));
        return { sample: psnrAtSample(decoded, sample), full: full && psnr(decoded, full) };
      };
      const f32 = psnrOf('f32');
      for (const dtype of ['f16', 'int8'] as const) {
        const q = psnrOf(dtype);
        assert.ok(f32.sample - q.sample <= 0.5, `${dtype}: ${q.sample} dB vs ${f32.sample} dB on the sample`);
        if (full) assert.ok(f32.full! - q.full! <= 0.5, `${dtype}: ${q.full} dB vs ${f32.full} dB on the whole target`);
      }
    });
  }

  it('reads spec and provenance from config.json', () => {
    const { model, meta } = loadReferenceFixture('pan12x96x128_L4_h64');
    assert.deepEqual(model.spec.shape, [12, 96, 128]);
    assert.deepEqual(model.spec.bases, [
      [3, 1, 2, 2],
      [2, 3, 2, 8],
      [2, 4, 2, 8],
    ]);
    assert.deepEqual(model.spec.omegas, [30, 30, 30]);
    assert.deepEqual(model.spec.modScales, [30, 30, 30]);
    assert.equal(meta.kind, 'video');
    assert.deepEqual(meta.axes, ['t', 'y', 'x']);
    assert.equal(meta.provenance.psnr, 24.2);
  });

  it('rejects what it cannot import with a typed error naming the code and field', () => {
    const { weights, config } = loadReferenceFixture('astronaut512_L4_h64');
    const cases: [unknown, InrImportErrorCode, string][] = [
      [{ ...config, config: { ...config.config, modulator: 'nonlinear' } }, 'invalid-config', 'config.config.modulator'],
      [{ ...config, data_size: [512, 500] }, 'invalid-config', 'config.bases[1]'],
      [{ ...config, config: { ...config.config, num_layers: 3 } }, 'invalid-config', 'config.config.dimensions'],
      [{ ...config, dim_out: 4 }, 'wrong-shape', 'last_layer.linear.weight'],
      [{ ...config, config: { ...config.config, dim_hidden: 32 } }, 'wrong-shape', 'net.0.linear.weight'],
      [null, 'invalid-config', 'config'],
    ];
    for (const [cfg, code, field] of cases) {
      assert.throws(
        () => importReferenceAsmr(weights, cfg),
        (e: unknown) => e instanceof InrImportError && e.code === code && e.field === field,
        field,
      );
    }
  });

  it("a tensor the config implies but the file lacks is 'missing-tensor'", () => {
    const { weights, config } = loadReferenceFixture('astronaut512_L4_h64');
    // Renamed in place (same length), so the header and every offset stay valid.
    const renamed = weights.slice();
    const at = Buffer.from(renamed).indexOf('"net.0.linear.weight"');
    assert.ok(at > 0);
    renamed.set(new TextEncoder().encode('"net.0.linear.weighX"'), at);
    assert.throws(
      () => importReferenceAsmr(renamed, config),
      (e: unknown) => e instanceof InrImportError && e.code === 'missing-tensor' && e.field === 'net.0.linear.weight',
    );
  });

  it('rejects broken safetensors', () => {
    const { weights } = loadReferenceFixture('astronaut512_L4_h64');
    const broken = [weights.slice(0, 4), weights.slice(0, 100), weights.slice(0, weights.length - 1)];
    const hostile = weights.slice();
    new DataView(hostile.buffer).setBigUint64(0, 1n << 40n, true);
    for (const b of [...broken, hostile])
      assert.throws(
        () => readSafetensors(b),
        (e: unknown) => e instanceof InrImportError && e.code === 'invalid-safetensors',
      );
  });

  it('rejects NaN weights', () => {
    const { config, weights } = loadReferenceFixture('astronaut512_L4_h64');
    const tensors = readSafetensors(weights);
    const headerLen = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + headerLen)));
    const poisoned = weights.slice();
    const [begin] = header['net.1.linear.weight'].data_offsets;
    new DataView(poisoned.buffer).setFloat32(8 + headerLen + begin + 40, NaN, true);
    assert.ok(tensors.size > 0);
    assert.throws(
      () => importReferenceAsmr(poisoned, config),
      (e: unknown) => e instanceof InrError && e.code === 'non-finite-weight',
    );
  });
});
