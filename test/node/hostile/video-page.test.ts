/**
 * The hostile-input suite's video cases, as a page meets them: the script-tag bundle in headless
 * Chromium, one autoplaying <inr-video> of the shipped clip per case from a server that honours
 * Range requests and misbehaves as the case says; each case bounded in time and in the
 * browser's peak memory (every Chromium process's resident set, peak-memory.ts). The figures
 * are printed as a table for the docs (docs/VIDEO.md, "A hostile server").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { encodeInr } from '../../../src/format/index.js';
import { randomModel } from '../../../src/model/random.js';
import { ROOT } from '../fixtures.js';
import { launch, serve, type Site } from '../site.js';
import { measurePeak } from './peak-memory.js';

const MiB = 2 ** 20;
/** The page every case opens: the script-tag bundle, nothing else. */
const PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="/dist/inrstream.min.js"></script>';
const CLIP = readFileSync(join(ROOT, 'demo/models/cockatoo16x180x320.inr'));
/** The clip with a preamble that claims a header of almost 4 GiB. */
const HUGE_HEADER = Uint8Array.from(CLIP);
new DataView(HUGE_HEADER.buffer).setUint32(12, 0xfffffff0, true);
/** A valid one-frame clip of 46340 x 46340 pixels (bases [1] x [2, 23170] x [2, 23170]): about 1 KB. */
const HUGE_FRAME = encodeInr(
  randomModel(
    {
      shape: [1, 46340, 46340],
      bases: [
        [1, 1],
        [2, 23170],
        [2, 23170],
      ],
      channels: 3,
      widths: [4],
      omegas: [30],
      modScales: [30],
    },
    1,
  ),
);
/** What a server writes after an answer's span, for ever: far more than any page could hold. */
const ENDLESS_CAP = 1024 * MiB;

interface Outcome {
  ok: boolean;
  reason?: string;
  code?: string;
}

/** Each server's log: the Range headers it was asked for and the bytes it wrote per answer. */
const logs = new Map<string, { ranges: string[]; sent: number[] }>();

/** Writes zeros to `res` until the page goes away, ENDLESS_CAP is sent or 30 s pass. */
function endless(res: ServerResponse, sent: number[], k: number): void {
  const filler = new Uint8Array(MiB);
  const began = Date.now();
  const pump = (): void => {
    while (!res.destroyed && sent[k]! < ENDLESS_CAP && Date.now() - began < 30_000) {
      sent[k]! += filler.length;
      if (!res.write(filler)) return void res.once('drain', pump);
    }
    res.destroy();
  };
  pump();
}

/**
 * A Range server of `bytes` whose answers misbehave as `mode` says: `endless` (the span, then
 * zeros for ever), `stall` (announces the span, sends half, then nothing), `drop` (the same, then
 * closes); the first answer (the player's probe) misbehaves only with `endless`.
 */
function rangeServer(name: string, bytes: Uint8Array, mode: 'none' | 'endless' | 'stall' | 'drop') {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const log = logs.get(name) ?? { ranges: [], sent: [] };
    logs.set(name, log);
    const range = req.headers.range ?? '';
    log.ranges.push(range);
    const k = log.sent.push(0) - 1;
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!m) return void res.writeHead(416).end();
    const start = Number(m[1]);
    const end = Math.min(bytes.length - 1, Number(m[2]));
    const span = bytes.subarray(start, end + 1);
    const headers = { 'content-type': 'application/octet-stream', 'content-range': `bytes ${start}-${end}/${bytes.length}` };
    const how = start === 0 && mode !== 'endless' ? 'none' : mode;
    log.sent[k]! += how === 'stall' || how === 'drop' ? span.length >> 1 : span.length;
    if (how === 'endless') {
      res.writeHead(206, headers);
      res.write(span);
      return endless(res, log.sent, k);
    }
    res.writeHead(206, { ...headers, 'content-length': String(span.length) });
    if (how === 'none') return void res.end(span);
    res.write(span.subarray(0, span.length >> 1));
    if (how === 'drop') setTimeout(() => res.destroy(), 50);
  };
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/clip.inr': rangeServer('clip', CLIP, 'none'),
  '/endless.inr': rangeServer('endless', CLIP, 'endless'),
  '/huge-header.inr': rangeServer('huge-header', HUGE_HEADER, 'none'),
  '/stalls.inr': rangeServer('stalls', CLIP, 'stall'),
  '/drops.inr': rangeServer('drops', CLIP, 'drop'),
  '/huge-frame.inr': rangeServer('huge-frame', HUGE_FRAME, 'none'),
};

