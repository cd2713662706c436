/**
 * Plays a video model in a loop for a fixed wall time per backend, as <inr-video> does (a
 * Runtime's tile source and the draw worker), and reports achieved fps, frames on time / late
 * / dropped, how many went out as a coarser pass, and decode-time percentiles. Each backend
 * first warms up (both details' programs compiled) with throw-away players on the same
 * runtime. Run by scripts/bench-video.ts.
 */
import type { BackendChoice, BackendReport } from '../../src/backend/types.js';
import { InrBackendError } from '../../src/util/errors.js';
import { modelCost } from '../../src/model/cost.js';
import { Runtime } from '../../src/runtime.js';
// The video element's module gives runtimes their player, as the library's entries do.
import '../../src/elements/inr-video.js';
import { openVideo } from '../../src/video/open.js';
import type { PlayerOptions } from '../../src/video/player-types.js';
import type { VideoSource } from '../../src/video/source.js';
import { percentile } from '../../src/video/stats.js';

const query = new URLSearchParams(location.search);
const MODEL = query.get('model') ?? '/demo/models/cockatoo60x180x320.inr';
const SECONDS = Number(query.get('seconds') ?? 10);
/** 'auto' is the engine's own choice, reported as `auto (<backend>)`. */
const BACKENDS = (query.get('backends') ?? 'auto,webgpu,webgl,wasm,cpu').split(',') as BackendChoice[];
/** Where full frames are decoded: 'main' (the page's thread), 'worker' (a pool of one), or both. */
const WHERE = (query.get('where') ?? 'worker,main').split(',');
const canvas = document.getElementById('view') as HTMLCanvasElement;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plays for `ms` of wall time and returns the player's stats and presentation intervals. */
async function play(runtime: Runtime, source: VideoSource, ms: number, options: PlayerOptions = {}) {
  const player = runtime.play(source, canvas, { loop: true, ...options });
  const times: number[] = [];
  player.addEventListener('frame', () => times.push(performance.now()));
  const failed = new Promise<never>((_, reject) => player.addEventListener('error', (e) => reject(e.detail.error)));
  player.play();
  await Promise.race([new Promise((r) => player.addEventListener('playing', r, { once: true })), failed]);
  const start = performance.now();
  await Promise.race([wait(ms), failed]);
  const seconds = (performance.now() - start) / 1000;
  const stats = player.stats;
  await player.close();
  const intervals = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  return { stats, seconds, intervals };
}

/** A runtime decoding on this thread, or on one decode worker (its own engine), drawing in the draw worker. */
async function runtimeOn(backend: BackendChoice, where: string): Promise<{ runtime: Runtime; report: BackendReport }> {
  const runtime = new Runtime({
    backend,
    workers: where === 'worker' ? 1 : false,
    workerUrl: '/dist/inrstream-worker.min.js',
    drawWorkerUrl: '/dist/inrstream-draw-worker.min.js',
  });
  const report = await runtime.backend().catch((e: unknown) => {
    runtime.dispose();
    throw new InrBackendError('backend-unavailable', `cannot start ${backend}: ${String(e)}`);
  });
  if (backend !== 'auto' && report.backend !== backend) {
    runtime.dispose();
    throw new InrBackendError('backend-unavailable', `${report.backend} runs: ${report.reason}`);
  }
  return { runtime, report };
}

async function run(backend: BackendChoice, where: string, source: VideoSource) {
  let on: Awaited<ReturnType<typeof runtimeOn>>;
  try {
    on = await runtimeOn(backend, where);
  } catch (e) {
    if (e instanceof InrBackendError) return { backend, where, skipped: e.message };
    throw e;
  }
  const { runtime, report } = on;
  try {
    // Warm-up: a budget of 1 MAC forces the coarser pass, then full detail.
    await play(runtime, source, 600, { budget: 1 });
    await play(runtime, source, 600);
    // A worker that cannot run this backend hands over to this thread: not this row's figures.
    if (runtime.where !== (where === 'worker' ? 'workers' : 'main-thread')) return { backend, where, skipped: runtime.reason };
    const { stats, seconds, intervals } = await play(runtime, source, SECONDS * 1000);
    const due = stats.onTime + stats.late + stats.dropped;
    return {
      backend: backend === 'auto' ? `auto (${report.backend})` : report.backend,
      where,
      device: report.device,
      width: source.width,
      height: source.height,
      targetFps: source.fps,
      fps: stats.presented / seconds,
      onTimePct: (100 * stats.onTime) / due,
      p95FrameMs: stats.frameMs.p95,
      p50FrameMs: stats.frameMs.p50,
      maxFrameMs: stats.frameMs.max,
      p95IntervalMs: percentile(intervals, 95),
      framesDue: due,
      onTime: stats.onTime,
      late: stats.late,
      dropped: stats.dropped,
      decoded: stats.decoded,
      coarse: stats.decodedCoarse,
      fullDetailPct: (100 * (stats.decoded - stats.decodedCoarse)) / stats.decoded,
      seconds,
    };
  } finally {
    runtime.dispose();
  }
}

/** Runs after the page's load event: a navigation waits for that, and the runs take minutes. */
async function main(): Promise<void> {
  try {
    const source = await openVideo(MODEL);
    await new Promise<void>((resolve, reject) => {
      if (source.loaded) return resolve();
      source.addEventListener('segment', () => source.loaded && resolve());
      source.addEventListener('error', (e) => reject(e.detail));
    });
    const spec = source.segmentOf(0)!.model.spec;
    const runs = [];
    for (const where of WHERE) {
      for (const backend of BACKENDS) {
        console.log(`${backend} (${where}): playing ${SECONDS} s`);
        runs.push(await run(backend, where, source));
      }
    }
    (window as unknown as { benchResult: unknown }).benchResult = {
      model: MODEL,
      shape: source.header.shape,
      segments: source.segmentCount,
      bases: spec.bases,
      widths: spec.widths,
      macPerPx: modelCost(spec).macPerPx,
      seconds: SECONDS,
      cores: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
      runs,
    };
  } catch (e) {
    (window as unknown as { benchResult: unknown }).benchResult = { error: String((e as Error).stack ?? e) };
  }
}

addEventListener('load', () => void main());
