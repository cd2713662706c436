import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedMacPerMs, calibrationKey, saveCalibration } from '../../../src/backend/calibration-store.js';
import { framesPerSecond, histogram, missedFrames, percentile, refreshInterval, summarize } from '../../../packages/inrstream-cli/src/bench/stats.js';
import { summaryRow, textTable } from '../../../packages/inrstream-cli/src/bench/summary.js';
import type { BackendRun, FrameTimeSummary, RampStep, WorkloadResult } from '../../../packages/inrstream-cli/src/bench/types.js';
import { budgetVerdict, FRAME_30_MS, FRAME_60_MS, largestHolding, rampBudgets, sustainedMacPerMs } from '../../../packages/inrstream-cli/src/bench/verdict.js';

/** A device whose frames take `overheadMs + macs / macPerMs`, jittered by a fixed pattern. */
function syntheticStep(budget: number, overheadMs: number, macPerMs: number): RampStep {
  const jitter = [0, 0.4, -0.3, 0.8, -0.6, 0.2, 1.5, -0.1, 0.3, -0.4, 0.6, -0.2, 0.1, 0.5, -0.5, 0.7, 0.0, -0.7, 0.9, 1.2];
  const ms = jitter.map((j) => overheadMs + budget / macPerMs + j);
  const summary = summarize(ms);
  return { budget, meanMacs: budget, summary, fpsAtP95: 1000 / summary.p95Ms };
}

const step = (budget: number, p95Ms: number): RampStep => ({
  budget,
  meanMacs: budget,
  summary: { frames: 20, meanMs: p95Ms, p50Ms: p95Ms, p95Ms, p99Ms: p95Ms, maxMs: p95Ms },
  fpsAtP95: 1000 / p95Ms,
});