describe('hostile video servers, as a page meets them: typed errors or the clip played, in seconds, in bounded memory', () => {
  let browser: Awaited<ReturnType<typeof launch>>;
  let origin: string;
  let site: Site | undefined;
  const figures: string[] = [];

  before(async () => {
    browser = await launch();
    site = await serve(join(ROOT, 'dist'), {
      mounts: { '/dist/': join(ROOT, 'dist') },
      page: PAGE,
      routes,
    });
    origin = site.origin;
  });

  after(async () => {
    console.log(['| case | outcome | ms | peak MiB | bytes written per answer |', '| --- | --- | --- | --- | --- |', ...figures].join('\n'));
    await site?.close();
    await browser?.dispose();
  });

  /** Adds an autoplaying <inr-video> of `src` (stall-timeout 1 s), measured until it ends or fails. */
  async function run(name: string, src: string): Promise<Outcome & { ms: number; peakBytes: number }> {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => customElements.get('inr-video') !== undefined);
      const { result, ms, peakBytes } = await measurePeak(browser.process()!.pid!, () =>
        page.evaluate(
          (url) =>
            new Promise<Outcome>((resolve) => {
              const el = document.createElement('inr-video');
              for (const [k, v] of Object.entries({ src: url, 'stall-timeout': '1', autoplay: '', muted: '' })) el.setAttribute(k, v);
              el.addEventListener('ended', () => resolve({ ok: true }));
              el.addEventListener('error', (e) => {
                const { reason, error } = (e as unknown as CustomEvent<{ reason: string; error?: { code?: string } }>).detail;
                resolve({ ok: false, reason, code: error?.code });
              });
              document.body.append(el);
              setTimeout(() => resolve({ ok: false, reason: 'no ended or error in 30 s' }), 30_000);
            }),
          src,
        ),
      );
      const shown = result.ok ? 'played to the end' : `${result.code ?? 'error'}: ${result.reason}`;
      const sent = (logs.get(src.slice(1, -4))?.sent ?? []).map((b) => (b < MiB ? `${(b / 1024).toFixed(1)} KiB` : `${(b / MiB).toFixed(1)} MiB`)).join(', ');
      figures.push(`| ${name} | ${shown.replace(/\|/g, '/').slice(0, 120)} | ${ms.toFixed(0)} | ${(peakBytes / MiB).toFixed(0)} | ${sent} |`);
      return { ...result, ms, peakBytes };
    } finally {
      await page.close();
    }
  }

  it('a server that honours Range: the clip plays to the end (the baseline)', async () => {
    const r = await run('ranges honoured', '/clip.inr');
    assert.ok(r.ok, r.reason);
  });

  it("206 bodies that never end: cut off after the span, the clip plays, the page's memory stays bounded", async () => {
    const r = await run('every 206 body endless', '/endless.inr');
    assert.ok(r.ok, r.reason);
    assert.ok(r.peakBytes < 256 * MiB, `${r.peakBytes / MiB} MiB`);
    // Each answer was cancelled long before the server's cap: what it wrote is what socket and
    // network buffers took, not what the page read.
    for (const sent of logs.get('endless')!.sent) assert.ok(sent < ENDLESS_CAP / 8, `${sent / MiB} MiB written`);
  });

  it('a preamble claiming a 4 GiB header: limit, and the header is never asked for', async () => {
    const r = await run('preamble claims a 4 GiB header', '/huge-header.inr');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'limit', r.reason);
    assert.deepEqual(logs.get('huge-header')!.ranges, ['bytes=0-65535']);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('segments that announce more than they send, then stall: stalled after the stall timeout, not waiting for ever', async () => {
    const r = await run('segments stall (stall-timeout 1 s)', '/stalls.inr');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'stalled', r.reason);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('segments that announce more than they send, then close: a typed error', async () => {
    const r = await run('segments cut short and closed', '/drops.inr');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'stream', r.reason);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });

  it('a tiny valid one-frame clip of 46340^2 pixels: too-large, before anything is allocated', async () => {
    const r = await run('a 46340^2 one-frame clip', '/huge-frame.inr');
    assert.equal(r.ok, false);
    assert.equal(r.code, 'too-large', r.reason);
    assert.ok(r.ms < 5000 && r.peakBytes < 256 * MiB, `${r.ms} ms, ${r.peakBytes / MiB} MiB`);
  });
});
