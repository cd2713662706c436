/** A seeded subset of a reference fixture's decode and target (see scripts/sample-reference-fixture.ts). */
export interface ReferenceSample {
  channels: number;
  indices: Uint32Array;
  decode: Float32Array;
  target: Float32Array;
}

export const FIXTURES = ['astronaut512_L4_h64', 'pan12x96x128_L4_h64'] as const;

export function parseSample(bytes: Uint8Array): ReferenceSample {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  const channels = view.getUint32(4, true);
  const copy = bytes.slice(8);
  const indices = new Uint32Array(copy.buffer, 0, count);
  const decode = new Float32Array(copy.buffer, count * 4, count * channels);
  const target = new Float32Array(copy.buffer, count * 4 * (1 + channels), count * channels);
  return { channels, indices, decode, target };
}

/** Largest |a[sample] - ref| over the sample, where `full` is a whole decode in the reference layout. */
export function maxAbsDiffAtSample(full: Float32Array, sample: ReferenceSample): number {
  let worst = 0;
  const c = sample.channels;
  sample.indices.forEach((idx, k) => {
    for (let j = 0; j < c; j++) worst = Math.max(worst, Math.abs(full[idx * c + j]! - sample.decode[k * c + j]!));
  });
  return worst;
}

/** PSNR (dB) of a whole decode against the sampled target, values clamped to [0, 1]. */
export function psnrAtSample(full: Float32Array, sample: ReferenceSample): number {
  let se = 0;
  const c = sample.channels;
  sample.indices.forEach((idx, k) => {
    for (let j = 0; j < c; j++) {
      const v = Math.min(1, Math.max(0, full[idx * c + j]!));
      se += (v - sample.target[k * c + j]!) ** 2;
    }
  });
  return 10 * Math.log10(1 / (se / (sample.indices.length * c)));
}
