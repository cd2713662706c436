/**
 * Plays a video model in a loop for a fixed wall time per backend, as <inr-video> would, and
 * reports achieved fps, frames on time / late / dropped, how many went out as a coarser pass,
 * and decode-time percentiles. Each backend first warms up (both details' programs compiled)
 * with throw-away players on the same engine. Run by scripts/bench-video.ts.
 */
import type { BackendName } from '../../src/backend/types.js';
import { createEngine, type DecodeEngine } from '../../src/engine/index.js';
import { InrBackendError } from '../../src/util/errors.js';
import { modelCost } from '../../src/model/cost.js';
import { openVideo } from '../../src/video/open.js';
import { type FullFrameSource, WorkerFrames } from '../../src/video/frame-source.js';
import { VideoPlayer, type PlayerOptions } from '../../src/video/player.js';
import { openDecodeWorker } from '../../src/workers/client.js';
import type { VideoSource } from '../../src/video/source.js';
import { percentile } from '../../src/video/stats.js';

const query = new URLSearchParams(location.search);
const MODEL = query.get('model') ?? '/demo/models/cockatoo16x180x320.inr';
const SECONDS = Number(query.get('seconds') ?? 10);
const BACKENDS = (query.get('backends') ?? 'webgpu,webgl,wasm,cpu').split(',') as BackendName[];
/** Where full frames are decoded: 'main' (the page's thread), 'worker', or both. */
const WHERE = (query.get('where') ?? 'worker,main').split(',');
const canvas = document.getElementById('view') as HTMLCanvasElement;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plays for `ms` of wall time and returns the player's stats and presentation intervals. */
async function play(frames: DecodeEngine | FullFrameSource, source: VideoSource, ms: number, options: PlayerOptions = {}) {
  const player = new VideoPlayer(frames, source, canvas, { loop: true, ...options });
  const times: number[] = [];
  player.addEventListener('frame', () => times.push(performance.now()));
  player.play();
  await new Promise((r) => player.addEventListener('playing', r, { once: true }));
  const start = performance.now();
  await wait(ms);
  const seconds = (performance.now() - start) / 1000;
  const stats = player.stats;
  await player.close();
  const intervals = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  return { stats, seconds, intervals };
}

/** Full frames from an engine on this thread, or from a decode worker with its own engine. */
async function framesOn(backend: BackendName, where: string, source: VideoSource) {
  if (where === 'worker') {
    const worker = openDecodeWorker('/dist/inrstream-worker.min.js');
    const report = await worker.init({ backend, wasmPaths: '/dist/' }).catch((e: unknown) => {
      worker.terminate();
      throw new InrBackendError('backend-unavailable', `the worker cannot start ${backend}: ${String(e)}`);
    });
    if (report.backend !== backend) {
      worker.terminate();
      throw new InrBackendError('backend-unavailable', `the worker runs ${report.backend}: ${report.reason}`);
    }
    return { frames: new WorkerFrames(worker, source.header.outputRange), report, dispose: () => worker.terminate() };
  }
  const engine = await createEngine({ backend, wasmPaths: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/' });
  return { frames: engine, report: engine.report, dispose: () => engine.dispose() };
}

async function run(backend: BackendName, where: string, source: VideoSource) {
  let on: Awaited<ReturnType<typeof framesOn>>;
  try {
    on = await framesOn(backend, where, source);
  } catch (e) {
    if (e instanceof InrBackendError) return { backend, where, skipped: e.message };
    throw e;
  }
  const { frames, report } = on;
  try {
    // Warm-up: a budget of 1 MAC forces the coarser pass, then full detail.
    await play(frames, source, 600, { budget: 1 });
    await play(frames, source, 600);
    const { stats, seconds, intervals } = await play(frames, source, SECONDS * 1000);
    const due = stats.onTime + stats.late + stats.dropped;
    return {
      backend: report.backend,
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
    on.dispose();
  }
}

/** Runs after the page's load event: a navigation waits for that, and the runs take minutes. */
async function main(): Promise<void> {
  try {
    const source = await openVideo(MODEL);
    await new Promise<void>((resolve, reject) => {
      if (source.loaded) return resolve();
      source.addEventListener('segment', () => source.loaded && resolve());
      source.addEventListener('error', (e) => reject((e as CustomEvent).detail));
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
