/**
 * The hostile-input suite, as a page meets it: the script-tag bundle in headless Chromium, one
 * <inr-image> per case, each case bounded in time and in the browser's peak memory (every
 * Chromium process's resident set, peak-memory.ts) against the documented budget
 * (docs/ERRORS.md, "Hostile input"). The figures are printed as a table for the docs.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { encodeInr, modelFromInr, readInr } from '../../../src/format/index.js';
import { randomModel } from '../../../src/model/random.js';
import { decodeShared } from '../../../src/model/shared.js';
import type { AsmrSpec } from '../../../src/model/types.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { ROOT } from '../fixtures.js';
import { largestDifference, launch, serve, type Site } from '../site.js';
import { measurePeak } from './peak-memory.js';

const MiB = 2 ** 20;
/** The page every case opens: the script-tag bundle, nothing else. */
const PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="/dist/inrstream.min.js"></script>';
/** The page's documented memory budget for one picture's decode (DEFAULT_MEMORY_BYTES). */
const BUDGET = 512 * MiB;

const square = (side: number, bases: number[], widths: number[]): AsmrSpec => ({
  shape: [side, side],
  bases: [bases, bases],
  channels: 3,
  widths,
  omegas: widths.map(() => 30),
  modScales: widths.map(() => 30),
});

/** 860 bytes describing a 46340 x 46340 picture (bases [2, 23170]). */
const HUGE_PICTURE = encodeInr(randomModel(square(46340, [2, 23170], [4]), 1));
/** 16 MiB layers: 4 hidden levels of 2048 units over a 32 x 32 picture, 48 MiB of weights. */
const HEAVY = encodeInr(randomModel(square(32, [2, 2, 2, 2, 2], [2048, 2048, 2048, 2048]), 1));
/** 4 levels of 4096 units: 192 MiB of weights, more than one decoder's budget. */
const OVER_BUDGET = encodeInr(randomModel(square(32, [2, 2, 2, 2, 2], [4096, 4096, 4096, 4096]), 1));
const SMALL = readFileSync(join(ROOT, 'demo/models/astronaut128.inr'));

interface Outcome {
  ok: boolean;
  reason?: string;
  name?: string;
  code?: string;
  where?: string;
  backend?: string;
  pixels?: number[];
}

/** Routes a case's page may fetch; each answers as the hostile server it stands for. */
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/huge-picture.inr': (_req, res) => res.end(HUGE_PICTURE),
  '/heavy.inr': (_req, res) => res.end(HEAVY),
  '/over-budget.inr': (_req, res) => res.end(OVER_BUDGET),
  '/small.inr': (_req, res) => res.end(SMALL),
  // Headers and a third of the file, then nothing (the socket stays open).
  '/stalls.inr': (_req, res) => {
    res.writeHead(200, { 'content-length': String(SMALL.byteLength) });
    res.write(SMALL.subarray(0, SMALL.byteLength / 3));
  },
  // Announces the whole file, sends half and closes.
  '/short.inr': (_req, res) => {
    res.writeHead(200, { 'content-length': String(SMALL.byteLength) });
    res.end(SMALL.subarray(0, SMALL.byteLength / 2));
    res.socket?.destroy();
  },
};

