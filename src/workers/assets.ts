/**
 * Where the library's own files are: the decode and draw worker scripts and the decode engine
 * this thread loads on first use (tfjs with it, so it is not in the main script). Each build
 * has its own (docs/RUNTIME.md, "Assets"): the ESM build's (bundled-assets.ts: wherever the
 * app's bundler put them), and the script tag's, which its rollup config puts in that module's
 * place (script-assets.ts: files next to the script, or under its `data-assets-url`).
 * `configure({ assetsUrl })` points either at a folder that holds the script build's files
 * instead, a CDN's copy of dist/ say.
 */
import { builtInAssets } from './bundled-assets.js';
import { folder } from './script-assets.js';
import type { WorkerScript } from './worker-script.js';

export type EngineModule = typeof import('../engine/index.js');

export interface Assets {
  /** The decode worker's script; found asynchronously where a bundler placed it. */
  decodeWorker(): Promise<WorkerScript>;
  /** The draw worker's script. */
  drawWorker(): Promise<WorkerScript>;
  /** The decode engine's module for this thread, loaded on first call. */
  engine(): Promise<EngineModule>;
  /** The same set with the script build's files under `base`. */
  under(base: URL): Assets;
}

/** The library's page-wide settings. */
export interface InrConfig {
  /**
   * The folder (URL, resolved against the page) that holds the script build's files
   * (`inrstream-worker.min.js`, `inrstream-draw-worker.min.js`, `inrstream-engine.min.js` and
   * their chunks, as in dist/). Default: the folder of `inrstream.min.js` (or its
   * `data-assets-url` attribute); with a bundler, wherever it put the workers. Another origin
   * must allow this page with CORS.
   */
  assetsUrl?: string | URL;
}

let configured: Assets | undefined;

/**
 * Sets where the library finds its files, for runtimes (and so elements) made after this call:
 * call it before the first element renders (at the top of the app's entry module; the elements
 * start loading a microtask after they connect). `assetsUrl: undefined` restores the default.
 */
export function configure(config: InrConfig): void {
  configured = config.assetsUrl === undefined ? undefined : builtInAssets.under(folder(config.assetsUrl));
}

/** The asset locations in force now. */
export function assets(): Assets {
  return configured ?? builtInAssets;
}
