/**
 * The draw worker's entry in the ESM build (dist/inrstream-draw-worker.mjs): as decode-entry.ts,
 * for the draw worker (draw-worker.ts).
 */
import { isWorkerScope, serveAfter } from './replay.js';

export const url = import.meta.url;

if (isWorkerScope()) serveAfter(() => import('./draw-worker.js'));
