/**
 * Display mapping of decoded values: clamp((y - lo) / (hi - lo)) to 8 bits, round to nearest.
 * 1 channel -> grey, 2 -> grey + alpha, 3 -> RGB, 4 -> RGBA; RGBA8 out, opaque unless alpha given.
 */
export function toRgba8(values: Float32Array, channels: number, outputRange: readonly [number, number] = [0, 1]): Uint8ClampedArray<ArrayBuffer> {
  const [lo, hi] = outputRange;
  const scale = 255 / (hi - lo);
  const count = values.length / channels;
  const out = new Uint8ClampedArray(count * 4);
  // Uint8ClampedArray clamps and rounds half to even; the +0 keeps -0 out.
  const q = (v: number) => (v - lo) * scale + 0;
  for (let p = 0, i = 0, o = 0; p < count; p++, i += channels, o += 4) {
    if (channels >= 3) {
      out[o] = q(values[i]!);
      out[o + 1] = q(values[i + 1]!);
      out[o + 2] = q(values[i + 2]!);
      out[o + 3] = channels === 4 ? q(values[i + 3]!) : 255;
    } else {
      const g = q(values[i]!);
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
      out[o + 3] = channels === 2 ? q(values[i + 1]!) : 255;
    }
  }
  return out;
}
