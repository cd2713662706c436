/**
 * Time segments of a clip: a long video is trained as consecutive segments, each its own
 * model over [frames, H, W], so a player can start once the first segment has arrived
 * (docs/FORMAT.md, "Segments"; docs/VIDEO.md).
 */
import { InrTrainError } from '../util/errors.js';
import type { TrainSignal } from './signal.js';

/** The clip cut into consecutive runs of `frames` frames; the frame count must divide evenly. */
export function splitFrames(signal: TrainSignal, frames: number): TrainSignal[] {
  if (signal.shape.length !== 3) throw new InrTrainError('bad-signal', `segments need a [T, H, W] clip, not ${signal.shape.join('x')}`);
  const total = signal.shape[0]!;
  if (!Number.isInteger(frames) || frames < 1 || total % frames !== 0) {
    throw new InrTrainError('bad-signal', `${total} frames do not split into segments of ${frames} (use --frames to cut the clip)`);
  }
  const perFrame = signal.shape[1]! * signal.shape[2]! * signal.channels;
  return Array.from({ length: total / frames }, (_, k) => ({
    shape: [frames, signal.shape[1]!, signal.shape[2]!],
    channels: signal.channels,
    data: signal.data.slice(k * frames * perFrame, (k + 1) * frames * perFrame),
  }));
}

/** Segments put back in order: the clip they were cut from (after any per-segment crop). */
export function joinFrames(segments: TrainSignal[]): TrainSignal {
  const first = segments[0];
  if (first === undefined) throw new InrTrainError('empty-signal', 'no segments');
  const data = new Float32Array(segments.reduce((n, s) => n + s.data.length, 0));
  let at = 0;
  for (const s of segments) {
    data.set(s.data, at);
    at += s.data.length;
  }
  return { shape: [segments.reduce((n, s) => n + s.shape[0]!, 0), first.shape[1]!, first.shape[2]!], channels: first.channels, data };
}
