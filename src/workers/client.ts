import { wrap } from 'comlink';
import type { DecodeWorkerApi } from './decode-protocol.js';
import { scriptAt } from './worker-script.js';

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** A decode worker: the worker's verbs, promised, plus terminate(). */
export interface DecodeWorker {
  init: Promised<DecodeWorkerApi['init']>;
  load: Promised<DecodeWorkerApi['load']>;
  decode: Promised<DecodeWorkerApi['decode']>;
  release: Promised<DecodeWorkerApi['release']>;
  terminate(): void;
}

/**
 * Starts a decode worker from the built worker script (dist/inrstream-worker.min.js, a module
 * worker; the script URL is explicit because bundlers and CDNs place it differently).
 */
export function openDecodeWorker(scriptUrl: string | URL): DecodeWorker {
  const worker = scriptAt('the decode worker', scriptUrl).start();
  const remote = wrap<DecodeWorkerApi>(worker);
  return {
    init: (options) => remote.init(options),
    load: (bytes) => remote.load(bytes),
    decode: (id, region) => remote.decode(id, region),
    release: (id) => remote.release(id),
    terminate: () => worker.terminate(),
  };
}
