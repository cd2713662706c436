/**
 * Fuzz: mutated `.inr` files must either read and decode, or be rejected with an InrError,
 * through both readInr and readInrStream (with the same verdict), quickly. Fixed seed, so a
 * failure names a reproducible case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InrError } from '../../../src/util/errors.js';
import { crc32, encodeInr, encodeInrSegments, modelFromInr, readInr, readInrStream, type InrFile } from '../../../src/format/index.js';
import { mulberry32, type Prng } from '../../../src/model/prng.js';
import { decodeShared } from '../../../src/model/shared.js';
import type { AsmrSpec, Region } from '../../../src/model/types.js';
import { withHeads } from '../fixtures.js';
import { DTYPES, IMAGE_SPEC, VIDEO_SPEC, chunkedStream, joinInr, model, segmentModels, splitInr } from './helpers.js';

const SEED = 0x1e2f;
/** Cases per base file and category; 17 base files. */
const PER_BASE = { byteFlips: 100, headerTextFlips: 100, dataFlipsFixedCrc: 60, truncations: 60, headerEdits: 400, valueEdits: 40 };
const CASE_TIME_BOUND_MS = 1000;

type Verdict = { ok: true } | { ok: false; code: string; field: string | undefined };

const int = (rng: Prng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Prng, list: readonly T[]): T => list[int(rng, list.length)]!;

/** A small region of the model: bounded work whatever sizes a mutated header produced. */
function smallRegion(spec: AsmrSpec): Region {
  const d = spec.shape.length;
  return { start: spec.shape.map(() => 0), size: spec.shape.map((s, a) => Math.min(s, a < d - 2 ? 2 : 16)) };
}

function decodeAll(file: InrFile): void {
  const segments = file.header.segments;
  for (let k = 0; k < (segments?.length ?? 1); k++) {
    const m = modelFromInr(file, segments ? k : undefined);
    const region = smallRegion(m.spec);
    const out = decodeShared(m, region);
    assert.equal(out.length, region.size.reduce((a, b) => a * b, 1) * m.spec.channels);
  }
}

function verdictOf(e: unknown, label: string): Verdict {
  if (e instanceof InrError) return { ok: false, code: e.code, field: e.field };
  throw new Error(`${label}: threw a non-InrError: ${String(e)}`, { cause: e });
}

/** Runs one case through both readers; returns its verdict key and duration. */
async function runCase(bytes: Uint8Array, label: string, rng: Prng): Promise<{ key: string; ms: number }> {
  const t0 = performance.now();
  let sync: Verdict;
  try {
    decodeAll(readInr(bytes));
    sync = { ok: true };
  } catch (e) {
    sync = verdictOf(e, `${label} (readInr)`);
  }
  const sizes = Array.from({ length: 8 }, () => 1 + int(rng, rng() < 0.3 ? 8 : 400));
  let streamed: Verdict;
  try {
    decodeAll(await readInrStream(chunkedStream(bytes, sizes)));
    streamed = { ok: true };
  } catch (e) {
    streamed = verdictOf(e, `${label} (readInrStream)`);
  }
  assert.deepEqual(streamed, sync, `${label}: stream and whole-buffer readers disagree`);
  const ms = performance.now() - t0;
  assert.ok(ms < CASE_TIME_BOUND_MS, `${label}: took ${ms.toFixed(0)} ms`);
  return { key: sync.ok ? 'ok' : sync.code, ms };
}

// --- mutations ------------------------------------------------------------------------------

const SPECIAL_BYTES = [0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x5c, 0x30, 0x39, 0x2d, 0x65, 0x2e, 0x2c, 0x3a, 0x20, 0x80, 0xff, 0x00];

function flipBytes(bytes: Uint8Array, rng: Prng, from: number, to: number): Uint8Array {
  const out = bytes.slice();
  for (let n = 1 + int(rng, 4); n > 0; n--) {
    const i = from + int(rng, to - from);
    const r = rng();
    out[i] = r < 0.4 ? out[i]! ^ (1 << int(rng, 8)) : r < 0.7 ? int(rng, 256) : pick(rng, SPECIAL_BYTES);
  }
  return out;
}