describe('hostile input, as a page meets it: typed errors or right pictures, in seconds, within the memory budget', () => {
  let browser: Awaited<ReturnType<typeof launch>>;
  let origin: string;
  let site: Site | undefined;
  /** The CSP every response of the site carries during a case (workers take theirs from their script's response). */
  let siteCsp: string | undefined;
  const figures: string[] = [];

  before(async () => {
    browser = await launch();
    site = await serve(join(ROOT, 'dist'), {
      mounts: { '/dist/': join(ROOT, 'dist'), '/test-worker/': join(ROOT, 'test/browser/workers') },
      page: PAGE,
      routes,
      headers: () => (siteCsp ? { 'content-security-policy': siteCsp } : {}),
    });
    origin = site.origin;
  });

  after(async () => {
    console.log(['| case | outcome | ms | peak MiB |', '| --- | --- | --- | --- |', ...figures].join('\n'));
    await site?.close();
    await browser?.dispose();
  });

  /**
   * Opens a page (with `csp`), then, measured: adds <inr-image> with `attributes` and waits
   * for its load or error. Returns the outcome, its time and the browser's peak growth.
   */
  async function run(name: string, attributes: Record<string, string>, csp?: string): Promise<Outcome & { ms: number; peakBytes: number }> {
    const page: Page = await browser.newPage();
    siteCsp = csp;
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => customElements.get('inr-image') !== undefined);
      const { result, ms, peakBytes } = await measurePeak(browser.process()!.pid!, () =>
        page.evaluate(
          (attrs) =>
            new Promise<Outcome>((resolve) => {
              // Attributes one by one: a Trusted Types page refuses innerHTML.
              const el = document.createElement('inr-image') as HTMLElement & { pixels(): Promise<ImageData> };
              for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
              el.addEventListener('load', (e) => {
                const { where, backend } = (e as CustomEvent<{ where: string; backend: string }>).detail;
                el.pixels().then((img) => resolve({ ok: true, where, backend, pixels: Array.from(img.data) }));
              });
              el.addEventListener('error', (e) => {
                const { reason, error } = (e as unknown as CustomEvent<{ reason: string; error?: { name: string; code?: string } }>).detail;
                resolve({ ok: false, reason, name: error?.name, code: error?.code });
              });
              document.body.append(el);
              setTimeout(() => resolve({ ok: false, reason: 'no load or error in 30 s' }), 30_000);
            }),
          attributes,
        ),
      );
      const shown = result.ok ? `load (${result.backend} in ${result.where})` : `${result.name ?? 'error'} ${result.code ?? ''}: ${result.reason}`;
      figures.push(`| ${name} | ${shown.replace(/\|/g, '/').slice(0, 120)} | ${ms.toFixed(0)} | ${(peakBytes / MiB).toFixed(0)} |`);
      return { ...result, ms, peakBytes };
    } finally {
      siteCsp = undefined;
      await page.close();
    }
  }

  /** As run(), but the page's own script (`fn`'s body, given `arg`) makes the outcome. */
  async function runScript(name: string, fn: (arg: string) => Promise<Outcome>, arg: string): Promise<Outcome & { ms: number; peakBytes: number }> {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => customElements.get('inr-image') !== undefined);
      const { result, ms, peakBytes } = await measurePeak(browser.process()!.pid!, () => page.evaluate(fn, arg));
      figures.push(
        `| ${name} | ${result.ok ? `load (${result.where})` : `${result.name} ${result.code}: ${result.reason}`} | ${ms.toFixed(0)} | ${(peakBytes / MiB).toFixed(0)} |`,
      );
      return { ...result, ms, peakBytes };
    } finally {
      await page.close();
    }
  }

  const picture = (bytes: Uint8Array): number[] => {
    const file = readInr(bytes);
    return Array.from(toRgba8(decodeShared(modelFromInr(file)), 3, file.header.outputRange ?? [0, 1]));
  };

  it('a tiny valid file describing a 46340^2 picture: too-large, before anything is allocated', async () => {
    const r = await run('860-byte file, 46340^2 picture', { src: '/huge-picture.inr' });
    assert.equal(r.ok, false);
    assert.equal(r.code, 'too-large', r.reason);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('weights over the budget (192 MiB): too-large at the header, before the weights arrive', async () => {
    const r = await run('192 MiB of weights', { src: '/over-budget.inr' });
    assert.equal(r.ok, false);
    assert.equal(r.code, 'too-large', r.reason);
    assert.match(r.reason!, /weights 192 MiB/);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('48 MiB of weights within the budget: the right picture, the weights held about 6 times on the page, not 11', async () => {
    const r = await run('48 MiB of weights (2 workers)', { src: '/heavy.inr' });
    assert.ok(r.ok, r.reason);
    assert.ok(largestDifference(r.pixels!, picture(HEAVY)) <= 1);
    // Once on the page's thread, and in each decode worker once as received plus once packed
    // for the kernels (and one layer's scratch): (1 + 2 x 2.33) x 48 MiB, plus the workers' start.
    assert.ok(r.peakBytes < BUDGET, `${r.peakBytes / MiB} MiB`);
    assert.ok(r.ms < 20_000, `${r.ms} ms`);
  });

  it('a server that stalls mid-file: stalled, after the stall timeout', async () => {
    const r = await run('stalls after a third (stall-timeout 1 s)', { src: '/stalls.inr', 'stall-timeout': '1' });
    assert.equal(r.ok, false);
    assert.equal(r.code, 'stalled', r.reason);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('a server that announces more than it sends: a typed error, not a hang', async () => {
    const r = await run('announces 2x what it sends', { src: '/short.inr', 'stall-timeout': '2' });
    assert.equal(r.ok, false);
    assert.match(r.name ?? '', /^Inr(Format|Load)Error$/, r.reason);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('a page whose CSP forbids WebAssembly: the right picture in plain JavaScript', async () => {
    const r = await run('CSP without wasm-unsafe-eval', { src: '/small.inr' }, "script-src 'self'; worker-src 'self' blob:");
    assert.ok(r.ok, r.reason);
    assert.equal(r.backend, 'cpu');
    assert.ok(largestDifference(r.pixels!, picture(SMALL)) <= 1);
    assert.ok(r.ms < 20_000 && r.peakBytes < BUDGET, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it("a page that requires Trusted Types and allows the library's policy: the right picture", async () => {
    const r = await run('Trusted Types (inrstream policy allowed)', { src: '/small.inr' }, "require-trusted-types-for 'script'; trusted-types inrstream");
    assert.ok(r.ok, r.reason);
    assert.ok(largestDifference(r.pixels!, picture(SMALL)) <= 1);
    assert.ok(r.ms < 20_000 && r.peakBytes < BUDGET, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('a decode worker that hangs mid-render: found in seconds, its tiles redone, the right picture', async () => {
    const r = await runScript(
      'a decode worker hangs after 2 tiles',
      async (workerUrl) => {
        type Runtime = {
          load(src: string): Promise<unknown>;
          render(m: unknown, c: HTMLCanvasElement): { done: Promise<unknown>; pixels(): Promise<ImageData> };
        };
        const lib = (window as unknown as { inrstream: { createRuntime(o: object): Runtime } }).inrstream;
        const runtime = lib.createRuntime({ workers: 2, workerUrl, backend: 'wasm' });
        const canvas = document.body.appendChild(document.createElement('canvas'));
        try {
          const job = runtime.render(await runtime.load('/small.inr'), canvas);
          await job.done;
          return { ok: true, where: 'workers', pixels: Array.from((await job.pixels()).data) };
        } catch (e) {
          return { ok: false, name: (e as Error).name, code: (e as { code?: string }).code, reason: (e as Error).message };
        }
      },
      `/test-worker/dying-worker.js?fail=hang&after=2&once=hostile-${Date.now()}`,
    );
    assert.ok(r.ok, r.reason);
    assert.ok(largestDifference(r.pixels!, picture(SMALL)) <= 1);
    assert.ok(r.ms < 10_000 && r.peakBytes < BUDGET, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });
});
