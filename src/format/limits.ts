import { InrFormatError } from '../util/errors.js';

/**
 * Hard limits a reader enforces before it allocates anything a file asks for. Defaults suit
 * every model MODEL_LIMITS allows in practice; pass overrides in the read options.
 */
export interface InrLimits {
  /** Bytes of JSON header (the preamble's header length). */
  maxHeaderBytes: number;
  /** Entries in the tensor table (over all segments). */
  maxTensors: number;
  /** Dimensions of one tensor. */
  maxRank: number;
  /** Elements of one tensor (product of its shape). */
  maxTensorElements: number;
  /** Bytes of tensor data (data start to end of file). */
  maxDataBytes: number;
  /**
   * Bytes of all tensors once decoded to float32 (4 per value). Coded tensors make this larger
   * than the data they come from, so it is bounded on its own.
   */
  maxDecodedBytes: number;
  /** Entries in the segment table. */
  maxSegments: number;
  /** Bytes of the provenance object, as compact JSON. */
  maxProvenanceBytes: number;
  /** Entries of one provenance array. */
  maxProvenanceArray: number;
  /** Characters in any header string, object keys included. */
  maxStringLength: number;
  /** Nesting depth of the header JSON (the top-level object is depth 1). */
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: Readonly<InrLimits> = Object.freeze({
  maxHeaderBytes: 1 << 20,
  maxTensors: 1024,
  maxRank: 4,
  maxTensorElements: 64 * 2 ** 20,
  maxDataBytes: 2 ** 30,
  maxDecodedBytes: 2 ** 30,
  maxSegments: 4096,
  maxProvenanceBytes: 16 * 1024,
  maxProvenanceArray: 256,
  maxStringLength: 4096,
  maxJsonDepth: 8,
});

/** DEFAULT_LIMITS with `overrides` applied; each override must be a positive safe integer. */
export function resolveLimits(overrides?: Partial<InrLimits>): InrLimits {
  const limits: InrLimits = { ...DEFAULT_LIMITS };
  if (overrides === undefined) return limits;
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof InrLimits)[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new InrFormatError('invalid-argument', 'must be a positive integer', `limits.${key}`);
    }
    limits[key] = v;
  }
  return limits;
}
