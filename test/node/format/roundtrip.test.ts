import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InrError } from '../../../src/util/errors.js';
import {
  DATA_ALIGN,
  codedModel,
  INR_MAGIC,
  PREAMBLE_BYTES,
  encodeInr,
  encodeInrSegments,
  modelFromInr,
  readInr,
  segmentOfFrame,
  specFromHeader,
  statedPsnr,
  writeInr,
} from '../../../src/format/index.js';
import { decodeShared } from '../../../src/model/shared.js';
import type { AsmrModel } from '../../../src/model/types.js';
import { DTYPES, IMAGE_SPEC, SIGNAL_SPEC, VIDEO_SPEC, model, segmentModels, splitInr } from './helpers.js';

/** Every weight array of a model with its name, in storage order. */
function weightArrays(m: AsmrModel): [string, Float32Array][] {
  const out: [string, Float32Array][] = [];
  m.weights.layers.forEach((l, i) => {
    out.push([`layers.${i}.weight`, l.weight], [`layers.${i}.bias`, l.bias]);
    if (m.weights.modulators[i]) out.push([`modulators.${i}.weight`, m.weights.modulators[i]!]);
  });
  return out;
}

/** The writer stores only the weights of layers 1..L-1 in a plain dtype asked for. */
const isQuantised = (name: string) => /(^|\.)layers\.[1-9]\d*\.weight$/.test(name);

/** The dtype a tensor of a file written at `dtype` has: coded dtypes cover every tensor, 4 bits more off the hidden weights. */
function storedDtype(name: string, dtype: (typeof DTYPES)[number]): string {
  if (dtype === 'q4' || dtype === 'q8') return isQuantised(name) ? dtype : `q${Number(dtype.slice(1)) + 4}`;
  return isQuantised(name) ? dtype : 'f32';
}

/** Checks `got` against `want` within the error each dtype allows (coded: exactly what codedModel gives). */
function assertClose(got: AsmrModel, want: AsmrModel, dtype: (typeof DTYPES)[number]): void {
  assert.deepEqual(got.spec, want.spec);
  if (dtype === 'q4' || dtype === 'q8') {
    assert.deepEqual(weightArrays(got), weightArrays(codedModel(want, Number(dtype.slice(1)))));
    return;
  }
  const gotArrays = new Map(weightArrays(got));
  for (const [name, w] of weightArrays(want)) {
    const g = gotArrays.get(name)!;
    assert.equal(g.length, w.length, name);
    if (dtype === 'f32' || !isQuantised(name)) {
      assert.deepEqual(g, w, `${name} must be exact`);
      continue;
    }
    const rows = want.spec.widths[Number(name.split('.')[1])] ?? want.spec.channels;
    const cols = w.length / rows;
    for (let i = 0; i < w.length; i++) {
      const err = Math.abs(g[i]! - w[i]!);
      if (dtype === 'f16') {
        assert.ok(err <= Math.abs(w[i]!) * 2 ** -11 || err <= 2 ** -25, `${name}[${i}] f16 error ${err}`);
      } else {
        const row = w.subarray(Math.floor(i / cols) * cols, (Math.floor(i / cols) + 1) * cols);
        const scale = Math.fround(Math.max(...row.map(Math.abs)) / 127);
        assert.ok(err <= (scale / 2) * (1 + 1e-6), `${name}[${i}] int8 error ${err} > ${scale / 2}`);
      }
    }
  }
}

