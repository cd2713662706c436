/**
 * The page's side of the train worker (workers/train-worker.ts): one worker, started on first
 * use, one run at a time. `stop()` asks the worker to end its run; if the run has not ended a
 * second later (a step that long, or a worker that hangs), the worker is terminated and a new
 * one starts with the next run. A worker that fails (its script missing, a crash) fails its
 * run with a typed error and is replaced the same way.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { InrTrainError } from '../util/errors.js';
import type { TrainEvent, TrainOutcome, TrainRequest, TrainWorkerApi } from './worker-protocol.js';
import { workerScriptUrl } from '../util/trusted-types.js';

/** How long a stopped run may take to end before its worker is terminated. */
export const STOP_DEADLINE_MS = 1000;

interface Started {
  worker: Worker;
  remote: Remote<TrainWorkerApi>;
  /** Rejects when the worker fails. */
  lost: Promise<never>;
}

export class TrainWorker {
  private started: Started | null = null;
  private run: { done: Promise<TrainOutcome>; cutShort: (outcome: TrainOutcome) => void } | null = null;

  /** `url`: dist/inrstream-train-worker.mjs (a module worker script). */
  constructor(private readonly url: string | URL) {}

  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainOutcome> {
    if (this.run) return Promise.reject(new InrTrainError('busy', 'a training run is already going on'));
    const { remote, lost } = this.start();
    let cutShort!: (outcome: TrainOutcome) => void;
    const cut = new Promise<TrainOutcome>((resolve) => (cutShort = resolve));
    const done = Promise.race([remote.train(request, proxy(onEvent)), lost, cut])
      .catch((e: unknown) => {
        if (e instanceof InrTrainError && e.code === 'worker-lost') this.destroy();
        throw e;
      })
      .finally(() => (this.run = null));
    this.run = { done, cutShort };
    return done;
  }

  /** Ends the current run within STOP_DEADLINE_MS; its train() resolves with `{ stopped: true }`. */
  async stop(): Promise<void> {
    const run = this.run;
    if (!run || !this.started) return;
    void this.started.remote.stop().catch(() => undefined);
    const ended = run.done.then(
      () => true,
      () => true,
    );
    const inTime = await Promise.race([ended, new Promise<boolean>((r) => setTimeout(() => r(false), STOP_DEADLINE_MS))]);
    if (!inTime) this.destroy();
  }

  /** Terminates the worker (a run in progress resolves as stopped; a later train() starts a new one). */
  destroy(): void {
    this.started?.worker.terminate();
    this.started = null;
    this.run?.cutShort({ stopped: true });
  }

  private start(): Started {
    if (this.started) return this.started;
    const worker = new Worker(workerScriptUrl(this.url), { type: 'module' });
    const lost = new Promise<never>((_, reject) =>
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        reject(new InrTrainError('worker-lost', `the train worker failed: ${e.message || 'its script did not load, or it crashed'}`));
      }),
    );
    lost.catch(() => undefined);
    this.started = { worker, remote: wrap<TrainWorkerApi>(worker), lost };
    return this.started;
  }
}
