import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { createEngine } from '../../../src/engine/engine.js';
import { decodeShared } from '../../../src/model/shared.js';
import { EngineTileSource } from '../../../src/render/engine-source.js';
import { modelCost } from '../../../src/model/cost.js';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { headModel } from '../../../src/model/preview.js';
import { ArrivingModel } from '../../../src/render/arriving.js';
import { renderProgressive, RenderJob } from '../../../src/render/render-job.js';
import type { TileDrawer } from '../../../src/render/tile-drawer.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { loadReferenceFixture } from '../fixtures.js';

const pixels = (canvas: HTMLCanvasElement) => canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;

describe('progressive render under a per-frame MAC budget', () => {
  it('paints previews coarse to fine and ends bit-identical to a one-shot decode', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const canvas = document.createElement('canvas');
    const budget = (512 * 512 * modelCost(model.spec).macPerPx) / 6;
    const job = renderProgressive(model, canvas, { budget });
    const levels: number[] = [];
    let firstPreview: Uint8ClampedArray | undefined;
    job.addEventListener('progress', (e) => {
      const p = e.detail;
      if (levels.at(-1) !== p.level) levels.push(p.level);
      if (p.pass === 0 && p.tilesDone === p.tilesTotal) firstPreview = pixels(canvas).slice();
    });
    const stats = await job.done;
    // Level 2's preview (8x8 blocks) would cost over 10% of full detail: skipped by default.
    expect(levels).to.deep.equal([0, 1, 3]);
    expect(Array.from(pixels(canvas))).to.deep.equal(Array.from(toRgba8(decodeShared(model), 3)));
    // Level 0 has 4x4 blocks of 128x128 pixels, each one flat colour.
    expect(firstPreview![0]).to.equal(firstPreview![(127 * 512 + 127) * 4]);
    expect(stats.frames.length).to.be.greaterThan(5);
    for (const f of stats.frames) expect(f.items === 1 || f.spent <= f.budget, JSON.stringify(f)).to.equal(true);
  });

  it("through the decode engine (wasm), ends bit-identical to the engine's one-shot decode", async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const engine = await createEngine({ backend: 'wasm' });
    try {
      const canvas = document.createElement('canvas');
      await renderProgressive(model, canvas, { source: new EngineTileSource(async () => engine), budget: 3e7 }).done;
      const oneShot = await engine.decodeRgba(engine.load(model));
      expect(Array.from(pixels(canvas))).to.deep.equal(Array.from(oneShot));
    } finally {
      engine.dispose();
    }
  });

  it('abort stops the work: done rejects, the canvas stops changing', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const canvas = document.createElement('canvas');
    const controller = new AbortController();
    const job = renderProgressive(model, canvas, { budget: 2e6, signal: controller.signal });
    await new Promise<void>((resolve) => job.addEventListener('progress', () => resolve(), { once: true }));
    controller.abort(new DOMException('stop', 'AbortError'));
    const err = await job.done.catch((e: Error) => e);
    expect((err as Error).name).to.equal('AbortError');
    const after = pixels(canvas).slice();
    await new Promise((r) => setTimeout(r, 300));
    expect(Array.from(pixels(canvas))).to.deep.equal(Array.from(after));
  });

  it('abort through the engine leaves no queued work and tensor counts at their baseline', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const engine = await createEngine({ backend: 'webgl' });
    try {
      const baseline = tf.memory().numTensors;
      const controller = new AbortController();
      const canvas = document.createElement('canvas');
      const job = renderProgressive(model, canvas, { source: new EngineTileSource(async () => engine), budget: 2e6, signal: controller.signal });
      let tiles = 0;
      job.addEventListener('progress', () => {
        if (++tiles === 3) controller.abort(new DOMException('stop', 'AbortError'));
      });
      expect(((await job.done.catch((e: Error) => e)) as Error).name).to.equal('AbortError');
      await new Promise((r) => setTimeout(r, 300));
      expect(tiles).to.be.lessThan(6);
      expect(tf.memory().numTensors).to.equal(baseline);
    } finally {
      engine.dispose();
    }
  });

  it('decodes the first preview while its drawer starts, and draws it the moment the drawer is there', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const calls: string[] = [];
    const drawer: TileDrawer = {
      where: 'main-thread',
      reason: 'a test drawer',
      begin: (w, h) => void calls.push(`begin ${w}x${h}`),
      draw: () => void calls.push('draw'),
      flush: async () => undefined,
      pixels: () => Promise.reject(new Error('not read')),
    };
    let started!: (d: TileDrawer) => void;
    const job = renderProgressive(model, new Promise<TileDrawer>((resolve) => (started = resolve)), { budget: 1e7 });
    // Far longer than the level-0 preview's decode (190 k MAC): its tiles are ready and waiting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).to.deep.equal([]);
    started(drawer);
    // No task runs before these microtasks: whatever is drawn now was decoded before the drawer came.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(calls[0]).to.equal('begin 512x512');
    expect(calls.filter((c) => c === 'draw').length, calls.join(', ')).to.be.greaterThan(0);
    await job.done;
  });

  it('an abort while the drawer has not come ends the render at once', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const abort = new AbortController();
    const job = renderProgressive(model, new Promise<TileDrawer>(() => undefined), { budget: 1e7, signal: abort.signal });
    // Long enough for the first previews' tiles to be decoded and waiting for the drawer.
    await new Promise((r) => setTimeout(r, 500));
    abort.abort(new Error('the page went away'));
    const ended = await Promise.race([
      job.done.then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
      new Promise((r) => setTimeout(() => r('still running'), 1000)),
    ]);
    expect(ended).to.equal('the page went away');
  });

  it("paints an arriving model's cheap level picture in the task its bytes arrived in, then ends equal to a one-shot decode", async () => {
    const bytes = new Uint8Array(await (await fetch('/demo/models/astronaut-512x512.inr')).arrayBuffer());
    const model = modelFromInr(readInr(bytes));
    const arriving = new ArrivingModel();
    const canvas = document.createElement('canvas');
    const job = new RenderJob(arriving, canvas, { budget: 1e7 });
    const painted: number[] = [];
    job.addEventListener('progress', (e) => e.detail.tilesDone === e.detail.tilesTotal && painted.push(e.detail.level));
    arriving.header({ spec: model.spec, outputRange: [0, 1] });
    // The render has its layout and its drawer, and waits for a level.
    await new Promise((r) => setTimeout(r, 50));
    const picture = headModel(model, 1)!;
    arriving.level(picture, 1305);
    // The next task: a pass that waited for one (or for a frame) would not be drawn yet.
    const inThatTask = await new Promise<number[]>((r) => setTimeout(() => r([...painted]), 0));
    expect(inThatTask).to.deep.equal([1]);
    const [h, w] = picture.model.spec.shape as [number, number];
    const [bh, bw] = picture.blockSize as [number, number];
    const shown = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const values = toRgba8(decodeShared(picture.model), 3);
    for (const [y, x] of [
      [0, 0],
      [h - 1, w - 1],
      [7, 3],
    ] as const)
      expect(Array.from(shown.subarray(4 * (y * bh * canvas.width + x * bw), 4 * (y * bh * canvas.width + x * bw) + 4))).to.deep.equal(
        Array.from(values.subarray(4 * (y * w + x), 4 * (y * w + x) + 4)),
      );
    arriving.complete(model, bytes.length);
    await job.done;
    expect(Array.from(pixels(canvas))).to.deep.equal(Array.from(toRgba8(decodeShared(model), 3)));
  });

  it("ends an arriving level's pass once the whole model is in (a picture is shown already), and goes on to full detail", async () => {
    const { bytes, model, arriving, seen, fullDetail, stop } = await slowArrivingRender();
    arriving.header({ spec: model.spec, outputRange: [0, 1] });
    await new Promise((r) => setTimeout(r, 20));
    // Level 1 is painted at once; level 2's pass may then be cut short.
    arriving.level(headModel(model, 1)!, 1305);
    await new Promise((r) => setTimeout(r, 20));
    arriving.level(headModel(model, 2)!, 5209);
    await new Promise((r) => setTimeout(r, 40));
    const level2 = seen.filter((p) => p.level === 2);
    expect(level2.length, 'some of level 2 was drawn').to.be.greaterThan(0);
    arriving.complete(model, bytes.length);
    await fullDetail;
    stop();
    const drawn = seen.filter((p) => p.level === 2);
    expect(drawn.at(-1)!.done, JSON.stringify(drawn)).to.be.below(drawn.at(-1)!.total);
    // No preview of level 2 from the full model either: full detail follows at once.
    expect(seen.findIndex((p) => p.level === 3)).to.equal(1 + drawn.length);
  });

  it('paints the first level it is given in full, even when the whole model lands during its pass', async () => {
    const { bytes, model, arriving, seen, fullDetail, stop } = await slowArrivingRender();
    arriving.header({ spec: model.spec, outputRange: [0, 1] });
    arriving.level(headModel(model, 2)!, 5209);
    await new Promise((r) => setTimeout(r, 40));
    arriving.complete(model, bytes.length);
    await fullDetail;
    stop();
    // Nothing was on the canvas before level 2: its pass is not cut, so a picture shows soon.
    expect(seen.find((p) => p.done === p.total)?.level).to.equal(2);
  });

  it('an arriving level that the whole model will overtake at once waits for it; one it will not, or one the model fails to overtake, is painted', async () => {
    const levelTwoTiles = (r: { seen: { level: number }[] }) => r.seen.filter((p) => p.level === 2).length;
    // 500 bytes before the data, 9,000 for the whole model; level 2 lands 30 ms after the
    // header with 5,209 read: at that rate the rest is due in about 25 ms.
    const soon = await levelTwoLanded(9000);
    await new Promise((r) => setTimeout(r, 40));
    expect(levelTwoTiles(soon), 'level 2 waits').to.equal(0);
    soon.arriving.complete(soon.model, soon.bytes.length);
    await soon.fullDetail;
    soon.stop();
    expect(soon.seen.map((p) => p.level).filter((l) => l !== 3)).to.deep.equal([1]);

    // With 100,000 bytes to come: level 2 is painted.
    const far = await levelTwoLanded(100_000);
    await new Promise((r) => setTimeout(r, 40));
    expect(levelTwoTiles(far), 'some of level 2 was drawn').to.be.greaterThan(0);
    far.stop();

    // Due soon, but the rest stalls: level 2 is painted once the wait (250 ms) is over.
    const stalled = await levelTwoLanded(9000);
    await new Promise((r) => setTimeout(r, 150));
    expect(levelTwoTiles(stalled), 'level 2 waits').to.equal(0);
    await new Promise((r) => setTimeout(r, 250));
    expect(levelTwoTiles(stalled), 'then level 2 is drawn').to.be.greaterThan(0);
    stalled.stop();
  });

  it('without previews, draws full detail only', async () => {
    const { model } = await loadReferenceFixture('pan12x96x128_L4_h64');
    const canvas = document.createElement('canvas');
    const job = renderProgressive(model, canvas, { progressive: false, frame: 4, budget: 1e9 });
    const levels = new Set<number>();
    job.addEventListener('progress', (e) => levels.add(e.detail.level));
    await job.done;
    expect([...levels]).to.deep.equal([3]);
    const region = { start: [4, 0, 0], size: [1, 96, 128] };
    expect(Array.from(pixels(canvas))).to.deep.equal(Array.from(toRgba8(decodeShared(model, region), 3)));
  });
});

