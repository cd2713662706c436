import { expect } from 'chai';
import { decodeShared } from '../../src/model/shared.js';
import { toRgba8 } from '../../src/render/rgba.js';
import { calibrationKey, saveCalibration } from '../../src/backend/calibration-store.js';
import { createRuntime, DRAW_WORKER_MIN_PIXELS, type RuntimeFallback } from '../../src/runtime.js';
import { configure } from '../../src/workers/assets.js';
import { maxAbsDiff } from './engine/helpers.js';

describe('runtime', () => {
  it('renders on workers and says so', async () => {
    const rt = createRuntime({
      workerUrl: '/dist/inrstream-worker.min.js',
      drawWorkerUrl: '/dist/inrstream-draw-worker.min.js',
      drawWorkerMinPixels: 0,
      workers: 2,
      backend: 'wasm',
    });
    try {
      expect(rt.where).to.equal('workers');
      expect(rt.reason).to.equal('2 decode workers');
      expect((await rt.backend()).backend).to.equal('wasm');
      const loaded = await rt.load('/demo/models/pan12x96x128.inr');
      const canvas = document.createElement('canvas');
      const job = rt.render(loaded, canvas, { frame: 2, budget: 1e7 });
      expect((await job.done).drawing.where).to.equal('worker');
      const region = { start: [2, 0, 0], size: [1, 96, 128] };
      const drawn = await job.pixels();
      expect([drawn.width, drawn.height]).to.deep.equal([128, 96]);
      expect(maxAbsDiff(drawn.data, toRgba8(decodeShared(loaded.model, region), 3))).to.be.at.most(1);
      // The canvas now belongs to the draw worker: a second render goes there too.
      const again = rt.render(loaded, canvas, { frame: 5, budget: 1e7 });
      expect((await again.done).drawing.where).to.equal('worker');
      expect(maxAbsDiff((await again.pixels()).data, toRgba8(decodeShared(loaded.model, { start: [5, 0, 0], size: [1, 96, 128] }), 3))).to.be.at.most(1);
    } finally {
      rt.dispose();
    }
  });

  it('draws and decodes a picture under drawWorkerMinPixels on this thread, with the reasons, never fetching either worker', async () => {
    const drawWorkerUrl = `/dist/inrstream-draw-worker.min.js?unused=${Math.random()}`;
    const workerUrl = `/dist/inrstream-worker.min.js?unused=${Math.random()}`;
    const rt = createRuntime({ workerUrl, drawWorkerUrl, workers: 1, backend: 'wasm' });
    try {
      const loaded = await rt.load('/demo/models/astronaut512.inr');
      const canvas = document.createElement('canvas');
      const { drawing, decoding } = await rt.render(loaded, canvas, { budget: 1e7 }).done;
      expect(drawing).to.deep.equal({ where: 'main-thread', reason: `a 512x512 picture (under ${DRAW_WORKER_MIN_PIXELS} pixels) is drawn on this thread` });
      // And decoded here by the CPU kernels: its 69.2 M MAC are under PAGE_DECODE_MAX_MACS.
      expect(decoding).to.include({ where: 'main-thread', backend: 'wasm' });
      expect(decoding!.device).to.match(/^WebAssembly SIMD on the CPU/);
      const drawn = canvas.getContext('2d')!.getImageData(0, 0, 512, 512).data;
      expect(maxAbsDiff(drawn, toRgba8(decodeShared(loaded.model), 3))).to.be.at.most(1);
      const fetched = performance.getEntriesByType('resource').map((e) => e.name);
      expect(fetched).to.not.include(`${location.origin}${drawWorkerUrl}`);
      // The decode workers start on first use: this picture never needed them.
      expect(fetched).to.not.include(`${location.origin}${workerUrl}`);
    } finally {
      rt.dispose();
    }
  });

  it('decodes one picture at a time on this thread: a second one started meanwhile goes to the workers', async () => {
    const rt = createRuntime({ workerUrl: '/dist/inrstream-worker.min.js', drawWorkerUrl: false, workers: 1, backend: 'auto' });
    try {
      const loaded = await rt.load('/demo/models/astronaut512.inr');
      const first = rt.render(loaded, document.createElement('canvas'), { budget: 1e7 });
      const second = rt.render(loaded, document.createElement('canvas'), { budget: 1e7 });
      const [a, b] = await Promise.all([first.done, second.done]);
      expect(a.decoding?.where).to.equal('main-thread');
      expect(b.decoding).to.equal(undefined);
      // The first has ended: the next small picture is decoded here again.
      expect((await rt.render(loaded, document.createElement('canvas'), { budget: 1e7 }).done).decoding?.where).to.equal('main-thread');
      expect(maxAbsDiff((await second.pixels()).data, toRgba8(decodeShared(loaded.model), 3))).to.be.at.most(1);
    } finally {
      rt.dispose();
    }
  });

  it('sends a small picture to the decode workers when it costs more than pageDecodeMaxMacs', async () => {
    const rt = createRuntime({ workerUrl: '/dist/inrstream-worker.min.js', drawWorkerUrl: false, workers: 1, backend: 'auto', pageDecodeMaxMacs: 6e7 });
    try {
      const loaded = await rt.load('/demo/models/astronaut512.inr');
      const canvas = document.createElement('canvas');
      const { drawing, decoding } = await rt.render(loaded, canvas, { budget: 1e7 }).done;
      expect(drawing.where).to.equal('main-thread');
      // 69.2 M MAC: over the 60 M asked for, so the runtime's source (the worker) decodes it.
      expect(decoding).to.equal(undefined);
      expect(rt.where).to.equal('workers');
      const drawn = canvas.getContext('2d')!.getImageData(0, 0, 512, 512).data;
      expect(maxAbsDiff(drawn, toRgba8(decodeShared(loaded.model), 3))).to.be.at.most(1);
    } finally {
      rt.dispose();
    }
  });

  it('falls back to the main thread, with the reason, when workers cannot start', async () => {
    const rt = createRuntime({ workerUrl: '/no-such-worker.js', drawWorkerUrl: '/no-such-draw-worker.js', drawWorkerMinPixels: 0, backend: 'cpu' });
    try {
      const fallback = new Promise<RuntimeFallback>((resolve) => rt.addEventListener('fallback', (e) => resolve(e.detail), { once: true }));
      const loaded = await rt.load('/demo/models/astronaut512.inr');
      const canvas = document.createElement('canvas');
      const { drawing } = await rt.render(loaded, canvas, { budget: 1e8 }).done;
      expect((await fallback).reason).to.equal(`pool: the decode worker could not load: ${location.origin}/no-such-worker.js`);
      expect(rt.where).to.equal('main-thread');
      expect((await rt.backend()).backend).to.equal('cpu');
      // Nor the draw worker: drawn here, with the reason.
      expect(drawing.where).to.equal('main-thread');
      expect(drawing.reason).to.equal(`the draw worker is unavailable (the draw worker could not load: ${location.origin}/no-such-draw-worker.js)`);
      const drawn = canvas.getContext('2d')!.getImageData(0, 0, 512, 512).data;
      expect(maxAbsDiff(drawn, toRgba8(decodeShared(loaded.model), 3))).to.be.at.most(1);
    } finally {
      rt.dispose();
    }
  });

  it("an 'auto' budget starts from the meter's cached calibration for the backend and device", async () => {
    const rt = createRuntime({ workers: false, backend: 'cpu' });
    const { backend, device } = await rt.backend();
    const key = calibrationKey(backend, device);
    try {
      saveCalibration(backend, device, 1234);
      const loaded = await rt.load('/demo/models/kodim02.inr');
      const stats = await rt.render(loaded, document.createElement('canvas'), { budget: 'auto', targetFrameMs: 10, progressive: false }).done;
      expect(stats.frames[0]!.budget).to.be.closeTo(12340, 1e-6);
    } finally {
      localStorage.removeItem(key);
      rt.dispose();
    }
  });

  it("configure({ assetsUrl }) points runtimes made after it at that folder's workers", async () => {
    const fetched = () => new Set(performance.getEntriesByType('resource').map((e) => e.name));
    configure({ assetsUrl: '/dist' });
    const rt = createRuntime({ workers: 1, backend: 'wasm', drawWorkerMinPixels: 0 });
    try {
      const loaded = await rt.load('/demo/models/pan12x96x128.inr');
      const job = rt.render(loaded, document.createElement('canvas'), { frame: 1, budget: 1e7 });
      expect((await job.done).drawing.where).to.equal('worker');
      expect(rt.where).to.equal('workers');
      expect(fetched()).to.include.members([`${location.origin}/dist/inrstream-worker.min.js`, `${location.origin}/dist/inrstream-draw-worker.min.js`]);
      const drawn = await job.pixels();
      expect(maxAbsDiff(drawn.data, toRgba8(decodeShared(loaded.model, { start: [1, 0, 0], size: [1, 96, 128] }), 3))).to.be.at.most(1);
    } finally {
      configure({ assetsUrl: undefined });
      rt.dispose();
    }
  });

  it('reports when workers are turned off', () => {
    const rt = createRuntime({ workers: false });
    expect(rt.where).to.equal('main-thread');
    expect(rt.reason).to.equal('workers were turned off');
  });
});
