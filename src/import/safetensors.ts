import { InrImportError } from '../util/errors.js';
import { f16BitsToF32 } from '../format/float16.js';

/** One tensor of a safetensors file, converted to float32. */
export interface SafeTensor {
  shape: number[];
  data: Float32Array;
}

const MAX_HEADER_BYTES = 16 << 20;
const MAX_ELEMENTS = 1 << 28;
const BYTES_PER: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

function fail(field: string, msg: string): never {
  throw new InrImportError('invalid-safetensors', msg, `safetensors.${field}`);
}

function convert(view: DataView, dtype: string, count: number): Float32Array {
  const out = new Float32Array(count);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F32':
        out[i] = view.getFloat32(i * 4, true);
        break;
      case 'F64':
        out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F16':
        out[i] = f16BitsToF32(view.getUint16(i * 2, true));
        break;
      default:
        // bfloat16 is the top half of a float32.
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16, true);
        out[i] = scratch.getFloat32(0, true);
    }
  }
  return out;
}

/**
 * Parses a safetensors file (8-byte little-endian header length, JSON header, raw data) into
 * float32 tensors. Floating dtypes only: those are all a coordinate network stores.
 */
export function readSafetensors(bytes: Uint8Array): Map<string, SafeTensor> {
  if (bytes.length < 8) fail('header_length', 'file shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > bytes.length) {
    fail('header_length', `${headerLen} bytes does not fit the file (${bytes.length} bytes)`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    return fail('header', 'is not UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header', 'is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, SafeTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const field = `${name}`;
    const width = typeof e.dtype === 'string' ? BYTES_PER[e.dtype] : undefined;
    if (width === undefined) fail(`${field}.dtype`, `unsupported dtype ${String(e.dtype)} (F32, F16, BF16, F64 only)`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`${field}.shape`, 'must be a list of non-negative integers');
    }
    const count = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (count > MAX_ELEMENTS) fail(`${field}.shape`, `${count} elements is over the limit ${MAX_ELEMENTS}`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(`${field}.data_offsets`, 'must be [begin, end]');
    }
    const [begin, end] = offs as [number, number];
    if (end < begin || end > dataLen || end - begin !== count * width) {
      fail(`${field}.data_offsets`, `[${begin}, ${end}] does not hold ${count} ${e.dtype as string} values inside the data`);
    }
    const slice = bytes.slice(dataStart + begin, dataStart + end);
    tensors.set(name, { shape: e.shape as number[], data: convert(new DataView(slice.buffer), e.dtype as string, count) });
  }
  return tensors;
}
