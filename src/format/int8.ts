/**
 * Symmetric int8 quantisation with one float32 scale per output channel (row of a [out, ...]
 * tensor): value = q * scale[row], scale = max|row| / 127, so every row uses the full
 * -127..127 range and 0 stays exactly 0. A row of zeros gets scale 0.
 */

export interface Int8Quantised {
  /** One scale per row (shape[0] entries). */
  scales: Float32Array;
  /** Row-major quantised values, -127..127. */
  values: Int8Array;
}

/** Quantises row-major `values` split into `rows` equal rows. */
export function quantizeInt8(values: Float32Array, rows: number): Int8Quantised {
  const cols = rows === 0 ? 0 : values.length / rows;
  const scales = new Float32Array(rows);
  const q = new Int8Array(values.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(values[base + c]!));
    scales[r] = max / 127;
    const scale = scales[r]!;
    if (scale === 0) continue;
    for (let c = 0; c < cols; c++) {
      // The float32 scale can be a hair below max/127; clamping keeps q in range.
      q[base + c] = Math.max(-127, Math.min(127, Math.round(values[base + c]! / scale)));
    }
  }
  return { scales, values: q };
}

/** Inverse of quantizeInt8: value = q * scale[row], rounded to float32. */
export function dequantizeInt8(scales: Float32Array, q: Int8Array): Float32Array {
  const rows = scales.length;
  const cols = rows === 0 ? 0 : q.length / rows;
  const out = new Float32Array(q.length);
  for (let r = 0; r < rows; r++) {
    const scale = scales[r]!;
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[base + c] = q[base + c]! * scale;
  }
  return out;
}
