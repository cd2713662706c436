import { InrFormatError } from '../util/errors.js';
import type { InrLimits } from './limits.js';
import type { InrVersion } from './types.js';

/** "\x89INR\r\n\x1a\n": the high byte and CR/LF/EOF pair catch 7-bit and text-mode mangling. */
export const INR_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x89, 0x49, 0x4e, 0x52, 0x0d, 0x0a, 0x1a, 0x0a);
export const PREAMBLE_BYTES = 20;
/**
 * The newest version this library reads and writes. Version 2 adds the coded dtypes, version 3
 * the level heads, version 4 stores the provenance after the tensors (so that a streamed file's
 * first levels arrive sooner); a file is written at the oldest version that holds what it uses,
 * so older readers still read it.
 */
export const FORMAT_VERSION: Readonly<InrVersion> = Object.freeze({ major: 4, minor: 0 });
const OLDEST_MAJOR = 1;
/** Alignment of the data start and of every tensor, from the start of the file. */
export const DATA_ALIGN = 16;

export interface Preamble {
  version: InrVersion;
  headerLength: number;
  headerCrc32: number;
}

export function alignUp(n: number): number {
  return Math.ceil(n / DATA_ALIGN) * DATA_ALIGN;
}

/** File offset of the tensor data for a header of `headerLength` bytes. */
export function dataStartFor(headerLength: number): number {
  return alignUp(PREAMBLE_BYTES + headerLength);
}

/** Rejects a wrong file as early as its first bytes, before the full preamble has arrived. */
export function checkMagicPrefix(bytes: Uint8Array): void {
  const n = Math.min(bytes.length, INR_MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== INR_MAGIC[i]) {
      throw new InrFormatError('bad-magic', 'is not an .inr file (wrong magic bytes)', 'preamble.magic');
    }
  }
}

export function parsePreamble(bytes: Uint8Array, limits: InrLimits): Preamble {
  checkMagicPrefix(bytes.subarray(0, INR_MAGIC.length));
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREAMBLE_BYTES);
  const major = view.getUint16(8, true);
  const minor = view.getUint16(10, true);
  if (major < OLDEST_MAJOR || major > FORMAT_VERSION.major) {
    throw new InrFormatError(
      'unsupported-version',
      `major version ${major} is not supported (this reader reads ${OLDEST_MAJOR} to ${FORMAT_VERSION.major})`,
      'preamble.majorVersion',
    );
  }
  const headerLength = view.getUint32(12, true);
  if (headerLength === 0) throw new InrFormatError('invalid-header', 'must not be 0', 'preamble.headerLength');
  if (headerLength > limits.maxHeaderBytes) {
    throw new InrFormatError('limit', `is ${headerLength}, over the limit of ${limits.maxHeaderBytes}`, 'preamble.headerLength');
  }
  return { version: { major, minor }, headerLength, headerCrc32: view.getUint32(16, true) };
}

export function writePreamble(version: InrVersion, headerLength: number, headerCrc32: number): Uint8Array {
  const bytes = new Uint8Array(PREAMBLE_BYTES);
  bytes.set(INR_MAGIC);
  const view = new DataView(bytes.buffer);
  view.setUint16(8, version.major, true);
  view.setUint16(10, version.minor, true);
  view.setUint32(12, headerLength, true);
  view.setUint32(16, headerCrc32, true);
  return bytes;
}
