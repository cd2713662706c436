/**
 * The decode worker's entry in the ESM build (dist/inrstream-worker.mjs). A worker started from
 * it loads the decode worker (decode-worker.ts: the script build's, which carries all it needs,
 * so that it never imports a chunk of the app's page code; rollup and vite would otherwise
 * share modules with the app's entry chunk). The page imports this module only to learn `url`,
 * its own address: a bundler that turns import() into files of their own (rollup, esbuild with
 * --splitting, vite's dev server) says so where it put the worker (bundled-assets.ts).
 */
import { isWorkerScope, serveAfter } from './replay.js';

export const url = import.meta.url;

if (isWorkerScope()) serveAfter(() => import('./decode-worker.js'));
