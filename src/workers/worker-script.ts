/**
 * Starting the library's workers. Every worker script is an ES module (`type: 'module'`): the
 * decode worker loads its chunks (the engine, a backend) with import(). A script on this page's
 * origin starts directly; one on another origin (the library served from a CDN) cannot be given
 * to `new Worker()`, so the worker starts from a same-origin `blob:` module that imports it,
 * which the other origin must allow with CORS. Where even that is refused (a CSP without `blob:`
 * in worker-src, Trusted Types without the library's policy), the worker fails to start and the
 * runtime decodes or draws on this thread with the reason (docs/RUNTIME.md, "Assets").
 */
import { workerScriptUrl } from '../util/trusted-types.js';

/** A worker script and how to start it. */
export interface WorkerScript {
  /** What it is, for messages: "the decode worker". */
  readonly what: string;
  /** Where it is, for messages; undefined where only a bundler knows (it was built into the app). */
  readonly url: string | undefined;
  /** How it starts, where that matters to why it would not load. */
  readonly via?: string;
  /** Starts one worker; throws where the page refuses it. */
  start(): Worker;
}

/** Why a worker did not start: "<what> could not load: <url>". */
function couldNotLoad(script: Pick<WorkerScript, 'what' | 'url' | 'via'>): string {
  return `${script.what} could not load: ${script.url ?? "the script the app's bundler built"}${script.via ? ` (${script.via})` : ''}`;
}

/**
 * A worker's `error` event that is not an ErrorEvent, or one without a message, is the script
 * failing to load (fetch, CORS or MIME type); an uncaught exception comes with its message.
 */
export function workerFailure(script: Pick<WorkerScript, 'what' | 'url' | 'via'>, e: Event): { loaded: boolean; reason: string } {
  const message = e instanceof ErrorEvent ? e.message : '';
  return message ? { loaded: true, reason: `${script.what} failed: ${message}` } : { loaded: false, reason: couldNotLoad(script) };
}

const bootstraps = new Map<string, string>();

/** A same-origin module that imports `url` (one per script and page, kept: workers start from it again). */
function bootstrap(url: string): string {
  let blob = bootstraps.get(url);
  if (blob === undefined) {
    blob = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};\n`], { type: 'text/javascript' }));
    bootstraps.set(url, blob);
  }
  return blob;
}

/** The worker script at `url` (resolved against the page), started directly or through a bootstrap. */
export function scriptAt(what: string, url: string | URL): WorkerScript {
  const href = new URL(url, globalThis.location?.href).href;
  const sameOrigin = new URL(href).origin === globalThis.location?.origin;
  if (sameOrigin) return { what, url: href, start: () => new Worker(workerScriptUrl(href), { type: 'module' }) };
  return {
    what,
    url: href,
    via: "from another origin, through a blob: module: the page's CSP must allow blob: in worker-src, and that origin must allow this page with CORS",
    start: () => new Worker(workerScriptUrl(bootstrap(href)), { type: 'module' }),
  };
}
