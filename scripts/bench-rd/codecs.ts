/**
 * The classical codecs bench:rd compares with, through sharp (libvips): JPEG at libjpeg-turbo's
 * settings (libvips links mozjpeg's library but resets it to libjpeg-turbo's profile unless a
 * mozjpeg feature is asked for; Huffman tables optimised, 4:2:0), JPEG with mozjpeg's
 * defaults (trellis quantisation, its quantisation tables, optimised scans) and lossy WebP at
 * its slowest, best effort. Each is swept over its quality setting and decoded back to 8-bit
 * RGB, the way a browser shows it.
 */
import sharp, { type Sharp } from 'sharp';
import { readTrainInput } from '../../packages/inrstream-cli/src/media/node-input.js';
import { toRgba8 } from '../../src/render/rgba.js';
import { psnrOf } from '../../src/train/encode.js';

export type Codec = 'inr' | 'jpeg' | 'mozjpeg' | 'webp';

export interface RdPoint {
  codec: Codec;
  bytes: number;
  bpp: number;
  /** PSNR (dB) of the 8-bit RGB the codec delivers, against the 8-bit source, over all channels. */
  psnr: number;
  /** The codec's quality setting (JPEG, WebP). */
  quality?: number;
  /** Training seconds (`.inr`, from its provenance). */
  seconds?: number;
}

/** An 8-bit interleaved RGB picture. */
export interface Rgb8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/** [height, width, 3] values in [0, 1] as 8-bit RGB, clamped and rounded as a canvas shows them (toRgba8). */
export function rgb8(values: Float32Array, width: number, height: number): Rgb8 {
  const rgba = toRgba8(values, 3);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
    data[i] = rgba[j]!;
    data[i + 1] = rgba[j + 1]!;
    data[i + 2] = rgba[j + 2]!;
  }
  return { width, height, data };
}

/** A PNG or JPEG as 8-bit RGB, read by the trainer's reader (so every side sees the same pixels). */
export async function readRgb8(path: string): Promise<Rgb8> {
  const { signal } = await readTrainInput(path);
  const [height, width] = signal.shape as [number, number];
  return rgb8(signal.data, width, height);
}

/** PSNR of one 8-bit RGB picture against another of the same size. */
export function psnr8(decoded: Uint8Array, source: Uint8Array): number {
  const scale = (a: Uint8Array) => Float32Array.from(a, (v) => v / 255);
  return psnrOf(scale(decoded), scale(source));
}

const QUALITIES = Array.from({ length: 48 }, (_, i) => 2 + 2 * i);

function encoder(codec: Exclude<Codec, 'inr'>, quality: number) {
  return (s: Sharp) => (codec === 'webp' ? s.webp({ quality, effort: 6 }) : s.jpeg({ quality, mozjpeg: codec === 'mozjpeg', chromaSubsampling: '4:2:0' }));
}

/** One codec at one quality: its file and the PSNR of its decode. */
export async function encodeAt(picture: Rgb8, codec: Exclude<Codec, 'inr'>, quality: number): Promise<{ bytes: Buffer; point: RdPoint }> {
  const { width, height, data } = picture;
  const bytes = await encoder(codec, quality)(sharp(data, { raw: { width, height, channels: 3 } })).toBuffer();
  const decoded = await sharp(bytes).removeAlpha().raw().toBuffer();
  const point = { codec, quality, bytes: bytes.length, bpp: (bytes.length * 8) / (width * height), psnr: psnr8(decoded, data) };
  return { bytes, point };
}

/** The codec's rate-distortion curve: qualities 2 to 96, in steps of 2. */
export async function sweep(picture: Rgb8, codec: Exclude<Codec, 'inr'>): Promise<RdPoint[]> {
  const points: RdPoint[] = [];
  for (const q of QUALITIES) points.push((await encodeAt(picture, codec, q)).point);
  return points;
}

/**
 * A curve's PSNR at `bytes`, interpolated linearly between the two points around it (by
 * bytes); null outside the curve's range (no setting of the codec makes a file that size).
 */
export function psnrAtBytes(curve: RdPoint[], bytes: number): number | null {
  const sorted = [...curve].sort((a, b) => a.bytes - b.bytes);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (bytes >= a.bytes && bytes <= b.bytes)
      return b.bytes === a.bytes ? Math.max(a.psnr, b.psnr) : a.psnr + ((bytes - a.bytes) / (b.bytes - a.bytes)) * (b.psnr - a.psnr);
  }
  return null;
}
