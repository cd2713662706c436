/**
 * The script tag served from another origin, as from a CDN (a second 127.0.0.1 port that allows
 * every origin with CORS), and on a cross-origin-isolated page (COOP/COEP): the picture renders,
 * in decode workers started through a same-origin blob: bootstrap, or, where the page's CSP
 * forbids blob: workers, on this thread with the reason.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from './fixtures.js';
import { imageOutcome, largestDifference, launch, referenceRgba, serve, type Site } from './site.js';

/** A 1024x512 picture: at DRAW_WORKER_MIN_PIXELS, so drawn by the draw worker. */
const MODEL = 'wide1024x512.inr';
/** What a CDN sends: any origin may read it, and it may be embedded by isolated pages. */
const CDN_HEADERS = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };

describe('the script tag from another origin (a CDN), and on a cross-origin-isolated page', () => {
  let browser: Awaited<ReturnType<typeof launch>>;
  let cdn: Site;
  let expected: Uint8ClampedArray;

  before(async () => {
    browser = await launch();
    cdn = await serve(join(ROOT, 'dist'), { headers: CDN_HEADERS });
    expected = referenceRgba(join(ROOT, 'test/fixtures', MODEL));
  });

  after(async () => {
    await cdn?.close();
    await browser?.dispose();
  });

  /**
   * A page (headers, then `head` markup) with one <inr-image>, on an origin of its own that
   * also serves dist/ under /dist/; its script tag is the CDN's unless `script` says otherwise.
   */
  async function open(head: string, headers: Record<string, string> = {}, script = `crossorigin="anonymous" src="${cdn.origin}/inrstream.min.js"`) {
    const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${head}
      <script defer ${script}></script>
      <inr-image src="${MODEL}" alt="A test pattern"></inr-image>`;
    const site = await serve(join(ROOT, 'test/fixtures'), { headers, page, mounts: { '/dist/': join(ROOT, 'dist') } });
    try {
      return await imageOutcome(browser, `${site.origin}/`);
    } finally {
      await site.close();
    }
  }

  it('renders in decode workers started through a blob: bootstrap', async () => {
    const outcome = await open('');
    assert.ok(outcome.ok, outcome.reason);
    assert.deepEqual(outcome.failed, []);
    assert.equal(outcome.detail!.where, 'workers', outcome.detail!.reason);
    assert.equal(outcome.detail!.drawing.where, 'worker', outcome.detail!.drawing.reason);
    assert.ok(outcome.workers.length >= 2 && outcome.workers.every((url) => url.startsWith('blob:')), outcome.workers.join(', '));
    assert.ok(largestDifference(outcome.pixels!, expected) <= 1);
  });

  it("data-assets-url: the page's own copy of the script, its workers and engine from the CDN", async () => {
    const outcome = await open('', {}, `src="/dist/inrstream.min.js" data-assets-url="${cdn.origin}"`);
    assert.ok(outcome.ok, outcome.reason);
    assert.deepEqual(outcome.failed, []);
    assert.equal(outcome.detail!.where, 'workers', outcome.detail!.reason);
    assert.ok(outcome.fetched.includes(`${cdn.origin}/inrstream-worker.min.js`), outcome.fetched.join(', '));
    assert.ok(outcome.fetched.includes(`${cdn.origin}/inrstream-draw-worker.min.js`), outcome.fetched.join(', '));
    assert.ok(largestDifference(outcome.pixels!, expected) <= 1);
  });

  it('a folder without the files: the error says the engine could not load, and from where', async () => {
    const outcome = await open('', {}, `src="/dist/inrstream.min.js" data-assets-url="${cdn.origin}/nothing/"`);
    assert.equal(outcome.ok, false);
    assert.match(outcome.reason!, new RegExp(`the decode engine could not load: ${cdn.origin}/nothing/inrstream-engine\\.min\\.js`));
  });

  it('where the CSP forbids blob: workers, renders on this thread and says why', async () => {
    const outcome = await open(`<meta http-equiv="Content-Security-Policy" content="worker-src 'self'; script-src 'self' ${cdn.origin}">`);
    assert.ok(outcome.ok, outcome.reason);
    assert.equal(outcome.detail!.where, 'main-thread');
    const worker = `${cdn.origin}/inrstream-worker.min.js`;
    assert.match(outcome.detail!.reason, new RegExp(`the decode worker could not load: ${worker} \\(from another origin, through a blob: module`));
    assert.equal(outcome.detail!.drawing.where, 'main-thread');
    assert.match(outcome.detail!.drawing.reason, /the draw worker could not load: .*inrstream-draw-worker\.min\.js/);
    assert.ok(largestDifference(outcome.pixels!, expected) <= 1);
  });

  it('renders in decode workers on a cross-origin-isolated page (COOP/COEP)', async () => {
    const outcome = await open('', { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    assert.equal(outcome.crossOriginIsolated, true);
    assert.ok(outcome.ok, outcome.reason);
    assert.deepEqual(outcome.failed, []);
    assert.equal(outcome.detail!.where, 'workers', outcome.detail!.reason);
    assert.equal(outcome.detail!.drawing.where, 'worker', outcome.detail!.drawing.reason);
    assert.ok(largestDifference(outcome.pixels!, expected) <= 1);
  });
});
