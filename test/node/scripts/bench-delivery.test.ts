import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bytesByKind, classify, type PageScripts } from '../../../scripts/bench-delivery/bytes.js';
import { matchJpeg, psnrRgba8, rgba8, smallestPassing } from '../../../scripts/bench-delivery/jpeg-match.js';
import { demoPictures, levelPaints, picturePage, readmeEmbed, streamingPage } from '../../../scripts/bench-delivery/pages.js';
import { readInr } from '../../../src/format/index.js';
import { ROOT } from '../fixtures.js';

const O = 'http://127.0.0.1:1234';
const scripts: PageScripts = { mainScript: `${O}/dist/main.min.js`, workerScripts: new Set([`${O}/dist/decode-worker.js`]) };

describe('bench:delivery: bytes by kind', () => {
  it('classifies by extension, type, and which thread asked', () => {
    const kind = (url: string, fromWorker = false, mimeType?: string) => classify({ url: O + url, fromWorker, mimeType }, scripts);
    assert.equal(kind('/demo/models/a.inr'), 'model');
    assert.equal(kind('/dist/x.wasm', true), 'wasm');
    assert.equal(kind('/dist/kernels', true, 'application/wasm'), 'wasm');
    assert.equal(kind('/dist/main.min.js'), 'script');
    assert.equal(kind('/dist/decode-worker.js'), 'worker');
    assert.equal(kind('/dist/backend-webgl-abc.mjs', true), 'backend');
    assert.equal(kind('/dist/chunk', true, 'text/javascript'), 'backend');
    assert.equal(kind('/dist/lazy-abc.mjs'), 'script');
    assert.equal(kind('/bench/a/picture.html'), undefined);
    assert.equal(kind('/bench/a/picture.jpg'), undefined);
  });

  it("sums the server's bytes per path, splitting a path asked for as two kinds", () => {
    const seen = (url: string, fromWorker = false) => ({ url: O + url, fromWorker });
    const requests = [
      seen('/dist/main.min.js'),
      seen('/dist/decode-worker.js'),
      seen('/dist/decode-worker.js'),
      seen('/dist/shared.mjs'),
      seen('/dist/shared.mjs', true),
      seen('/m.inr'),
      seen('/page.html'),
      { url: 'blob:http://127.0.0.1:1234/1', fromWorker: false },
    ];
    const sent = new Map([
      ['/dist/main.min.js', 1000],
      ['/dist/decode-worker.js', 600],
      ['/dist/shared.mjs', 400],
      ['/m.inr', 50],
      ['/page.html', 7],
    ]);
    assert.deepEqual(bytesByKind(requests, sent, scripts), { script: 1200, worker: 600, backend: 200, wasm: 0, model: 50 });
  });
});

describe('bench:delivery: the JPEG of equal PSNR', () => {
  it('smallestPassing finds the threshold of a monotone test, or undefined', () => {
    for (const t of [1, 2, 37, 99, 100]) {
      let calls = 0;
      const found = smallestPassing(1, 100, (q) => {
        calls++;
        return q >= t;
      });
      assert.equal(found, t);
      assert.ok(calls <= 8, `${calls} calls`);
    }
    const never = smallestPassing(1, 100, () => false);
    assert.equal(never, undefined);
  });

  it('an 8-bit signal survives rgba8 exactly; one level off everywhere is 48.1 dB', () => {
    const rgb = Float32Array.from([0, 1, 128 / 255, 3 / 255, 250 / 255, 1]);
    const px = rgba8(rgb, 2, 1);
    assert.deepEqual([...px], [0, 255, 128, 255, 3, 250, 255, 255]);
    assert.equal(psnrRgba8(px, rgb), Infinity);
    const off = px.map((v, i) => (i % 4 === 3 ? v : v === 255 ? 254 : v + 1));
    assert.ok(Math.abs(psnrRgba8(off, rgb) - 20 * Math.log10(255)) < 1e-4);
  });

  it("kodim02.inr: its PSNR is its header's, and the JPEG's reaches it", async () => {
    const m = await matchJpeg(join(ROOT, 'demo/models/kodim02.inr'), join(ROOT, 'demo/models/sources/kodim02_192x128.png'));
    const stated = Number(readInr(new Uint8Array(readFileSync(join(ROOT, 'demo/models/kodim02.inr')))).header.provenance?.psnr);
    assert.ok(stated > 30 && Math.abs(m.modelPsnr - stated) < 0.002, `${m.modelPsnr} against the header's ${stated}`);
    assert.ok(m.psnr >= m.modelPsnr && m.quality >= 1 && m.quality <= 100);
    assert.deepEqual([...m.bytes.subarray(0, 2)], [0xff, 0xd8]);
  });

  it('refuses a source of another size', async () => {
    await assert.rejects(
      matchJpeg(join(ROOT, 'demo/models/kodim02.inr'), join(ROOT, 'demo/models/sources/astronaut128.png')),
      /is not .*kodim02\.inr's source/,
    );
  });
});

describe('bench:delivery: pages', () => {
  it("the demo's pictures are its <inr-image> sources", () => {
    const pictures = demoPictures(readFileSync(join(ROOT, 'demo/index.html'), 'utf8'));
    assert.ok(pictures.includes('models/kodim02-768x512.inr'), pictures.join());
    assert.deepEqual(demoPictures('<inr-image alt="x" src="a.inr"></inr-image><inr-video src="v.inr"><inr-image\n src="b.inr">'), ['a.inr', 'b.inr']);
  });

  it("embeds the picture the README's way, with its script tag as written there", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const { html, scriptSrc } = readmeEmbed(readme, '/demo/models/kodim02.inr');
    assert.match(scriptSrc, /^\/dist\/\S+\.js$/);
    assert.ok(html.includes(`src="${scriptSrc}"`) && html.includes('src="/demo/models/kodim02.inr"'), html);
    assert.ok(!html.includes('photo.inr'), html);
    assert.ok(picturePage(html).includes(html));
    // The second picture's page: the script tag alone, the pictures made once it has run.
    const second = streamingPage(html, '/demo/models/kodim02.inr');
    assert.ok(second.includes(`src="${scriptSrc}"`) && !second.includes('preload') && !second.includes('<inr-image'), second);
    assert.ok(second.includes('"/demo/models/kodim02.inr?warm"') && second.includes('"/demo/models/kodim02.inr"'), second);
    assert.throws(() => streamingPage('<inr-image src="a.inr"></inr-image>', '/a.inr'), /script tag/);
    assert.throws(() => readmeEmbed('# no embed\n', '/x.inr'), /README\.md/);
  });

  it('levelPaints: each level painted in every run, the median of its bytes read and times', () => {
    const run = (ms: number, withLevel2 = true) => [
      { level: 1, bytes: 1000 + ms, needs: 1865, ms },
      ...(withLevel2 ? [{ level: 2, bytes: 8153, needs: 8153, ms: ms + 1000 }] : []),
      { level: 3, bytes: 14425, needs: 14425, ms: ms + 3000 },
    ];
    assert.deepEqual(levelPaints([run(900), run(1100), run(1000)]), [
      { level: 1, bytes: 2000, needs: 1865, ms: 1000 },
      { level: 2, bytes: 8153, needs: 8153, ms: 2000 },
      { level: 3, bytes: 14425, needs: 14425, ms: 4000 },
    ]);
    // A level one run skipped (it landed while a coarser one was painting) has no median.
    assert.deepEqual(
      levelPaints([run(900), run(1100, false)]).map((l) => l.level),
      [1, 3],
    );
  });
});