describe('encodeInr / readInr / modelFromInr round trip', () => {
  for (const [label, spec] of [
    ['image', IMAGE_SPEC],
    ['video', VIDEO_SPEC],
    ['signal', SIGNAL_SPEC],
  ] as const) {
    for (const dtype of DTYPES) {
      test(`${label}, ${dtype}`, () => {
        const original = model(spec, 11);
        const bytes = encodeInr(original, { provenance: { method: 'test', psnr: 31.5 } }, { dtype });
        const file = readInr(bytes);
        assert.equal(file.byteLength, bytes.length);
        // Version 2 only where it is needed: readers of version 1 keep reading plain files.
        assert.deepEqual(file.version, { major: dtype.startsWith('q') ? 2 : 1, minor: 0 });
        assert.deepEqual(file.header.provenance, { method: 'test', psnr: 31.5 });
        assert.equal(statedPsnr(file.header), 31.5);
        for (const t of file.header.tensors) assert.equal(t.dtype, storedDtype(t.name, dtype), `${t.name} dtype`);
        const back = modelFromInr(file);
        assertClose(back, original, dtype);
        if (dtype === 'f32') assert.deepEqual(decodeShared(back), decodeShared(original));
        // Coding again what was decoded gives the same bytes: quantisation and phase wrapping are idempotent.
        if (dtype.startsWith('q')) assert.deepEqual(encodeInr(back, { provenance: { method: 'test', psnr: 31.5 } }, { dtype }), bytes);
      });
    }
  }

  test('defaults follow the axis count', () => {
    const image = readInr(encodeInr(model(IMAGE_SPEC, 1))).header;
    assert.equal(image.kind, 'image');
    assert.deepEqual(image.axes, ['y', 'x']);
    assert.deepEqual(image.outputRange, [0, 1]);
    assert.equal(image.colorSpace, 'srgb');
    assert.deepEqual(image.provenance, {});
    assert.equal(statedPsnr(image), undefined);
    const video = readInr(encodeInr(model(VIDEO_SPEC, 1), { fps: 24 })).header;
    assert.equal(video.kind, 'video');
    assert.deepEqual(video.axes, ['t', 'y', 'x']);
    assert.equal(video.fps, 24);
    const signal = readInr(encodeInr(model(SIGNAL_SPEC, 1))).header;
    assert.equal(signal.kind, 'signal');
    assert.equal(signal.colorSpace, 'none');
  });

  test('meta fields are stored as given', () => {
    const meta = { outputRange: [-1, 1] as [number, number], colorSpace: 'linear' as const, axes: ['row', 'col'] };
    const h = readInr(encodeInr(model(IMAGE_SPEC, 2), meta)).header;
    assert.deepEqual(h.outputRange, [-1, 1]);
    assert.equal(h.colorSpace, 'linear');
    assert.deepEqual(h.axes, ['row', 'col']);
    assert.deepEqual(specFromHeader(h), IMAGE_SPEC);
  });

  test('byte layout: preamble, aligned data start and tensors, coarse levels first, no tail', () => {
    const bytes = encodeInr(model(IMAGE_SPEC, 3), {}, { dtype: 'int8' });
    assert.deepEqual([...bytes.subarray(0, 8)], [...INR_MAGIC]);
    const view = new DataView(bytes.buffer);
    assert.equal(view.getUint16(8, true), 1);
    assert.equal(view.getUint16(10, true), 0);
    const headerLength = view.getUint32(12, true);
    const dataStart = Math.ceil((PREAMBLE_BYTES + headerLength) / DATA_ALIGN) * DATA_ALIGN;
    assert.ok(bytes.subarray(PREAMBLE_BYTES + headerLength, dataStart).every((b) => b === 0));
    const { tensors } = JSON.parse(splitInr(bytes).json) as { tensors: { name: string; offset: number; length: number }[] };
    assert.deepEqual(
      tensors.map((t) => t.name),
      [
        'layers.0.weight',
        'layers.0.bias',
        'modulators.0.weight',
        'layers.1.weight',
        'layers.1.bias',
        'modulators.1.weight',
        'layers.2.weight',
        'layers.2.bias',
      ],
    );
    tensors.forEach((t) => assert.equal(t.offset % DATA_ALIGN, 0));
    const last = tensors.at(-1)!;
    assert.equal(bytes.length, dataStart + last.offset + last.length);
    // layers.0.weight stays f32 [8, 2]; layers.1.weight is int8 [8, 8]: 8 float32 scales then 64 int8 values.
    assert.equal(tensors[0]!.length, 8 * 2 * 4);
    assert.equal(tensors[3]!.length, 8 * 4 + 64);
  });

  test('segmented video: each segment is its own model over its frames', () => {
    for (const dtype of DTYPES) {
      const models = segmentModels(5);
      const file = readInr(encodeInrSegments(models, { fps: 30 }, { dtype }));
      const h = file.header;
      assert.deepEqual(h.shape, [6, 8, 8]);
      assert.equal(h.bases, undefined);
      assert.deepEqual(
        h.segments!.map((s) => [s.frameStart, s.frameCount, s.prefix]),
        [
          [0, 2, 's0.'],
          [2, 4, 's1.'],
        ],
      );
      models.forEach((m, k) => assertClose(modelFromInr(file, k), m, dtype));
      assert.equal(segmentOfFrame(h, 0), 0);
      assert.equal(segmentOfFrame(h, 2), 1);
      assert.equal(segmentOfFrame(h, 5), 1);
      assert.throws(() => segmentOfFrame(h, 6), InrError);
      assert.throws(
        () => modelFromInr(file),
        (e: InrError) => e.field === 'segment',
      );
      assert.throws(
        () => modelFromInr(file, 2),
        (e: InrError) => e.field === 'segment',
      );
    }
    const [a, b] = segmentModels(6);
    b!.spec.omegas = [21];
    assert.throws(
      () => encodeInrSegments([a!, b!]),
      (e: InrError) => e.field === 'models[1].spec.omegas',
    );
  });

  test('writeInr computes offsets, lengths and CRCs, and refuses what a reader would reject', () => {
    const m = model(SIGNAL_SPEC, 4);
    const tensors = [
      { name: 'layers.0.weight', dtype: 'f16' as const, shape: [6, 1], values: m.weights.layers[0]!.weight },
      { name: 'layers.0.bias', dtype: 'f32' as const, shape: [6], values: m.weights.layers[0]!.bias },
      { name: 'modulators.0.weight', dtype: 'f32' as const, shape: [6, 1], values: m.weights.modulators[0]! },
      { name: 'layers.1.weight', dtype: 'int8' as const, shape: [2, 6], values: m.weights.layers[1]!.weight },
      { name: 'layers.1.bias', dtype: 'f16' as const, shape: [2], values: m.weights.layers[1]!.bias },
    ];
    const init = {
      kind: 'signal' as const,
      axes: ['t'],
      ...SIGNAL_SPEC,
      outputRange: [0, 1] as [number, number],
      colorSpace: 'none' as const,
      provenance: {},
    };
    const file = readInr(writeInr(init, tensors));
    assert.deepEqual(
      file.header.tensors.map((t) => [t.offset, t.length]),
      [
        [0, 12],
        [16, 24],
        [48, 24],
        [80, 20],
        [112, 4],
      ],
    );
    assert.throws(
      () => writeInr(init, tensors.slice(1)),
      (e: InrError) => e.field === 'header.tensors[0].name',
    );
    assert.throws(
      () => writeInr(init, [...tensors].reverse()),
      (e: InrError) => e.field === 'header.tensors[0].name',
    );
    assert.throws(
      () => writeInr({ ...init, shape: [31] }, tensors),
      (e: InrError) => e.field === 'header.bases[0]',
    );
    const big = tensors.map((t, i) => (i === 0 ? { ...t, values: new Float32Array(6).fill(1e5) } : t));
    assert.throws(
      () => writeInr(init, big),
      (e: InrError) => e.code === 'unrepresentable',
    );
    const nan = tensors.map((t, i) => (i === 2 ? { ...t, values: new Float32Array(6).fill(NaN) } : t));
    assert.throws(
      () => writeInr(init, nan),
      (e: InrError) => e.code === 'non-finite-weight',
    );
  });

  test('encodeInr validates the model first', () => {
    const m = model(IMAGE_SPEC, 6);
    m.weights.layers[1]!.weight[3] = Infinity;
    assert.throws(
      () => encodeInr(m),
      (e: InrError) => e.code === 'non-finite-weight' && e.field === 'layers[1].weight',
    );
  });
});
