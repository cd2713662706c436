import { Runtime } from '../runtime.js';

let runtime: Runtime | undefined;

/** One runtime (and so one worker pool) for every element on the page, made on first use. */
export function sharedRuntime(): Runtime {
  runtime ??= new Runtime();
  return runtime;
}
