/**
 * The tfjs backends, registered once per page. Their factories are kept so that a backend
 * whose device was lost can be removed and created afresh (tfjs itself never re-creates one).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './types.js';

type Factory = ReturnType<typeof tf.findBackendFactory>;

const factories = new Map<BackendName, { factory: Factory; priority: number }>();
for (const [name, priority] of [
  ['webgpu', 3],
  ['webgl', 2],
  ['wasm', 2],
  ['cpu', 1],
] as const) {
  // Null where a backend did not register (WebGL registers only in browsers).
  const factory = tf.findBackendFactory(name) as Factory | null;
  if (factory) factories.set(name, { factory, priority });
}

/** Makes `name` the active tfjs backend, initialising it if needed; false if it cannot start. */
export async function activate(name: BackendName): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  if (!factories.has(name)) return false;
  return tf.setBackend(name);
}

/** Drops the (lost) instance of `name` so that the next activate() creates a new one. */
export function recreate(name: BackendName): void {
  const entry = factories.get(name);
  if (!entry) return;
  try {
    tf.removeBackend(name);
  } catch {
    // Disposing a backend whose device is gone may throw; it is being replaced either way.
  }
  tf.registerBackend(name, entry.factory, entry.priority);
}

/** The tfjs backend instance of `name`, if it was initialised. */
export function instance(name: BackendName): tf.KernelBackend | undefined {
  return tf.engine().registry[name];
}
