import { expect } from 'chai';
import { defineInrVideo, InrVideoElement } from '../../../src/elements/inr-video.js';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { decodeShared } from '../../../src/model/shared.js';
import { frameRegion } from '../../../src/render/canvas.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { createRuntime, type RuntimeOptions } from '../../../src/runtime.js';
import { openVideo } from '../../../src/video/open.js';
import { maxByteDiff, nextEvent, oracleFrame, seekTo, smallClip } from './helpers.js';

const WORKER = '/dist/inrstream-worker.min.js';
const DRAW_WORKER = '/dist/inrstream-draw-worker.min.js';

/** Runtime options whose decode workers count the answers they send (tiles decoded there). */
function countingWorkers(options: RuntimeOptions): { options: RuntimeOptions; answers: () => number } {
  let answers = 0;
  const createWorker = () => {
    const worker = new Worker(WORKER, { type: 'module' });
    worker.addEventListener('message', () => answers++);
    return worker;
  };
  return { options: { ...options, pool: { createWorker } }, answers: () => answers };
}

describe('video through the runtime: the same tile source and drawer as pictures', () => {
  it("frames are decoded on the decode-worker pool and drawn in the draw worker: the oracle's frames", async function () {
    this.timeout(120000);
    const { options, answers } = countingWorkers({ workers: 1, backend: 'wasm', drawWorkerUrl: DRAW_WORKER });
    const rt = createRuntime(options);
    try {
      expect((await rt.backend()).backend).to.equal('wasm');
      const { models, bytes } = smallClip();
      const canvas = document.createElement('canvas');
      const player = rt.play(await openVideo(bytes), canvas);
      const drawer = await player.drawer;
      expect(drawer.where).to.equal('worker');
      const before = answers();
      for (const frame of [11, 2]) {
        await seekTo(player, frame);
        expect(maxByteDiff((await player.pixels()).data, oracleFrame(models, frame, 'full')), `frame ${frame}`).to.be.at.most(1);
      }
      expect(answers(), "the pool's worker decoded the frames").to.be.greaterThan(before);
      const ended = nextEvent(player, 'ended');
      player.play();
      await ended;
      expect(player.stats.presented).to.be.greaterThan(2);
      expect(rt.where, 'no fallback').to.equal('workers');
      // The page canvas went to the draw worker: this thread can no longer draw on it.
      expect(() => canvas.getContext('2d')).to.throw();
      await player.close();
    } finally {
      rt.dispose();
    }
  });

  it("falls back to this thread when the decode workers cannot start, and says why; the frames are the oracle's", async function () {
    this.timeout(120000);
    const rt = createRuntime({ workerUrl: '/no-such-worker.js', backend: 'cpu', drawWorkerUrl: false });
    try {
      expect(rt.where).to.equal('workers');
      const { models, bytes } = smallClip();
      const player = rt.play(await openVideo(bytes), document.createElement('canvas'));
      expect((await player.drawer).reason).to.equal('drawing in a worker was turned off');
      for (const frame of [12, 5]) {
        await seekTo(player, frame);
        expect(maxByteDiff((await player.pixels()).data, oracleFrame(models, frame, 'full')), `frame ${frame}`).to.be.at.most(1);
      }
      expect(rt.where).to.equal('main-thread');
      expect(rt.reason).to.equal(`pool: the decode worker could not load: ${location.origin}/no-such-worker.js`);
      expect((await rt.backend()).backend).to.equal('cpu');
      await player.close();
    } finally {
      rt.dispose();
    }
  });

  it('<inr-video> plays through its runtime (InrVideoElement.runtime): pool and draw worker', async function () {
    this.timeout(120000);
    const clip = '/demo/models/cockatoo16x180x320.inr';
    const { options, answers } = countingWorkers({ workers: 1, backend: 'wasm', drawWorkerUrl: DRAW_WORKER });
    const rt = createRuntime(options);
    const previous = InrVideoElement.runtime;
    InrVideoElement.runtime = () => rt;
    defineInrVideo();
    const el = document.createElement('inr-video') as InrVideoElement;
    try {
      el.setAttribute('src', clip);
      const meta = nextEvent(el, 'loadedmetadata');
      document.body.append(el);
      await meta;
      const seeked = nextEvent(el, 'seeked');
      el.currentTime = 7.5 / 30;
      await seeked;
      const file = readInr(new Uint8Array(await (await fetch(clip)).arrayBuffer()));
      const k = file.header.segments!.findIndex((s) => 7 >= s.frameStart && 7 < s.frameStart + s.frameCount);
      const model = modelFromInr(file, k);
      const want = toRgba8(decodeShared(model, frameRegion(model.spec, 7 - file.header.segments![k]!.frameStart)), 3);
      expect(maxByteDiff((await el.pixels()).data, want)).to.be.at.most(1);
      expect(answers()).to.be.greaterThan(0);
      expect(() => el.canvas.getContext('2d'), 'the canvas belongs to the draw worker').to.throw();
    } finally {
      el.remove();
      InrVideoElement.runtime = previous;
      rt.dispose();
    }
  });

  it('a draw worker lost mid-play stops <inr-video> with the reason; the next load draws on a fresh canvas', async function () {
    this.timeout(120000);
    const clip = '/demo/models/cockatoo16x180x320.inr';
    const options: RuntimeOptions = { workerUrl: WORKER, workers: 1, backend: 'wasm' };
    const dying = createRuntime({ ...options, drawWorkerUrl: `/test/browser/workers/dying-worker.js?crash=draw&script=${DRAW_WORKER}` });
    const rt = createRuntime({ ...options, drawWorkerUrl: DRAW_WORKER });
    const previous = InrVideoElement.runtime;
    InrVideoElement.runtime = () => dying;
    defineInrVideo();
    const el = document.createElement('inr-video') as InrVideoElement;
    try {
      const error = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.reason), { once: true }));
      el.setAttribute('src', clip);
      el.setAttribute('autoplay', '');
      document.body.append(el);
      expect(await error).to.match(/the draw worker failed: .*simulated draw worker crash/);
      expect(el.paused).to.equal(true);
      const lost = el.canvas;
      InrVideoElement.runtime = () => rt;
      el.removeAttribute('autoplay');
      const seeked = nextEvent(el, 'seeked');
      el.setAttribute('src', `${clip}?again`);
      await nextEvent(el, 'loadedmetadata');
      el.currentTime = 0.5 / 30;
      await seeked;
      expect(el.canvas).to.not.equal(lost);
      expect(el.canvas.isConnected).to.equal(true);
      expect((await el.pixels()).width).to.equal(320);
    } finally {
      el.remove();
      InrVideoElement.runtime = previous;
      dying.dispose();
      rt.dispose();
    }
  });
});
