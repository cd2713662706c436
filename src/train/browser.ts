/**
 * The trainer for the browser (bundled as dist/inrstream-train.mjs, tfjs included): pick a
 * backend, turn an image into a signal, plan, train, encode; or train in the train worker
 * (dist/inrstream-train-worker.mjs) through TrainWorker.
 */
export { rgbaToSignal } from './rgba.js';
export { useBrowserBackend, BROWSER_BACKENDS, type BrowserBackend } from './backend-browser.js';
export { encodeTrained, psnrOf } from './encode.js';
export { planModel, type LayoutOptions, type Plan } from './plan.js';
export { trainAsmr, type CurvePoint, type TrainOptions, type TrainProgress, type TrainResult } from './trainer.js';
export { TrainWorker, STOP_DEADLINE_MS } from './worker-client.js';
export type { TrainEvent, TrainOutcome, TrainRequest } from './worker-protocol.js';
export type { BackendChoice, BackendReport } from '../backend/types.js';
export { modelCost } from '../model/cost.js';
