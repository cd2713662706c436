import { expect } from 'chai';
import '../../../src/index.js';
import { InrImageElement, type InrImageProgressDetail } from '../../../src/elements/inr-image.js';
import { createRuntime } from '../../../src/runtime.js';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { headModel } from '../../../src/model/preview.js';
import { levelCount } from '../../../src/model/spec.js';
import { decodeShared } from '../../../src/model/shared.js';
import type { AsmrModel } from '../../../src/model/types.js';
import { toRgba8 } from '../../../src/render/rgba.js';

/** The demo's pictures (all have level heads); the second test needs only one. */
const FILES = ['kodim02-768x512.inr', 'kodim07-768x512.inr', 'astronaut-512x512.inr'];
const FILE = FILES[0]!;
/** Level 1's picture must show from at most this share of the file (issue: progressive by the byte). */
const LEVEL_ONE_SHARE = 0.15;
const route = (name: string) => `/test-routes/${name}`;

/** Level `level`'s picture as a canvas shows it: the head's decode, each value filling its block. */
function levelPixels(model: AsmrModel, level: number): Uint8ClampedArray {
  const picture = headModel(model, level)!;
  const [h, w] = picture.model.spec.shape as [number, number];
  const [bh, bw] = picture.blockSize as [number, number];
  const rgba = toRgba8(decodeShared(picture.model), 3);
  const out = new Uint8ClampedArray(h * bh * w * bw * 4);
  for (let y = 0; y < h * bh; y++) {
    for (let x = 0; x < w * bw; x++)
      out.set(rgba.subarray(4 * (Math.floor(y / bh) * w + Math.floor(x / bw)), 4 * (Math.floor(y / bh) * w + Math.floor(x / bw)) + 4), 4 * (y * w * bw + x));
  }
  return out;
}

function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('<inr-image> while the model arrives (level heads)', () => {
  // Served from src/ here, so the worker scripts are not next to this module: name them.
  const runtime = createRuntime({ workerUrl: '/dist/inrstream-worker.min.js', drawWorkerUrl: '/dist/inrstream-draw-worker.min.js', drawWorkerMinPixels: 0 });
  before(() => {
    InrImageElement.runtime = () => runtime;
  });
  afterEach(() => document.querySelectorAll('inr-image').forEach((e) => e.remove()));

  for (const FILE of FILES) {
    it(`${FILE}: shows level k before any byte of level k+1 is sent (level 1 within ${LEVEL_ONE_SHARE * 100}% of the file), and ends equal to a one-shot decode`, async () => {
      const bytes = new Uint8Array(await (await fetch(`/demo/models/${FILE}`)).arrayBuffer());
      const model = modelFromInr(readInr(bytes));
      const levels = levelCount(model.spec);
      expect(model.weights.heads?.length, `${FILE} has level heads`).to.equal(levels - 2);
      const id = String(Math.random());
      const el = document.createElement('inr-image') as InrImageElement;
      const painted = new Map<number, InrImageProgressDetail>();
      let changed: () => void = () => undefined;
      el.addEventListener('progress', (e) => {
        const d = e.detail;
        if (d.phase === 'render' && d.tilesDone === d.tilesTotal) painted.set(d.level, d);
        changed();
      });
      const loaded = new Promise((resolve, reject) => {
        el.addEventListener('load', resolve, { once: true });
        el.addEventListener('error', (e) => reject(new Error(e.detail.reason)), { once: true });
      });
      el.setAttribute('src', route(`levels.inr?file=${FILE}&id=${id}`));
      document.body.append(el);
      for (let level = 1; level <= levels - 2; level++) {
        while (!painted.has(level)) await new Promise<void>((resolve) => (changed = resolve));
        const log = (await (await fetch(route(`levels-log?id=${id}`))).json()) as { cuts: number[]; sent: number };
        // The server has sent exactly the bytes up to this level's end: level k+1 has none yet.
        expect(log.sent, `bytes sent when level ${level} was shown`).to.equal(log.cuts[level - 1]);
        if (level === 1) expect(log.sent / bytes.length, 'share of the file sent when level 1 was shown').to.be.at.most(LEVEL_ONE_SHARE);
        const detail = painted.get(level)!;
        expect(detail.phase === 'render' && detail.bytes).to.equal(log.cuts[level - 1]);
        expect(worstDifference((await el.pixels()).data, levelPixels(model, level)), `level ${level}'s picture`).to.be.at.most(1);
        await fetch(route(`levels-next?id=${id}`));
      }
      await fetch(route(`levels-next?id=${id}`));
      await loaded;
      expect(worstDifference((await el.pixels()).data, toRgba8(decodeShared(model), 3)), 'the full picture').to.be.at.most(1);
    });
  }

  it('a server that drops the connection after level 1: level 1 was shown, then the error, never "load"', async () => {
    const id = String(Math.random());
    const el = document.createElement('inr-image') as InrImageElement;
    let shown = false;
    let loaded = false;
    const levelOne = new Promise<void>((resolve) =>
      el.addEventListener('progress', (e) => {
        if (e.detail.phase === 'render' && e.detail.level === 1 && e.detail.tilesDone === e.detail.tilesTotal) resolve();
      }),
    );
    el.addEventListener('load', () => (loaded = true));
    const failed = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.reason)));
    el.setAttribute('src', route(`levels.inr?file=${FILE}&id=${id}`));
    document.body.append(el);
    await levelOne.then(() => (shown = true));
    await fetch(route(`levels-next?id=${id}&drop=1`));
    expect(await failed).to.match(/stream|truncated/i);
    expect(shown && !loaded).to.equal(true);
    expect(el.dataset.state).to.equal('error');
  });
});
