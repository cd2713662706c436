/**
 * The meter's workloads, each timed per frame from the animation frame to the decoded pixels
 * read back and drawn, after an untimed warm-up (shader compiles and pools are first-use costs,
 * not frame costs):
 *   - image: progressive renders of a picture (the runtime's RenderJob) under a fixed budget,
 *     at each budget of the stress ramp and at the recommended one;
 *   - video: a clip played frame by frame, one whole frame decoded per animation frame.
 */
import type { DecodeEngine, EngineModel } from '../../../../src/engine/engine.js';
import { regionCost } from '../../../../src/model/cost.js';
import type { AsmrModel } from '../../../../src/model/types.js';
import { frameRegion } from '../../../../src/render/canvas.js';
import { EngineTileSource } from '../../../../src/render/engine-source.js';
import { renderProgressive } from '../../../../src/render/render-job.js';
import { FrameRecorder, nextFrame } from './frame-recorder.js';
import { framesPerSecond, missedFrames, summarize } from './stats.js';
import type { FrameSample, WorkloadResult } from './types.js';

type Canvas = HTMLCanvasElement;

/**
 * Runs `warmup` untimed, then `body` while recording animation frames and long tasks; builds
 * the workload's result.
 */
async function recorded(
  name: WorkloadResult['name'],
  label: string,
  refreshMs: number,
  warmup: () => Promise<unknown>,
  body: () => Promise<FrameSample[]>,
): Promise<WorkloadResult> {
  const w0 = performance.now();
  await warmup();
  const warmupMs = performance.now() - w0;
  const recorder = new FrameRecorder();
  recorder.start();
  let frames: FrameSample[];
  try {
    frames = await body();
  } catch (e) {
    recorder.stop();
    throw e;
  }
  const { intervals, longTasks } = recorder.stop();
  return {
    name,
    label,
    frames,
    summary: summarize(frames.map((f) => f.ms)),
    intervals,
    missedFrames: missedFrames(intervals, refreshMs),
    longTasks: { count: longTasks.length, totalMs: longTasks.reduce((a, b) => a + b, 0), longestMs: Math.max(0, ...longTasks) },
    fps: framesPerSecond(intervals),
    warmupMs,
  };
}

function draw(canvas: Canvas, rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, x = 0, y = 0): void {
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, width, height), x, y);
}

/** Longest warm-up render: enough for first-use costs, short of a whole render at small budgets. */
const IMAGE_WARMUP_MS = 3000;

/**
 * Progressive renders of `model` with a fixed budget, one after another (the activation cache
 * emptied before each, as for a fresh picture), until `minFrames` frames were measured; the
 * warm-up, where asked for, is the start of one render (up to 3 s).
 */
export function imageWorkload(
  engine: DecodeEngine,
  model: AsmrModel,
  outputRange: readonly [number, number],
  canvas: Canvas,
  budget: number,
  minFrames: number,
  refreshMs: number,
  name: string,
  warmup: boolean,
): Promise<WorkloadResult> {
  const source = new EngineTileSource(() => Promise.resolve(engine));
  const render = (signal?: AbortSignal) => {
    engine.clearCache();
    return renderProgressive(model, canvas, { source, budget, outputRange, ...(signal ? { signal } : {}) }).done;
  };
  const warm = async () => {
    if (!warmup) return;
    await render(AbortSignal.timeout(IMAGE_WARMUP_MS)).catch((e: unknown) => {
      if ((e as Error)?.name !== 'TimeoutError') throw e;
    });
  };
  return recorded('image', `progressive render of ${name}, budget ${Math.round(budget)} MAC/frame`, refreshMs, warm, async () => {
    const frames: FrameSample[] = [];
    while (frames.length < minFrames) {
      for (const f of (await render()).frames) frames.push({ ms: f.ms, macs: f.spent });
    }
    return frames;
  });
}

/** Plays the clip frame by frame (looping) for `count` animation frames. */
export function videoWorkload(
  engine: DecodeEngine,
  clip: EngineModel,
  canvas: Canvas,
  count: number,
  refreshMs: number,
  name: string,
): Promise<WorkloadResult> {
  const [frames, height, width] = clip.spec.shape as [number, number, number];
  if (clip.spec.shape.length !== 3) throw new RangeError('the video workload plays a clip (3 axes)');
  canvas.width = width;
  canvas.height = height;
  const show = async (t: number) => draw(canvas, await engine.decodeRgba(clip, frameRegion(clip.spec, t)), width, height);
  return recorded(
    'video',
    `playback of ${name}, one whole frame per animation frame`,
    refreshMs,
    () => show(0),
    async () => {
      const out: FrameSample[] = [];
      for (let i = 0; i < count; i++) {
        const t = i % frames;
        await nextFrame();
        const t0 = performance.now();
        await show(t);
        out.push({ ms: performance.now() - t0, macs: regionCost(clip.spec, frameRegion(clip.spec, t)).macs });
      }
      return out;
    },
  );
}
