/**
 * tfjs in Node for the trainer: the WASM backend (tfjs-node cannot install here, and WASM is
 * the fastest tfjs backend on a CPU), with the CPU backend as the fallback.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export async function useNodeBackend(prefer: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  if (prefer === 'wasm') {
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(join(dirname(main), '/'));
    if (await tf.setBackend('wasm').catch(() => false)) return 'wasm';
  }
  await tf.setBackend('cpu');
  return 'cpu';
}
