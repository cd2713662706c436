import { InrFormatError } from '../util/errors.js';
import { crc32 } from './crc32.js';
import { defaultColorSpace, levelEndsOf, segmentSpec, validateHeader } from './header.js';
import { parseProvenanceTrailer } from './provenance.js';
import { expectedTensors } from './tensor-table.js';
import { parseHeaderJson } from './json-guard.js';
import { type InrLimits, resolveLimits } from './limits.js';
import { codedBits, maxCodableMagnitude } from './coded.js';
import { FORMAT_VERSION, PREAMBLE_BYTES, alignUp, dataStartFor, writePreamble } from './preamble.js';
import { encodeTensor } from './tensor-data.js';
import type { InrDtype, InrHeader, InrHeaderInit, InrTensorEntry, InrVersion } from './types.js';

export interface InrTensorInput {
  name: string;
  dtype: InrDtype;
  shape: number[];
  /** Row-major, prod(shape) finite values. */
  values: Float32Array;
}

export interface InrWriteOptions {
  /** The file must also pass a reader with these limits. */
  limits?: Partial<InrLimits>;
}

/** Largest magnitude that does not round to infinity in binary16. */
const F16_MAX_FINITE_INPUT = 65520;

/**
 * The oldest version that holds the file: 4.0 with level heads (a file streamed level by level
 * keeps its provenance, which no picture needs, out of the way: after the tensors), 2.0 with a
 * coded tensor, else 1.0, so that older readers keep reading what they can.
 */
export function versionFor(header: Pick<InrHeaderInit, 'levelHeads'>, tensors: { dtype: InrDtype }[]): InrVersion {
  if (header.levelHeads === true) return FORMAT_VERSION;
  return { major: tensors.some((t) => codedBits(t.dtype) !== undefined) ? 2 : 1, minor: 0 };
}

/**
 * The header's JSON as written at `version`, and what follows the tensors: from version 4 a
 * non-empty provenance is stored there (its length and CRC in `provenanceTrailer`).
 */
export function headerLayout(h: InrHeader, version: InrVersion): { json: Uint8Array; trailer: Uint8Array } {
  if (version.major < 4) return { json: headerBytes({ ...h, provenanceTrailer: undefined }), trailer: new Uint8Array(0) };
  const provenance = Object.keys(h.provenance).length > 0 ? new TextEncoder().encode(JSON.stringify(h.provenance)) : new Uint8Array(0);
  const provenanceTrailer = provenance.length > 0 ? { length: provenance.length, crc32: crc32(provenance) } : undefined;
  return { json: headerBytes({ ...h, provenance: undefined, provenanceTrailer }), trailer: provenance };
}

/**
 * Lays out `tensors` (given in storage order) after the header: computes offsets, lengths and
 * CRCs, then checks the complete header with the reader's own validation, so it never writes
 * a file that readInr would reject.
 */
export function writeInr(header: InrHeaderInit, tensors: InrTensorInput[], options: InrWriteOptions = {}): Uint8Array {
  const limits = resolveLimits(options.limits);
  let end = 0;
  const encoded = tensors.map((t, i) => {
    checkValues(t, `tensors[${i}]`);
    const { bytes, crc32: crc } = encodeTensor(t.dtype, t.shape, t.values);
    const offset = alignUp(end);
    end = offset + bytes.length;
    const entry: InrTensorEntry = { name: t.name, dtype: t.dtype, shape: [...t.shape], offset, length: bytes.length, crc32: crc };
    return { entry, bytes };
  });
  const full: InrHeader = { ...header, tensors: encoded.map((e) => e.entry) };
  if (header.levelHeads === true && header.segments === undefined) {
    full.levelEnds = levelEndsOf(expectedTensors(segmentSpec(full), '', true), full.tensors);
  }
  const version = versionFor(header, tensors);
  const { json, trailer } = headerLayout(full, version);
  if (json.length > limits.maxHeaderBytes) {
    throw new InrFormatError('limit', `header is ${json.length} bytes, over ${limits.maxHeaderBytes}`, 'header');
  }
  validateHeader(parseHeaderJson(json, limits), limits, version);
  if (trailer.length > 0) parseProvenanceTrailer(trailer, limits);

  const dataStart = dataStartFor(json.length);
  const out = new Uint8Array(dataStart + end + trailer.length);
  out.set(writePreamble(version, json.length, crc32(json)));
  out.set(json, PREAMBLE_BYTES);
  for (const { entry, bytes } of encoded) out.set(bytes, dataStart + entry.offset);
  out.set(trailer, dataStart + end);
  return out;
}

function checkValues(t: InrTensorInput, field: string): void {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  if (!(t.values instanceof Float32Array) || t.values.length !== elements) {
    throw new InrFormatError('invalid-argument', `must hold ${elements} float32 values`, `${field}.values`);
  }
  const bits = codedBits(t.dtype);
  for (let i = 0; i < t.values.length; i++) {
    const v = t.values[i]!;
    if (!Number.isFinite(v)) throw new InrFormatError('non-finite-weight', `value ${i} is ${v}`, `${field}.values`);
    if (t.dtype === 'f16' && Math.abs(v) >= F16_MAX_FINITE_INPUT) {
      throw new InrFormatError('unrepresentable', `value ${i} = ${v} overflows float16; use f32`, `${field}.values`);
    }
    if (bits !== undefined && Math.abs(v) >= maxCodableMagnitude(bits)) {
      throw new InrFormatError('unrepresentable', `value ${i} = ${v} needs a scale that overflows float16`, `${field}.values`);
    }
  }
}

/** A header as written: `provenance` undefined where version 4 stores it after the tensors. */
type WrittenHeader = Omit<InrHeader, 'provenance'> & { provenance?: InrHeader['provenance'] };

/** The header's JSON (an undefined key is left out). */
function headerBytes(h: WrittenHeader): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(orderedHeader(h)));
}

/** Fixed key order (tensor table last) so headers are easy to read and diff. */
function orderedHeader(h: WrittenHeader): Record<string, unknown> {
  return {
    kind: h.kind,
    axes: h.axes,
    shape: h.shape,
    channels: h.channels,
    bases: h.bases,
    widths: h.widths,
    omegas: h.omegas,
    modScales: h.modScales,
    // Fields at their defaults are left out: every byte before the first level delays its picture.
    outputRange: h.outputRange[0] === 0 && h.outputRange[1] === 1 ? undefined : h.outputRange,
    colorSpace: h.colorSpace === defaultColorSpace(h.kind) ? undefined : h.colorSpace,
    fps: h.fps,
    provenance: h.provenance,
    segments: h.segments,
    levelHeads: h.levelHeads,
    levelEnds: h.levelEnds,
    provenanceTrailer: h.provenanceTrailer && [h.provenanceTrailer.length, h.provenanceTrailer.crc32],
    // A file with level heads (version 3 on) stores compact entries: the rest of an entry is implied.
    tensors: h.levelHeads === true ? h.tensors.map((t) => [t.dtype, t.length, t.crc32]) : h.tensors,
  };
}
