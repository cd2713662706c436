/**
 * What a page downloaded, by kind, from what the requests are (URL, type, who asked) rather
 * than fixed file names, so the figures keep their meaning when the bundles' layout changes.
 */

export const BYTE_KINDS = ['script', 'worker', 'backend', 'wasm', 'model'] as const;
export type ByteKind = (typeof BYTE_KINDS)[number];

/** One request as the DevTools protocol saw it. */
export interface SeenRequest {
  url: string;
  /** The response's MIME type, where a response came. */
  mimeType?: string;
  /** Asked for from inside a worker (importScripts, import(), fetch in the worker). */
  fromWorker: boolean;
}

export interface PageScripts {
  /** The page's own script tag's URL. */
  mainScript: string;
  /** The workers' own scripts (each worker target's URL, or what a blob: worker loaded first). */
  workerScripts: ReadonlySet<string>;
}

const pathOf = (url: string) => new URL(url).pathname;

export function isScript(url: string, mimeType = ''): boolean {
  return /\.[mc]?js$/.test(pathOf(url)) || /javascript|ecmascript/.test(mimeType);
}

/**
 * model: `.inr`; wasm: `.wasm` or application/wasm; script: the page's script tag and any code
 * the page's thread loads besides it; worker: the workers' own scripts; backend: code a worker
 * loads (backend chunks). Anything else (the page itself, images) is no kind.
 */
export function classify(r: SeenRequest, scripts: PageScripts): ByteKind | undefined {
  const path = pathOf(r.url);
  if (path.endsWith('.inr')) return 'model';
  if (path.endsWith('.wasm') || r.mimeType === 'application/wasm') return 'wasm';
  if (!isScript(r.url, r.mimeType)) return undefined;
  if (scripts.workerScripts.has(r.url)) return 'worker';
  if (r.url === scripts.mainScript) return 'script';
  return r.fromWorker ? 'backend' : 'script';
}

/**
 * Bytes by kind: `sent` is what the server wrote for each path (headers and encoded body,
 * summed over its responses); a path requested as two kinds (a chunk both threads load) is
 * split between them by request count.
 */
export function bytesByKind(requests: readonly SeenRequest[], sent: ReadonlyMap<string, number>, scripts: PageScripts): Record<ByteKind, number> {
  const out = Object.fromEntries(BYTE_KINDS.map((k) => [k, 0])) as Record<ByteKind, number>;
  const kindsByPath = new Map<string, ByteKind[]>();
  for (const r of requests) {
    const kind = classify(r, scripts);
    if (kind === undefined || !r.url.startsWith('http')) continue;
    const kinds = kindsByPath.get(pathOf(r.url)) ?? [];
    kinds.push(kind);
    kindsByPath.set(pathOf(r.url), kinds);
  }
  for (const [path, kinds] of kindsByPath) {
    const bytes = sent.get(path) ?? 0;
    for (const kind of kinds) out[kind] += bytes / kinds.length;
  }
  for (const k of BYTE_KINDS) out[k] = Math.round(out[k]);
  return out;
}
