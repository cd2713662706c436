/**
 * `inrstream train INPUT -o M.inr`: fits ASMR to an image, a folder of frames or a .y4m clip
 * (Implicit Neural Teaching by default) and writes the .inr with its provenance.
 */
import { SingleBar } from 'cli-progress';
import { basename } from 'node:path';
import { codedDtype } from '../../../../src/format/coded.js';
import type { InrDtype } from '../../../../src/format/types.js';
import { readTrainInput } from '../media/node-input.js';
import { modelCost } from '../../../../src/model/cost.js';
import { MODEL_LIMITS } from '../../../../src/model/spec.js';
import { useNodeBackend } from '../train/backend-node.js';
import { encodeTrained, encodeTrainedSegments } from '../../../../src/train/encode.js';
import { parseBases } from '../../../../src/train/factorize.js';
import { planModel } from '../../../../src/train/plan.js';
import { INTERVALS, RATIO_SCHEDULES } from '../../../../src/train/schedules.js';
import { joinFrames, splitFrames } from '../../../../src/train/segments.js';
import type { OutputBias } from '../../../../src/train/start.js';
import { type CurvePoint, DEFAULT_HEAD_WEIGHT, type Teacher, type TrainResult, trainAsmr } from '../../../../src/train/trainer.js';
import { InrTrainError } from '../../../../src/util/errors.js';
import { UsageError, writeOutput } from './io.js';
import { quantiseOptions, sizeFor, sizingReport, targetOptions } from './train-sizing.js';

export interface TrainCliOptions {
  output: string;
  bases?: string;
  levels?: string;
  hidden?: string;
  iters: string;
  lr: string;
  minLr: string;
  outputBias: string;
  teacher: string;
  ratioSchedule: string;
  startRatio: string;
  interval: string;
  seed: string;
  targetPsnr?: string;
  dtype: string;
  bits?: string;
  qatIters?: string;
  qatLr?: string;
  targetBytes?: string;
  bpp?: string;
  fit: string;
  frames?: string;
  maxPixels?: string;
  segmentFrames?: string;
  evalEvery: string;
  levelHeads?: string;
  json?: boolean;
}

function int(name: string, v: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`}, not "${v}"`);
  }
  return n;
}

/** `--bases` as written: a malformed list is a usage mistake (exit 2), not a failed run. */
function bases(v: string): number[][] {
  try {
    return parseBases(v);
  } catch (e) {
    if (e instanceof InrTrainError) throw new UsageError(`--bases: ${e.message}`);
    throw e;
  }
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`${name} must be a positive number, not "${v}"`);
  return n;
}

function nonNegative(name: string, v: string): number {
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= 0)) throw new UsageError(`${name} must be a number >= 0, not "${v}"`);
  return n;
}

function oneOf<T extends string>(name: string, v: string, list: readonly T[]): T {
  const found = list.find((x) => x === v);
  if (!found) throw new UsageError(`${name} must be one of ${list.join(', ')}, not "${v}"`);
  return found;
}

/** The level heads' pictures, as the line reports them (the first segment's). */
function levelNote(results: TrainResult[]): string {
  const levels = results[0]!.levelPsnr;
  return levels === undefined ? '' : `, level heads ${levels.map((p, j) => `${j + 1}: ${p.toFixed(2)}`).join(', ')} dB`;
}

