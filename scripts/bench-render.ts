/**
 * `npm run bench:render [-- --json] [-- --workers N[,M...]] [-- --backend webgl]`: progressive render of a
 * 2048 x 2048 model in headless Chromium with budget 'auto', on the decode workers (the
 * runtime's default pool, or one run per pool size given) and on the main thread.
 * Prints long tasks over 50 ms, frames, the p95 of MAC spent per frame / budget, and the times
 * to the first preview and to full detail. With --json: one object, the default run's fields
 * plus `runs` (both runs).
 */
import { runBenchPage } from './lib/headless-page.js';

interface Run {
  /** Decode workers (0: the main thread; 'auto': the runtime's default). */
  workers: number | 'auto';
  backend: string;
  reason: string;
  /** Where the tiles were drawn, and why. */
  drawing: string;
  macPerPx: number;
  longTasksOver50ms: number;
  longestTaskMs: number;
  frames: number;
  p95MacOverBudget: number;
  firstPreviewMs: number;
  totalMs: number;
  /** Why each decode worker replaced during the render was (a hung one, a crash): none expected. */
  workersReplaced: string[];
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const workersAt = args.indexOf('--workers');
const workers = workersAt >= 0 ? args[workersAt + 1] : undefined;
if (workersAt >= 0 && !/^\d+(,\d+)*$/.test(workers ?? '')) {
  console.error('--workers takes a count or a comma-separated list of counts, e.g. --workers 1,2');
  process.exit(2);
}
const backendAt = args.indexOf('--backend');
const backend = backendAt >= 0 ? args[backendAt + 1] : undefined;
const result = await runBenchPage<Run & { error?: string; runs: Run[]; cores: number; userAgent: string }>('scripts/bench-render/index.html', json, {
  echoConsole: !json,
  query: { ...(workers ? { workers } : {}), ...(backend ? { backend } : {}) },
});
if (!json) {
  console.log(
    `headless Chromium (${result.userAgent.match(/Chrome\/[\d.]+/)?.[0]}), ${result.cores} cores; 2048x2048 model, ${result.macPerPx.toFixed(0)} MAC/px, budget auto`,
  );
  console.table(
    result.runs.map((r) => ({
      workers: r.workers,
      backend: r.backend,
      drawing: r.drawing.split(':')[0],
      'long tasks > 50 ms': r.longTasksOver50ms,
      'longest task ms': Math.round(r.longestTaskMs),
      frames: r.frames,
      'p95 MAC/budget': Number(r.p95MacOverBudget.toFixed(3)),
      'first preview ms': Math.round(r.firstPreviewMs),
      'total ms': Math.round(r.totalMs),
      'workers replaced': r.workersReplaced.length,
    })),
  );
  for (const r of result.runs) for (const reason of r.workersReplaced) console.log(`${r.workers} workers: a worker was replaced: ${reason}`);
  const one = result.runs.find((r) => r.workers === 1);
  for (const r of result.runs) {
    if (one && typeof r.workers === 'number' && r.workers > 1) console.log(`${r.workers} workers: total ${(r.totalMs / one.totalMs).toFixed(2)}x one worker's`);
  }
}
