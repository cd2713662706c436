import { InrFormatError } from '../util/errors.js';
import type { InrLimits } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes and parses the header bytes (or, `field` 'provenance', a version-4 file's provenance
 * trailer) as JSON, refusing (before JSON.parse builds anything) nesting deeper than the limit,
 * and (after) any string or key longer than the limit.
 */
export function parseHeaderJson(bytes: Uint8Array, limits: InrLimits, field = 'header'): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InrFormatError('invalid-header', 'is not valid UTF-8', field);
  }
  checkDepth(text, limits.maxJsonDepth, field);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InrFormatError('invalid-header', `is not valid JSON (${(e as Error).message})`, field);
  }
  checkStrings(value, field, limits.maxStringLength);
  return value;
}

/** Scans brackets outside string literals; malformed JSON is left for JSON.parse to report. */
function checkDepth(text: string, maxDepth: number, field: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) {
        throw new InrFormatError('limit', `nests deeper than ${maxDepth} levels`, field);
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

/** Depth is already bounded by checkDepth, so this recursion is too. */
function checkStrings(value: unknown, path: string, maxLength: number): void {
  if (typeof value === 'string') {
    if (value.length > maxLength) throw new InrFormatError('limit', `string is longer than ${maxLength}`, path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStrings(v, `${path}[${i}]`, maxLength));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key.length > maxLength) throw new InrFormatError('limit', `key is longer than ${maxLength}`, path);
      checkStrings(v, fieldPath(path, key), maxLength);
    }
  }
}

/** `path.key` for plain identifiers, `path["odd key"]` otherwise (shortened). */
export function fieldPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}.${key}`;
  const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
  return `${path}[${JSON.stringify(shown)}]`;
}
