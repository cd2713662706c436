/**
 * The budget meter: per backend, calibrate the decode, ramp the MAC budget of progressive
 * renders of a shipped picture to find what holds 60 and 30 fps, then render it again with the
 * recommended budget (the verification) and play a shipped clip frame by frame.
 */
import { createEngine } from '../../../../src/engine/engine.js';
import type { BackendName } from '../../../../src/backend/types.js';
import { modelFromInr } from '../../../../src/format/asmr-codec.js';
import { loadInr } from '../../../../src/loader/load.js';
import { regionCost } from '../../../../src/model/cost.js';
import type { AsmrModel } from '../../../../src/model/types.js';
import { calibrate, CALIBRATION_TILES } from './calibrate.js';
import { saveCalibration } from '../../../../src/backend/calibration-store.js';
import { idleIntervals } from './frame-recorder.js';
import { refreshInterval } from './stats.js';
import type { BackendRun, MeterReport, RampStep } from './types.js';
import { budgetVerdict, FRAME_30_MS, rampBudgets } from './verdict.js';
import { imageWorkload, videoWorkload } from './workloads.js';

export interface BenchModel {
  name: string;
  model: AsmrModel;
  outputRange: readonly [number, number];
}

/** The shipped models the standard workloads use, next to the bench bundle in dist/bench-models/. */
export const SHIPPED_MODELS = { image: 'kodim02.inr', video: 'cockatoo8x72x128.inr' } as const;

export function shippedModelUrl(file: string): string {
  return new URL(`./bench-models/${file}`, import.meta.url).href;
}

export async function loadBenchModel(url: string): Promise<BenchModel> {
  const file = await loadInr(url);
  return { name: url.slice(url.lastIndexOf('/') + 1), model: modelFromInr(file), outputRange: file.header.outputRange ?? [0, 1] };
}

/** How long to measure: the full meter, or a short run (smoke tests, CI) with noisier figures. */
interface Sizes {
  tiles: number[];
  runs: number;
  rampRatio: number;
  rampSteps: number;
  stepFrames: number;
  imageFrames: number;
  videoFrames: number;
}

const FULL: Sizes = { tiles: CALIBRATION_TILES, runs: 3, rampRatio: 1.5, rampSteps: 10, stepFrames: 20, imageFrames: 40, videoFrames: 24 };
const QUICK: Sizes = { tiles: [32, 64], runs: 2, rampRatio: 2, rampSteps: 4, stepFrames: 6, imageFrames: 8, videoFrames: 8 };

/**
 * The ramp starts at what calibration says one ms decodes, but at no less than 8 one-pixel
 * regions' counted cost (their coarse prefixes and modulation tables): under about that the
 * renderer's tiles shrink towards single pixels and per-decode overhead is all there is. It
 * climbs until the median frame takes twice the 30 fps frame (a median, so one slow frame on a
 * busy machine does not end it).
 */
const RAMP_START_MS = 1;
const RAMP_MIN_PIXEL_COSTS = 8;
const RAMP_STOP_MS = 2 * FRAME_30_MS;

export interface MeterOptions {
  backends: BackendName[];
  image: BenchModel;
  video: BenchModel;
  /** Where the workloads draw. */
  canvas: HTMLCanvasElement;
  quick?: boolean;
  /** Keep each calibration for `budget: 'auto'` (calibration-store.ts); default true. */
  save?: boolean;
  onProgress?(message: string): void;
}

export async function measureBackend(backend: BackendName, options: MeterOptions): Promise<BackendRun> {
  const sizes = options.quick ? QUICK : FULL;
  const say = (m: string) => options.onProgress?.(`${backend}: ${m}`);
  const engine = await createEngine({ backend });
  try {
    const picture = engine.load(options.image.model, { outputRange: options.image.outputRange });
    const clip = engine.load(options.video.model, { outputRange: options.video.outputRange });
    const refreshMs = refreshInterval(await idleIntervals(12));
    const render = (budget: number, frames: number, warmup: boolean) =>
      imageWorkload(engine, options.image.model, options.image.outputRange, options.canvas, budget, frames, refreshMs, options.image.name, warmup);
    say('calibrating');
    const calibration = await calibrate(engine, picture, sizes.tiles, sizes.runs);
    if (options.save !== false) saveCalibration(backend, calibration.device, calibration.macPerMs);
    const ramp: RampStep[] = [];
    const pixelCost = regionCost(options.image.model.spec, { start: [0, 0], size: [1, 1] }).macs;
    const first = Math.max(calibration.macPerMs * RAMP_START_MS, RAMP_MIN_PIXEL_COSTS * pixelCost);
    for (const budget of rampBudgets(first, sizes.rampRatio, sizes.rampSteps)) {
      say(`stress ramp, ${Math.round(budget)} MAC/frame`);
      const w = await render(budget, sizes.stepFrames, ramp.length === 0);
      ramp.push({ budget, meanMacs: w.frames.reduce((a, f) => a + f.macs, 0) / w.frames.length, summary: w.summary, fpsAtP95: 1000 / w.summary.p95Ms });
      if (w.summary.p50Ms > RAMP_STOP_MS) break;
    }
    const verdict = budgetVerdict(ramp);
    say(`progressive render at the recommended ${Math.round(verdict.recommendedBudget)} MAC/frame`);
    const image = await render(verdict.recommendedBudget, sizes.imageFrames, true);
    say('video playback');
    const video = await videoWorkload(engine, clip, options.canvas, sizes.videoFrames, refreshMs, options.video.name);
    return {
      backend,
      device: calibration.device,
      calibration,
      ramp,
      verdict,
      image,
      video,
      verification: {
        budget: verdict.recommendedBudget,
        model: options.image.name,
        p95FrameMs: image.summary.p95Ms,
        targetMs: FRAME_30_MS,
        holds: image.summary.p95Ms <= FRAME_30_MS,
      },
      refreshMs,
    };
  } finally {
    engine.dispose();
  }
}

/** Runs the meter on each backend in turn (one tfjs backend is active at a time). */
export async function runMeter(options: MeterOptions): Promise<MeterReport> {
  const startedAt = new Date().toISOString();
  const runs: BackendRun[] = [];
  for (const backend of options.backends) runs.push(await measureBackend(backend, options));
  return { version: 1, userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, startedAt, runs };
}
