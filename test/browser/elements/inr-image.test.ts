import { expect } from 'chai';
import '../../../src/index.js';
import { InrImageElement, type InrImageEventMap } from '../../../src/elements/inr-image.js';
import { createRuntime } from '../../../src/runtime.js';
import { encodeInr, modelFromInr, readInr } from '../../../src/format/index.js';
import { randomModel } from '../../../src/model/random.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import { decodeShared } from '../../../src/model/shared.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { loadReferenceFixture } from '../fixtures.js';

/** The detail of the element's next `type` event, typed by InrImageEventMap (no casts). */
function event<K extends 'load' | 'error' | 'progress'>(el: InrImageElement, type: K): Promise<InrImageEventMap[K]['detail']> {
  return new Promise((resolve) => el.addEventListener(type, (e) => resolve(e.detail), { once: true }));
}

function mount(attrs: Record<string, string>): InrImageElement {
  const el = document.createElement('inr-image') as InrImageElement;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return el;
}

/** Loads `srcdoc` in an iframe and resolves with the first message its page posts. */
async function framedPage<T>(srcdoc: string): Promise<T> {
  const frame = document.createElement('iframe');
  frame.srcdoc = srcdoc;
  const message = new Promise<T>((resolve) => window.addEventListener('message', (e) => resolve(e.data), { once: true }));
  document.body.append(frame);
  try {
    return await message;
  } finally {
    frame.remove();
  }
}

const WIDE = '/test/fixtures/wide1024x512.inr';

type ElementPageResult = { ok: boolean; w?: number; where?: string; backend?: string; drawnIn?: string; reason?: string };

/**
 * A page (`head` first) that embeds the IIFE bundle and one <inr-image> of the model at `src`;
 * resolves with its load or error. WIDE is large enough to be drawn by the draw worker.
 */
function elementPage(head: string, src: string): Promise<ElementPageResult> {
  return framedPage<ElementPageResult>(`<!doctype html>${head}
      <script src="/dist/inrstream.min.js"></script>
      <inr-image src="${src}" alt="picture"></inr-image>
      <script>const el = document.querySelector('inr-image');
      el.addEventListener('load', (e) => parent.postMessage({ ok: true, w: e.detail.width, where: e.detail.where, backend: e.detail.backend, drawnIn: e.detail.drawing.where, reason: e.detail.reason }, '*'));
      el.addEventListener('error', (e) => parent.postMessage({ ok: false, reason: e.detail.reason }, '*'));
      // An error raised before this script ran is in the element's own message.
      if (el.dataset.state === 'error') parent.postMessage({ ok: false, reason: el.shadowRoot.querySelector('.error').textContent }, '*');</script>`);
}

