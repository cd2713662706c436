/**
 * Backend choice. A candidate is accepted only after it starts and passes a known-answer decode
 * (a broken driver must not win). `auto` takes the first accepted hardware GPU outright;
 * otherwise (software GPUs, WASM, CPU) a short timed decode on each accepted candidate decides,
 * because a software GPU is slower than WASM however its name reads; a lone accepted candidate
 * is taken untimed, and a stand-in (the engine's CPU decoder for WASM) is not tried once what
 * it stands in for was accepted. Every refusal is reported.
 * On a machine with few cores a software GPU is not even verified: it runs on the same cores
 * as WASM, cannot beat it there, and its shader compiles would stall the page for nothing;
 * where its device can be read without tfjs (the trials' probe), its code is not even loaded.
 */
import { InrBackendError } from '../util/errors.js';
import { BACKEND_ORDER } from './types.js';
import type { BackendChoice, BackendName, BackendReport, BackendStart, Calibration, Refusal } from './types.js';

/** The engine's side of the choice: start a backend, check it, time it. */
export interface BackendTrials {
  /** Activates the backend and describes its device; throws (with the reason) if it cannot. */
  start(name: BackendName): Promise<BackendStart>;
  /**
   * The device `name` would run on, read before its code loads where that is cheap (no tfjs);
   * undefined where it cannot be told before the start.
   */
  probe?(name: BackendName): Promise<BackendStart | undefined>;
  /**
   * Backends that only stand in for another where that one cannot run (key: the stand-in):
   * `auto` does not try a stand-in once the backend it stands in for was accepted.
   */
  standsInFor?: Partial<Record<BackendName, BackendName>>;
  /** Known-answer decode; throws (with the reason) on a wrong answer. */
  verify(name: BackendName): Promise<void>;
  /** ms of one calibration decode (warmed up) on the backend. */
  time(name: BackendName): Promise<number>;
}

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const isGpu = (name: BackendName): boolean => name === 'webgpu' || name === 'webgl';

/**
 * Up to this many logical cores, `auto` skips software GPUs. Measured on 2 cores (docs/ENGINE.md):
 * SwiftShader WebGL 2.6x and WebGPU 6.6x slower than WASM, and its calibration (shader
 * compiles on every core) stretched the page's tasks past 50 ms; even with twice the cores
 * (its threads scale, WASM's one thread does not) it would still lose.
 */
const SOFTWARE_GPU_MAX_CORES = 4;

/** How much faster (ratio of calibration times) a later candidate must be to win. */
const CALIBRATION_MARGIN = 1.2;

export interface ChooseOptions {
  /** The order auto tries candidates in. */
  order?: readonly BackendName[];
  /** Logical cores (default navigator.hardwareConcurrency, else 2). */
  cores?: number;
}

/** A refusal of a software GPU that was started but, on a small machine, not verified. */
type SkippedGpu = Refusal & { skippedSoftwareGpu: true };

function skipped(name: BackendName, device: string): SkippedGpu {
  const reason = `software GPU (${device}) on a ${SOFTWARE_GPU_MAX_CORES}-core-or-smaller machine: it shares the cores WASM runs on and is slower there, so it is not calibrated`;
  return { backend: name, reason, skippedSoftwareGpu: true };
}

/**
 * Starts and verifies one candidate; the reason it failed, or its device. `skipSoftwareGpu`
 * refuses a software GPU before any decode: from its probe where that tells (its code is then
 * never loaded), else right after starting it (which only reads its name).
 */
async function accept(name: BackendName, trials: BackendTrials, skipSoftwareGpu = false): Promise<BackendStart | Refusal | SkippedGpu> {
  try {
    const skipping = skipSoftwareGpu && isGpu(name);
    const probed = skipping ? await trials.probe?.(name) : undefined;
    if (probed?.software) return skipped(name, probed.device);
    const start = await trials.start(name);
    if (skipping && start.software) return skipped(name, start.device);
    await trials.verify(name);
    return start;
  } catch (e) {
    return { backend: name, reason: reasonOf(e) };
  }
}

const isRefusal = (r: BackendStart | Refusal): r is Refusal => 'reason' in r;

export async function chooseBackend(choice: BackendChoice, trials: BackendTrials, options: ChooseOptions = {}): Promise<BackendReport> {
  const order = options.order ?? BACKEND_ORDER;
  const cores = options.cores ?? globalThis.navigator?.hardwareConcurrency ?? 2;
  if (choice !== 'auto') {
    const result = await accept(choice, trials);
    if (isRefusal(result)) throw new InrBackendError('backend-unavailable', `${choice} was forced but refused: ${result.reason}`, 'backend');
    return { backend: choice, device: result.device, reason: 'forced', refused: [], calibration: [] };
  }
  const refused: Refusal[] = [];
  const accepted: { name: BackendName; start: BackendStart }[] = [];
  let skippedSoftwareGpu = false;
  for (const name of order) {
    const original = trials.standsInFor?.[name];
    if (original !== undefined && accepted.some((a) => a.name === original)) {
      refused.push({ backend: name, reason: `not tried: it stands in for ${original} where that cannot run, and ${original} passed` });
      continue;
    }
    const result = await accept(name, trials, cores <= SOFTWARE_GPU_MAX_CORES);
    if (isRefusal(result)) {
      refused.push({ backend: result.backend, reason: result.reason });
      if ('skippedSoftwareGpu' in result) skippedSoftwareGpu = true;
      continue;
    }
    if (isGpu(name) && !result.software) {
      return { backend: name, device: result.device, reason: 'first hardware GPU that passed the known-answer decode', refused, calibration: [] };
    }
    accepted.push({ name, start: result });
  }
  if (accepted.length === 0)
    throw new InrBackendError('no-backend', `no backend passed: ${refused.map((r) => `${r.backend}: ${r.reason}`).join('; ')}`, 'backend');
  const softwareGpu = skippedSoftwareGpu || accepted.some((a) => isGpu(a.name));
  const note = softwareGpu ? ' (the GPU is a software rasteriser)' : '';
  // One candidate left: nothing to compare it with, so no timed decode.
  if (accepted.length === 1) {
    const [only] = accepted as [(typeof accepted)[number]];
    return { backend: only.name, device: only.start.device, reason: `the only candidate that passed${note}`, refused, calibration: [] };
  }
  const calibration: Calibration[] = [];
  for (const { name } of accepted) {
    try {
      calibration.push({ backend: name, ms: await trials.time(name) });
    } catch (e) {
      refused.push({ backend: name, reason: `calibration failed: ${reasonOf(e)}` });
    }
  }
  if (calibration.length === 0) throw new InrBackendError('no-backend', 'every calibration decode failed', 'backend');
  // A later candidate must be clearly faster: timings taken while a page starts up are noisy,
  // and one descheduled run let the plain-JS CPU backend "beat" WASM here.
  const best = calibration.reduce((a, b) => (b.ms * CALIBRATION_MARGIN < a.ms ? b : a));
  for (const c of calibration) {
    if (c === best) continue;
    const times = `${c.ms.toFixed(2)} ms against ${best.ms.toFixed(2)} ms on ${best.backend}`;
    refused.push({
      backend: c.backend,
      reason: c.ms >= best.ms ? `slower in calibration: ${times}` : `not ${CALIBRATION_MARGIN}x faster in calibration (${times}), which comes first`,
    });
  }
  const device = accepted.find((a) => a.name === best.backend)!.start.device;
  return {
    backend: best.backend,
    device,
    reason: `fastest in calibration${note}`,
    refused,
    calibration,
  };
}
