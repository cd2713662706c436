/**
 * The page's side of the train worker (workers/train-worker.ts): one worker, started on first
 * use, one run at a time. `stop()` asks the worker to end its run; if the run has not ended a
 * second later (a step that long, or a worker that hangs), the worker is terminated and a new
 * one starts with the next run.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { InrTrainError } from '../errors.js';
import type { TrainEvent, TrainOutcome, TrainRequest, TrainWorkerApi } from './worker-protocol.js';

/** How long a stopped run may take to end before its worker is terminated. */
export const STOP_DEADLINE_MS = 1000;

export class TrainWorker {
  private worker: Worker | null = null;
  private remote: Remote<TrainWorkerApi> | null = null;
  /** Settles the current run's promise when its worker is terminated. */
  private cutShort: ((outcome: TrainOutcome) => void) | null = null;
  private run: Promise<TrainOutcome> | null = null;

  /** `url`: dist/inrstream-train-worker.mjs (a module worker script). */
  constructor(private readonly url: string | URL) {}

  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainOutcome> {
    if (this.run) return Promise.reject(new InrTrainError('busy', 'a training run is already going on'));
    if (!this.worker) {
      this.worker = new Worker(this.url, { type: 'module' });
      this.remote = wrap<TrainWorkerApi>(this.worker);
    }
    const worker = this.worker;
    const failed = new Promise<never>((_, reject) =>
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        reject(new InrTrainError('worker-lost', `the train worker failed: ${e.message || 'its script did not load, or it crashed'}`));
      }),
    );
    const cut = new Promise<TrainOutcome>((resolve) => (this.cutShort = resolve));
    const run = Promise.race([this.remote!.train(request, proxy(onEvent)), failed, cut]).finally(() => {
      this.run = null;
      this.cutShort = null;
    });
    this.run = run;
    return run;
  }

  /** Ends the current run within STOP_DEADLINE_MS; its train() resolves with `{ stopped: true }`. */
  async stop(): Promise<void> {
    const run = this.run;
    if (!run || !this.remote) return;
    void this.remote.stop().catch(() => undefined);
    const late = await Promise.race([run.then(() => false, () => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_DEADLINE_MS))]);
    if (late) {
      this.cutShort?.({ stopped: true });
      this.destroy();
    }
  }

  /** Terminates the worker (a later train() starts a new one). */
  destroy(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.cutShort?.({ stopped: true });
  }
}