describe('<inr-image>', () => {
  // Served from src/ here, so the worker script is not next to this module: name it.
  const runtime = createRuntime({ workerUrl: '/dist/inrstream-worker.min.js', drawWorkerUrl: '/dist/inrstream-draw-worker.min.js', drawWorkerMinPixels: 0 });
  before(() => {
    InrImageElement.runtime = () => runtime;
  });
  afterEach(() => document.querySelectorAll('inr-image').forEach((e) => e.remove()));

  it('loads, renders progressively and fires load; pixels equal a one-shot decode', async () => {
    const el = mount({ src: '/demo/models/astronaut512.inr', budget: '4000000', alt: 'An astronaut' });
    const phases = new Set<string>();
    el.addEventListener('progress', (e) => phases.add(e.detail.phase));
    const detail = await event(el, 'load');
    // The PSNR the file states (its provenance: the reference's own measurement).
    expect(detail).to.include({ width: 512, height: 512, where: 'workers', backend: 'wasm', psnr: 21.087 });
    expect(detail.drawing.where).to.equal('worker');
    expect([...phases]).to.deep.equal(['download', 'render']);
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const drawn = (await el.pixels()).data;
    const want = toRgba8(decodeShared(model), 3);
    let worst = 0;
    drawn.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]!))));
    expect(worst).to.be.at.most(1);
    expect(el.canvas.getAttribute('aria-label')).to.equal('An astronaut');
  });

  it('reflects attributes as properties and scales with CSS', async () => {
    const el = mount({ src: '/demo/models/pan12x96x128.inr' });
    el.style.width = '256px';
    el.budget = '123456';
    expect(el.getAttribute('budget')).to.equal('123456');
    el.alt = 'pan';
    expect(el.canvas.getAttribute('aria-label')).to.equal('pan');
    expect((await event(el, 'load')).width).to.equal(128);
    // The draw worker's canvas gives the page canvas its size when its frame is shown.
    for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
    expect(el.canvas.width).to.equal(128);
    expect(el.getBoundingClientRect().width).to.equal(256);
    expect(el.getBoundingClientRect().height).to.equal(192);
  });

  for (const [what, src, pattern] of [
    ['a 404', '/test-routes/missing.inr', /HTTP 404/],
    ['a truncated stream', '/test-routes/short.inr', /truncated|ended/i],
    ['a server that stops mid-file', '/test-routes/dropped.inr', /stream|truncated/i],
    ['an HTML page', '/test-routes/html.inr', /text\/html/],
  ] as const) {
    it(`${what} gives an error event with the reason, shown in the element`, async () => {
      const el = mount({ src });
      const detail = await event(el, 'error');
      expect(detail.reason).to.match(pattern);
      expect(el.dataset.state).to.equal('error');
      const message = el.shadowRoot!.querySelector('.error')!;
      expect(message.textContent).to.contain(detail.reason);
      // Readable although the element never had a picture's size: a box of its own, inside the element.
      const box = message.getBoundingClientRect();
      const host = el.getBoundingClientRect();
      expect(box.width).to.be.at.least(100);
      expect(box.height).to.be.at.least(40);
      expect(message.scrollHeight, 'the text fits its box').to.be.at.most(Math.ceil(box.height) + 1);
      expect([box.left, box.top, box.right, box.bottom]).to.deep.equal([host.left, host.top, host.right, host.bottom]);
    });
  }

  it('a picture larger than a browser canvas can show is an error event, never a blank "load"', async () => {
    // Valid and tiny (a few hundred bytes), but 40000 x 40000 pixels.
    const huge = encodeInr(
      randomModel(
        {
          shape: [40000, 40000],
          bases: [
            [200, 200],
            [200, 200],
          ],
          channels: 3,
          widths: [4],
          omegas: [30],
          modScales: [30],
        },
        5,
      ),
    );
    const url = URL.createObjectURL(new Blob([huge as Uint8Array<ArrayBuffer>]));
    try {
      const start = performance.now();
      const el = mount({ src: url });
      const detail = await event(el, 'error');
      expect(detail.reason).to.match(/40000x40000 picture is larger than a browser canvas can show/);
      expect(el.dataset.state).to.equal('error');
      expect(performance.now() - start).to.be.below(10000);
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('a server that stalls is an error event within stall-timeout, not "loading" for ever', async () => {
    const start = performance.now();
    const el = mount({ src: '/test-routes/stall.inr', 'stall-timeout': '1' });
    const detail = await event(el, 'error');
    expect(detail.reason).to.match(/no byte arrived for 1 s/);
    expect(el.dataset.state).to.equal('error');
    expect(performance.now() - start).to.be.below(6000);
  });

  it('a small picture is drawn on the page; a large one after it, by the draw worker on a fresh canvas', async () => {
    const defaults = createRuntime({ workerUrl: '/dist/inrstream-worker.min.js', drawWorkerUrl: '/dist/inrstream-draw-worker.min.js' });
    InrImageElement.runtime = () => defaults;
    try {
      const el = mount({ src: '/demo/models/astronaut128.inr', alt: 'astronaut' });
      expect((await event(el, 'load')).drawing.where).to.equal('main-thread');
      const small = el.canvas;
      el.src = WIDE;
      const detail = await event(el, 'load');
      expect(detail.drawing.where, detail.drawing.reason).to.equal('worker');
      expect(el.canvas).to.not.equal(small);
      expect((await el.pixels()).width).to.equal(1024);
    } finally {
      InrImageElement.runtime = () => runtime;
      defaults.dispose();
    }
  });

  it('a draw worker lost mid-render is an error event with the reason; the next load draws on a fresh canvas', async () => {
    const dying = createRuntime({
      workerUrl: '/dist/inrstream-worker.min.js',
      drawWorkerMinPixels: 0,
      drawWorkerUrl: '/test/browser/workers/dying-worker.js?crash=draw&script=/dist/inrstream-draw-worker.min.js',
    });
    InrImageElement.runtime = () => dying;
    try {
      const el = mount({ src: '/demo/models/astronaut128.inr', alt: 'astronaut' });
      expect((await event(el, 'error')).reason).to.match(/the draw worker failed: .*simulated draw worker crash/);
      const lost = el.canvas;
      InrImageElement.runtime = () => runtime;
      el.src = '/demo/models/astronaut512.inr';
      const detail = await event(el, 'load');
      expect(detail.drawing.where).to.equal('worker');
      expect(el.canvas).to.not.equal(lost);
      expect(el.canvas.isConnected).to.equal(true);
      expect(el.canvas.getAttribute('aria-label')).to.equal('astronaut');
      expect((await el.pixels()).width).to.equal(512);
    } finally {
      InrImageElement.runtime = () => runtime;
      dying.dispose();
    }
  });

  it('pixels() before anything was rendered is an InvalidStateError', async () => {
    const el = document.createElement('inr-image') as InrImageElement;
    const error = await el.pixels().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('InvalidStateError');
  });

  it('an unknown backend is an error event naming the choices', async () => {
    const el = mount({ src: '/demo/models/astronaut512.inr', backend: 'quantum' });
    const detail = await event(el, 'error');
    expect(detail.reason).to.match(/backend must be auto, webgpu, webgl, wasm or cpu/);
  });

  it("decodes right on a page whose CSP forbids WebAssembly (no 'wasm-unsafe-eval'): plain JS, wasm refused with the reason", async () => {
    type Result = { ok: boolean; backend?: string; refused?: { backend: string; reason: string }[]; values?: number[]; reason?: string };
    const result = await framedPage<Result>(`<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline'">
      <script src="/dist/inrstream.min.js"></script>
      <script>
        (async () => {
          try {
            const engine = await inrstream.createEngine({ backend: 'auto' });
            const model = inrstream.modelFromInr(inrstream.readInr(new Uint8Array(await (await fetch('/demo/models/astronaut128.inr')).arrayBuffer())));
            const values = await engine.decodeValues(engine.load(model), { start: [0, 0], size: [8, 8] });
            parent.postMessage({ ok: true, backend: engine.backend, refused: engine.report.refused, values: Array.from(values) }, '*');
          } catch (e) {
            parent.postMessage({ ok: false, reason: String(e) }, '*');
          }
        })();
      </script>`);
    expect(result.ok, result.reason).to.equal(true);
    expect(result.backend).to.not.equal('wasm');
    expect(result.refused!.map((r) => r.backend)).to.include('wasm');
    const model = modelFromInr(readInr(new Uint8Array(await (await fetch('/demo/models/astronaut128.inr')).arrayBuffer())));
    const oracle = decodeOracle(model, { start: [0, 0], size: [8, 8] });
    const worst = Math.max(...result.values!.map((v, i) => Math.abs(v - oracle[i]!)));
    expect(worst).to.be.at.most(2e-3);
  });

  it('works on a page that requires Trusted Types, with its workers', async () => {
    const result = await elementPage(`<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'; trusted-types inrstream">`, WIDE);
    expect(result, result.reason).to.include({ ok: true, where: 'workers', drawnIn: 'worker' });
  });

  it('a page that requires Trusted Types but not our policy still shows the picture, on this thread', async () => {
    const result = await elementPage(
      `<meta http-equiv="Content-Security-Policy" content="require-trusted-types-for 'script'; trusted-types other">`,
      '/demo/models/astronaut128.inr',
    );
    expect(result, result.reason).to.include({ ok: true, where: 'main-thread' });
  });

  it('works from the IIFE bundle on a plain HTML page', async () => {
    const result = await elementPage('', WIDE);
    expect(result, result.reason).to.include({ ok: true, w: 1024, where: 'workers', backend: 'wasm', drawnIn: 'worker' });
  });

  it("decodes and draws a picture under DRAW_WORKER_MIN_PIXELS and PAGE_DECODE_MAX_MACS on the page's thread, with the CPU kernels", async () => {
    const result = await elementPage('', '/demo/models/astronaut512.inr');
    expect(result, result.reason).to.include({ ok: true, w: 512, where: 'main-thread', backend: 'wasm', drawnIn: 'main-thread' });
    expect(result.reason).to.equal('a picture drawn here of at most 250 M MAC is decoded here too, sooner than a decode worker starts');
  });

  it("the pictures' script tag (inrstream-image.min.js) draws a one-shot decode's pixels, in the workers and on the page, and carries no video or writer", async () => {
    type Result = { ok: boolean; reason?: string; where?: string[]; pixels?: number[][]; api?: string[]; video?: boolean; play?: string };
    const result = await framedPage<Result>(`<!doctype html>
      <script src="/dist/inrstream-image.min.js"></script>
      <inr-image src="${WIDE}"></inr-image><inr-image src="/demo/models/astronaut512.inr"></inr-image>
      <script>
        const loaded = [...document.querySelectorAll('inr-image')].map((el) => new Promise((resolve, reject) => {
          el.addEventListener('load', (e) => el.pixels().then((p) => resolve([e.detail.where, Array.from(p.data)])));
          el.addEventListener('error', (e) => reject(new Error(e.detail.reason)));
        }));
        Promise.all(loaded).then(
          (done) => {
            let play = 'played';
            try { inrstream.createRuntime().play({}, document.createElement('canvas')); } catch (e) { play = e.name + ': ' + e.message; }
            parent.postMessage({ ok: true, where: done.map((d) => d[0]), pixels: done.map((d) => d[1]), api: Object.keys(inrstream), video: customElements.get('inr-video') !== undefined, play }, '*');
          },
          (e) => parent.postMessage({ ok: false, reason: String(e) }, '*'),
        );
      </script>`);
    expect(result.ok, result.reason).to.equal(true);
    expect(result.where).to.deep.equal(['workers', 'main-thread']);
    const sources = [WIDE, '/demo/models/astronaut512.inr'];
    for (const [i, src] of sources.entries()) {
      const file = readInr(new Uint8Array(await (await fetch(src)).arrayBuffer()));
      const model = modelFromInr(file);
      const want = toRgba8(decodeShared(model), model.spec.channels, file.header.outputRange);
      const worst = result.pixels![i]!.reduce((m, v, j) => Math.max(m, Math.abs(v - want[j]!)), 0);
      expect(worst, src).to.be.at.most(1);
    }
    expect(result.api).to.include.members(['InrImageElement', 'createRuntime', 'readInrStream', 'configure']);
    expect(result.api).to.not.include.members(['openVideo']);
    expect(result.api).to.not.include.members(['writeInr']);
    expect(result.video).to.equal(false);
    expect(result.play).to.match(/^TypeError: this build has no video player/);
  });
});
