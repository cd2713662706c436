import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { InrFormatError } from '../../../src/util/errors.js';
import { encodeInr } from '../../../src/format/asmr-codec.js';
import { randomModel } from '../../../src/model/random.js';
import { EngineTileSource } from '../../../src/render/engine-source.js';
import { openVideo } from '../../../src/video/open.js';
import { VideoPlayer } from '../../../src/video/player.js';
import { engineOn } from '../engine/helpers.js';
import { maxByteDiff, nextEvent, oracleFrame, smallClip, tilesOn } from './helpers.js';

function canvasBytes(canvas: HTMLCanvasElement): Uint8ClampedArray {
  return canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
}

describe('video player', () => {
  for (const backend of ['wasm', 'webgl'] as const) {
    it(`${backend}: every frame presented while playing is the oracle's frame for its timestamp`, async function () {
      this.timeout(120000);
      const { engine, tiles } = await tilesOn(this, backend);
      const { models, bytes } = smallClip();
      const source = await openVideo(bytes);
      const canvas = document.createElement('canvas');
      const player = new VideoPlayer(tiles, source, canvas);
      const checked: { frame: number; detail: string; diff: number }[] = [];
      player.addEventListener('frame', (e) => {
        const p = e.detail;
        // The frame shown is the one whose display window holds the clock's time.
        expect(p.frame).to.equal(Math.min(15, Math.floor(p.mediaTime * 30 + 1e-6)));
        checked.push({ frame: p.frame, detail: p.detail, diff: maxByteDiff(canvasBytes(canvas), oracleFrame(models, p.frame, p.detail)) });
      });
      const ended = nextEvent(player, 'ended');
      player.play();
      await ended;
      const stats = player.stats;
      await player.close();
      engine.dispose();
      expect(checked.length).to.equal(stats.presented);
      expect(checked.length).to.be.greaterThan(0);
      for (const c of checked) expect(c.diff, `frame ${c.frame} (${c.detail})`).to.be.at.most(1);
      expect(stats.onTime + stats.late + stats.dropped).to.equal(16);
      expect(stats.presented).to.equal(stats.onTime + stats.late);
    });
  }

  it("under a MAC budget below a frame's cost, frames go out as the coarser pass: the exact centre-value preview", async function () {
    this.timeout(60000);
    const { engine, tiles } = await tilesOn(this, 'webgl');
    const { models, bytes } = smallClip();
    const canvas = document.createElement('canvas');
    const player = new VideoPlayer(tiles, await openVideo(bytes), canvas, { budget: 1 });
    const seen: { frame: number; detail: string; diff: number }[] = [];
    player.addEventListener('frame', (e) => {
      const p = e.detail;
      seen.push({ frame: p.frame, detail: p.detail, diff: maxByteDiff(canvasBytes(canvas), oracleFrame(models, p.frame, p.detail)) });
    });
    const ended = nextEvent(player, 'ended');
    player.play();
    await ended;
    await player.close();
    engine.dispose();
    // The first frame is decoded while the clock waits for it, so at full detail.
    expect(seen[0]).to.include({ frame: 0, detail: 'full' });
    expect(seen.slice(1).every((f) => f.detail === 'coarse')).to.equal(true);
    expect(seen.length).to.be.greaterThan(1);
    for (const f of seen) expect(f.diff, `frame ${f.frame}`).to.be.at.most(1);
  });

  it('a seek while paused lands on the frame at that time, at full detail', async function () {
    this.timeout(60000);
    const { engine, tiles } = await tilesOn(this, 'wasm');
    const { models, bytes } = smallClip();
    const source = await openVideo(bytes);
    const canvas = document.createElement('canvas');
    const player = new VideoPlayer(tiles, source, canvas);
    for (const t of [0.3, 0.01, 11 / 30, 0.5]) {
      const seeked = nextEvent(player, 'seeked');
      player.currentTime = t;
      await seeked;
      const frame = Math.floor(t * 30 + 1e-6);
      expect(player.currentFrame).to.deep.equal({ frame, detail: 'full' });
      expect(maxByteDiff(canvasBytes(canvas), oracleFrame(models, frame, 'full'))).to.be.at.most(1);
    }
    expect(player.paused).to.equal(true);
    await player.close();
    engine.dispose();
  });

  it('a stream that stalls between segments raises waiting, then plays on when the rest arrives', async function () {
    this.timeout(60000);
    const { engine, tiles } = await tilesOn(this, 'wasm');
    const { bytes } = smallClip();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let sent = false;
    // Everything but the last 64 bytes (the end of segment 1), then a pause until released.
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(bytes.slice(0, bytes.length - 64));
          return;
        }
        await gate;
        controller.enqueue(bytes.slice(bytes.length - 64));
        controller.close();
      },
    });
    const source = await openVideo(stream);
    const player = new VideoPlayer(tiles, source, document.createElement('canvas'));
    const log: string[] = [];
    for (const type of ['waiting', 'playing', 'ended']) player.addEventListener(type, () => log.push(type));
    player.addEventListener('frame', (e) => log.push(`frame ${e.detail.frame}`));
    const waiting = nextEvent(player, 'waiting');
    player.play();
    await waiting;
    expect(player.currentFrame.frame).to.be.at.most(7);
    expect(source.segmentOf(8)).to.equal(undefined);
    const ended = nextEvent(player, 'ended');
    release();
    await ended;
    const events = log.filter((x) => !x.startsWith('frame'));
    expect(events).to.deep.equal(['playing', 'waiting', 'playing', 'ended']);
    // The clock stopped at the frame due when segment 1 was missed (frame 8, or a later one
    // when that animation frame came late and 8 was dropped, as in any playback) and ran on
    // only once that frame was on the canvas.
    const resumed = log.indexOf('waiting');
    const held = Number(log[resumed + 1]?.replace('frame ', ''));
    expect(held).to.be.at.least(8);
    expect(log.slice(resumed + 1, resumed + 3)).to.deep.equal([`frame ${held}`, 'playing']);
    await player.close();
    engine.dispose();
  });

  it('closing mid-play frees every tensor and cached activation: the counts return to their values before the player', async function () {
    this.timeout(60000);
    let ran = 0;
    for (const backend of ['wasm', 'webgl'] as const) {
      const engine = await engineOn(backend);
      if (typeof engine === 'string') {
        console.warn(`${backend} left out: it does not start here (${engine})`);
        continue;
      }
      ran++;
      const tiles = new EngineTileSource(() => Promise.resolve(engine));
      const before = tf.memory().numTensors;
      const { bytes } = smallClip();
      const controller = new AbortController();
      const source = await openVideo(bytes, { signal: controller.signal });
      const player = new VideoPlayer(tiles, source, document.createElement('canvas'), { loop: true });
      const frames = nextEvent(player, 'frame');
      player.play();
      await frames;
      await new Promise((r) => setTimeout(r, 200));
      if (backend === 'webgl') expect(tf.memory().numTensors, 'weights and activations are held while playing').to.be.greaterThan(before);
      else expect(engine.cacheStats.entries, 'activations are cached while playing').to.be.greaterThan(0);
      controller.abort();
      await player.close();
      expect(tf.memory().numTensors, backend).to.equal(before);
      expect(engine.cacheStats.entries).to.equal(0);
      engine.dispose();
    }
    if (ran === 0) {
      console.warn('skipped: neither wasm nor webgl starts here');
      this.skip();
    }
  });

  it('a model that is not a video is refused with a typed error', async () => {
    const image = encodeInr(
      randomModel(
        {
          shape: [8, 8],
          bases: [
            [2, 4],
            [2, 4],
          ],
          channels: 3,
          widths: [8],
          omegas: [30],
          modScales: [30],
        },
        1,
      ),
    );
    const e = await openVideo(image).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).to.be.instanceOf(InrFormatError);
    expect((e as InrFormatError).code).to.equal('not-video');
  });

  it('a stream cut inside segment 1 plays segment 0, then reports the typed error instead of waiting', async function () {
    this.timeout(60000);
    const { engine, tiles } = await tilesOn(this, 'wasm');
    const { bytes } = smallClip();
    const source = await openVideo(bytes.slice(0, bytes.length - 64));
    const player = new VideoPlayer(tiles, source, document.createElement('canvas'));
    const error = new Promise<unknown>((resolve) => player.addEventListener('error', (ev) => resolve(ev.detail.error), { once: true }));
    let errors = 0;
    player.addEventListener('error', () => errors++);
    player.play();
    const e = await error;
    await new Promise((r) => setTimeout(r, 300));
    expect(errors, 'reported once, and playback stops').to.equal(1);
    expect(e).to.be.instanceOf(InrFormatError);
    expect((e as InrFormatError).code).to.equal('truncated');
    expect(player.stats.presented).to.be.greaterThan(0);
    expect(player.paused).to.equal(true);
    await player.close();
    engine.dispose();
  });
});