describe('bench: frame-time statistics', () => {
  it('percentile is nearest-rank: p50 of 1..10 is 5, p95 of 1..20 is 19, p100 the max, p0 the min', () => {
    const ten = [10, 3, 7, 1, 9, 2, 8, 5, 6, 4];
    assert.equal(percentile(ten, 50), 5);
    assert.equal(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
      19,
    );
    assert.equal(percentile(ten, 100), 10);
    assert.equal(percentile(ten, 0), 1);
    assert.equal(percentile([], 95), 0);
    assert.throws(() => percentile(ten, 101), RangeError);
  });

  it('summarize gives mean, p50/p95/p99 and max of 100 synthetic frame times', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    const s: FrameTimeSummary = summarize(ms);
    assert.deepEqual(s, { frames: 100, meanMs: 50.5, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 });
    assert.deepEqual(summarize([]), { frames: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('missed frames count the refreshes an interval spans beyond the first; jitter is not a miss', () => {
    const r = 1000 / 60;
    assert.equal(missedFrames([r, r + 5, r - 5], r), 0);
    assert.equal(missedFrames([2 * r, 3 * r + 2, r], r), 3);
    assert.equal(missedFrames([100], r), 5);
    assert.throws(() => missedFrames([r], 0), RangeError);
  });

  it('frames per second over intervals, and the refresh as the median idle interval', () => {
    assert.equal(framesPerSecond([20, 20, 20, 40]), 40);
    assert.equal(framesPerSecond([]), 0);
    assert.equal(refreshInterval([16.6, 16.7, 33.4, 16.8, 16.7]), 16.7);
  });

  it('histogram bins from 0 and keeps the overflow in the last bin', () => {
    assert.deepEqual(histogram([0, 3.9, 4, 7.5, 12, 99, -1], 4, 4), [3, 2, 0, 2]);
    assert.throws(() => histogram([1], 0, 4), RangeError);
  });
});

describe('bench: budgets from a stress ramp', () => {
  it('a synthetic device (2 ms overhead, 400k MAC/ms) holds 60 and 30 fps up to the budgets its model allows', () => {
    const overhead = 2;
    const rate = 4e5;
    const ramp = rampBudgets(4e5, 1.25, 20).map((b) => syntheticStep(b, overhead, rate));
    const v = budgetVerdict(ramp);
    // p95 of the jitter pattern is +1.2 ms: frames hold F fps while budget <= (1000/F - 2 - 1.2) * rate.
    const limit = (frameMs: number) => (frameMs - overhead - 1.2) * rate;
    assert.ok(v.budget60 <= limit(FRAME_60_MS) && v.budget60 * 1.25 > limit(FRAME_60_MS), `budget60 ${v.budget60}`);
    assert.ok(v.budget30 <= limit(FRAME_30_MS) && v.budget30 * 1.25 > limit(FRAME_30_MS), `budget30 ${v.budget30}`);
    assert.equal(v.recommendedBudget, Math.round(0.75 * v.budget60));
  });

  it('the largest holding budget climbs past one missing step but stops at two in a row', () => {
    const ramp = [step(1e6, 10), step(2e6, 15), step(4e6, 40), step(8e6, 16), step(16e6, 20), step(32e6, 21), step(64e6, 12)];
    assert.equal(largestHolding(ramp, FRAME_60_MS), 8e6);
    assert.equal(largestHolding([...ramp].reverse(), FRAME_60_MS), 8e6);
    assert.equal(largestHolding(ramp, FRAME_30_MS), 64e6);
    assert.equal(largestHolding(ramp, 5), 0);
  });

  it('recommends 3/4 of budget60, else of budget30, else the smallest budget tried', () => {
    assert.equal(budgetVerdict([step(1e6, 10), step(2e6, 30), step(4e6, 50)]).recommendedBudget, 7.5e5);
    const only30 = budgetVerdict([step(1e6, 20), step(2e6, 30), step(4e6, 50)]);
    assert.deepEqual([only30.budget60, only30.budget30, only30.recommendedBudget], [0, 2e6, 1.5e6]);
    const none = budgetVerdict([step(2e6, 40), step(1e6, 35)]);
    assert.deepEqual([none.budget60, none.budget30, none.recommendedBudget], [0, 0, 1e6]);
    assert.throws(() => budgetVerdict([]), RangeError);
  });

  it('ramp budgets are geometric; the sustained throughput is the largest tile', () => {
    assert.deepEqual(rampBudgets(1000, 2, 4), [1000, 2000, 4000, 8000]);
    assert.throws(() => rampBudgets(1000, 1, 4), RangeError);
    const points = [16, 64, 32].map((tile) => ({ tile, samples: tile * tile, macs: tile * tile * 100, ms: tile, macPerMs: tile * 100 }));
    assert.equal(sustainedMacPerMs(points), 6400);
  });
});

describe('bench: calibration cache', () => {
  class MemoryStorage {
    readonly map = new Map<string, string>();
    getItem(k: string) {
      return this.map.get(k) ?? null;
    }
    setItem(k: string, v: string) {
      this.map.set(k, v);
    }
  }
  const storage = () => new MemoryStorage() as unknown as Storage & MemoryStorage;

  it('keeps MAC/ms per backend and device', () => {
    const s = storage();
    saveCalibration('webgl', 'ANGLE (SwiftShader)', 3.5e5, s, 1000);
    saveCalibration('wasm', 'WebAssembly on the CPU', 1.2e6, s, 1000);
    assert.equal(cachedMacPerMs('webgl', 'ANGLE (SwiftShader)', s, 2000), 3.5e5);
    assert.equal(cachedMacPerMs('wasm', 'WebAssembly on the CPU', s, 2000), 1.2e6);
    assert.equal(cachedMacPerMs('webgl', 'another GPU', s, 2000), undefined);
    assert.equal(cachedMacPerMs('webgpu', 'ANGLE (SwiftShader)', s, 2000), undefined);
    assert.equal(cachedMacPerMs('wasm', 'WebAssembly on the CPU', undefined), undefined);
  });

  it('ignores entries older than 30 days and entries that are not a positive MAC/ms', () => {
    const s = storage();
    saveCalibration('wasm', 'cpu', 1e6, s, 0);
    assert.equal(cachedMacPerMs('wasm', 'cpu', s, 29 * 86400e3), 1e6);
    assert.equal(cachedMacPerMs('wasm', 'cpu', s, 31 * 86400e3), undefined);
    for (const bad of ['{', '{"macPerMs":-1,"savedAt":0}', '{"macPerMs":"1e6","savedAt":0}', '{"macPerMs":1e6}']) {
      s.setItem(calibrationKey('wasm', 'cpu'), bad);
      assert.equal(cachedMacPerMs('wasm', 'cpu', s, 1), undefined, bad);
    }
    assert.throws(() => saveCalibration('wasm', 'cpu', Number.NaN, s), RangeError);
  });
});

describe('bench: summary rows', () => {
  const workload = (name: WorkloadResult['name'], ms: number[]): WorkloadResult => ({
    name,
    label: name,
    frames: ms.map((m) => ({ ms: m, macs: 1 })),
    summary: summarize(ms),
    intervals: [16.7, 33.4],
    missedFrames: 1,
    longTasks: { count: 2, totalMs: 120, longestMs: 70 },
    fps: 40,
    warmupMs: 300,
  });
  const run = {
    backend: 'wasm',
    device: 'WebAssembly on the CPU',
    calibration: { backend: 'wasm', device: 'WebAssembly on the CPU', points: [], macPerMs: 123456.7 },
    ramp: [],
    verdict: { budget60: 2e6, budget30: 4e6, recommendedBudget: 2e6, reason: 'r' },
    image: workload('image', [10, 12, 20]),
    video: workload('video', [30, 31]),
    verification: { budget: 2e6, model: 'kodim02.inr', p95FrameMs: 20, targetMs: FRAME_30_MS, holds: true },
    refreshMs: 16.7,
  } as unknown as BackendRun;

  it('carries the JSON fields the CLI promises, from the verification render', () => {
    const row = summaryRow(run, 4);
    assert.deepEqual(
      { ...row },
      {
        throttle: 4,
        backend: 'wasm',
        device: 'WebAssembly on the CPU',
        macPerMs: 123457,
        p50FrameMs: 12,
        p95FrameMs: 20,
        p99FrameMs: 20,
        budget60: 2e6,
        budget30: 4e6,
        recommendedBudget: 2e6,
        verified: true,
        videoP95FrameMs: 31,
        videoFps: 40,
        missedFrames: 2,
        longTasks: 4,
      },
    );
    const table = textTable([row]).split('\n');
    assert.equal(table.length, 2);
    assert.match(table[1]!, /^4x\s+wasm\s+123k\s+12\.0\s+20\.0\s+20\.0\s+2\.00M\s+4\.00M\s+2\.00M\s+yes/);
  });
});
