/**
 * The meter's calibration, kept per backend and device in localStorage, so that a runtime with
 * `budget: 'auto'` starts from this device's measured throughput instead of a guess.
 */
import type { BackendName } from './types.js';

const PREFIX = 'inrstream.calibration.v1';
/** Browsers and drivers change; a calibration older than this is measured again. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

interface Stored {
  macPerMs: number;
  savedAt: number;
}

/** Where calibrations live: the page's localStorage, when the context has one and allows it. */
function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Opaque origins and some privacy settings throw on access.
    return undefined;
  }
}

export function calibrationKey(backend: BackendName, device: string): string {
  return `${PREFIX}:${backend}:${device}`;
}

/** Saves a calibration (MAC/ms of the fused decode) for this backend and device. */
export function saveCalibration(backend: BackendName, device: string, macPerMs: number, storage = defaultStorage(), now = Date.now()): void {
  if (!(macPerMs > 0) || !Number.isFinite(macPerMs)) throw new RangeError(`MAC/ms must be a positive number, not ${macPerMs}`);
  const value: Stored = { macPerMs, savedAt: now };
  try {
    storage?.setItem(calibrationKey(backend, device), JSON.stringify(value));
  } catch {
    // A full or read-only storage only costs the next page a calibration.
  }
}

/**
 * The cached MAC/ms for this backend and device (as in `engine.report`), or undefined when there
 * is none, it is unreadable, or it is older than 30 days.
 */
export function cachedMacPerMs(backend: BackendName, device: string, storage = defaultStorage(), now = Date.now()): number | undefined {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(calibrationKey(backend, device));
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const { macPerMs, savedAt } = JSON.parse(raw) as Partial<Stored>;
    if (typeof macPerMs !== 'number' || !(macPerMs > 0) || !Number.isFinite(macPerMs)) return undefined;
    if (typeof savedAt !== 'number' || !(now - savedAt <= MAX_AGE_MS)) return undefined;
    return macPerMs;
  } catch {
    return undefined;
  }
}
