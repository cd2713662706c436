/** Hostile `.inr` files with coded tensors (dtypes q2 .. q16, format version 2). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InrError } from '../../../src/util/errors.js';
import { crc32, encodeInr, readInr, readInrStream } from '../../../src/format/index.js';
import { IMAGE_SPEC, chunkedStream, joinInr, model, patchBytes, rejects, splitInr, withHeader, withTensorBytes } from './helpers.js';

const coded = encodeInr(model(IMAGE_SPEC, 31), {}, { dtype: 'q4' });
const plain = encodeInr(model(IMAGE_SPEC, 32));
/** Tensor 3 is layers.1.weight [8, 8]: q4, one binary16 scale (rows of 8 are too short for their own), then the codes. */
const HIDDEN = 3;

/** A file with tensor `index`'s stored bytes replaced (any length): the layout and its CRC redone. */
function replaceTensor(bytes: Uint8Array, index: number, edit: (stored: Uint8Array) => Uint8Array): Uint8Array {
  const parts = splitInr(bytes);
  const header = JSON.parse(parts.json) as { tensors: { offset: number; length: number; crc32: number }[] };
  const stored = header.tensors.map((t, i) => {
    const b = parts.data.slice(t.offset, t.offset + t.length);
    return i === index ? edit(b) : b;
  });
  let end = 0;
  header.tensors.forEach((t, i) => {
    t.offset = Math.ceil(end / 16) * 16;
    t.length = stored[i]!.length;
    t.crc32 = crc32(stored[i]!);
    end = t.offset + t.length;
  });
  const data = new Uint8Array(end);
  header.tensors.forEach((t, i) => data.set(stored[i]!, t.offset));
  return joinInr({ major: parts.major, json: JSON.stringify(header), data });
}

/** Both readers must reject `bytes` the same way. */
async function rejectsBoth(bytes: Uint8Array, code: string, field: string, limits = {}): Promise<void> {
  for (const read of [async () => readInr(bytes, { limits }), () => readInrStream(chunkedStream(bytes, [7, 64, 3]), { limits })]) {
    await assert.rejects(
      async () => read(),
      (e: unknown) => e instanceof InrError && e.code === code && e.field === field,
    );
  }
}

describe('coded tensors', () => {
  test('need format version 2: the same file declared 1.0 is refused at the first coded dtype', () => {
    rejects(
      patchBytes(coded, (_, v) => v.setUint16(8, 1, true)),
      'invalid-header',
      'header.tensors[0].dtype',
    );
    // A version-2 file may hold plain tensors only.
    assert.deepEqual(readInr(patchBytes(plain, (_, v) => v.setUint16(8, 2, true))).version, { major: 2, minor: 0 });
  });

  test('a length outside what the dtype and shape allow is refused from the header', () => {
    rejects(
      withHeader(coded, (h) => void (h.tensors[HIDDEN].length = 1)),
      'invalid-header',
      `header.tensors[${HIDDEN}].length`,
    );
    rejects(
      withHeader(coded, (h) => void (h.tensors[HIDDEN].length = 2 + 2 * 64 * 4 + 9)),
      'invalid-header',
      `header.tensors[${HIDDEN}].length`,
    );
    rejects(
      withHeader(coded, (h) => void (h.tensors[HIDDEN].dtype = 'q17')),
      'invalid-header',
      `header.tensors[${HIDDEN}].dtype`,
    );
  });

  test('what the tensors decode to is bounded by maxDecodedBytes before anything is allocated', async () => {
    // 4 bytes a value: layers.0.weight 64, bias 32, modulator 64, then layers.1.weight 256 passes 400.
    await rejectsBoth(coded, 'limit', `header.tensors[${HIDDEN}].shape`, { maxDecodedBytes: 400 });
    assert.equal(readInr(coded, { limits: { maxDecodedBytes: 4096 } }).byteLength, coded.length);
    // The bound applies to plain files too, which decode to at least their stored size.
    await rejectsBoth(plain, 'limit', `header.tensors[${HIDDEN}].shape`, { maxDecodedBytes: 400 });
  });

  test('codes that do not decode, with a valid CRC, are invalid-tensor', async () => {
    const allOnes = withTensorBytes(coded, HIDDEN, (b) => b.fill(0xff, 2));
    await rejectsBoth(allOnes, 'invalid-tensor', `header.tensors[${HIDDEN}]`);
    const leftOver = replaceTensor(coded, HIDDEN, (b) => Uint8Array.of(...b, 1, 2, 3, 4, 5, 6, 7, 8));
    await rejectsBoth(leftOver, 'invalid-tensor', `header.tensors[${HIDDEN}]`);
  });

  test('a scale that is not finite is non-finite-weight, with a valid CRC', async () => {
    const infinite = withTensorBytes(coded, HIDDEN, (b) => b.set([0x00, 0x7c], 0));
    await rejectsBoth(infinite, 'non-finite-weight', `header.tensors[${HIDDEN}]`);
  });
});
