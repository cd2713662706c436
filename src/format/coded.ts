/**
 * The coded dtypes `q2` .. `q16` (docs/FORMAT.md, "Coded tensors"): symmetric quantisation to
 * `bits`-bit codes with one scale per output channel (row) where rows are long enough to pay
 * for one, the codes entropy-coded (range-coder.ts). The trainer's quantisation-aware
 * phase trains through `fakeQuantise`, which is this writer's quantiser followed by the reader's
 * dequantiser, so the weights it trains are exactly the weights a reader gets back.
 */
import { InrFormatError } from '../util/errors.js';
import { f16BitsToF32, f32ToF16Bits } from './float16.js';
import { decodeSymbols, encodeSymbols, maxPayloadBytes } from './range-coder.js';
import type { CodedDtype } from './types.js';

export const CODED_DTYPES: readonly CodedDtype[] = ['q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10', 'q11', 'q12', 'q13', 'q14', 'q15', 'q16'];
export const MIN_CODED_BITS = 2;
export const MAX_CODED_BITS = 16;

/** A row needs at least this many values to get a scale of its own (2 bytes, at most 1 bit a value). */
const MIN_ROW_FOR_SCALE = 16;
/** Codes of up to this many bits have binary16 scales; wider ones binary32. */
const MAX_BITS_F16_SCALE = 8;
const MIN_NORMAL_F16 = 2 ** -14;
const MIN_NORMAL_F32 = 2 ** -126;

/** Bits per code of a coded dtype, or undefined for the plain ones. */
export function codedBits(dtype: string): number | undefined {
  return (CODED_DTYPES as readonly string[]).includes(dtype) ? Number(dtype.slice(1)) : undefined;
}

export function codedDtype(bits: number): CodedDtype {
  if (!Number.isInteger(bits) || bits < MIN_CODED_BITS || bits > MAX_CODED_BITS) {
    throw new InrFormatError('invalid-argument', `must be an integer in ${MIN_CODED_BITS}..${MAX_CODED_BITS}, not ${bits}`, 'bits');
  }
  return `q${bits}` as CodedDtype;
}

