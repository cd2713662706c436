import { expect } from 'chai';
import { InrDrawError } from '../../../src/util/errors.js';
import { decodeShared } from '../../../src/model/shared.js';
import { modelCost } from '../../../src/model/cost.js';
import { randomModel } from '../../../src/model/random.js';
import { renderProgressive, type RenderJob } from '../../../src/render/render-job.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { drawerForCanvas } from '../../../src/workers/draw-client.js';
import { loadReferenceFixture } from '../fixtures.js';

const DRAW_WORKER = '/dist/inrstream-draw-worker.min.js';

/** The pixels once the first (coarsest) pass is drawn. */
function firstPreview(job: RenderJob): Promise<ImageData> {
  return new Promise((resolve, reject) =>
    job.addEventListener('progress', function listener(e) {
      const p = e.detail;
      if (p.pass !== 0 || p.tilesDone !== p.tilesTotal) return;
      job.removeEventListener('progress', listener);
      job.pixels().then(resolve, reject);
    }),
  );
}

describe('drawing in the draw worker', () => {
  it('previews and full detail drawn there equal those drawn on the main thread and a one-shot decode', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const budget = (512 * 512 * modelCost(model.spec).macPerPx) / 6;
    const inWorker = renderProgressive(model, drawerForCanvas(document.createElement('canvas'), DRAW_WORKER), { budget });
    const workerPreview = firstPreview(inWorker);
    const stats = await inWorker.done;
    expect(stats.drawing.where).to.equal('worker');
    const here = renderProgressive(model, document.createElement('canvas'), { budget });
    const herePreview = firstPreview(here);
    expect((await here.done).drawing.where).to.equal('main-thread');
    const preview = await workerPreview;
    expect([preview.width, preview.height]).to.deep.equal([512, 512]);
    // A 4x4-block preview: flat 128x128 blocks, not the picture.
    expect(preview.data[0]).to.equal(preview.data[(127 * 512 + 127) * 4]);
    expect(Array.from(preview.data)).to.deep.equal(Array.from((await herePreview).data));
    expect(Array.from((await inWorker.pixels()).data)).to.deep.equal(Array.from(toRgba8(decodeShared(model), 3)));
  });

  it('abort stops drawing there: done rejects, the pixels stop changing', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const controller = new AbortController();
    const job = renderProgressive(model, drawerForCanvas(document.createElement('canvas'), DRAW_WORKER), { budget: 2e6, signal: controller.signal });
    await new Promise<void>((resolve) => job.addEventListener('progress', () => resolve(), { once: true }));
    controller.abort(new DOMException('stop', 'AbortError'));
    expect(((await job.done.catch((e: Error) => e)) as Error).name).to.equal('AbortError');
    const after = Array.from((await job.pixels()).data);
    await new Promise((r) => setTimeout(r, 300));
    expect(Array.from((await job.pixels()).data)).to.deep.equal(after);
  });

  it('a canvas that already has a context is drawn on the main thread, with the reason', async () => {
    const canvas = document.createElement('canvas');
    canvas.getContext('2d');
    const drawer = await drawerForCanvas(canvas, DRAW_WORKER);
    expect(drawer.where).to.equal('main-thread');
    expect(drawer.reason).to.equal('the canvas already has a rendering context');
    // The choice holds for the canvas's life.
    expect(await drawerForCanvas(canvas, DRAW_WORKER)).to.equal(drawer);
  });

  it('a draw worker script that does not load leaves the canvas to the main thread, with the reason', async () => {
    const drawer = await drawerForCanvas(document.createElement('canvas'), '/no-such-draw-worker.js');
    expect(drawer.where).to.equal('main-thread');
    expect(drawer.reason).to.equal(`the draw worker is unavailable (the draw worker could not load: ${location.origin}/no-such-draw-worker.js)`);
  });

  it('a tile the draw worker cannot draw fails the next flush with a typed error', async () => {
    const drawer = await drawerForCanvas(document.createElement('canvas'), DRAW_WORKER);
    expect(drawer.where).to.equal('worker');
    drawer.begin(8, 8, [0, 0]);
    drawer.draw(new Uint8ClampedArray(4 * 4 * 4), 4, 4, [0, 0], [1, 1]);
    await drawer.flush();
    // 4x4 samples said to be 5 wide: ImageData refuses them in the worker.
    drawer.draw(new Uint8ClampedArray(4 * 4 * 4), 5, 4, [0, 0], [1, 1]);
    const error = await drawer.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(InrDrawError);
    expect((error as InrDrawError).code).to.equal('draw-failed');
    expect((error as Error).message).to.match(/^the draw worker could not draw: /);
    // Reported once; the canvas goes on.
    await drawer.flush();
    expect((await drawer.pixels()).width).to.equal(8);
  });

  it('a draw worker that crashes mid-render fails the render with a typed error, no hang', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const job = renderProgressive(
      model,
      drawerForCanvas(document.createElement('canvas'), '/test/browser/workers/dying-worker.js?crash=draw&script=/dist/inrstream-draw-worker.min.js'),
      { budget: 1e8 },
    );
    const error = await job.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(InrDrawError);
    expect((error as InrDrawError).code).to.equal('worker-lost');
    expect((error as InrDrawError).message).to.match(/the draw worker failed: .*simulated draw worker crash/);
  });

  it('a draw worker that hangs mid-render fails the render within seconds with a typed error; the next canvas gets a fresh worker', async function () {
    this.timeout(30000);
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    // The same script for both canvases; only the first worker started from it hangs.
    const url = `/test/browser/workers/dying-worker.js?crash=draw&fail=hang&after=2&once=${Math.random()}&script=${DRAW_WORKER}`;
    // In the page for the test's length: a canvas collected mid-render is detached from the worker.
    const [first, second] = [document.createElement('canvas'), document.createElement('canvas')];
    document.body.append(first, second);
    const start = performance.now();
    const error = await renderProgressive(model, drawerForCanvas(first, url), { budget: 2e6 }).done.then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = performance.now() - start;
    expect(error).to.be.instanceOf(InrDrawError);
    expect((error as InrDrawError).code).to.equal('timeout');
    expect((error as Error).message).to.match(/^the draw worker stopped answering \(nothing for \d+ ms\)/);
    expect(ms, 'time to the error').to.be.below(6000);
    const next = renderProgressive(model, drawerForCanvas(second, url), { budget: 2e6 });
    expect((await next.done).drawing.where).to.equal('worker');
    expect(Array.from((await next.pixels()).data)).to.deep.equal(Array.from(toRgba8(decodeShared(model), 3)));
    first.remove();
    second.remove();
  });

  it("a canvas that has another kind of context is 'no-context', here or with a draw worker", async () => {
    const model = randomModel(
      {
        shape: [16, 24],
        bases: [
          [2, 2, 4],
          [2, 3, 4],
        ],
        channels: 3,
        widths: [8, 8],
        omegas: [30, 30],
        modScales: [30, 30],
      },
      5,
    );
    for (const workerUrl of [undefined, DRAW_WORKER]) {
      const canvas = document.createElement('canvas');
      canvas.getContext('bitmaprenderer');
      const target = workerUrl === undefined ? canvas : drawerForCanvas(canvas, workerUrl);
      const error = await renderProgressive(model, target, { budget: 1e8 }).done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, String(workerUrl)).to.be.instanceOf(InrDrawError);
      expect((error as InrDrawError).code).to.equal('no-context');
    }
  });
});