/** Header JSON text with bytes flipped, re-wrapped with a correct header CRC. */
function flipHeaderText(bytes: Uint8Array, rng: Prng): Uint8Array {
  const parts = splitInr(bytes);
  const json = new TextEncoder().encode(parts.json);
  return joinInr({ ...parts, json: flipBytes(json, rng, 0, json.length) });
}

/** Tensor bytes flipped, every tensor CRC recomputed: garbage weights that pass checksums. */
function flipDataFixCrc(bytes: Uint8Array, rng: Prng): Uint8Array {
  const parts = splitInr(bytes);
  const data = flipBytes(parts.data, rng, 0, parts.data.length);
  const header = JSON.parse(parts.json) as { tensors: ({ crc32: number } | [string, number, number])[]; provenanceTrailer?: [number, number] };
  // The base file's layout: a compact entry (version 3 on) names no offset of its own.
  readInr(bytes).header.tensors.forEach(({ offset, length }, i) => {
    const crc = crc32(data.subarray(offset, offset + length));
    const t = header.tensors[i]!;
    if (Array.isArray(t)) t[2] = crc;
    else t.crc32 = crc;
  });
  const trailer = header.provenanceTrailer;
  if (trailer) trailer[1] = crc32(data.subarray(data.length - trailer[0]));
  return joinInr({ ...parts, json: JSON.stringify(header), data });
}

/** Tokens JSON.stringify cannot produce, spliced in as raw text. */
const RAW_TOKENS = ['1e999', '-1e999', '-0', '1e-400', '9007199254740993', '1E2', '0.0000001', '4294967296'];
const HOSTILE: unknown[] = [
  2 ** 53,
  2 ** 32,
  2 ** 31,
  1e308,
  -1,
  -16,
  0,
  0.5,
  16.5,
  17,
  3,
  65536,
  1 << 20,
  'NaN',
  'Infinity',
  '-Infinity',
  null,
  true,
  false,
  '',
  'x'.repeat(5000),
  [],
  {},
  [[]],
  [1e308],
  [-1, 2],
  { a: 1 },
  'layers.0.weight',
  'f16',
  'int8',
  'video',
  'image',
  'signal',
  's0.',
  [2, 2, 4],
  [[16], [16]],
  [16, 16],
  [4, 8, 8],
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Slot = { parent: Json[] | { [k: string]: Json }; key: string | number };

function slots(value: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slots(v, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value, key: k });
      slots(v, out);
    }
  }
  return out;
}

function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Applies 1-3 structural edits; returns the header text (raw tokens spliced in). */
function editHeader(json: string, rng: Prng): string {
  const header = JSON.parse(json) as Json;
  const raw: string[] = [];
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    const all = slots(header);
    const { parent, key } = pick(rng, all);
    const obj = parent as Record<string | number, Json>;
    const current = obj[key]!;
    const r = rng();
    if (r < 0.35) {
      obj[key] = structuredClone(pick(rng, HOSTILE)) as Json;
    } else if (r < 0.5) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete obj[key];
    } else if (r < 0.65 && typeof current === 'number') {
      obj[key] = pick(rng, [current + 1, current - 1, current * 2, current * 16, -current, current + 0.5, current + 16]);
    } else if (r < 0.72 && Array.isArray(parent)) {
      parent.splice(key as number, 0, structuredClone(current));
    } else if (r < 0.8) {
      obj[key] = nested(5 + int(rng, 200));
    } else if (r < 0.9) {
      obj[key] = `__raw${raw.length}__`;
      raw.push(pick(rng, RAW_TOKENS));
    } else {
      const other = pick(rng, all);
      const tmp = (other.parent as Record<string | number, Json>)[other.key]!;
      (other.parent as Record<string | number, Json>)[other.key] = current;
      obj[key] = tmp;
    }
  }
  let text = JSON.stringify(header);
  raw.forEach((token, i) => (text = text.replace(`"__raw${i}__"`, token)));
  return text;
}

const EXTREME = [1e308, -1e308, 1e-300, -0, 0, 2 ** 60, 123.456, -30];

