/**
 * The liveness rule (src/workers/liveness.ts) on a clock of the test's own: the browser tests
 * (test/browser/workers) show real hung and dead workers found; these pin the rule's edges.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Pace, Watchdog } from '../../../src/workers/liveness.js';

let clock = 0;
const heard: [number, number][] = [];
const watchdog = (floorMs = 3000) =>
  new Watchdog(
    floorMs,
    (silent, limit) => heard.push([silent, limit]),
    () => clock,
  );

/** Lets `ms` pass in steps of `step` (the watchdog checks every 250 ms), then the promises' callbacks run. */
async function pass(ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock += step;
    mock.timers.tick(step);
  }
  await new Promise((r) => setImmediate(r));
}

/** A call the test answers when it likes. */
function call(): { promise: Promise<void>; answer(): void } {
  let answer!: () => void;
  const promise = new Promise<void>((r) => (answer = r));
  return { promise, answer };
}

describe('Watchdog', () => {
  beforeEach(() => {
    clock = 0;
    heard.length = 0;
    mock.timers.enable({ apis: ['setInterval'] });
  });
  afterEach(() => mock.timers.reset());

  it('reports a worker that holds a call and answers nothing past the floor, once', async () => {
    const w = watchdog();
    void w.watch(call().promise);
    await pass(3000);
    assert.deepEqual(heard, []);
    await pass(250);
    assert.deepEqual(heard, [[3250, 3000]]);
    await pass(10_000);
    assert.equal(heard.length, 1);
  });

  it('an idle worker, or one that keeps answering, is never reported', async () => {
    const w = watchdog();
    await pass(10_000);
    for (let k = 0; k < 10; k++) {
      const c = call();
      void w.watch(c.promise);
      void w.watch(call().promise);
      await pass(2000);
      c.answer();
      await pass(0);
    }
    // The second call of each round is still held, but answers came every 2 s.
    assert.deepEqual(heard, []);
  });

  it('waits as long as the calls held are expected to take, where that passes the floor', async () => {
    const w = watchdog();
    const a = call();
    void w.watch(a.promise, 4000);
    void w.watch(call().promise, 4000);
    await pass(8000);
    assert.deepEqual(heard, []);
    // One answered: the other's 4 s count from that answer.
    a.answer();
    await pass(0);
    await pass(4000);
    assert.deepEqual(heard, []);
    await pass(250);
    assert.deepEqual(heard, [[4250, 4000]]);
  });

  it('a check that comes over a second late (this thread blocked) does not judge; the next one does', async () => {
    const w = watchdog();
    void w.watch(call().promise);
    await pass(2000);
    // This thread was blocked 5 s: its timers fire late, and the worker's answers may be queued behind them.
    clock += 5000;
    await pass(250);
    assert.deepEqual(heard, []);
    await pass(250);
    assert.deepEqual(heard, [[7500, 3000]]);
  });

  it('stop() ends the checks (the worker was replaced)', async () => {
    const w = watchdog();
    void w.watch(call().promise);
    w.stop();
    await pass(10_000);
    assert.deepEqual(heard, []);
  });
});

describe('Pace', () => {
  it("allows 8 x a tile's MACs at 2x10^4 MAC/ms before any answer, then 8 x at the measured speed", () => {
    const pace = new Pace();
    assert.equal(pace.tileMs(1e6), 400);
    for (let k = 0; k < 40; k++) pace.record(1e7, 20);
    // 5x10^5 MAC/ms measured: 8 x 2 ms for 10^6 MACs, the prior forgotten.
    assert.ok(Math.abs(pace.tileMs(1e6) - 16) < 0.01, String(pace.tileMs(1e6)));
    assert.equal(pace.loadMs(1e6), 800);
  });
});
