/**
 * A trained model to `.inr` bytes whose header carries its provenance, with the PSNR measured
 * on the model as stored (after f16 / int8 rounding), decoded by the project's own decoder.
 */
import { encodeInr, encodeInrSegments, type InrMeta, modelFromInr } from '../format/asmr-codec.js';
import { readInr } from '../format/read.js';
import type { InrDtype, ProvenanceValue } from '../format/types.js';
import { decodeShared } from '../model/shared.js';
import type { AsmrModel } from '../model/types.js';
import type { TrainSignal } from './signal.js';
import { psnrFromMse } from './trainer.js';

/** PSNR (dB) of a decode against the signal, on the output clamped to [0, 1]. */
export function psnrOf(output: Float32Array, target: Float32Array): number {
  let sq = 0;
  for (let i = 0; i < target.length; i++) {
    const e = Math.min(1, Math.max(0, output[i]!)) - target[i]!;
    sq += e * e;
  }
  return psnrFromMse(sq / target.length);
}

export function encodeTrained(
  model: AsmrModel,
  signal: TrainSignal,
  meta: InrMeta,
  provenance: Record<string, ProvenanceValue>,
  dtype: InrDtype,
): { bytes: Uint8Array; psnr: number } {
  const draft = encodeInr(model, meta, { dtype });
  const psnr = psnrOf(decodeShared(modelFromInr(readInr(draft))), signal.data);
  // Truncated, never rounded up.
  const full = { ...provenance, psnr: Math.floor(psnr * 1000) / 1000 };
  return { bytes: encodeInr(model, { ...meta, provenance: full }, { dtype }), psnr };
}

/**
 * Time segments to one segmented `.inr`, with the PSNR over the whole clip measured on the
 * file's own weights, segment by segment, as a player decodes them.
 */
export function encodeTrainedSegments(
  models: AsmrModel[],
  signal: TrainSignal,
  meta: InrMeta,
  provenance: Record<string, ProvenanceValue>,
  dtype: InrDtype,
): { bytes: Uint8Array; psnr: number } {
  const draft = readInr(encodeInrSegments(models, meta, { dtype }));
  const output = new Float32Array(signal.data.length);
  let at = 0;
  models.forEach((_, k) => {
    const decoded = decodeShared(modelFromInr(draft, k));
    output.set(decoded, at);
    at += decoded.length;
  });
  const psnr = psnrOf(output, signal.data);
  const full = { ...provenance, psnr: Math.floor(psnr * 1000) / 1000 };
  return { bytes: encodeInrSegments(models, { ...meta, provenance: full }, { dtype }), psnr };
}
