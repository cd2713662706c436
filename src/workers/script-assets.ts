/**
 * The script build's files (docs/RUNTIME.md, "Assets"): `inrstream.min.js` (or
 * `inrstream-image.min.js`) finds its workers and its engine by URL, in the folder its
 * `<script>` came from or the one its `data-assets-url` attribute names. The script build's
 * rollup config puts this module in place of bundled-assets.ts (both export `builtInAssets`).
 */
import { InrBackendError } from '../util/errors.js';
import type { Assets, EngineModule } from './assets.js';
import { scriptAt, type WorkerScript } from './worker-script.js';

/** A folder's URL, resolved against the page, ending in '/' so that file names resolve inside it. */
export function folder(url: string | URL): URL {
  const href = new URL(url, globalThis.location?.href).href;
  return new URL(href.endsWith('/') ? href : `${href}/`);
}

/** The script build's files under `base` (undefined: not known, so nothing loads). */
export function scriptAssetsUnder(base: URL | undefined): Assets {
  const at = (what: string, name: string): Promise<WorkerScript> =>
    base ? Promise.resolve(scriptAt(what, new URL(name, base))) : Promise.reject(new Error(`${what}'s folder is unknown (an inline script?): set assetsUrl`));
  return {
    decodeWorker: () => at('the decode worker', 'inrstream-worker.min.js'),
    drawWorker: () => at('the draw worker', 'inrstream-draw-worker.min.js'),
    engine: async () => {
      if (!base) throw new InrBackendError('no-backend', "the decode engine's folder is unknown: set assetsUrl", 'assetsUrl');
      const url = new URL('inrstream-engine.min.js', base).href;
      try {
        // Loaded by URL at run time; a bundler that meets this in dist/ leaves it alone.
        return (await import(/* webpackIgnore: true */ /* @vite-ignore */ url)) as EngineModule;
      } catch (e) {
        throw new InrBackendError('no-backend', `the decode engine could not load: ${url} (${(e as Error).message})`, 'assetsUrl');
      }
    },
    under: (other) => scriptAssetsUnder(other),
  };
}

/**
 * The folder of the running `<script>`, or its `data-assets-url`; read as the script runs.
 * (Where an app's bundler put this module in a chunk a worker loads, there is no document.)
 */
function scriptFolder(): URL | undefined {
  const script = typeof document === 'undefined' ? null : document.currentScript;
  if (script?.localName !== 'script') return undefined;
  const { dataset, src } = script as HTMLScriptElement;
  if (dataset.assetsUrl) return folder(dataset.assetsUrl);
  return src ? new URL('./', src) : undefined;
}

export const builtInAssets: Assets = scriptAssetsUnder(scriptFolder());
