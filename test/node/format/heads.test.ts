import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, encodeInr, encodeInrSegments, InrParser, modelFromInr, readInr } from '../../../src/format/index.js';
import type { InrError } from '../../../src/util/errors.js';
import { LevelAssembler } from '../../../src/format/levels.js';
import { headModel, randomModel, type AsmrModel, type AsmrSpec } from '../../../src/model/index.js';
import { withHeads } from '../fixtures.js';
import { joinInr, patchBytes, rejects, splitInr, withHeader } from './helpers.js';

const SPEC: AsmrSpec = {
  shape: [16, 24],
  bases: [
    [2, 2, 2, 2],
    [2, 3, 2, 2],
  ],
  channels: 3,
  widths: [8, 8, 8],
  omegas: [30, 30, 30],
  modScales: [30, 30, 30],
};

const model = withHeads(randomModel(SPEC, 1), 2);

describe('level heads in the container (format 3, written as 4)', () => {
  it('stores each head after its level, says where the levels end, and reads them back', () => {
    for (const dtype of ['f32', 'q8'] as const) {
      const file = readInr(encodeInr(model, {}, { dtype }));
      assert.equal(file.version.major, 4);
      assert.equal(file.header.levelHeads, true);
      const names = file.header.tensors.map((t) => t.name);
      assert.deepEqual(names.slice(0, 5), ['layers.0.weight', 'layers.0.bias', 'modulators.0.weight', 'heads.1.weight', 'heads.1.bias']);
      assert.equal(names.indexOf('heads.2.bias'), names.indexOf('modulators.1.weight') + 2);
      const end = (name: string) => file.header.tensors.find((t) => t.name === name)!;
      const ends = ['heads.1.bias', 'heads.2.bias', 'layers.3.bias'].map((n) => end(n).offset + end(n).length);
      assert.deepEqual(file.header.levelEnds, ends);
      const read = modelFromInr(file);
      assert.equal(read.weights.heads?.length, 2);
      if (dtype === 'f32') assert.deepEqual(read.weights.heads, model.weights.heads);
    }
    // A model without heads is written as before.
    const plain = readInr(encodeInr(randomModel(SPEC, 1)));
    assert.equal(plain.version.major, 1);
    assert.equal(plain.header.levelHeads, undefined);
  });

  it('rejects heads in an older version, and level ends that disagree with the table', () => {
    const bytes = encodeInr(model);
    // Compact table entries, like heads, are version 3's.
    rejects(joinInr({ ...splitInr(bytes), major: 2 }), 'invalid-header', 'header.tensors[0]');
    const objects = withHeader(bytes, (h) => {
      const file = readInr(bytes);
      h.tensors = file.header.tensors;
    });
    assert.equal(readInr(objects).header.tensors.length, 15);
    rejects(joinInr({ ...splitInr(objects), major: 2 }), 'invalid-header', 'header.tensors[3].name');
    rejects(
      withHeader(bytes, (h) => void (h.levelEnds[0] += 16)),
      'invalid-header',
      'header.levelEnds[0]',
    );
    rejects(
      withHeader(bytes, (h) => void delete h.levelEnds),
      'invalid-header',
      'header.levelEnds',
    );
    rejects(
      withHeader(bytes, (h) => void (h.levelHeads = 'yes')),
      'invalid-header',
      'header.levelHeads',
    );
    // Without the flag the table is read as a model without heads: the fourth tensor is layers.1.weight.
    rejects(
      withHeader(bytes, (h) => void delete h.levelHeads),
      'invalid-header',
      'header.tensors[3].length',
    );
    rejects(
      withHeader(bytes, (h) => void h.tensors.push(['f32', 12, 0])),
      'invalid-header',
      'header.tensors[15]',
    );
  });

  it('hands out each level picture once its bytes have arrived, before the next level', () => {
    const bytes = encodeInr(model, {}, { dtype: 'q8' });
    const parser = new InrParser();
    let assembler: LevelAssembler | undefined;
    const seen: { level: number; at: number; bytes: number }[] = [];
    const pictureOf = new Map<number, AsmrModel>();
    for (let at = 1; at <= bytes.length; at++) {
      for (const e of parser.push(bytes.subarray(at - 1, at))) {
        if (e.type === 'header') assembler = LevelAssembler.for(e.header, e.dataStart);
        if (e.type !== 'tensor') continue;
        const arrival = assembler!.add(e.index, e.values);
        if (arrival) {
          seen.push({ level: arrival.picture.level, at, bytes: arrival.bytes });
          pictureOf.set(arrival.picture.level, arrival.picture.model);
        }
      }
    }
    const file = readInr(bytes);
    const dataStart = bytes.length - (file.header.levelEnds!.at(-1) ?? 0);
    assert.deepEqual(
      seen,
      [1, 2].map((level) => ({ level, at: dataStart + file.header.levelEnds![level - 1]!, bytes: dataStart + file.header.levelEnds![level - 1]! })),
    );
    const full = modelFromInr(file);
    for (const level of [1, 2]) assert.deepEqual(pictureOf.get(level), headModel(full, level)!.model);
  });

  it('a segmented video stores heads in every segment', () => {
    const videoSpec: AsmrSpec = { ...SPEC, shape: [4, 16, 24], bases: [[1, 2, 1, 2], ...SPEC.bases] };
    const segments = [withHeads(randomModel(videoSpec, 3), 4), withHeads(randomModel(videoSpec, 5), 6)];
    const file = readInr(encodeInrSegments(segments));
    assert.equal(file.version.major, 4);
    assert.deepEqual(modelFromInr(file, 1).weights.heads, segments[1]!.weights.heads);
    assert.equal(LevelAssembler.for(file.header, 0), undefined);
    assert.throws(() => encodeInrSegments([segments[0]!, randomModel(videoSpec, 7)]), /level heads/);
  });
});