/** Largest code magnitude: codes are -(2^(bits-1) - 1) .. 2^(bits-1) - 1, symmetric around 0. */
function maxCode(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/**
 * How many scales a tensor of `shape` has: one per row (shape[0] rows) when it has two or more
 * dimensions and each row holds at least 16 values; otherwise one for the whole tensor.
 */
export function scaleCount(shape: readonly number[]): number {
  const elements = shape.reduce((a, b) => a * b, 1);
  const rows = shape[0]!;
  return shape.length >= 2 && elements / rows >= MIN_ROW_FOR_SCALE ? rows : 1;
}

/**
 * Bytes per scale: binary16 where its rounding (2^-11 relative) moves max / scale by under half a
 * code, binary32 for wider codes. Either way quantising decoded values again gives the same codes.
 */
function scaleBytes(bits: number): number {
  return bits <= MAX_BITS_F16_SCALE ? 2 : 4;
}

/** Largest |value| a tensor coded at `bits` can hold: its scale must stay a finite float. */
export function maxCodableMagnitude(bits: number): number {
  // 65520 is the smallest magnitude that rounds to infinity in binary16.
  return scaleBytes(bits) === 2 ? 65520 * maxCode(bits) : Infinity;
}

/** Stored bytes a coded tensor may take: its scales, then 0 .. maxPayloadBytes of codes. */
export function codedLengthRange(bits: number, shape: readonly number[]): { min: number; max: number } {
  const elements = shape.reduce((a, b) => a * b, 1);
  const min = scaleBytes(bits) * scaleCount(shape);
  return { min, max: min + maxPayloadBytes(elements, bits) };
}

interface Quantised {
  /** Each group's scale, as stored (binary16 or binary32 values). */
  scales: Float32Array;
  /** Row-major codes. */
  codes: Int32Array;
}

/** A scale rounded to its stored precision (round to nearest even), never below the smallest normal value. */
function storedScale(scale: number, bits: number): number {
  if (scaleBytes(bits) === 4) return Math.max(Math.fround(scale), MIN_NORMAL_F32);
  return Math.max(f16BitsToF32(f32ToF16Bits(scale)), MIN_NORMAL_F16);
}

/**
 * Symmetric quantisation: scale = max|group| / maxCode at its stored precision, code =
 * round(value / scale) clamped to +-maxCode. The floor at the smallest normal scale keeps the
 * relative precision of a scale, so re-quantising decoded values is exact (idempotent).
 */
function quantise(values: Float32Array, shape: readonly number[], bits: number): Quantised {
  const groups = scaleCount(shape);
  const size = values.length / groups;
  const top = maxCode(bits);
  const scales = new Float32Array(groups);
  const codes = new Int32Array(values.length);
  for (let g = 0; g < groups; g++) {
    let max = 0;
    for (let i = g * size; i < (g + 1) * size; i++) max = Math.max(max, Math.abs(values[i]!));
    if (max >= maxCodableMagnitude(bits)) throw new InrFormatError('unrepresentable', `a scale of ${max / top} overflows float16`, 'values');
    const scale = storedScale(max / top, bits);
    scales[g] = scale;
    for (let i = g * size; i < (g + 1) * size; i++) codes[i] = Math.max(-top, Math.min(top, Math.round(values[i]! / scale)));
  }
  return { scales, codes };
}

/** value = code x scale of its group, rounded to float32: what a reader decodes. */
function dequantise(scales: Float32Array, codes: Int32Array): Float32Array {
  const size = codes.length / scales.length;
  const out = new Float32Array(codes.length);
  for (let g = 0; g < scales.length; g++) {
    const scale = scales[g]!;
    for (let i = g * size; i < (g + 1) * size; i++) out[i] = codes[i]! * scale;
  }
  return out;
}

/** The values a `q{bits}` tensor stores for `values`: quantised, then decoded as a reader would. */
export function fakeQuantise(values: Float32Array, shape: readonly number[], bits: number): Float32Array {
  const { scales, codes } = quantise(values, shape, bits);
  return dequantise(scales, codes);
}

/** Zigzag: 0, -1, 1, -2, 2, ... -> 0, 1, 2, 3, 4, ... so small magnitudes are small symbols. */
const toSymbol = (code: number) => (code >= 0 ? 2 * code : -2 * code - 1);
const fromSymbol = (symbol: number) => (symbol & 1 ? -(symbol + 1) / 2 : symbol / 2);

/** The stored bytes of a coded tensor: its scales (little-endian binary16 or binary32), then the coded codes. */
export function encodeCoded(bits: number, shape: readonly number[], values: Float32Array): Uint8Array {
  const { scales, codes } = quantise(values, shape, bits);
  const payload = encodeSymbols(codes.map(toSymbol), bits);
  const width = scaleBytes(bits);
  const out = new Uint8Array(width * scales.length + payload.length);
  const view = new DataView(out.buffer);
  scales.forEach((scale, g) => (width === 2 ? view.setUint16(2 * g, f32ToF16Bits(scale), true) : view.setFloat32(4 * g, scale, true)));
  out.set(payload, width * scales.length);
  return out;
}

/**
 * Decodes a coded tensor's stored bytes (their length already checked against
 * codedLengthRange). Throws InrFormatError 'invalid-tensor' when the payload holds a symbol
 * outside the codes or bytes the codes never reach.
 */
export function decodeCoded(bits: number, shape: readonly number[], bytes: Uint8Array, field: string): Float32Array {
  const groups = scaleCount(shape);
  const width = scaleBytes(bits);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scales = new Float32Array(groups);
  for (let g = 0; g < groups; g++) scales[g] = width === 2 ? f16BitsToF32(view.getUint16(2 * g, true)) : view.getFloat32(4 * g, true);
  const codes = new Int32Array(shape.reduce((a, b) => a * b, 1));
  const problem = decodeSymbols(bytes.subarray(width * groups), codes.length, bits, 2 * maxCode(bits), codes);
  if (problem === 'bad-symbol') throw new InrFormatError('invalid-tensor', `holds a code outside -${maxCode(bits)}..${maxCode(bits)}`, field);
  if (problem === 'left-over') throw new InrFormatError('invalid-tensor', 'holds bytes after its last code', field);
  for (let i = 0; i < codes.length; i++) codes[i] = fromSymbol(codes[i]!);
  return dequantise(scales, codes);
}
