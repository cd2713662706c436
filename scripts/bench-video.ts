/**
 * `npm run bench:video [-- --json] [--seconds 10] [--backends auto,webgl,wasm] [--model URL]`:
 * plays the demo's clip (default demo/models/cockatoo60x180x320.inr) in a loop in headless
 * Chromium on the engine's own choice (`auto`) and on each decode backend, and prints achieved
 * fps, % of frames on time, decode-time p95, late, dropped and coarser-pass frames. `--json`: one object with a `runs` array of
 * `{backend, width, height, fps, onTimePct, p95FrameMs, ...}`.
 */
import { runBenchPage } from './lib/headless-page.js';

interface Run {
  backend: string;
  where: string;
  skipped?: string;
  device?: string;
  width: number;
  height: number;
  targetFps: number;
  fps: number;
  onTimePct: number;
  p95FrameMs: number;
  p50FrameMs: number;
  p95IntervalMs: number;
  framesDue: number;
  late: number;
  dropped: number;
  coarse: number;
  fullDetailPct: number;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const query: Record<string, string> = {};
for (const name of ['seconds', 'backends', 'model', 'where']) {
  const v = option(`--${name}`);
  if (v !== undefined) query[name] = v;
}
const json = process.argv.includes('--json');
const result = await runBenchPage<{
  error?: string;
  runs: Run[];
  shape: number[];
  segments: number;
  macPerPx: number;
  seconds: number;
  cores: number;
  userAgent: string;
  model: string;
}>('scripts/bench-video/index.html', json, { query, echoConsole: !json });
if (!json) {
  console.log(
    `headless Chromium (${result.userAgent.match(/Chrome\/[\d.]+/)?.[0]}), ${result.cores} cores; ${result.model}: ${result.shape.join('x')} in ${result.segments} segments, ${result.macPerPx.toFixed(1)} MAC/px; ${result.seconds} s of looped playback per backend`,
  );
  console.table(
    result.runs.map((r) =>
      r.skipped
        ? { backend: r.backend, where: r.where, skipped: r.skipped }
        : {
            backend: r.backend,
            where: r.where,
            size: `${r.width}x${r.height}`,
            'fps (target)': `${r.fps.toFixed(1)} (${r.targetFps})`,
            'on time %': Number(r.onTimePct.toFixed(1)),
            late: r.late,
            dropped: r.dropped,
            'coarser pass': r.coarse,
            'full detail %': Number(r.fullDetailPct.toFixed(1)),
            'decode p50 ms': Number(r.p50FrameMs.toFixed(1)),
            'decode p95 ms': Number(r.p95FrameMs.toFixed(1)),
            'interval p95 ms': Number(r.p95IntervalMs.toFixed(1)),
          },
    ),
  );
}
