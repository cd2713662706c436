import { expect } from 'chai';
import { defineInrImage, InrImageElement } from '../../../src/elements/inr-image.js';
import { defineInrVideo, InrVideoElement } from '../../../src/elements/inr-video.js';
import { InrDrawError } from '../../../src/util/errors.js';
import { createRuntime } from '../../../src/runtime.js';
import { openVideo } from '../../../src/video/open.js';
import { maxByteDiff, nextEvent, oracleFrame, seekTo, smallClip } from '../video/helpers.js';

const WORKER = '/dist/inrstream-worker.min.js';
const DRAW_WORKER = '/dist/inrstream-draw-worker.min.js';

describe('elements and video with a hung worker', () => {
  it("a decode worker that hangs mid-play is replaced within seconds: every frame asked for is the oracle's", async function () {
    this.timeout(30000);
    let made = 0;
    const replaced: string[] = [];
    const rt = createRuntime({
      workers: 2,
      backend: 'wasm',
      drawWorkerUrl: DRAW_WORKER,
      pool: {
        createWorker: () => new Worker(made++ === 0 ? `/test/browser/workers/dying-worker.js?fail=hang&after=2` : WORKER, { type: 'module' }),
        onWorkerReplaced: (_, reason) => replaced.push(reason),
      },
    });
    try {
      await rt.backend();
      const { models, bytes } = smallClip();
      const player = rt.play(await openVideo(bytes), document.createElement('canvas'));
      const start = performance.now();
      for (const frame of [3, 9, 14, 1, 6, 11]) {
        await seekTo(player, frame);
        expect(maxByteDiff((await player.pixels()).data, oracleFrame(models, frame, 'full')), `frame ${frame}`).to.be.at.most(1);
      }
      const ms = performance.now() - start;
      expect(replaced).to.have.length(1);
      expect(replaced[0]).to.match(/^no answer for \d+ ms/);
      expect(ms, 'six seeks with the lost worker').to.be.below(8000);
      expect(rt.where, 'no fallback').to.equal('workers');
      await player.close();
    } finally {
      rt.dispose();
    }
  });

  it('a draw worker that hangs mid-play stops <inr-video> within seconds with the reason; its next load draws, on the same runtime', async function () {
    this.timeout(60000);
    const clip = '/demo/models/cockatoo16x180x320.inr';
    // Only the first draw worker started from this script hangs: the runtime's next one is healthy.
    const drawWorkerUrl = `/test/browser/workers/dying-worker.js?crash=draw&fail=hang&after=2&once=${Math.random()}&script=${DRAW_WORKER}`;
    const rt = createRuntime({ workerUrl: WORKER, workers: 1, backend: 'wasm', drawWorkerUrl, drawWorkerMinPixels: 0 });
    const previous = InrVideoElement.runtime;
    InrVideoElement.runtime = () => rt;
    defineInrVideo();
    const el = document.createElement('inr-video') as InrVideoElement;
    try {
      const error = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.reason), { once: true }));
      el.setAttribute('src', clip);
      // Looping: the player keeps drawing, so the hang is met while it plays.
      el.setAttribute('loop', '');
      el.setAttribute('autoplay', '');
      document.body.append(el);
      await nextEvent(el, 'playing');
      const start = performance.now();
      expect(await error).to.match(/the draw worker stopped answering \(nothing for \d+ ms\)/);
      expect(performance.now() - start, 'from playing to the error').to.be.below(6000);
      expect(el.paused).to.equal(true);
      const lost = el.canvas;
      el.removeAttribute('autoplay');
      el.removeAttribute('loop');
      const seeked = nextEvent(el, 'seeked');
      el.setAttribute('src', `${clip}?again`);
      await nextEvent(el, 'loadedmetadata');
      el.currentTime = 0.5 / 30;
      await seeked;
      expect(el.canvas).to.not.equal(lost);
      expect((await el.pixels()).width).to.equal(320);
    } finally {
      el.remove();
      InrVideoElement.runtime = previous;
      rt.dispose();
    }
  });

  it('a draw worker that hangs while idle (reading pixels back) fails pixels() within seconds; the next load draws on a fresh canvas', async function () {
    this.timeout(30000);
    const drawWorkerUrl = `/test/browser/workers/dying-worker.js?crash=pixels&fail=hang&once=${Math.random()}&script=${DRAW_WORKER}`;
    const rt = createRuntime({ workerUrl: WORKER, backend: 'wasm', drawWorkerUrl, drawWorkerMinPixels: 0 });
    const previous = InrImageElement.runtime;
    InrImageElement.runtime = () => rt;
    defineInrImage();
    const el = document.createElement('inr-image') as InrImageElement;
    try {
      el.setAttribute('src', '/demo/models/astronaut128.inr');
      const loaded = nextEvent(el, 'load');
      document.body.append(el);
      await loaded;
      const start = performance.now();
      const error = await el.pixels().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(performance.now() - start, 'to the error').to.be.below(6000);
      expect(error).to.be.instanceOf(InrDrawError);
      expect((error as InrDrawError).code).to.equal('timeout');
      const lost = el.canvas;
      const again = nextEvent(el, 'load');
      el.src = '/demo/models/astronaut512.inr';
      await again;
      expect(el.canvas).to.not.equal(lost);
      expect((await el.pixels()).width).to.equal(512);
    } finally {
      el.remove();
      InrImageElement.runtime = previous;
      rt.dispose();
    }
  });
});
