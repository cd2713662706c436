import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeInr, encodeInrSegments, InrParser, modelFromInr, readInr } from '../../../src/format/index.js';
import { LevelAssembler } from '../../../src/format/levels.js';
import { headModel, randomModel, type AsmrModel, type AsmrSpec } from '../../../src/model/index.js';
import { withHeads } from '../fixtures.js';
import { joinInr, rejects, splitInr, withHeader } from './helpers.js';

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

describe('level heads in the container (format 3)', () => {
  it('stores each head after its level, says where the levels end, and reads them back', () => {
    for (const dtype of ['f32', 'q8'] as const) {
      const file = readInr(encodeInr(model, {}, { dtype }));
      assert.equal(file.version.major, 3);
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
    assert.equal(file.version.major, 3);
    assert.deepEqual(modelFromInr(file, 1).weights.heads, segments[1]!.weights.heads);
    assert.equal(LevelAssembler.for(file.header, 0), undefined);
    assert.throws(() => encodeInrSegments([segments[0]!, randomModel(videoSpec, 7)]), /level heads/);
  });
});
