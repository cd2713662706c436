/**
 * The ESM build's files (dist/inrstream.mjs and the modules beside it), found the ways the
 * common bundlers recognise, with no configuration in the app (docs/RUNTIME.md, "Assets"):
 *
 * - A bundler that handles a URL made from a literal file name and `import.meta.url` (vite
 *   build, webpack 5, parcel) rewrites the probe below to the address it gave a copy of the
 *   file, and builds the worker from the `new Worker(...)` of such a URL: that one starts.
 * - One that does not (rollup, esbuild, vite's dev server; no bundler) leaves the probe naming
 *   the file beside this module; it does turn import() into a module of its own (esbuild with
 *   --splitting), so the worker's entry is imported here for its own address (decode-entry.ts),
 *   and a worker started from there loads its service.
 *
 * Each file's URL and worker are written out literally, once per file, as bundlers need them.
 */
import { InrBackendError } from '../util/errors.js';
import type { Assets } from './assets.js';
import { scriptAssetsUnder } from './script-assets.js';
import { scriptAt, type WorkerScript } from './worker-script.js';

/** A bundler rewrote `probe` (it is not the file `name` any more): it built the worker too. */
function rewritten(probe: URL, name: string): boolean {
  return !probe.pathname.endsWith(`/${name}`);
}

/**
 * The worker whose entry module `entry` imports, started from that module's own address where
 * the bundler gave it one of its own; else `literal` (which no bundler rewrote: its file may
 * be missing, and the worker says so when it fails to load).
 */
async function located(what: string, entry: () => Promise<{ url: string }>, literal: () => Worker, fileUrl: URL): Promise<WorkerScript> {
  const { url } = await entry();
  const ownAddress = /^(https?|blob):/.test(url) && url !== import.meta.url;
  return ownAddress ? scriptAt(what, url) : { what, url: fileUrl.href, start: literal };
}

function decodeWorker(): Promise<WorkerScript> {
  const what = 'the decode worker';
  const literal = () => new Worker(new URL('./inrstream-worker.mjs', import.meta.url), { type: 'module' });
  const probe = new URL('./inrstream-worker.mjs', import.meta.url);
  if (rewritten(probe, 'inrstream-worker.mjs')) return Promise.resolve({ what, url: undefined, start: literal });
  return located(what, () => import('./decode-entry.js'), literal, probe);
}

function drawWorker(): Promise<WorkerScript> {
  const what = 'the draw worker';
  const literal = () => new Worker(new URL('./inrstream-draw-worker.mjs', import.meta.url), { type: 'module' });
  const probe = new URL('./inrstream-draw-worker.mjs', import.meta.url);
  if (rewritten(probe, 'inrstream-draw-worker.mjs')) return Promise.resolve({ what, url: undefined, start: literal });
  return located(what, () => import('./draw-entry.js'), literal, probe);
}

async function engine() {
  try {
    return await import('../engine/index.js');
  } catch (e) {
    throw new InrBackendError('no-backend', `the decode engine could not load: ${(e as Error).message}`);
  }
}

export const builtInAssets: Assets = {
  decodeWorker,
  drawWorker,
  engine,
  // The script build's workers from `base`; the engine stays the app bundle's.
  under: (base) => ({ ...scriptAssetsUnder(base), engine }),
};
