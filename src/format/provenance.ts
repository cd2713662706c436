import { asObject, fail } from './header-fields.js';
import { fieldPath, parseHeaderJson } from './json-guard.js';
import type { InrLimits } from './limits.js';
import type { InrHeader, ProvenanceScalar, ProvenanceValue } from './types.js';

/**
 * Provenance is free-form (method, source, teacher, iterations, seconds, psnr, createdBy, ...)
 * but flat: each value a JSON scalar or a short array of scalars, the whole size-limited, so
 * it can be shown and re-written without surprises.
 */
export function validateProvenance(value: unknown, limits: InrLimits, path = 'header.provenance'): Record<string, ProvenanceValue> {
  const obj = asObject(value, path);
  const size = new TextEncoder().encode(JSON.stringify(obj)).length;
  if (size > limits.maxProvenanceBytes) {
    fail(path, `is ${size} bytes, over the limit of ${limits.maxProvenanceBytes}`, 'limit');
  }
  // Object.fromEntries defines own properties, so a key named "__proto__" stays a plain key.
  return Object.fromEntries(
    Object.entries(obj).map(([key, v]): [string, ProvenanceValue] => {
      const field = fieldPath(path, key);
      if (!Array.isArray(v)) return [key, scalar(v, field)];
      if (v.length > limits.maxProvenanceArray) {
        fail(field, `has ${v.length} entries, over the limit of ${limits.maxProvenanceArray}`, 'limit');
      }
      return [key, v.map((x, i) => scalar(x, `${field}[${i}]`))];
    }),
  );
}

/** A version-4 file's provenance from its bytes after the tensors (UTF-8 JSON), checked as the header's is. */
export function parseProvenanceTrailer(bytes: Uint8Array, limits: InrLimits): Record<string, ProvenanceValue> {
  return validateProvenance(parseHeaderJson(bytes, limits, 'provenance'), limits, 'provenance');
}

function scalar(v: unknown, field: string): ProvenanceScalar {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return fail(field, 'must be a string, finite number, boolean or null (or an array of them)');
}

/** The PSNR (dB) a file states for its own weights against its source (provenance `psnr`), if any. */
export function statedPsnr(header: InrHeader): number | undefined {
  const psnr = header.provenance.psnr;
  return typeof psnr === 'number' ? psnr : undefined;
}
