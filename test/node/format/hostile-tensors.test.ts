/** Hostile `.inr` files: the tensor table and segments. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InrModelError, type InrError } from '../../../src/util/errors.js';
import { encodeInr, encodeInrSegments, modelFromInr, readInr } from '../../../src/format/index.js';
import { IMAGE_SPEC, VIDEO_SPEC, joinInr, model, patchBytes, rejects, segmentModels, splitInr, withHeader, withTensorBytes } from './helpers.js';

const valid = encodeInr(model(IMAGE_SPEC, 21), { provenance: { method: 'inr-teaching', psnr: 30.1 } });
const validInt8 = encodeInr(model(IMAGE_SPEC, 22), {}, { dtype: 'int8' });
const validF16 = encodeInr(model(IMAGE_SPEC, 23), {}, { dtype: 'f16' });
const segmented = encodeInrSegments(segmentModels(24));

describe('tensor table', () => {
  test('huge tensor count', () => {
    rejects(
      withHeader(valid, (h) => void (h.tensors = new Array(2000).fill(h.tensors[0]))),
      'limit',
      'header.tensors',
    );
  });

  test('huge shape, rank and length', () => {
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].shape = [65536, 65536])),
      'limit',
      'header.tensors[0].shape',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].shape = [1, 1, 1, 1, 1])),
      'limit',
      'header.tensors[0].shape',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].shape = [2 ** 40])),
      'limit',
      'header.tensors[0].shape[0]',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].length = 2 ** 31)),
      'limit',
      'header.tensors[0].length',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].shape = [8, 0])),
      'invalid-header',
      'header.tensors[0].shape[1]',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].shape = [2, 8])),
      'invalid-header',
      'header.tensors[0].shape',
    );
  });

  test('negative, unaligned, overlapping and gapped offsets', () => {
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].offset = -64)),
      'invalid-header',
      'header.tensors[1].offset',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].offset = 72)),
      'invalid-header',
      'header.tensors[1].offset',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].offset = 0)),
      'invalid-header',
      'header.tensors[1].offset',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].offset = 48)),
      'invalid-header',
      'header.tensors[1].offset',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].offset = 80)),
      'invalid-header',
      'header.tensors[1].offset',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[2].offset = 2 ** 40)),
      'limit',
      'header.tensors[2].offset',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].offset = '64')),
      'invalid-header',
      'header.tensors[1].offset',
    );
  });

  test('wrong dtype, or a length that does not match it', () => {
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].dtype = 'f64')),
      'invalid-header',
      'header.tensors[0].dtype',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[0].dtype = 'f16')),
      'invalid-header',
      'header.tensors[0].length',
    );
    rejects(
      withHeader(validInt8, (h) => void (h.tensors[0].length -= 1)),
      'invalid-header',
      'header.tensors[0].length',
    );
  });

  test('names: unknown, duplicate, out of order, missing', () => {
    rejects(
      withHeader(valid, (h) => void (h.tensors[2].name = 'layers.9.weight')),
      'invalid-header',
      'header.tensors[2].name',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[2].name = 'layers.0.weight')),
      'invalid-header',
      'header.tensors[2].name',
    );
    rejects(
      withHeader(valid, (h) => void (h.tensors[1].name = 'modulators.0.weight')),
      'invalid-header',
      'header.tensors[1].name',
    );
    rejects(
      withHeader(valid, (h) => void h.tensors.pop()),
      'invalid-header',
      'header.tensors',
    );
  });

  test('a tensor checksum mismatch names the tensor', () => {
    const parts = splitInr(valid);
    parts.data[70] = parts.data[70]! ^ 1;
    rejects(joinInr(parts), 'checksum', 'header.tensors[1].crc32');
  });

  test('non-finite weights are rejected even with a valid CRC', () => {
    const nanF32 = withTensorBytes(valid, 3, (b) => new DataView(b.buffer, b.byteOffset).setFloat32(8, NaN, true));
    rejects(nanF32, 'non-finite-weight', 'header.tensors[3]');
    // Tensor 3 is layers.1.weight, the first one stored in the requested dtype.
    const infF16 = withTensorBytes(validF16, 3, (b) => b.set([0x00, 0x7c], 2));
    rejects(infF16, 'non-finite-weight', 'header.tensors[3]');
    const nanScale = withTensorBytes(validInt8, 3, (b) => new DataView(b.buffer, b.byteOffset).setFloat32(0, Infinity, true));
    rejects(nanScale, 'non-finite-weight', 'header.tensors[3]');
  });

  test('non-zero padding', () => {
    // Grow the header until it needs padding (CRC digits make its length vary).
    let padded = valid;
    for (let k = 0; (20 + new DataView(padded.buffer).getUint32(12, true)) % 16 === 0; k++) {
      padded = withHeader(valid, (h) => void (h.provenance.pad = 'x'.repeat(k)));
    }
    rejects(
      patchBytes(padded, (b) => (b[b.length - splitInr(padded).data.length - 1] = 1)),
      'invalid-padding',
      'header.padding',
    );
    const parts = splitInr(validInt8);
    const tensors = JSON.parse(parts.json).tensors as { offset: number; length: number }[];
    const i = tensors.findIndex((t, k) => k > 0 && t.offset > tensors[k - 1]!.offset + tensors[k - 1]!.length);
    assert.ok(i > 0, 'fixture needs padding between tensors');
    parts.data[tensors[i]!.offset - 1] = 9;
    rejects(joinInr(parts), 'invalid-padding', `header.tensors[${i}].padding`);
  });

  test('trailing bytes', () => {
    rejects(new Uint8Array([...valid, 0]), 'trailing-bytes', 'file');
    rejects(new Uint8Array([...valid, ...valid]), 'trailing-bytes', 'file');
  });

  test('total data is bounded by maxDataBytes', () => {
    assert.throws(
      () => readInr(valid, { limits: { maxDataBytes: 300 } }),
      (e: InrError) => e.code === 'limit' && e.field === 'header.tensors[3].length',
    );
    assert.throws(
      () => readInr(valid, { limits: { maxTensors: 4 } }),
      (e: InrError) => e.code === 'limit' && e.field === 'header.tensors',
    );
    assert.throws(
      () => readInr(valid, { limits: { maxRank: 0 } }),
      (e: InrError) => e.field === 'limits.maxRank',
    );
  });
});

describe('segments', () => {
  test('segments must tile the time axis in order', () => {
    rejects(
      withHeader(segmented, (h) => void (h.segments[1].frameStart = 3)),
      'invalid-header',
      'header.segments[1].frameStart',
    );
    rejects(
      withHeader(segmented, (h) => void (h.segments[1].frameCount = 5)),
      'limit',
      'header.segments[1].frameCount',
    );
    rejects(
      withHeader(segmented, (h) => void (h.shape[0] = 7)),
      'invalid-header',
      'header.segments',
    );
    rejects(
      withHeader(segmented, (h) => void (h.segments[1].prefix = 's0.')),
      'invalid-header',
      'header.segments[1].prefix',
    );
    rejects(
      withHeader(segmented, (h) => void (h.segments[1].prefix = 's/1')),
      'invalid-header',
      'header.segments[1].prefix',
    );
    rejects(
      withHeader(segmented, (h) => void (h.segments[0].bases[0] = [1, 1])),
      'invalid-model',
      'header.segments[0].bases[0]',
      InrModelError,
    );
    rejects(
      withHeader(segmented, (h) => void (h.bases = [[6], [8], [8]])),
      'invalid-header',
      'header.bases',
    );
    rejects(
      withHeader(segmented, (h) => void (h.segments = new Array(5000).fill(h.segments[0]))),
      'limit',
      'header.segments',
    );
    rejects(
      withHeader(segmented, (h) => void (h.segments = new Array(600).fill(h.segments[0]))),
      'limit',
      'header.segments',
    );
  });

  test('segments only for video', () => {
    const image = encodeInr(model(IMAGE_SPEC, 3));
    rejects(
      withHeader(image, (h) => void (h.segments = [])),
      'invalid-header',
      'header.segments',
    );
    const video = encodeInr(model(VIDEO_SPEC, 3));
    rejects(
      withHeader(video, (h) => void (h.segments = [])),
      'invalid-header',
      'header.bases',
    );
    rejects(
      withHeader(video, (h) => void ((h.segments = []), delete h.bases)),
      'invalid-header',
      'header.segments',
    );
  });
});

test('modelFromInr re-validates a hand-built file object', () => {
  const file = readInr(valid);
  file.tensors.get('layers.1.weight')![0] = NaN;
  assert.throws(
    () => modelFromInr(file),
    (e: InrError) => e.code === 'non-finite-weight' && e.field === 'tensors.layers[1].weight',
  );
  file.tensors.delete('layers.1.weight');
  assert.throws(
    () => modelFromInr(file),
    (e: InrError) => e.code === 'invalid-model',
  );
});
