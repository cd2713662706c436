import { InrFormatError, type InrFormatErrorCode } from '../util/errors.js';

/** Small typed checks on untrusted JSON values; each failure names `field`. */

export function fail(field: string, message: string, code: InrFormatErrorCode = 'invalid-header'): never {
  throw new InrFormatError(code, message, field);
}

export function asObject(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'must be an object');
  return v as Record<string, unknown>;
}

/** An array of at most `max` entries (more is a limit violation, not a shape error). */
export function asArray(v: unknown, field: string, max: number, min = 0): unknown[] {
  if (!Array.isArray(v)) fail(field, 'must be an array');
  if (v.length > max) fail(field, `has ${v.length} entries, over the limit of ${max}`, 'limit');
  if (v.length < min) fail(field, `must have at least ${min} entries`);
  return v;
}

/** An integer in min..max; values above `max` are limit violations. */
export function asInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(field, 'must be an integer');
  if (v < min) fail(field, `must be at least ${min}`);
  if (v > max) fail(field, `is ${v}, over the limit of ${max}`, 'limit');
  return v;
}

export function asFinite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a finite number');
  return v;
}

export function asString(v: unknown, field: string): string {
  if (typeof v !== 'string') fail(field, 'must be a string');
  return v;
}

export function asOneOf<T extends string>(v: unknown, field: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    fail(field, `must be one of ${options.map((o) => `'${o}'`).join(', ')}`);
  }
  return v as T;
}

export function asIntList(v: unknown, field: string, maxLength: number, min: number, max: number): number[] {
  return asArray(v, field, maxLength).map((x, i) => asInt(x, `${field}[${i}]`, min, max));
}

/** An array of exactly `length` entries (its length is fixed by other fields, not a limit). */
export function asExactArray(v: unknown, field: string, length: number): unknown[] {
  if (!Array.isArray(v)) fail(field, 'must be an array');
  if (v.length !== length) fail(field, `must have ${length} entries`);
  return v;
}

export function asFiniteList(v: unknown, field: string, length: number): number[] {
  return asExactArray(v, field, length).map((x, i) => asFinite(x, `${field}[${i}]`));
}

export function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
