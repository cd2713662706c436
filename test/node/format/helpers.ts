/** Shared fixtures and assertions for the format tests (it defines no tests of its own). */
import assert from 'node:assert/strict';
import { crc32, PREAMBLE_BYTES, readInr } from '../../../src/format/index.js';
import { InrFormatError, type InrErrorCode, type InrModelError } from '../../../src/util/errors.js';
import { randomModel } from '../../../src/model/random.js';
import type { AsmrModel, AsmrSpec } from '../../../src/model/types.js';

/** 16x16 RGB image, 3 levels. */
export const IMAGE_SPEC: AsmrSpec = {
  shape: [16, 16],
  bases: [
    [2, 2, 4],
    [4, 2, 2],
  ],
  channels: 3,
  widths: [8, 8],
  omegas: [30, 30],
  modScales: [30, 30],
};

/** 4 frames of 8x8, one channel, 2 levels. */
export const VIDEO_SPEC: AsmrSpec = {
  shape: [4, 8, 8],
  bases: [
    [2, 2],
    [2, 4],
    [4, 2],
  ],
  channels: 1,
  widths: [8],
  omegas: [20],
  modScales: [10],
};

/** A 1-axis, 2-channel signal of 32 samples. */
export const SIGNAL_SPEC: AsmrSpec = {
  shape: [32],
  bases: [[4, 8]],
  channels: 2,
  widths: [6],
  omegas: [30],
  modScales: [30],
};

/** Plain dtypes, and two coded ones: q4 (binary16 scales throughout) and q8 (its 12-bit tensors have binary32 scales). */
export const DTYPES = ['f32', 'f16', 'int8', 'q4', 'q8'] as const;

export function model(spec: AsmrSpec, seed: number): AsmrModel {
  return randomModel(structuredClone(spec), seed);
}

/** Two segments (frames 0-1 and 2-5) of an 8x8 video, with different time bases. */
export function segmentModels(seed: number): AsmrModel[] {
  const base = { channels: 1, widths: [8], omegas: [20], modScales: [10] };
  return [
    randomModel(
      {
        ...base,
        shape: [2, 8, 8],
        bases: [
          [2, 1],
          [2, 4],
          [4, 2],
        ],
      },
      seed,
    ),
    randomModel(
      {
        ...base,
        shape: [4, 8, 8],
        bases: [
          [1, 4],
          [4, 2],
          [2, 4],
        ],
      },
      seed + 1,
    ),
  ];
}

/** A stream that hands out `bytes` in pieces of the given sizes (cycling through them). */
export function chunkedStream(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let pos = 0;
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pos >= bytes.length) {
        controller.close();
        return;
      }
      const n = sizes[k++ % sizes.length]!;
      controller.enqueue(bytes.slice(pos, pos + n));
      pos += n;
    },
  });
}

export interface InrParts {
  major: number;
  minor: number;
  /** The header JSON text. */
  json: string;
  /** Everything from the data start on. */
  data: Uint8Array;
}

/** Splits a well-formed file into its pieces (no validation: for building test files). */
export function splitInr(bytes: Uint8Array): InrParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const dataStart = Math.ceil((PREAMBLE_BYTES + headerLength) / 16) * 16;
  return {
    major: view.getUint16(8, true),
    minor: view.getUint16(10, true),
    json: new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength)),
    data: bytes.slice(dataStart),
  };
}

/** Assembles a file from pieces with a correct header CRC (header given as text or bytes). */
export function joinInr(parts: { json: string | Uint8Array; data: Uint8Array; major?: number; minor?: number }): Uint8Array {
  const header = typeof parts.json === 'string' ? new TextEncoder().encode(parts.json) : parts.json;
  const dataStart = Math.ceil((PREAMBLE_BYTES + header.length) / 16) * 16;
  const out = new Uint8Array(dataStart + parts.data.length);
  out.set([0x89, 0x49, 0x4e, 0x52, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(out.buffer);
  view.setUint16(8, parts.major ?? 1, true);
  view.setUint16(10, parts.minor ?? 0, true);
  view.setUint32(12, header.length, true);
  view.setUint32(16, crc32(header), true);
  out.set(header, PREAMBLE_BYTES);
  out.set(parts.data, dataStart);
  return out;
}

/** Re-writes a file's header through `edit` (which may mutate or replace the parsed JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- hostile tests write any JSON shape into the header
export function withHeader(bytes: Uint8Array, edit: (header: any) => unknown): Uint8Array {
  const parts = splitInr(bytes);
  const header = JSON.parse(parts.json);
  const replaced = edit(header);
  return joinInr({ ...parts, json: JSON.stringify(replaced === undefined ? header : replaced) });
}

/** Changes tensor `index`'s stored bytes through `edit` and fixes its CRC in the header. */
export function withTensorBytes(bytes: Uint8Array, index: number, edit: (stored: Uint8Array) => void): Uint8Array {
  const parts = splitInr(bytes);
  const header = JSON.parse(parts.json);
  const entry = header.tensors[index];
  const stored = parts.data.subarray(entry.offset, entry.offset + entry.length);
  edit(stored);
  entry.crc32 = crc32(stored);
  return joinInr({ ...parts, json: JSON.stringify(header) });
}

/** Asserts readInr rejects `bytes` with an InrError of this code and field. */
export function rejects(bytes: Uint8Array, code: InrErrorCode, field: string, type: typeof InrFormatError | typeof InrModelError = InrFormatError): void {
  assert.throws(
    () => readInr(bytes),
    (e: unknown) => {
      assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
      assert.deepEqual({ code: e.code, field: e.field }, { code, field }, e.message);
      return true;
    },
  );
}

export function patchBytes(bytes: Uint8Array, edit: (b: Uint8Array, view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(copy, new DataView(copy.buffer));
  return copy;
}
