/**
 * tfjs backends, loaded on demand (a backend's code is imported the first time it is
 * activated, so a page pays only for the backends it tries) and registered once per thread.
 * Their factories are kept so that a backend whose device was lost can be removed and created
 * afresh (tfjs itself never re-creates one).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './types.js';

type Factory = ReturnType<typeof tf.findBackendFactory>;

interface Loader {
  load: () => Promise<unknown>;
  priority: number;
}

/** What each user of tfjs provides: the decoder its GPU backends, the trainer all four. */
const loaders = new Map<BackendName, Loader>();

/**
 * Says how to load `name`'s code. The importer names the backends it may use, so a bundle
 * carries only those (the decode worker never carries tfjs's CPU or WASM backends).
 */
export function provide(name: BackendName, load: () => Promise<unknown>, priority: number): void {
  if (!loaders.has(name)) loaders.set(name, { load, priority });
}

const factories = new Map<BackendName, Factory>();

/** Imports `name`'s code (which registers it with tfjs); false where it does not register here (WebGL outside browsers). */
async function load(name: BackendName): Promise<boolean> {
  if (factories.has(name)) return true;
  const loader = loaders.get(name);
  if (!loader) return false;
  await loader.load();
  const factory = tf.findBackendFactory(name) as Factory | null;
  if (factory) factories.set(name, factory);
  return Boolean(factory);
}

/** Makes `name` the active tfjs backend, loading and initialising it if needed; false if it cannot start. */
export async function activate(name: BackendName): Promise<boolean> {
  if (!(await load(name))) return false;
  if (tf.engine().backendName === name) return true;
  return tf.setBackend(name);
}

/** Drops the (lost) instance of `name` so that the next activate() creates a new one. */
export function recreate(name: BackendName): void {
  const factory = factories.get(name);
  if (!factory) return;
  try {
    tf.removeBackend(name);
  } catch {
    // Disposing a backend whose device is gone may throw; it is being replaced either way.
  }
  tf.registerBackend(name, factory, loaders.get(name)!.priority);
}

/** The tfjs backend instance of `name`, if it was initialised. */
export function instance(name: BackendName): tf.KernelBackend | undefined {
  return tf.engine().registry[name];
}
