/**
 * The JPEG a picture is compared with: the model's source encoded with jpeg-js at the lowest
 * quality whose PSNR against the source reaches the model's own (both against the same source,
 * on [0, 1]; the model's decode clamped, as its header's PSNR is measured, docs/MODEL.md).
 */
import jpeg from 'jpeg-js';
import { readFileSync } from 'node:fs';
import { readTrainInput } from '../../packages/inrstream-cli/src/media/node-input.js';
import { modelFromInr, readInr } from '../../src/format/index.js';
import { decodeShared } from '../../src/model/index.js';
import { psnrOf } from '../../src/train/encode.js';

/**
 * The smallest integer in [lo, hi] for which `pass` holds, by binary search (`pass` must not
 * turn false again above a value where it holds); undefined when it fails at `hi`.
 */
export function smallestPassing(lo: number, hi: number, pass: (v: number) => boolean): number | undefined {
  if (!pass(hi)) return undefined;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pass(mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** A [0, 1] interleaved RGB signal as the RGBA8 an encoder takes. */
export function rgba8(rgb: Float32Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(Math.min(1, Math.max(0, rgb[i * 3 + c]!)) * 255);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** PSNR (dB) of RGBA8 pixels against a [0, 1] interleaved RGB signal. */
export function psnrRgba8(rgba: Uint8Array, rgb: Float32Array): number {
  const decoded = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length / 3; i++) for (let c = 0; c < 3; c++) decoded[i * 3 + c] = rgba[i * 4 + c]! / 255;
  return psnrOf(decoded, rgb);
}

export interface MatchedJpeg {
  /** The model's PSNR against its source (its plain-TypeScript decode). */
  modelPsnr: number;
  quality: number;
  psnr: number;
  bytes: Uint8Array;
}

/** The model at `modelPath` against its source image at `sourcePath`, and the JPEG matching it. */
export async function matchJpeg(modelPath: string, sourcePath: string): Promise<MatchedJpeg> {
  const file = readInr(new Uint8Array(readFileSync(modelPath)));
  const { signal } = await readTrainInput(sourcePath);
  if (signal.shape.join('x') !== file.header.shape.join('x') || signal.channels !== 3)
    throw new Error(
      `${sourcePath} (${signal.shape.join('x')}, ${signal.channels} channels) is not ${modelPath}'s source (${file.header.shape.join('x')}, RGB)`,
    );
  const modelPsnr = psnrOf(decodeShared(modelFromInr(file)), signal.data);
  const [height, width] = signal.shape as [number, number];
  const pixels = rgba8(signal.data, width, height);
  const encode = (quality: number) => new Uint8Array(jpeg.encode({ data: pixels, width, height }, quality).data);
  const psnrAt = (quality: number) => psnrRgba8(jpeg.decode(encode(quality), { useTArray: true }).data, signal.data);
  const quality = smallestPassing(1, 100, (q) => psnrAt(q) >= modelPsnr);
  if (quality === undefined) throw new Error(`${modelPath}: no JPEG quality reaches the model's ${modelPsnr.toFixed(2)} dB`);
  return { modelPsnr, quality, psnr: psnrAt(quality), bytes: encode(quality) };
}
