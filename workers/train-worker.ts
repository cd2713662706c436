/**
 * Train worker: fits a picture off the page's main thread (demo/train.html), so that training
 * never blocks the page, previews paint while it runs and Stop is read within a step. A module
 * worker (dist/inrstream-train-worker.mjs) driven through comlink by
 * src/train/worker-client.ts; the wire types are in src/train/worker-protocol.ts.
 */
import { expose, transfer } from 'comlink';
import { InrTrainError } from '../src/util/errors.js';
import { rgbaToSignal } from '../src/train/rgba.js';
import { modelCost } from '../src/model/cost.js';
import { toRgba8 } from '../src/render/rgba.js';
import { useBrowserBackend } from '../src/train/backend-browser.js';
import { encodeTrained } from '../src/train/encode.js';
import { planModel } from '../src/train/plan.js';
import { trainAsmr } from '../src/train/trainer.js';
import type { TrainEvent, TrainOutcome, TrainRequest, TrainWorkerApi } from '../src/train/worker-protocol.js';

let running: AbortController | null = null;

const api: TrainWorkerApi = {
  async train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainOutcome> {
    if (running) throw new InrTrainError('busy', 'a training run is already going on in this worker');
    const abort = new AbortController();
    running = abort;
    try {
      const report = await useBrowserBackend(request.wasmPath, request.backend);
      onEvent({ type: 'backend', report });
      const { data, width, height } = request.pixels;
      const plan = planModel(rgbaToSignal(data, width, height), { levels: request.levels, hidden: request.hidden });
      onEvent({ type: 'plan', shape: plan.spec.shape, bases: plan.spec.bases, resize: plan.resize, macPerPx: modelCost(plan.spec).macPerPx });
      const result = await trainAsmr(plan.signal, {
        spec: plan.spec,
        iterations: request.iterations,
        lr: request.lr,
        teacher: request.teacher,
        evalEvery: request.evalEvery,
        previews: true,
        abort: abort.signal,
        onProgress: (p) => {
          const preview = toRgba8(p.output!, plan.spec.channels);
          onEvent(
            transfer({ type: 'progress', iteration: p.iteration, iterations: p.iterations, psnr: p.psnr, seconds: p.seconds, preview }, [preview.buffer]),
          );
        },
      });
      const backend = `tfjs-${report.backend}`;
      const provenance = {
        method: 'asmr-train',
        createdBy: 'inrstream demo/train.html',
        source: request.source,
        teacher: request.teacher,
        iterations: result.iterations,
        seconds: Math.round(result.seconds * 10) / 10,
        lr: request.lr,
        backend,
        ...(plan.resize ? { resize: plan.resize } : {}),
      };
      const { bytes, psnr } = encodeTrained(result.model, plan.signal, { kind: 'image' }, provenance, 'f32');
      const owned = new Uint8Array(bytes);
      return transfer({ stopped: false, bytes: owned, psnr, iterations: result.iterations, seconds: result.seconds, backend }, [owned.buffer]);
    } catch (e) {
      if (abort.signal.aborted && e instanceof InrTrainError && e.code === 'aborted') return { stopped: true };
      throw e;
    } finally {
      running = null;
    }
  },
  stop(): void {
    running?.abort();
  },
};

expose(api);
