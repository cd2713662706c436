import { expect } from 'chai';
import { decodeShared } from '../../../src/model/shared.js';
import { renderProgressive } from '../../../src/render/render-job.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { createEngine } from '../../../src/engine/engine.js';
import { WorkerPool } from '../../../src/workers/pool.js';
import { InrBackendError } from '../../../src/util/errors.js';
import { maxAbsDiff } from '../engine/helpers.js';
import { loadReferenceFixture } from '../fixtures.js';

const WORKER = '/dist/inrstream-worker.min.js';
const INIT = { backend: 'wasm' } as const;
const within1 = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbsDiff(a, b) <= 1;
/** A worker that answers nothing, not even its engine's start. */
const silentWorkerUrl = () => URL.createObjectURL(new Blob(['self.onmessage = () => {};'], { type: 'text/javascript' }));
const pixels = (canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);

describe('decode worker pool', () => {
  it('renders progressively through workers, ending identical to a one-shot decode on the same backend', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const pool = new WorkerPool({ scriptUrl: WORKER, size: 2, init: INIT });
    const engine = await createEngine(INIT);
    try {
      expect((await pool.report()).backend).to.equal('wasm');
      const canvas = document.createElement('canvas');
      await renderProgressive(model, canvas, { source: pool, budget: 5e6 }).done;
      expect(pixels(canvas)).to.deep.equal(Array.from(await engine.decodeRgba(engine.load(model))));
      expect(within1(pixels(canvas), toRgba8(decodeShared(model), 3))).to.equal(true);
    } finally {
      pool.terminate();
      engine.dispose();
    }
  });

  it("an 'auto' budget with no calibration starts from the workers' guess (10x the page thread's): full detail in tiles whose decoding outweighs their overhead", async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const pool = new WorkerPool({ scriptUrl: WORKER, size: 1, init: INIT });
    try {
      await pool.report();
      const job = renderProgressive(model, document.createElement('canvas'), { source: pool, budget: 'auto' });
      const { frames } = await job.done;
      // 2e6 MAC/ms over a frame of at least 8 ms; the page thread's guess gives 2e5 x 8.3 ms.
      expect(frames[0]!.budget).to.be.at.least(1.6e7);
      const onPage = await renderProgressive(model, document.createElement('canvas'), { budget: 'auto' }).done;
      expect(onPage.frames[0]!.budget).to.be.below(1e7);
    } finally {
      pool.terminate();
    }
  });

  it('starts the first worker alone and the others once its engine has started; tiles asked for before that go to the first', async () => {
    const { model } = await loadReferenceFixture('pan12x96x128_L4_h64');
    const made: number[] = [];
    const pool = new WorkerPool({ size: 2, init: INIT, createWorker: () => (made.push(performance.now()), new Worker(WORKER, { type: 'module' })) });
    try {
      const tile = pool.decodeRgba(pool.load(model), { start: [0, 0, 0], size: [1, 8, 8] });
      await new Promise((r) => setTimeout(r, 0));
      expect(made.length).to.equal(1);
      const report = await pool.report();
      const readyAt = performance.now();
      expect(report.backend).to.equal('wasm');
      await tile;
      await new Promise((r) => setTimeout(r, 50));
      expect(made.length).to.equal(2);
      expect(made[1]).to.be.at.most(readyAt + 50);
    } finally {
      pool.terminate();
    }
  });

  it('a first worker hung in its start does not hold the others back past silenceMs', async () => {
    const { model } = await loadReferenceFixture('pan12x96x128_L4_h64');
    const silent = silentWorkerUrl();
    const made: number[] = [];
    const start = performance.now();
    const pool = new WorkerPool({
      size: 2,
      init: INIT,
      silenceMs: 500,
      createWorker: () => (made.push(performance.now() - start), new Worker(made.length === 1 ? silent : WORKER, { type: 'module' })),
    });
    try {
      await new Promise((r) => setTimeout(r, 2500));
      expect(made.length).to.equal(2);
      expect(made[1]).to.be.within(400, 1500);
      // The second worker's engine runs: tiles go there, not to the first's 120 s start deadline.
      const asked = performance.now();
      const region = { start: [3, 0, 0], size: [1, 96, 128] };
      const { rgba } = await pool.decodeRgba(pool.load(model), region);
      expect(performance.now() - asked).to.be.below(10_000);
      expect(within1(rgba, toRgba8(decodeShared(model, region), 3))).to.equal(true);
    } finally {
      pool.terminate();
      URL.revokeObjectURL(silent);
    }
  });

  it("workers that cannot start make the pool give up with 'workers-unavailable' (the runtime's cue to fall back)", async () => {
    const { model } = await loadReferenceFixture('pan12x96x128_L4_h64');
    const pool = new WorkerPool({ scriptUrl: '/no-such-worker.js', size: 1, init: INIT });
    try {
      const error = await pool.decodeRgba(pool.load(model), { start: [0, 0, 0], size: [1, 8, 8] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(InrBackendError);
      expect((error as InrBackendError).code).to.equal('workers-unavailable');
      // A script that does not load is said to, with its address, and not retried.
      expect((error as InrBackendError).message).to.equal(`pool: the decode worker could not load: ${location.origin}/no-such-worker.js`);
    } finally {
      pool.terminate();
    }
  });

  it('a worker that dies mid-tile is replaced and its tile redone, once', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    let made = 0;
    const replaced: string[] = [];
    const pool = new WorkerPool({
      size: 2,
      init: INIT,
      createWorker: () => new Worker(made++ === 0 ? '/test/browser/workers/dying-worker.js' : WORKER, { type: 'module' }),
      onWorkerReplaced: (_, reason) => replaced.push(reason),
    });
    try {
      const region = { start: [0, 0], size: [64, 512] };
      const handle = pool.load(model);
      const tiles = await Promise.all([0, 64, 128, 192].map((y) => pool.decodeRgba(handle, { ...region, start: [y, 0] })));
      expect(replaced).to.have.length(1);
      expect(replaced[0]).to.match(/simulated decode worker crash/);
      tiles.forEach((t, k) => expect(within1(t.rgba, toRgba8(decodeShared(model, { ...region, start: [k * 64, 0] }), 3))).to.equal(true));
      pool.release(handle);
    } finally {
      pool.terminate();
    }
  });

  // A worker that spins for ever (an engine bug, say) or closes itself without a word (a
  // browser that stops it) mid-render: found by its silence (liveness.ts) within seconds, not
  // after a long timeout; its tiles are redone on the other worker, and the pool goes on.
  for (const fail of ['hang', 'close'] as const) {
    it(`a worker that ${fail === 'hang' ? 'hangs' : 'dies silently'} mid-render is found within seconds, replaced, and the picture completes right`, async function () {
      this.timeout(30000);
      const { model } = await loadReferenceFixture('astronaut512_L4_h64');
      let made = 0;
      const replaced: string[] = [];
      const pool = new WorkerPool({
        size: 2,
        init: INIT,
        createWorker: () => new Worker(made++ === 0 ? `/test/browser/workers/dying-worker.js?fail=${fail}&after=2` : WORKER, { type: 'module' }),
        onWorkerReplaced: (_, reason) => replaced.push(reason),
      });
      const engine = await createEngine(INIT);
      try {
        const want = Array.from(await engine.decodeRgba(engine.load(model)));
        await pool.report();
        const canvas = document.createElement('canvas');
        const start = performance.now();
        await renderProgressive(model, canvas, { source: pool, budget: 2e6 }).done;
        const ms = performance.now() - start;
        expect(replaced).to.have.length(1);
        expect(replaced[0]).to.match(/^no answer for \d+ ms/);
        expect(pixels(canvas)).to.deep.equal(want);
        expect(ms, 'render time with the lost worker').to.be.below(6000);
        // The pool's next loads keep working, on both workers.
        const again = document.createElement('canvas');
        await renderProgressive(model, again, { source: pool, budget: 2e6 }).done;
        expect(pixels(again)).to.deep.equal(want);
        expect(made).to.equal(3);
      } finally {
        pool.terminate();
        engine.dispose();
      }
    });
  }

  it('a worker that never answers is timed out, replaced, and its tile redone', async () => {
    const { model } = await loadReferenceFixture('pan12x96x128_L4_h64');
    let made = 0;
    const silent = silentWorkerUrl();
    const pool = new WorkerPool({
      size: 1,
      init: { backend: 'cpu' },
      initTimeoutMs: 3000,
      createWorker: () => new Worker(made++ === 0 ? silent : WORKER, { type: 'module' }),
    });
    try {
      const region = { start: [3, 0, 0], size: [1, 96, 128] };
      const { rgba } = await pool.decodeRgba(pool.load(model), region);
      expect(within1(rgba, toRgba8(decodeShared(model, region), 3))).to.equal(true);
      expect(made).to.equal(2);
    } finally {
      pool.terminate();
      URL.revokeObjectURL(silent);
    }
  });
});