/** Extreme but legal values for fields that do not change the tensor table: must decode. */
function editValues(json: string, rng: Prng): string {
  const h = JSON.parse(json) as Record<string, Json>;
  const omegas = h.omegas as number[];
  const scales = h.modScales as number[];
  if (omegas.length > 0) omegas[int(rng, omegas.length)] = pick(rng, EXTREME);
  if (scales.length > 0) scales[int(rng, scales.length)] = pick(rng, EXTREME);
  h.outputRange = pick(rng, [
    [-1e300, 1e300],
    [0, 1e-300],
    [-1, 1],
    [0.5, 0.5000001],
    [0, 1e300],
  ]);
  h.colorSpace = pick(rng, ['srgb', 'linear', 'none']);
  // A file with level heads is version 4, whose provenance is stored after the tensors.
  if (rng() < 0.5 && !('levelHeads' in h)) h.provenance = { psnr: pick(rng, EXTREME), list: [1, 'a', null, true], note: 'ü'.repeat(int(rng, 50)) };
  return JSON.stringify(h);
}

function baseFiles(): { label: string; bytes: Uint8Array }[] {
  const image = model(IMAGE_SPEC, 1);
  const video = model(VIDEO_SPEC, 2);
  const segments = segmentModels(3);
  const provenance = { method: 'fuzz', psnr: 30 };
  return [
    ...DTYPES.flatMap((dtype) => [
      { label: `image-${dtype}`, bytes: encodeInr(image, { provenance }, { dtype }) },
      { label: `video-${dtype}`, bytes: encodeInr(video, { fps: 24 }, { dtype }) },
      { label: `segments-${dtype}`, bytes: encodeInrSegments(segments, {}, { dtype }) },
    ]),
    // Version 4: level heads, compact entries, the provenance after the tensors.
    ...(['f32', 'q8'] as const).map((dtype) => ({ label: `heads-${dtype}`, bytes: encodeInr(withHeads(image, 4), { provenance }, { dtype }) })),
  ];
}

test('fuzz: every mutated file reads and decodes, or is rejected with an InrError', async (t) => {
  const rng = mulberry32(SEED);
  const stats: Record<string, Record<string, number>> = {};
  const started = performance.now();
  let cases = 0;
  let slowest = 0;
  for (const { label, bytes } of baseFiles()) {
    const run = async (kind: string, mutated: Uint8Array): Promise<void> => {
      const { key, ms } = await runCase(mutated, `${label} ${kind} #${cases}`, rng);
      const counts = (stats[kind] ??= {});
      counts[key] = (counts[key] ?? 0) + 1;
      slowest = Math.max(slowest, ms);
      cases++;
    };
    for (let i = 0; i < PER_BASE.byteFlips; i++) await run('byte-flip', flipBytes(bytes, rng, 0, bytes.length));
    for (let i = 0; i < PER_BASE.headerTextFlips; i++) await run('header-text', flipHeaderText(bytes, rng));
    for (let i = 0; i < PER_BASE.dataFlipsFixedCrc; i++) await run('data-fixed-crc', flipDataFixCrc(bytes, rng));
    for (let i = 0; i < PER_BASE.truncations; i++) await run('truncate', bytes.slice(0, int(rng, bytes.length)));
    for (let i = 0; i < PER_BASE.headerEdits; i++) {
      const parts = splitInr(bytes);
      await run('header-edit', joinInr({ ...parts, json: editHeader(parts.json, rng) }));
    }
    for (let i = 0; i < PER_BASE.valueEdits; i++) {
      const parts = splitInr(bytes);
      await run('value-edit', joinInr({ ...parts, json: editValues(parts.json, rng) }));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`${cases} cases in ${seconds.toFixed(1)} s, slowest ${slowest.toFixed(1)} ms`);
  for (const [kind, counts] of Object.entries(stats)) t.diagnostic(`${kind}: ${JSON.stringify(counts)}`);
  assert.ok(cases >= 3000);
  assert.ok((stats['data-fixed-crc']?.ok ?? 0) > 0, 'garbage weights with fixed CRCs must often still decode');
  assert.ok((stats['header-edit']?.ok ?? 0) > 0, 'some header edits must stay valid and decode');
  assert.deepEqual(Object.keys(stats['value-edit'] ?? {}), ['ok'], 'extreme but legal values must decode');
});
