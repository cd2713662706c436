/**
 * Progressive render of a 2048 x 2048 model with budget 'auto', as a page would do it,
 * measuring long tasks on the main thread, the MAC spent per frame against the budget, and
 * the times to the first preview and to full detail. Run by scripts/bench-render.ts.
 */
import { percentile } from '../../packages/inrstream-cli/src/bench/stats.js';
import { modelCost } from '../../src/model/cost.js';
import { randomModel } from '../../src/model/random.js';
import type { AsmrSpec } from '../../src/model/types.js';
import type { RenderProgress, RenderStats } from '../../src/render/render-job.js';
import type { RuntimeOptions } from '../../src/runtime.js';

// The library as a page embeds it: the one-script-tag bundle (index.html), not the sources
// module by module (the test model is made from the sources).
const { createRuntime, encodeInr } = (window as unknown as { inrstream: typeof import('../../src/index.js') }).inrstream;

const SPEC: AsmrSpec = {
  shape: [2048, 2048],
  bases: [
    [4, 4, 4, 4, 8],
    [4, 4, 4, 4, 8],
  ],
  channels: 3,
  widths: [64, 64, 64, 64],
  omegas: [30, 30, 30, 30],
  modScales: [30, 30, 30, 30],
};

const SETTLE_MS = 1000;

/** An entry of the Long Animation Frames API (Chromium; not in TypeScript's DOM types yet). */
interface LongFrame extends PerformanceEntry {
  scripts: { invoker: string; sourceFunctionName: string; duration: number }[];
}

async function run(options: RuntimeOptions) {
  // The model stands for one fetched from a server: making it is not part of the page's work.
  const bytes = encodeInr(randomModel(SPEC, 2048));
  const workersReplaced: string[] = [];
  const rt = createRuntime({
    workerUrl: '/dist/inrstream-worker.min.js',
    pool: { onWorkerReplaced: (_, reason) => workersReplaced.push(reason) },
    ...options,
  });
  // Making the model and loading the page's scripts (compiling them, caching their code) are
  // the set-up, not the render: let them finish before long tasks are observed.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const longTasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  // Long animation frames name the scripts that ran in them: what a long task was.
  const longFrames: LongFrame[] = [];
  const frameObserver = new PerformanceObserver((list) => longFrames.push(...(list.getEntries() as LongFrame[])));
  frameObserver.observe({ type: 'long-animation-frame' });
  try {
    const t0 = performance.now();
    const loaded = await rt.load(bytes);
    // A canvas of its own per run: a canvas goes to whoever draws it first (the draw worker, or this thread's GPU decoder) for good.
    const canvas = document.createElement('canvas');
    document.getElementById('view')!.replaceWith(canvas);
    canvas.id = 'view';
    const job = rt.render(loaded, canvas, { budget: 'auto' });
    job.addEventListener('progress', (e) => {
      const p = (e as CustomEvent<RenderProgress>).detail;
      if (p.tilesDone === p.tilesTotal)
        console.log(`${rt.where}: pass ${p.pass + 1}/${p.passes} done at ${Math.round(performance.now() - t0)} ms (${p.tilesTotal} tiles)`);
    });
    const stats: RenderStats = await job.done;
    await new Promise((r) => setTimeout(r, 100));
    const report = await rt.backend();
    return {
      backend: `${report.backend} (${rt.where})`,
      where: rt.where,
      reason: rt.reason,
      drawing: `${stats.drawing.where}: ${stats.drawing.reason}`,
      model: '2048x2048, 5 levels x 64, bases [4,4,4,4,8]^2',
      macPerPx: modelCost(SPEC).macPerPx,
      longTasksOver50ms: longTasks.filter((e) => e.duration > 50).length,
      longestTaskMs: Math.max(0, ...longTasks.map((e) => e.duration)),
      // When they happened (ms from the start of the load), for diagnosis.
      longTasks: longTasks.map((e) => ({ atMs: Math.round(e.startTime - t0), ms: Math.round(e.duration) })),
      longFrames: longFrames
        .filter((f) => f.duration > 50)
        .map((f) => ({
          atMs: Math.round(f.startTime - t0),
          ms: Math.round(f.duration),
          scripts: f.scripts.map((s) => `${s.invoker} ${s.sourceFunctionName || '(anonymous)'} ${Math.round(s.duration)} ms`),
        })),
      frames: stats.frames.length,
      p95MacOverBudget: percentile(
        stats.frames.map((f) => f.spent / f.budget),
        95,
      ),
      firstPreviewMs: stats.firstPassMs,
      totalMs: stats.totalMs,
      workersReplaced,
    };
  } finally {
    observer.disconnect();
    frameObserver.disconnect();
    rt.dispose();
  }
}

const w = window as unknown as { benchResult: unknown };
try {
  // ?workers=1,2: one run per pool size (default: the runtime's own choice), then the main thread.
  const query = new URLSearchParams(location.search);
  const counts = query.get('workers');
  // ?backend=webgl: the decode backend forced (default 'auto').
  const backend = (query.get('backend') ?? 'auto') as RuntimeOptions['backend'];
  const pools = counts ? counts.split(',').map(Number) : ['auto' as const];
  const runs = [];
  for (const workers of pools) runs.push({ ...(await run({ workers, backend })), workers });
  runs.push({ ...(await run({ workers: false, backend })), workers: 0 });
  w.benchResult = { ...runs[0], runs, cores: navigator.hardwareConcurrency, userAgent: navigator.userAgent };
} catch (e) {
  w.benchResult = { error: String((e as Error)?.stack ?? e) };
}
