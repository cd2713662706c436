/**
 * A signal to train on: `shape` (outermost axis first) by `channels`, values in [0, 1],
 * row-major [samples, channels] like the decoders' output.
 */
import { InrTrainError } from '../util/errors.js';
import type { FitMode } from './factorize.js';

export interface TrainSignal {
  shape: number[];
  channels: number;
  data: Float32Array;
}

export function checkSignal(s: TrainSignal): void {
  const n = s.shape.reduce((a, b) => a * b, 1);
  if (s.shape.length < 1 || s.shape.length > 3 || s.shape.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new InrTrainError('empty-signal', `shape ${s.shape.join('x') || '(none)'} is empty or not 1 to 3 positive sizes`);
  }
  if (!Number.isInteger(s.channels) || s.channels < 1 || s.channels > 4) throw new InrTrainError('bad-signal', `${s.channels} channels; 1 to 4 are supported`);
  if (s.data.length !== n * s.channels) throw new InrTrainError('bad-signal', `holds ${s.data.length} values, not ${n} x ${s.channels}`);
  for (let i = 0; i < s.data.length; i++) {
    if (!Number.isFinite(s.data[i])) throw new InrTrainError('bad-signal', `value ${i} is ${s.data[i]}`);
  }
}

/**
 * The signal cropped (centred) or padded (edge samples repeated) to `shape`, axis by axis.
 * Returns the offsets used so they can be recorded: a negative offset is padding.
 */
export function resizeSignal(s: TrainSignal, shape: number[], mode: FitMode): { signal: TrainSignal; offsets: number[] } {
  const offsets = shape.map((size, a) => (mode === 'crop' ? Math.floor((s.shape[a]! - size) / 2) : -Math.floor((size - s.shape[a]!) / 2)));
  const C = s.channels;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n * C);
  const idx = shape.map(() => 0);
  for (let j = 0; j < n; j++) {
    let src = 0;
    for (let a = 0; a < shape.length; a++) {
      const x = Math.min(s.shape[a]! - 1, Math.max(0, idx[a]! + offsets[a]!));
      src = src * s.shape[a]! + x;
    }
    for (let c = 0; c < C; c++) data[j * C + c] = s.data[src * C + c]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return { signal: { shape: shape.slice(), channels: C, data }, offsets };
}
