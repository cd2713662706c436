/**
 * tfjs in the browser for the trainer: WebGPU, then WebGL, then WASM, then the plain CPU
 * backend; the first that initialises wins unless the caller names one. The whole step runs
 * on it (coarse levels and the last level's matrix products), so on machines without a GPU,
 * where WebGPU and WebGL are software-rendered, WASM is the faster choice: pass it explicitly.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { BACKEND_ORDER, type BackendName } from '../backend/types.js';
import { configureWasmPaths } from '../backend/wasm-paths.js';

/** The decode engine's order, so trainer and engine agree on names and preference. */
export const BROWSER_BACKENDS = BACKEND_ORDER;
export type BrowserBackend = BackendName;

export interface BackendChoice {
  backend: BrowserBackend;
  /** Why each backend tried before it was skipped. */
  skipped: string[];
}

/**
 * `wasmPath`: the URL of @tensorflow/tfjs-backend-wasm's dist/ folder (its .wasm files).
 * `prefer`: the order to try; default webgpu, webgl, wasm, cpu.
 */
export async function useBrowserBackend(wasmPath: string, prefer: readonly BrowserBackend[] = BROWSER_BACKENDS): Promise<BackendChoice> {
  configureWasmPaths(wasmPath);
  const skipped: string[] = [];
  for (const name of prefer) {
    if (name === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator)) {
      skipped.push('webgpu: navigator.gpu is missing');
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { backend: name, skipped };
      }
      skipped.push(`${name}: did not initialise`);
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend initialised (${skipped.join('; ')})`);
}
