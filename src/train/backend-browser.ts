/**
 * tfjs in the browser for the trainer, chosen by the decode engine's rule (src/backend/select.ts):
 * a forced backend must start and pass a known-answer step; `auto` takes the first hardware GPU
 * that passes, skips software GPUs on small machines (they share WASM's cores and lose there),
 * and otherwise times a few training steps on each candidate and keeps the fastest. The whole
 * step (coarse levels and the last level's products) runs on the chosen backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeDevice } from '../backend/device-info.js';
import { activate, provide } from '../backend/registry.js';
import { chooseBackend, type ChooseOptions } from '../backend/select.js';
import { BACKEND_ORDER, type BackendChoice, type BackendName, type BackendReport, type BackendStart } from '../backend/types.js';
import { configureWasmPaths } from '../backend/wasm-paths.js';
import { decodeOracle } from '../model/oracle.js';
import { randomModel } from '../model/random.js';
import type { AsmrSpec } from '../model/types.js';
import type { TrainSignal } from './signal.js';
import { trainAsmr } from './trainer.js';
import { InrBackendError } from '../util/errors.js';

provide('webgpu', () => import('@tensorflow/tfjs-backend-webgpu'), 3);
provide('webgl', () => import('@tensorflow/tfjs-backend-webgl'), 2);
provide('wasm', () => import('@tensorflow/tfjs-backend-wasm'), 2);
provide('cpu', () => import('@tensorflow/tfjs-backend-cpu'), 1);

/** The decode engine's order and names, so trainer and engine agree on them. */
export const BROWSER_BACKENDS = BACKEND_ORDER;
export type BrowserBackend = BackendName;

/** A small model with the reference's initialisation: its step is checked and timed. */
const TRIAL: AsmrSpec = {
  shape: [16, 24],
  bases: [
    [2, 2, 4],
    [2, 3, 4],
  ],
  channels: 3,
  widths: [16, 16],
  omegas: [30, 30],
  modScales: [30, 30],
};
const TRIAL_SIGNAL: TrainSignal = {
  shape: TRIAL.shape,
  channels: 3,
  data: Float32Array.from({ length: 16 * 24 * 3 }, (_, i) => 0.5 + 0.4 * Math.sin(i / 7)),
};
/** Largest |trainer - float64 oracle| a backend's step may show on the trial model. */
const KNOWN_ANSWER_TOLERANCE = 2e-3;

const trialRun = (iterations: number) => trainAsmr(TRIAL_SIGNAL, { spec: TRIAL, iterations, evalEvery: iterations, init: randomModel(TRIAL, 7, 'reference') });

const trials = {
  async start(name: BackendName): Promise<BackendStart> {
    if (name === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator))
      throw new InrBackendError('backend-unavailable', 'navigator.gpu is missing');
    if (!(await activate(name))) throw new InrBackendError('backend-unavailable', 'did not initialise');
    await tf.ready();
    return describeDevice(name);
  },
  /** One training step, then the trainer's decode of the result against the float64 oracle. */
  async verify(name: BackendName): Promise<void> {
    await activate(name);
    const r = await trialRun(1);
    const oracle = decodeOracle(r.model);
    let worst = 0;
    for (let i = 0; i < oracle.length; i++) worst = Math.max(worst, Math.abs(oracle[i]! - r.output[i]!));
    if (!(worst <= KNOWN_ANSWER_TOLERANCE))
      throw new InrBackendError('backend-unavailable', `wrong known answer: the step's decode is ${worst} from the oracle's`);
  },
  /** ms per step of the trial model, after a warm-up (shader compiles). */
  async time(name: BackendName): Promise<number> {
    await activate(name);
    await trialRun(2);
    const r = await trialRun(8);
    return (r.seconds * 1000) / r.iterations;
  },
};

/**
 * `wasmPath`: the URL of the folder with tfjs-backend-wasm's .wasm files.
 * Leaves the chosen backend active and says why it was chosen and why the others were not.
 */
export async function useBrowserBackend(wasmPath: string, choice: BackendChoice = 'auto', options: ChooseOptions = {}): Promise<BackendReport> {
  await configureWasmPaths(wasmPath);
  const report = await chooseBackend(choice, trials, options);
  await activate(report.backend);
  return report;
}
