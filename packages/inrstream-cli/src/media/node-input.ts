/**
 * Reads what `inrstream train` accepts: a PNG/JPEG image, a folder of equally sized frames
 * (sorted by name), or a .y4m clip. Node only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InrTrainError } from '../../../../src/util/errors.js';
import type { TrainSignal } from '../../../../src/train/signal.js';
import { DEFAULT_MAX_PIXELS, decodeImage } from './image.js';
import { decodeY4m } from './y4m.js';

export interface TrainInput {
  signal: TrainSignal;
  kind: 'image' | 'video';
  fps?: number;
}

const FRAME_EXT = new Set(['.png', '.jpg', '.jpeg']);

async function bytesOf(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new InrTrainError('bad-input', `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bytes.length === 0) throw new InrTrainError('empty-signal', `${path}: the file is empty`);
  return bytes;
}

export interface InputOptions {
  /** Use at most this many frames of a clip. */
  maxFrames?: number;
  /** Refuse an image (or frame) larger than this; default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
}

export async function readTrainInput(path: string, { maxFrames = Infinity, maxPixels = DEFAULT_MAX_PIXELS }: InputOptions = {}): Promise<TrainInput> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new InrTrainError('bad-input', `${path}: no such file or folder`);
  if (info.isDirectory()) return readFrames(path, maxFrames, maxPixels);
  if (extname(path).toLowerCase() === '.y4m') {
    const clip = decodeY4m(await bytesOf(path), maxFrames);
    return { signal: clip.signal, kind: 'video', fps: clip.fps };
  }
  return { signal: decodeImage(await bytesOf(path), path, maxPixels), kind: 'image' };
}

async function readFrames(dir: string, maxFrames: number, maxPixels: number): Promise<TrainInput> {
  const names = (await readdir(dir))
    .filter((n) => FRAME_EXT.has(extname(n).toLowerCase()))
    .sort()
    .slice(0, maxFrames);
  if (names.length === 0) throw new InrTrainError('empty-signal', `${dir}: no .png or .jpg frames in the folder`);
  const frames = [];
  for (const name of names) frames.push(decodeImage(await bytesOf(join(dir, name)), join(dir, name), maxPixels));
  const [h, w] = frames[0]!.shape;
  frames.forEach((f, t) => {
    if (f.shape[0] !== h || f.shape[1] !== w)
      throw new InrTrainError('bad-input', `${join(dir, names[t]!)}: ${f.shape[1]}x${f.shape[0]}, the first frame is ${w}x${h}`);
  });
  const data = new Float32Array(frames.length * h! * w! * 3);
  frames.forEach((f, t) => data.set(f.data, t * f.data.length));
  return { signal: { shape: [frames.length, h!, w!], channels: 3, data }, kind: 'video' };
}