/** slowArrivingRender with a header that says the model needs `modelBytes`; level 1, then level 2 30 ms later. */
async function levelTwoLanded(modelBytes: number) {
  const render = await slowArrivingRender();
  render.arriving.header({ spec: render.model.spec, outputRange: [0, 1] }, { read: 500, model: modelBytes });
  render.arriving.level(headModel(render.model, 1)!, 1305);
  await new Promise((r) => setTimeout(r, 30));
  render.arriving.level(headModel(render.model, 2)!, 5209);
  return render;
}

/**
 * The demo astronaut (level heads) rendered while it "arrives" by hand, at a budget under which
 * level 2's pass (1.6e6 MAC) takes some eight frames; `seen` has every progress event,
 * `fullDetail` settles at the first full-detail tile, `stop` aborts the rest.
 */
async function slowArrivingRender() {
  const bytes = new Uint8Array(await (await fetch('/demo/models/astronaut-512x512.inr')).arrayBuffer());
  const model = modelFromInr(readInr(bytes));
  const arriving = new ArrivingModel();
  const abort = new AbortController();
  const job = new RenderJob(arriving, document.createElement('canvas'), { budget: 2e5, signal: abort.signal });
  job.done.catch(() => undefined);
  const seen: { level: number; done: number; total: number }[] = [];
  const fullDetail = new Promise<void>((resolve) =>
    job.addEventListener('progress', (e) => {
      seen.push({ level: e.detail.level, done: e.detail.tilesDone, total: e.detail.tilesTotal });
      if (e.detail.level === 3) resolve();
    }),
  );
  return { bytes, model, arriving, seen, fullDetail, stop: () => abort.abort(new Error('enough')) };
}
