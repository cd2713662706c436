import { expect } from 'chai';
import { cachedMacPerMs } from '../../../src/backend/calibration-store.js';
import { drawCharts } from '../../../packages/inrstream-cli/src/bench/charts.js';
import { FrameRecorder, nextFrame } from '../../../packages/inrstream-cli/src/bench/frame-recorder.js';
import { loadBenchModel, measureBackend, type BenchModel } from '../../../packages/inrstream-cli/src/bench/meter.js';
import { missedFrames } from '../../../packages/inrstream-cli/src/bench/stats.js';
import type { BackendRun } from '../../../packages/inrstream-cli/src/bench/types.js';
import { budgetVerdict, FRAME_30_MS } from '../../../packages/inrstream-cli/src/bench/verdict.js';
import { regionCost } from '../../../src/model/cost.js';
import { frameRegion } from '../../../src/render/canvas.js';

describe('budget meter (src/bench) in the browser', () => {
  let run: BackendRun;
  let image: BenchModel;
  let video: BenchModel;

  before(async function () {
    this.timeout(240000);
    [image, video] = (await Promise.all(['/demo/models/kodim02.inr', '/demo/models/cockatoo8x72x128.inr'].map(loadBenchModel))) as [BenchModel, BenchModel];
    const canvas = document.createElement('canvas');
    document.body.append(canvas);
    run = await measureBackend('wasm', { backends: ['wasm'], image, video, canvas, quick: true });
  });

  it('calibrates MAC/ms at each tile size from counted MACs and the decode time', () => {
    const { points, macPerMs } = run.calibration;
    expect(points.map((p) => p.tile)).to.deep.equal([32, 64]);
    for (const p of points) {
      expect(p.macs).to.equal(regionCost(image.model.spec, { start: [0, 0], size: [p.tile, p.tile] }).macs);
      expect(p.ms).to.be.greaterThan(0);
      expect(p.macPerMs).to.be.closeTo(p.macs / p.ms, 1e-6 * p.macPerMs);
    }
    expect(macPerMs).to.equal(points[1]!.macPerMs);
  });

  it('keeps the calibration for budget auto, keyed by backend and device', () => {
    expect(run.device).to.match(/^WebAssembly SIMD on the CPU/);
    expect(cachedMacPerMs('wasm', run.device)).to.equal(run.calibration.macPerMs);
  });

  it('derives the budgets from its own ramp and verifies the recommendation on the shipped picture', () => {
    expect(run.ramp.length).to.be.greaterThan(1);
    // The ramp starts above the planner's floor: 8 one-pixel regions' counted cost.
    expect(run.ramp[0]!.budget).to.be.at.least(8 * regionCost(image.model.spec, { start: [0, 0], size: [1, 1] }).macs);
    expect(run.ramp.map((s) => s.budget)).to.deep.equal([...run.ramp.map((s) => s.budget)].sort((a, b) => a - b));
    for (const s of run.ramp) expect(s.summary.frames).to.be.at.least(6);
    expect(run.verdict).to.deep.equal(budgetVerdict(run.ramp));
    expect(run.image.frames.length).to.be.at.least(8);
    expect(run.verification.budget).to.equal(run.verdict.recommendedBudget);
    expect(run.verification.p95FrameMs).to.equal(run.image.summary.p95Ms);
    expect(run.verification.holds).to.equal(run.image.summary.p95Ms <= FRAME_30_MS);
    expect(run.image.intervals.length).to.be.greaterThan(0);
  });

  it('plays the clip one whole frame per animation frame', () => {
    const spec = video.model.spec;
    expect(run.video.frames.length).to.equal(8);
    expect(run.video.frames.map((f) => f.macs)).to.deep.equal(Array.from({ length: 8 }, (_, t) => regionCost(spec, frameRegion(spec, t)).macs));
  });

  it('draws the histogram, timeline and budget-vs-fps charts', () => {
    const box = document.createElement('div');
    document.body.append(box);
    const charts = drawCharts(box, [{ label: 'wasm 1x', run }]);
    expect(charts.length).to.equal(3);
    const canvases = box.querySelectorAll('canvas');
    expect(canvases.length).to.equal(3);
    for (const c of canvases) {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      expect(
        px.some((v, i) => i % 4 === 3 && v > 0),
        'something was drawn',
      ).to.equal(true);
    }
    charts.forEach((c) => c.destroy());
    box.remove();
  });

  it('records a blocked main thread as a long task and missed frames', async () => {
    const recorder = new FrameRecorder();
    recorder.start();
    await nextFrame();
    await nextFrame();
    const t0 = performance.now();
    while (performance.now() - t0 < 150);
    for (let i = 0; i < 4; i++) await nextFrame();
    const { intervals, longTasks } = recorder.stop();
    // A frame's time is when it began, which can be a vsync inside the block (the frame then
    // waits for the main thread): the interval spanning the block is its length less up to a frame.
    expect(Math.max(...intervals)).to.be.at.least(150 - 1000 / 60 - 1);
    expect(missedFrames(intervals, 1000 / 60)).to.be.at.least(7);
    expect(Math.max(...longTasks)).to.be.at.least(140);
  });
});