export async function trainCommand(input: string, o: TrainCliOptions, progress: boolean): Promise<string> {
  const opts = {
    // The model's own limits (docs/MODEL.md), checked before anything is sized by them.
    levels: o.levels === undefined ? undefined : int('--levels', o.levels, 2, MODEL_LIMITS.maxLevels),
    hidden: o.hidden === undefined ? 64 : int('--hidden', o.hidden, 1, MODEL_LIMITS.maxWidth),
    iterations: int('--iters', o.iters, 1),
    lr: positive('--lr', o.lr),
    minLr: nonNegative('--min-lr', o.minLr),
    outputBias: oneOf<OutputBias>('--output-bias', o.outputBias, ['mean', 'reference']),
    teacher: oneOf<Teacher>('--teacher', o.teacher, ['int', 'uniform']),
    ratioSchedule: oneOf('--ratio-schedule', o.ratioSchedule, RATIO_SCHEDULES),
    startRatio: positive('--start-ratio', o.startRatio),
    interval: oneOf('--interval', o.interval, INTERVALS),
    seed: int('--seed', o.seed, 0),
    targetPsnr: o.targetPsnr === undefined ? undefined : positive('--target-psnr', o.targetPsnr),
    dtype: oneOf<InrDtype>('--dtype', o.dtype, ['f32', 'f16', 'int8']),
    fit: oneOf('--fit', o.fit, ['crop', 'pad', 'none'] as const),
    evalEvery: int('--eval-every', o.evalEvery, 1),
  };
  if (opts.startRatio > 1) throw new UsageError(`--start-ratio must be at most 1, not ${opts.startRatio}`);
  const quantise = quantiseOptions(o, opts.iterations, opts.lr);
  if (quantise && o.dtype !== 'f32') throw new UsageError('--bits stores its own coded dtype: leave out --dtype');
  const dtype: InrDtype = quantise ? codedDtype(quantise.bits) : opts.dtype;
  const target = targetOptions(o);
  const layout = o.bases === undefined ? undefined : bases(o.bases);
  const maxFrames = o.frames === undefined ? Infinity : int('--frames', o.frames, 1);
  const segmentFrames = o.segmentFrames === undefined ? undefined : int('--segment-frames', o.segmentFrames, 1);

  const maxPixels = o.maxPixels === undefined ? undefined : int('--max-pixels', o.maxPixels, 1);
  const source = await readTrainInput(input, { maxFrames, ...(maxPixels === undefined ? {} : { maxPixels }) });
  if (segmentFrames !== undefined && source.kind !== 'video') throw new UsageError('--segment-frames needs a clip (a .y4m or a folder of frames)');
  // Level heads by default on pictures only: the video player plays whole segments, so heads
  // would be bytes it never shows (docs/TRAINING.md, "Level heads").
  const headWeight = o.levelHeads === undefined ? (source.kind === 'video' ? 0 : DEFAULT_HEAD_WEIGHT) : nonNegative('--level-heads', o.levelHeads);
  // Each segment is planned alone: equal shapes give the same bases and the same crop.
  const pieces = segmentFrames === undefined ? [source.signal] : splitFrames(source.signal, segmentFrames);
  const provenanceOf = (iterations: number, seconds: number, backendName: string) => ({
    method: 'asmr-train',
    createdBy: 'inrstream train',
    source: basename(input),
    teacher: opts.teacher,
    ...(opts.teacher === 'int' ? { ratioSchedule: opts.ratioSchedule, startRatio: opts.startRatio, interval: opts.interval } : {}),
    iterations,
    seconds: Math.round(seconds * 10) / 10,
    lr: opts.lr,
    minLr: Math.min(opts.lr, opts.minLr),
    outputBias: opts.outputBias,
    seed: opts.seed,
    headWeight,
    ...(quantise ? { bits: quantise.bits, qatIterations: quantise.iterations, qatLr: quantise.lr ?? opts.lr } : {}),
    ...(segmentFrames === undefined ? {} : { segmentFrames }),
    backend: `tfjs-${backendName}`,
  });
  const meta = { kind: source.kind, ...(source.fps ? { fps: source.fps } : {}) };
  // Sizing lays the header out with the provenance it will carry (numbers at a typical length).
  const sizing =
    target === undefined
      ? undefined
      : sizeFor(target, source.signal.shape, pieces[0]!, {
          dtype,
          levels: opts.levels,
          fit: opts.fit,
          segments: pieces.length,
          heads: headWeight > 0,
          meta: { ...meta, provenance: { ...provenanceOf(opts.iterations, 99999.9, 'wasm'), psnr: 99.999 } },
        });
  const levels = sizing?.chosen.levels ?? opts.levels ?? 4;
  const hidden = sizing?.chosen.hidden ?? opts.hidden;
  const plans = pieces.map((signal) => planModel(signal, { bases: layout, levels, hidden, fit: opts.fit }));
  const plan = plans[0]!;
  const backend = await useNodeBackend();
  const total = opts.iterations * plans.length;
  const bar = progress ? new SingleBar({ format: 'train [{bar}] {value}/{total} | {psnr} dB | {seconds}s | ETA {eta_formatted}', hideCursor: true }) : null;
  bar?.start(total, 0, { psnr: '-', seconds: '0' });
  const results: TrainResult[] = [];
  let before = 0;
  try {
    for (const [k, p] of plans.entries()) {
      const done = before;
      const r = await trainAsmr(p.signal, {
        ...opts,
        headWeight,
        ...(quantise ? { quantise } : {}),
        spec: p.spec,
        onProgress: (q) => bar?.update(k * opts.iterations + q.iteration, { psnr: q.psnr.toFixed(2), seconds: (done + q.seconds).toFixed(0) }),
      });
      before += r.seconds;
      results.push(r);
    }
  } finally {
    bar?.stop();
  }
  const result = {
    iterations: results.reduce((n, r) => n + r.iterations, 0),
    seconds: before,
    // One curve: segment by segment, seconds running on.
    curve: results.flatMap((r, k) => {
      const offset = results.slice(0, k).reduce((n, q) => n + q.seconds, 0);
      return r.curve.map((c): CurvePoint => ({ ...c, seconds: c.seconds + offset }));
    }),
  };

  const provenance = { ...provenanceOf(result.iterations, result.seconds, backend), ...(plan.resize ? { resize: plan.resize } : {}) };
  const { bytes, psnr } =
    segmentFrames === undefined
      ? encodeTrained(results[0]!.model, plan.signal, meta, provenance, dtype)
      : encodeTrainedSegments(
          results.map((r) => r.model),
          joinFrames(plans.map((p) => p.signal)),
          meta,
          provenance,
          dtype,
        );
  await writeOutput(o.output, bytes);
  const cost = modelCost(plan.spec);
  const summary = {
    output: o.output,
    shape: segmentFrames === undefined ? plan.spec.shape : [plan.spec.shape[0]! * plans.length, ...plan.spec.shape.slice(1)],
    bases: plan.spec.bases,
    ...(segmentFrames === undefined
      ? {}
      : {
          segments: results.map((r, k) => ({
            frameStart: k * segmentFrames,
            frameCount: segmentFrames,
            iterations: r.iterations,
            seconds: r.seconds,
            psnr: r.finalPsnr,
          })),
        }),
    widths: plan.spec.widths,
    resize: plan.resize,
    teacher: opts.teacher,
    iterations: result.iterations,
    seconds: result.seconds,
    finalPsnr: psnr,
    ...(results[0]!.levelPsnr ? { levelPsnr: results[0]!.levelPsnr } : {}),
    curve: result.curve,
    macPerPx: cost.macPerPx,
    dtype,
    bytes: bytes.length,
    bpp: (8 * bytes.length) / source.signal.shape.reduce((a, b) => a * b, 1),
    ...(sizing ? { sizing } : {}),
    backend,
  };
  if (o.json) return JSON.stringify(summary);
  const line = `${o.output}: ${summary.shape.join('x')}${segmentFrames === undefined ? '' : ` in ${plans.length} segments`}, bases ${plan.spec.bases.map((a) => a.join(',')).join(';')}, ${plan.spec.widths[0]} wide, ${dtype}, ${result.iterations} iterations in ${result.seconds.toFixed(1)} s, ${psnr.toFixed(2)} dB, ${cost.macPerPx.toFixed(1)} MAC/px, ${bytes.length} bytes (${summary.bpp.toFixed(3)} bpp)${levelNote(results)}${plan.resize ? ` (${plan.resize})` : ''}`;
  return sizing ? `${sizingReport(sizing)}\n${line}` : line;
}
