/** Hostile `.inr` files: the preamble and the header JSON. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InrModelError, type InrError } from '../../../src/util/errors.js';
import { InrParser, encodeInr, readInr } from '../../../src/format/index.js';
import { IMAGE_SPEC, joinInr, model, patchBytes, rejects, splitInr, withHeader } from './helpers.js';

const valid = encodeInr(model(IMAGE_SPEC, 21), { provenance: { method: 'inr-teaching', psnr: 30.1 } });

describe('preamble', () => {
  test('wrong magic', () => {
    rejects(
      patchBytes(valid, (b) => (b[1] = 0x50)),
      'bad-magic',
      'preamble.magic',
    );
    rejects(new TextEncoder().encode('{"kind":"image"}'), 'bad-magic', 'preamble.magic');
    // Text-mode CRLF -> LF conversion shifts the magic.
    const lf = new Uint8Array([...valid.subarray(0, 4), 0x0a, ...valid.subarray(6)]);
    rejects(lf, 'bad-magic', 'preamble.magic');
  });

  test('major versions 0 and 5 are unsupported; 2 to 4, and a newer minor version, are read', () => {
    for (const major of [0, 5]) {
      rejects(
        patchBytes(valid, (_, v) => v.setUint16(8, major, true)),
        'unsupported-version',
        'preamble.majorVersion',
      );
    }
    const minor = readInr(patchBytes(valid, (_, v) => v.setUint16(10, 7, true)));
    assert.deepEqual(minor.version, { major: 1, minor: 7 });
    assert.deepEqual(readInr(patchBytes(valid, (_, v) => v.setUint16(8, 2, true))).version, { major: 2, minor: 0 });
    assert.deepEqual(readInr(patchBytes(valid, (_, v) => v.setUint16(8, 3, true))).version, { major: 3, minor: 0 });
    // Version 4 stores the provenance after the tensors, never in the header.
    rejects(
      patchBytes(valid, (_, v) => v.setUint16(8, 4, true)),
      'invalid-header',
      'header.provenance',
    );
  });

  test('huge header length is refused from the preamble alone', () => {
    const huge = patchBytes(valid, (_, v) => v.setUint32(12, 0xfffffff0, true));
    rejects(huge, 'limit', 'preamble.headerLength');
    assert.throws(
      () => new InrParser().push(huge.subarray(0, 20)),
      (e: InrError) => e.code === 'limit',
    );
    rejects(
      patchBytes(valid, (_, v) => v.setUint32(12, 0, true)),
      'invalid-header',
      'preamble.headerLength',
    );
    const small = { limits: { maxHeaderBytes: 64 } };
    assert.throws(
      () => readInr(valid, small),
      (e: InrError) => e.field === 'preamble.headerLength',
    );
  });

  test('header checksum', () => {
    rejects(
      patchBytes(valid, (_, v) => v.setUint32(16, v.getUint32(16, true) ^ 1, true)),
      'checksum',
      'preamble.headerCrc32',
    );
    rejects(
      patchBytes(valid, (b) => (b[40] = b[40]! ^ 0x20)),
      'checksum',
      'preamble.headerCrc32',
    );
  });
});

describe('header JSON', () => {
  test('not UTF-8, not JSON, not an object', () => {
    const parts = splitInr(valid);
    rejects(joinInr({ ...parts, json: Uint8Array.of(0x7b, 0xff, 0x7d) }), 'invalid-header', 'header');
    rejects(joinInr({ ...parts, json: '{"kind": "image",' }), 'invalid-header', 'header');
    rejects(joinInr({ ...parts, json: '[1, 2]' }), 'invalid-header', 'header');
  });

  test('deep nesting and long strings hit limits', () => {
    rejects(
      withHeader(valid, (h) => void (h.provenance.x = JSON.parse('['.repeat(100) + ']'.repeat(100)))),
      'limit',
      'header',
    );
    rejects(
      withHeader(valid, (h) => void (h.provenance.note = 'x'.repeat(5000))),
      'limit',
      'header.provenance.note',
    );
  });

  test('missing and mistyped fields', () => {
    rejects(
      withHeader(valid, (h) => void delete h.widths),
      'invalid-header',
      'header.widths',
    );
    rejects(
      withHeader(valid, (h) => void delete h.tensors),
      'invalid-header',
      'header.tensors',
    );
    rejects(
      withHeader(valid, (h) => void delete h.bases),
      'invalid-model',
      'header.bases',
      InrModelError,
    );
    rejects(
      withHeader(valid, (h) => void (h.kind = 'audio')),
      'invalid-header',
      'header.kind',
    );
    rejects(
      withHeader(valid, (h) => void (h.channels = '3')),
      'invalid-header',
      'header.channels',
    );
    rejects(
      withHeader(valid, (h) => void (h.channels = 9)),
      'limit',
      'header.channels',
    );
    rejects(
      withHeader(valid, (h) => void (h.omegas = [30, 'NaN'])),
      'invalid-header',
      'header.omegas[1]',
    );
    rejects(
      withHeader(valid, (h) => void h.modScales.push(30)),
      'invalid-header',
      'header.modScales',
    );
    rejects(
      withHeader(valid, (h) => void (h.axes = ['t', 'y', 'x'])),
      'invalid-header',
      'header.axes',
    );
    rejects(
      withHeader(valid, (h) => void (h.widths = new Array(20).fill(8))),
      'limit',
      'header.widths',
    );
    rejects(
      withHeader(valid, (h) => void (h.shape = [16, 16.5])),
      'invalid-header',
      'header.shape[1]',
    );
    rejects(
      withHeader(valid, (h) => void (h.axes = ['y', 'y'])),
      'invalid-header',
      'header.axes[1]',
    );
    rejects(
      withHeader(valid, (h) => void (h.outputRange = [1, 0])),
      'invalid-header',
      'header.outputRange',
    );
    rejects(
      withHeader(valid, (h) => void (h.colorSpace = 'cmyk')),
      'invalid-header',
      'header.colorSpace',
    );
    rejects(
      withHeader(valid, (h) => void (h.fps = 30)),
      'invalid-header',
      'header.fps',
    );
    rejects(
      withHeader(valid, (h) => void (h.bases[0] = [2, 2, 2])),
      'invalid-model',
      'header.bases[0]',
      InrModelError,
    );
  });

  test('provenance stays flat and small', () => {
    rejects(
      withHeader(valid, (h) => void (h.provenance = [1])),
      'invalid-header',
      'header.provenance',
    );
    rejects(
      withHeader(valid, (h) => void (h.provenance.teacher = { ratio: 0.2 })),
      'invalid-header',
      'header.provenance.teacher',
    );
    rejects(
      withHeader(valid, (h) => void (h.provenance.list = new Array(300).fill(1))),
      'limit',
      'header.provenance.list',
    );
    const big = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`key${i}`, 'v'.repeat(40)]));
    rejects(
      withHeader(valid, (h) => void (h.provenance = big)),
      'limit',
      'header.provenance',
    );
    const proto = readInr(withHeader(valid, (h) => JSON.parse(JSON.stringify(h).replace('"provenance":{', '"provenance":{"__proto__":"x",'))));
    assert.equal(Object.getPrototypeOf(proto.header.provenance), Object.prototype);
    assert.equal(proto.header.provenance['__proto__'], 'x');
  });
});
