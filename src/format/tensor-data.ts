import { codedBits, codedLengthRange, decodeCoded, encodeCoded } from './coded.js';
import { crc32 } from './crc32.js';
import { decodeF16, encodeF16 } from './float16.js';
import { dequantizeInt8, quantizeInt8 } from './int8.js';
import type { InrDtype } from './types.js';

/**
 * Stored bytes a tensor of `dtype` and `shape` may take: exactly one length for the plain
 * dtypes, a range (its scales, then 0 .. a bound of coded bytes) for the coded ones.
 */
export function storedLengthRange(dtype: InrDtype, shape: readonly number[]): { min: number; max: number } {
  const elements = shape.reduce((a, b) => a * b, 1);
  const exactly = (n: number) => ({ min: n, max: n });
  switch (dtype) {
    case 'f32':
      return exactly(4 * elements);
    case 'f16':
      return exactly(2 * elements);
    case 'int8':
      return exactly(4 * shape[0]! + elements);
    default:
      return codedLengthRange(codedBits(dtype)!, shape);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Decodes stored bytes (length already checked against dtype and shape) to float32. Values
 * go through a DataView, so `bytes` may sit at any alignment within its buffer; f32 values may
 * be a view of `bytes` itself (the caller gives up the buffer). `field` names
 * the tensor in the errors of a coded one.
 */
export function decodeTensor(dtype: InrDtype, shape: readonly number[], bytes: Uint8Array, field: string): Float32Array {
  const elements = shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'f32': {
      // The stored bytes become the values where they can (aligned, on a little-endian host):
      // a reader hands each tensor its own buffer, and one copy of a model's weights is enough.
      if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, elements);
      const out = new Float32Array(elements);
      for (let i = 0; i < elements; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case 'f16':
      return decodeF16(bytes, elements);
    case 'int8': {
      const rows = shape[0]!;
      const scales = new Float32Array(rows);
      for (let r = 0; r < rows; r++) scales[r] = view.getFloat32(4 * r, true);
      const q = new Int8Array(bytes.buffer, bytes.byteOffset + 4 * rows, elements);
      return dequantizeInt8(scales, q);
    }
    default:
      return decodeCoded(codedBits(dtype)!, shape, bytes, field);
  }
}

/** Encodes float32 values as `dtype`; returns the stored bytes and their CRC-32. */
export function encodeTensor(dtype: InrDtype, shape: readonly number[], values: Float32Array): { bytes: Uint8Array; crc32: number } {
  const bits = codedBits(dtype);
  if (bits !== undefined) {
    const bytes = encodeCoded(bits, shape, values);
    return { bytes, crc32: crc32(bytes) };
  }
  const rows = shape[0] ?? 1;
  const bytes = new Uint8Array(storedLengthRange(dtype, shape).min);
  const view = new DataView(bytes.buffer);
  switch (dtype) {
    case 'f32':
      values.forEach((v, i) => view.setFloat32(4 * i, v, true));
      break;
    case 'f16':
      encodeF16(values, bytes);
      break;
    case 'int8': {
      const { scales, values: q } = quantizeInt8(values, rows);
      scales.forEach((s, r) => view.setFloat32(4 * r, s, true));
      bytes.set(new Uint8Array(q.buffer), 4 * rows);
      break;
    }
  }
  return { bytes, crc32: crc32(bytes) };
}
