/**
 * `npm run bench:render [-- --json]`: progressive render of a 2048 x 2048 model in headless
 * Chromium with budget 'auto', on the decode workers (the default) and on the main thread.
 * Prints long tasks over 50 ms, frames, the p95 of MAC spent per frame / budget, and the times
 * to the first preview and to full detail. With --json: one object, the default run's fields
 * plus `runs` (both runs).
 */
import { runBenchPage } from './lib/headless-page.js';

interface Run {
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
}

const json = process.argv.includes('--json');
const result = await runBenchPage<Run & { error?: string; runs: Run[]; cores: number; userAgent: string }>('scripts/bench-render/index.html', json, {
  echoConsole: !json,
});
if (!json) {
  console.log(
    `headless Chromium (${result.userAgent.match(/Chrome\/[\d.]+/)?.[0]}), ${result.cores} cores; 2048x2048 model, ${result.macPerPx.toFixed(0)} MAC/px, budget auto`,
  );
  console.table(
    result.runs.map((r) => ({
      backend: r.backend,
      drawing: r.drawing.split(':')[0],
      'long tasks > 50 ms': r.longTasksOver50ms,
      'longest task ms': Math.round(r.longestTaskMs),
      frames: r.frames,
      'p95 MAC/budget': Number(r.p95MacOverBudget.toFixed(3)),
      'first preview ms': Math.round(r.firstPreviewMs),
      'total ms': Math.round(r.totalMs),
    })),
  );
}
