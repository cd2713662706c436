import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameBudget } from '../../../src/scheduler/budget.js';
import { FrameScheduler, type FrameClock, type FrameReport } from '../../../src/scheduler/frame-scheduler.js';

/** A clock whose frames are fired by the test and whose time only moves when told. */
class FakeClock implements FrameClock {
  time = 0;
  private callbacks: ((t: number) => void)[] = [];
  requestFrame(cb: (t: number) => void): void {
    this.callbacks.push(cb);
  }
  now(): number {
    return this.time;
  }
  get waiting(): number {
    return this.callbacks.length;
  }
  /** Fires one frame, `ms` after the previous one, and lets its async work settle. */
  async tick(ms = 16): Promise<void> {
    this.time += ms;
    const cbs = this.callbacks;
    this.callbacks = [];
    cbs.forEach((cb) => cb(this.time));
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}

function setup(budget: number) {
  const clock = new FakeClock();
  const frames: FrameReport[] = [];
  const ran: string[] = [];
  const scheduler = new FrameScheduler({ budget, clock, onFrame: (r) => frames.push(r) });
  const add = (name: string, cost: number, priority: number, signal?: AbortSignal) =>
    scheduler.schedule({ cost, priority, run: () => void ran.push(name) }, signal);
  return { clock, frames, ran, scheduler, add };
}

describe('FrameScheduler', () => {
  it('runs items in priority order, never past the frame budget', async () => {
    const { clock, frames, ran, add } = setup(100);
    const done = [add('c', 40, 2), add('a', 60, 0), add('b', 30, 1), add('d', 100, 3), add('e', 10, 3)];
    await clock.tick();
    assert.deepEqual(ran, ['a', 'b']);
    await clock.tick();
    assert.deepEqual(ran, ['a', 'b', 'c']);
    await clock.tick();
    await clock.tick();
    await Promise.all(done);
    assert.deepEqual(ran, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(
      frames.map((f) => f.spent),
      [90, 40, 100, 10],
    );
    assert.ok(frames.every((f) => f.spent <= f.budget));
    assert.equal(clock.waiting, 0, 'no frame requested once the queue is empty');
  });

  it('still runs an item larger than the whole budget, alone in its frame', async () => {
    const { clock, frames, ran, add } = setup(50);
    add('big', 500, 0);
    add('small', 10, 1);
    await clock.tick();
    assert.deepEqual(ran, ['big']);
    await clock.tick();
    assert.deepEqual(ran, ['big', 'small']);
    assert.deepEqual(
      frames.map((f) => f.items),
      [1, 1],
    );
  });

  it('equal priorities run first come, first served', async () => {
    const { clock, ran, add } = setup(1000);
    ['x', 'y', 'z'].forEach((n) => add(n, 1, 5));
    await clock.tick();
    assert.deepEqual(ran, ['x', 'y', 'z']);
  });

  it('abort removes queued work, rejects with the reason, and leaves nothing pending', async () => {
    const { clock, ran, add, scheduler } = setup(10);
    const controller = new AbortController();
    const kept = add('kept', 10, 0);
    const dropped = [add('d1', 10, 1, controller.signal), add('d2', 10, 2, controller.signal)];
    await clock.tick();
    controller.abort(new DOMException('stop', 'AbortError'));
    for (const p of dropped) await assert.rejects(p, { name: 'AbortError' });
    await kept;
    await clock.tick();
    assert.deepEqual(ran, ['kept']);
    assert.equal(scheduler.pending, 0);
    await assert.rejects(add('late', 1, 0, controller.signal), { name: 'AbortError' });
  });

  it('a failing item rejects its own promise and the rest go on', async () => {
    const { clock, scheduler, ran, add } = setup(100);
    const failing = scheduler.schedule({
      cost: 1,
      priority: 0,
      run: () => {
        throw new Error('boom');
      },
    });
    const ok = add('ok', 1, 1);
    await clock.tick();
    await assert.rejects(failing, /boom/);
    await ok;
    assert.deepEqual(ran, ['ok']);
  });

  it('with framesInFlight 2, the next frame starts its batch while the last one still runs (workers never idle); never a third', async () => {
    const clock = new FakeClock();
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const scheduler = new FrameScheduler({ budget: 10, clock, framesInFlight: () => 2 });
    const item = (name: string) => ({
      cost: 10,
      priority: 0,
      run: () =>
        new Promise<{ busyMs: number }>((resolve) => {
          started.push(name);
          finish.set(name, () => resolve({ busyMs: 1 }));
        }),
    });
    const done = ['a', 'b', 'c'].map((n) => scheduler.schedule(item(n)));
    await clock.tick();
    await clock.tick();
    assert.deepEqual(started, ['a', 'b'], 'two frames in flight');
    await clock.tick();
    assert.deepEqual(started, ['a', 'b'], 'not three');
    assert.equal(clock.waiting, 0, 'no frame is asked for while two run');
    finish.get('a')!();
    await clock.tick(0);
    await clock.tick();
    assert.deepEqual(started, ['a', 'b', 'c']);
    for (const n of ['b', 'c']) finish.get(n)!();
    await Promise.all(done);
  });

  it('off the thread, batches start as tasks where the clock has them, never waiting for a display frame', async () => {
    const clock = new FakeClock();
    const tasks: ((t: number) => void)[] = [];
    const withTasks: FrameClock = { requestFrame: (cb) => clock.requestFrame(cb), requestTask: (cb) => void tasks.push(cb), now: () => clock.now() };
    const ran: string[] = [];
    const scheduler = new FrameScheduler({ budget: 10, clock: withTasks, framesInFlight: () => 2 });
    const item = (name: string) => ({
      cost: 10,
      priority: 0,
      run: () => {
        ran.push(name);
        return { busyMs: 1 };
      },
    });
    const done = ['a', 'b', 'c'].map((n) => scheduler.schedule(item(n)));
    for (let i = 0; i < 3; i++) {
      assert.equal(tasks.length, 1, `batch ${i + 1} asked for as a task`);
      tasks.shift()!(clock.now());
      for (let j = 0; j < 10; j++) await Promise.resolve();
    }
    await Promise.all(done);
    assert.deepEqual(ran, ['a', 'b', 'c']);
    assert.equal(clock.waiting, 0, 'no animation frame asked for');
  });

  it('the default clock starts off-thread batches on a timer, and on animation frames while the page is hidden', async () => {
    const g = globalThis as unknown as { document?: { hidden: boolean }; requestAnimationFrame?: (cb: (t: number) => void) => number };
    const frames: ((t: number) => void)[] = [];
    g.requestAnimationFrame = (cb) => frames.push(cb);
    g.document = { hidden: false };
    try {
      const scheduler = new FrameScheduler({ budget: 10, framesInFlight: () => 2 });
      const ran: string[] = [];
      const item = (name: string) => ({ cost: 10, priority: 0, run: () => void ran.push(name) });
      await scheduler.schedule(item('shown'));
      assert.deepEqual([ran, frames.length], [['shown'], 0], 'a shown page: a timer, no animation frame');
      g.document.hidden = true;
      const hidden = scheduler.schedule(item('hidden'));
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual([ran, frames.length], [['shown'], 1], 'a hidden page: waits for an animation frame');
      frames.shift()!(0);
      await hidden;
      assert.deepEqual(ran, ['shown', 'hidden']);
    } finally {
      delete g.document;
      delete g.requestAnimationFrame;
    }
  });

  it('rejects a cost that is not a finite MAC count', () => {
    const { scheduler } = setup(100);
    assert.throws(() => scheduler.schedule({ cost: NaN, priority: 0, run: () => undefined }), RangeError);
  });
});

describe('FrameBudget', () => {
  it('a fixed budget stays fixed', () => {
    const b = new FrameBudget({ budget: 5e6 });
    b.recordWork(1e9, 10);
    assert.equal(b.macs, 5e6);
  });

  it('auto: measured throughput times half the display frame', () => {
    const b = new FrameBudget({ initialMacPerMs: 1000 });
    assert.equal(b.macs, (1000 * (1000 / 60)) / 2);
    for (let i = 0; i < 100; i++) {
      b.recordWork(2e6, 1);
      b.recordFrameInterval(1000 / 30);
    }
    assert.ok(Math.abs(b.throughput - 2e6) / 2e6 < 1e-6);
    assert.ok(Math.abs(b.macs - (2e6 * (1000 / 30)) / 2) / b.macs < 1e-6);
  });

  it('auto with a target frame time; ignores unmeasurable work and hidden-tab gaps', () => {
    const b = new FrameBudget({ targetFrameMs: 4, initialMacPerMs: 100 });
    b.recordWork(1e9, 0.01);
    b.recordFrameInterval(5000);
    assert.equal(b.macs, 400);
  });

  it('a suggested throughput (a cached calibration) replaces the guess until something is measured', () => {
    const b = new FrameBudget({ targetFrameMs: 10, initialMacPerMs: 100 });
    b.suggest(5000);
    assert.equal(b.macs, 50_000);
    b.recordWork(1e4, 1);
    b.suggest(1);
    assert.ok(Math.abs(b.throughput - (5000 + 0.2 * (1e4 - 5000))) < 1e-9);
  });

  it('frameShare 1 (decoders in workers) budgets the whole display frame', () => {
    const b = new FrameBudget({ initialMacPerMs: 1000, frameShare: 1 });
    assert.equal(b.macs, 1000 * (1000 / 60));
    assert.throws(() => new FrameBudget({ frameShare: 1.5 }), RangeError);
  });

  it('rejects a nonsensical budget', () => {
    assert.throws(() => new FrameBudget({ budget: -1 }), RangeError);
    assert.throws(() => new FrameBudget({ budget: 'auto', targetFrameMs: 0 }), RangeError);
  });
});