describe('provenance after the tensors (format 4)', () => {
  const provenance = { method: 'asmr-train', source: 'astronaut.png', iterations: 3000, psnr: 22.038 };
  const bytes = encodeInr(model, { provenance }, { dtype: 'q8' });
  const trailer = new TextEncoder().encode(JSON.stringify(provenance));
  /** The same file as version 3 wrote it: the provenance in the header. */
  const asVersion3 = () => {
    const parts = splitInr(bytes);
    const json = JSON.parse(parts.json);
    delete json.provenanceTrailer;
    json.provenance = provenance;
    return joinInr({ major: 3, minor: 0, json: JSON.stringify(json), data: parts.data.subarray(0, parts.data.length - trailer.length) });
  };
  /** Where level 1's tensors end, from the start of the file. */
  const levelOneEnd = (b: Uint8Array) => {
    const event = new InrParser().push(b).find((e) => e.type === 'header');
    assert.ok(event?.type === 'header');
    return event.dataStart + event.header.levelEnds![0]!;
  };

  it('stores the provenance last, so the first level needs fewer bytes, and hands it out at the end', () => {
    const parts = splitInr(bytes);
    const json = JSON.parse(parts.json);
    assert.equal(parts.major, 4);
    assert.equal(json.provenance, undefined);
    // Defaults are not written out, and read back as the defaults.
    assert.deepEqual([json.outputRange, json.colorSpace], [undefined, undefined]);
    assert.deepEqual([readInr(bytes).header.outputRange, readInr(bytes).header.colorSpace], [[0, 1], 'srgb']);
    const ranged = readInr(encodeInr(model, { outputRange: [-1, 1], colorSpace: 'linear' })).header;
    assert.deepEqual([ranged.outputRange, ranged.colorSpace], [[-1, 1], 'linear']);
    assert.deepEqual(json.provenanceTrailer, [trailer.length, crc32(trailer)]);
    assert.deepEqual(bytes.subarray(bytes.length - trailer.length), trailer);
    const file = readInr(bytes);
    assert.deepEqual(file.header.provenance, provenance);
    assert.equal(file.byteLength, bytes.length);
    // Level 1's bytes end about the provenance's length sooner than with it in the header (version 3).
    const saved = levelOneEnd(asVersion3()) - levelOneEnd(bytes);
    assert.ok(saved >= trailer.length - 40 - 16 && saved <= trailer.length + 16, `${saved} bytes saved`);

    const parser = new InrParser();
    const events: { type: string; at: number }[] = [];
    let headerProvenance: unknown;
    for (let at = 1; at <= bytes.length; at++) {
      for (const e of parser.push(bytes.subarray(at - 1, at))) {
        events.push({ type: e.type, at });
        if (e.type === 'header') headerProvenance = e.header.provenance;
        if (e.type === 'provenance') assert.deepEqual(e.provenance, provenance);
        if (e.type === 'done') assert.equal(e.byteLength, bytes.length);
      }
    }
    parser.end();
    assert.deepEqual(headerProvenance, {});
    assert.deepEqual(
      events.slice(-3).map((e) => e.type),
      ['tensor', 'provenance', 'done'],
    );
    assert.equal(events.at(-3)!.at, bytes.length - trailer.length);
    assert.equal(events.at(-1)!.at, bytes.length);
  });

  it('rejects a bad trailer, and the provenance in the wrong place for the version', () => {
    const withTrailer = (text: string) => {
      const t = new TextEncoder().encode(text);
      const parts = splitInr(bytes);
      const data = new Uint8Array(parts.data.length - trailer.length + t.length);
      data.set(parts.data.subarray(0, parts.data.length - trailer.length));
      data.set(t, data.length - t.length);
      const json = JSON.parse(parts.json);
      json.provenanceTrailer = [t.length, crc32(t)];
      return joinInr({ ...parts, data, json: JSON.stringify(json) });
    };
    rejects(
      patchBytes(bytes, (b) => void (b[b.length - 2] = 0x20)),
      'checksum',
      'header.provenanceTrailer[1]',
    );
    rejects(bytes.subarray(0, bytes.length - 1), 'truncated', 'provenance');
    rejects(Uint8Array.of(...bytes, 0), 'trailing-bytes', 'file');
    rejects(withTrailer('{"a":'), 'invalid-header', 'provenance');
    rejects(withTrailer('{"a":{"b":1}}'), 'invalid-header', 'provenance.a');
    rejects(withTrailer('[1]'), 'invalid-header', 'provenance');
    assert.throws(
      () => readInr(bytes, { limits: { maxProvenanceBytes: trailer.length - 1 } }),
      (e: InrError) => e.code === 'limit' && e.field === 'header.provenanceTrailer[0]',
    );
    rejects(
      withHeader(bytes, (h) => void (h.provenanceTrailer = [1e9, 0])),
      'limit',
      'header.provenanceTrailer[0]',
    );
    rejects(
      withHeader(bytes, (h) => void (h.provenance = provenance)),
      'invalid-header',
      'header.provenance',
    );
    rejects(joinInr({ ...splitInr(bytes), major: 3 }), 'invalid-header', 'header.provenanceTrailer');
  });

  it('still reads a version-3 file, whose provenance is in its header', () => {
    const file = readInr(asVersion3());
    assert.deepEqual(file.version, { major: 3, minor: 0 });
    assert.deepEqual(file.header.provenance, provenance);
    assert.deepEqual(modelFromInr(file), modelFromInr(readInr(bytes)));
  });
});
