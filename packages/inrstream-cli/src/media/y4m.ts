/**
 * YUV4MPEG2 (.y4m) clips to a training signal ([T, H, W], RGB in [0, 1]). Supports 4:2:0 (any
 * chroma siting, sampled at the nearest chroma sample), 4:4:4 and mono, 8 bit, with BT.601
 * limited-range conversion (what ffmpeg writes by default).
 */
import { InrTrainError } from '../../../../src/util/errors.js';
import type { TrainSignal } from '../../../../src/train/signal.js';

export interface Y4mClip {
  signal: TrainSignal;
  fps: number;
}

const fail = (msg: string): never => {
  throw new InrTrainError('bad-input', `y4m: ${msg}`);
};

function readLine(bytes: Uint8Array, at: number): { line: string; next: number } {
  const end = bytes.indexOf(0x0a, at);
  if (end < 0) fail('truncated header');
  return { line: new TextDecoder().decode(bytes.subarray(at, end)), next: end + 1 };
}

export function decodeY4m(bytes: Uint8Array, maxFrames = Infinity): Y4mClip {
  const head = readLine(bytes, 0);
  const fields = head.line.split(' ');
  if (fields[0] !== 'YUV4MPEG2') fail('not a YUV4MPEG2 stream');
  let width = 0;
  let height = 0;
  let fps = 25;
  let chroma = '420jpeg';
  for (const f of fields.slice(1)) {
    const v = f.slice(1);
    if (f[0] === 'W') width = Number(v);
    else if (f[0] === 'H') height = Number(v);
    else if (f[0] === 'F') {
      const [n, d] = v.split(':').map(Number);
      if (n && d) fps = n / d;
    } else if (f[0] === 'C') chroma = v;
  }
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) fail(`bad size ${width}x${height}`);
  const sub = chroma.startsWith('420') ? 2 : chroma.startsWith('444') ? 1 : chroma === 'mono' ? 0 : fail(`unsupported colour format C${chroma}`);
  const cw = sub ? Math.ceil(width / sub) : 0;
  const ch = sub ? Math.ceil(height / sub) : 0;
  const frameBytes = width * height + 2 * cw * ch;
  const frames: Float32Array[] = [];
  let at = head.next;
  while (at < bytes.length && frames.length < maxFrames) {
    const marker = readLine(bytes, at);
    if (!marker.line.startsWith('FRAME')) fail(`frame ${frames.length}: expected FRAME`);
    if (marker.next + frameBytes > bytes.length) fail(`frame ${frames.length} is truncated`);
    frames.push(frameToRgb(bytes.subarray(marker.next, marker.next + frameBytes), width, height, sub, cw));
    at = marker.next + frameBytes;
  }
  if (frames.length === 0) throw new InrTrainError('empty-signal', 'y4m: the clip has no frames');
  const data = new Float32Array(frames.length * width * height * 3);
  frames.forEach((f, t) => data.set(f, t * f.length));
  return { signal: { shape: [frames.length, height, width], channels: 3, data }, fps };
}

function frameToRgb(plane: Uint8Array, width: number, height: number, sub: number, cw: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const uOff = width * height;
  const vOff = uOff + cw * Math.ceil(height / Math.max(sub, 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const Y = (plane[y * width + x]! - 16) * (255 / 219);
      let U = 0;
      let V = 0;
      if (sub) {
        const c = Math.floor(y / sub) * cw + Math.floor(x / sub);
        U = (plane[uOff + c]! - 128) * (255 / 224);
        V = (plane[vOff + c]! - 128) * (255 / 224);
      }
      const o = (y * width + x) * 3;
      out[o] = clamp01((Y + 1.402 * V) / 255);
      out[o + 1] = clamp01((Y - 0.344136 * U - 0.714136 * V) / 255);
      out[o + 2] = clamp01((Y + 1.772 * U) / 255);
    }
  }
  return out;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
