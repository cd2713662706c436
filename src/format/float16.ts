/**
 * IEEE 754 binary16 <-> binary32 conversion. Written by hand because Math.f16round and
 * Float16Array are not available on every supported runtime (Node 20, older browsers).
 */

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** Rounds `x` (as a float32) to the nearest binary16 (ties to even) and returns its bits. */
export function f32ToF16Bits(x: number): number {
  scratchF32[0] = x;
  const bits = scratchU32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) {
    // Keep NaN a NaN (quiet bit set) whatever payload bits survive the shift.
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }
  const e = exp - 112; // rebias 127 -> 15
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Result is subnormal (or zero): count units of 2^-24 in the full significand.
    const shift = 126 - exp;
    if (shift > 24) return sign;
    const full = mant | 0x800000;
    return sign | roundShift(full, shift);
  }
  // A carry out of the mantissa rolls into the exponent, which is exactly right (up to inf).
  return sign | roundShift((e << 23) | mant, 13);
}

/** `value >>> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rem = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rem > half || (rem === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** The value of binary16 bits `h`. */
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

let decodeTable: Float32Array | undefined;

/** Decodes `count` little-endian binary16 values starting at `bytes[0]`. */
export function decodeF16(bytes: Uint8Array, count: number): Float32Array {
  // 256 KiB lookup table, built on first use: far faster than per-value arithmetic.
  if (decodeTable === undefined) {
    decodeTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = f16BitsToF32(h);
  }
  const table = decodeTable;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = table[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  return out;
}

/** Encodes `values` as little-endian binary16 into `out` (2 bytes per value). */
export function encodeF16(values: Float32Array, out: Uint8Array): void {
  for (let i = 0; i < values.length; i++) {
    const h = f32ToF16Bits(values[i]!);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
}
