import { BACKEND_ORDER, type BackendChoice } from '../backend/types.js';
import { Runtime } from '../runtime.js';

const runtimes = new Map<BackendChoice, Runtime>();

export function isBackendChoice(v: string): v is BackendChoice {
  return v === 'auto' || (BACKEND_ORDER as readonly string[]).includes(v);
}

/** One runtime (one worker pool) per backend choice for every element on the page, made on first use. */
export function sharedRuntime(backend: BackendChoice): Runtime {
  let rt = runtimes.get(backend);
  if (!rt) {
    rt = new Runtime({ backend });
    runtimes.set(backend, rt);
  }
  return rt;
}
