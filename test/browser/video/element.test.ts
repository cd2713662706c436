import { expect } from 'chai';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { decodeShared } from '../../../src/model/shared.js';
import { frameRegion } from '../../../src/render/canvas.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import type { InrVideoElement } from '../../../src/elements/inr-video.js';
import { maxByteDiff, nextEvent } from './helpers.js';
import { loadScript } from '../fixtures.js';

const CLIP = '/demo/models/cockatoo16x180x320.inr';

/** The bundle's element (the test imports its type only: the element comes from the IIFE). */
type VideoEl = InrVideoElement;

/** The clip's frame `frame` as the oracle decodes it from the file's own weights. */
async function oracle(frame: number): Promise<Uint8ClampedArray> {
  const file = readInr(new Uint8Array(await (await fetch(CLIP)).arrayBuffer()));
  const k = file.header.segments!.findIndex((s) => frame >= s.frameStart && frame < s.frameStart + s.frameCount);
  const model = modelFromInr(file, k);
  return toRgba8(decodeShared(model, frameRegion(model.spec, frame - file.header.segments![k]!.frameStart)), 3);
}

describe('<inr-video> from the IIFE bundle', () => {
  before(async () => {
    await loadScript('/dist/inrstream.min.js');
  });
  afterEach(() => document.querySelectorAll('inr-video').forEach((e) => e.remove()));

  it('autoplays a stream that stalls: waiting, then playing on, with the events of <video>', async function () {
    this.timeout(120000);
    const el = document.createElement('inr-video') as VideoEl;
    const log: string[] = [];
    for (const type of ['loadstart', 'loadedmetadata', 'loadeddata', 'play', 'playing', 'waiting', 'ended']) el.addEventListener(type, () => log.push(type));
    let updates = 0;
    el.addEventListener('timeupdate', () => updates++);
    for (const [k, v] of Object.entries({ src: '/test-routes/stall-video.inr?ms=2000', backend: 'wasm', controls: '', autoplay: '', muted: '' }))
      el.setAttribute(k, v);
    const ended = nextEvent(el, 'ended', 100000);
    document.body.append(el);
    await ended;
    expect(log.slice(0, 3)).to.deep.equal(['loadstart', 'loadedmetadata', 'play']);
    expect(log).to.include.members(['loadeddata', 'waiting']);
    // Playing again after the stall, then the end.
    expect(log.lastIndexOf('playing')).to.be.greaterThan(log.indexOf('waiting'));
    expect(log.at(-1)).to.equal('ended');
    expect(updates).to.be.greaterThan(1);
    expect([el.videoWidth, el.videoHeight, el.canvas.width, el.canvas.height]).to.deep.equal([320, 180, 320, 180]);
    expect(el.paused).to.equal(true);
    expect(el.shadowRoot!.querySelector('.controls button')!.getAttribute('aria-label')).to.equal('Play');
  });

  for (const backend of ['webgl', 'wasm']) {
    it(`${backend}: seeking the shipped clip shows the oracle's frame for that time (real weights)`, async function () {
      this.timeout(120000);
      const el = document.createElement('inr-video') as VideoEl;
      el.setAttribute('backend', backend);
      el.setAttribute('src', CLIP);
      const meta = nextEvent(el, 'loadedmetadata');
      document.body.append(el);
      await meta;
      expect(el.duration).to.be.closeTo(16 / 30, 1e-9);
      for (const frame of [11, 3]) {
        const seeked = nextEvent(el, 'seeked');
        el.currentTime = (frame + 0.5) / 30;
        await seeked;
        // The canvas belongs to the draw worker: its pixels are read there.
        const drawn = (await el.pixels()).data;
        expect(maxByteDiff(drawn, await oracle(frame)), `frame ${frame}`).to.be.at.most(1);
      }
    });
  }

  it('a missing file shows its reason in place and fires error', async () => {
    const el = document.createElement('inr-video') as VideoEl;
    el.setAttribute('src', '/test-routes/missing.inr');
    el.setAttribute('backend', 'wasm');
    const error = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.reason), { once: true }));
    document.body.append(el);
    expect(await error).to.match(/404/);
    expect(el.dataset.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('.error')!.textContent).to.match(/Cannot play .*404/);
  });

  /** An autoplaying element of the hostile range server's clip (test/server/misbehaving-routes.mjs) with `stall-timeout="1"`. */
  function hostileClip(mode: string): VideoEl {
    const el = document.createElement('inr-video') as VideoEl;
    const src = `/test-routes/hostile-range.inr?id=element-${mode}-${Date.now()}&mode=${mode}&on=segments`;
    for (const [k, v] of Object.entries({ src, backend: 'wasm', 'stall-timeout': '1', autoplay: '', muted: '' })) el.setAttribute(k, v);
    return el;
  }

  it('segments that stall are an error with the reason within stall-timeout, not "waiting" for ever', async function () {
    this.timeout(15000);
    const el = hostileClip('stall');
    const error = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.reason), { once: true }));
    const start = performance.now();
    document.body.append(el);
    expect(await error).to.match(/no byte arrived for 1 s/);
    expect(el.dataset.state).to.equal('error');
    expect(performance.now() - start).to.be.below(8000);
  });

  it('a slow but steady server plays to the end under a short stall-timeout', async function () {
    this.timeout(60000);
    // Each segment takes 4 x 300 ms to arrive, past the 1 s deadline, but never 1 s without a byte.
    const el = hostileClip('steady');
    const errors: string[] = [];
    el.addEventListener('error', (e) => errors.push(e.detail.reason));
    const ended = nextEvent(el, 'ended', 50000);
    document.body.append(el);
    await ended;
    expect(errors).to.deep.equal([]);
  });

  it("a stall-timeout that is not a positive number of seconds is the element's error", async () => {
    const el = document.createElement('inr-video') as VideoEl;
    el.setAttribute('src', CLIP);
    el.setAttribute('stall-timeout', 'soon');
    const error = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.reason), { once: true }));
    document.body.append(el);
    expect(await error).to.match(/stall-timeout must be a positive number of seconds, not "soon"/);
  });
});
