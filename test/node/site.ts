/**
 * Pages as a user serves them: a plain static server on 127.0.0.1 (one per origin, with the
 * headers a test asks for), and headless Chromium (Debian's, the flags the browser tests use)
 * loading a page with one <inr-image>, reporting how it went.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../scripts/lib/browser-setup.mjs';
import { modelFromInr, readInr } from '../../src/format/index.js';
import { decodeShared } from '../../src/model/shared.js';
import { toRgba8 } from '../../src/render/rgba.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface Site {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Sent with every response; a function is asked at each request (headers that change between cases). */
  headers?: OutgoingHttpHeaders | (() => OutgoingHttpHeaders);
  /** URL prefix -> folder served under it instead of `root`. */
  mounts?: Record<string, string>;
  /** Answers `/` and `/index.html` instead of a file. */
  page?: string;
  /** Paths answered by a handler of their own (a server that misbehaves on purpose), before any file. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

/** Serves the files under `root` as `options` say. */
export async function serve(root: string, options: ServeOptions = {}): Promise<Site> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers = typeof options.headers === 'function' ? options.headers() : options.headers;
    for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) res.setHeader(name, value);
    const route = options.routes?.[path];
    if (route) return route(req, res);
    if (options.page !== undefined && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(options.page);
      return;
    }
    const [prefix, folder] = Object.entries(options.mounts ?? {}).find(([p]) => path.startsWith(p)) ?? ['/', root];
    let file = join(folder, normalize(path.slice(prefix.length - 1)));
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Chromium keeps sockets open (some without a request yet), which close() would wait for.
        server.closeAllConnections();
      }),
  };
}

/** RGBA8 of the model at `path` decoded by the plain-TypeScript reference. */
export function referenceRgba(path: string): Uint8ClampedArray {
  const file = readInr(new Uint8Array(readFileSync(path)));
  return toRgba8(decodeShared(modelFromInr(file)), 3, file.header.outputRange ?? [0, 1]);
}

/** The largest difference between two pictures' bytes. */
export function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Headless Chromium with the test flags and a fresh profile. */
export async function launch(): Promise<Browser & { dispose(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'inrstream-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`],
  });
  return Object.assign(browser, {
    async dispose() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}

/** What a page's first <inr-image> did, and what the page fetched. */
export interface ImageOutcome {
  ok: boolean;
  /** The `load` event's detail (where, backend, reason, drawing...), or the error's reason. */
  detail?: { width: number; height: number; backend: string; where: string; reason: string; drawing: { where: string; reason: string } };
  reason?: string;
  /** The picture as drawn, RGBA8 (on load). */
  pixels?: Uint8Array;
  /** URLs that failed or answered >= 400. */
  failed: string[];
  /** URLs that answered. */
  fetched: string[];
  /** URLs of the page's dedicated workers. */
  workers: string[];
  crossOriginIsolated: boolean;
}

/** Opens `url` and waits for its <inr-image>'s `load` or `error` (recorded from the start). */
export async function imageOutcome(browser: Browser, url: string, timeoutMs = 120_000): Promise<ImageOutcome> {
  const page: Page = await browser.newPage();
  const failed: string[] = [];
  const fetched: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
    else fetched.push(r.url());
  });
  try {
    await page.evaluateOnNewDocument(() => {
      const w = window as unknown as { inrOutcome: Promise<unknown> };
      w.inrOutcome = new Promise((resolve) => {
        // load and error do not bubble: listened for on their way down, for any element.
        for (const type of ['load', 'error'])
          document.addEventListener(
            type,
            (e) => {
              if ((e.target as Element).localName !== 'inr-image') return;
              const detail = (e as CustomEvent).detail;
              resolve(type === 'load' ? { ok: true, detail } : { ok: false, reason: detail.reason });
            },
            true,
          );
      });
    });
    await page.goto(url);
    const outcome = (await page.evaluate(
      (ms) =>
        Promise.race([
          (window as unknown as { inrOutcome: Promise<unknown> }).inrOutcome,
          new Promise((r) => setTimeout(() => r({ ok: false, reason: 'no load or error event' }), ms)),
        ]),
      timeoutMs,
    )) as Pick<ImageOutcome, 'ok' | 'detail' | 'reason'>;
    const pixels = outcome.ok
      ? Buffer.from(
          await page.evaluate(async () => {
            const { data } = await document.querySelector<HTMLElement & { pixels(): Promise<ImageData> }>('inr-image')!.pixels();
            let s = '';
            for (let i = 0; i < data.length; i += 8192) s += String.fromCharCode(...data.subarray(i, i + 8192));
            return btoa(s);
          }),
          'base64',
        )
      : undefined;
    return {
      ...outcome,
      ...(pixels ? { pixels: new Uint8Array(pixels) } : {}),
      failed,
      fetched,
      workers: page.workers().map((w) => w.url()),
      crossOriginIsolated: await page.evaluate(() => crossOriginIsolated),
    };
  } finally {
    await page.close();
  }
}
