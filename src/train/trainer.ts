/**
 * The training loop: Adam with a cosine learning rate on the MSE, full batch (`uniform`) or
 * with Implicit Neural Teaching (`int`): at the steps its interval strategy names, a full
 * forward pass ranks every sample by its L1 residual and the top share (its ratio schedule)
 * is trained on until the next selection. The clock counts training only; the evaluations
 * that draw the PSNR curve are excluded for both teachers alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InrTrainError } from '../errors.js';
import { randomModel } from '../model/random.js';
import type { AsmrModel, AsmrSpec } from '../model/types.js';
import { lastLevelEval, lastLevelGrads, permuteRows } from './last-level.js';
import { AsmrNetwork, disposePass } from './network.js';
import { type IntervalStrategy, type RatioSchedule, cosineLr, ratioAt, selectsAt } from './schedules.js';
import { topK } from './select.js';
import { checkSignal, type TrainSignal } from './signal.js';

export type Teacher = 'int' | 'uniform';

export interface TrainOptions {
  /** Model layout; `spec.shape` and `spec.channels` must match the signal. */
  spec: AsmrSpec;
  iterations: number;
  /** Peak learning rate (cosine-annealed to 0). Default 5e-4 as the reference. */
  lr?: number;
  teacher?: Teacher;
  ratioSchedule?: RatioSchedule;
  /** The teacher's starting ratio. Default 0.2. */
  startRatio?: number;
  interval?: IntervalStrategy;
  seed?: number;
  /** Stop as soon as an evaluation reaches this PSNR (dB, clamped output). */
  targetPsnr?: number;
  /** Evaluate (for the curve and the target) every this many iterations. Default 50. */
  evalEvery?: number;
  /** Pass each evaluation's decode to onProgress (for a live preview). */
  previews?: boolean;
  /** Start from these weights instead of a seeded SIREN initialisation. */
  init?: AsmrModel;
  onProgress?: (p: TrainProgress) => void;
  abort?: AbortSignal;
}

export interface CurvePoint {
  /** Training seconds so far (evaluations excluded). */
  seconds: number;
  iteration: number;
  psnr: number;
}

export interface TrainProgress extends CurvePoint {
  iterations: number;
  loss: number;
  ratio: number;
  /** With `previews`: the current decode, [samples, channels] row-major, unclamped. */
  output?: Float32Array;
}

export interface TrainResult {
  model: AsmrModel;
  iterations: number;
  seconds: number;
  finalPsnr: number;
  curve: CurvePoint[];
  /** The decode the final PSNR was measured on: [samples, channels], unclamped. */
  output: Float32Array;
}

export function psnrFromMse(mse: number): number {
  return mse > 0 ? -10 * Math.log10(mse) : Infinity;
}

/** Adam whose learning rate can follow a schedule (tfjs keeps it in a protected field). */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

export async function trainAsmr(signal: TrainSignal, opts: TrainOptions): Promise<TrainResult> {
  checkSignal(signal);
  const { spec, iterations } = opts;
  if (spec.shape.join('x') !== signal.shape.join('x') || spec.channels !== signal.channels) {
    throw new InrTrainError('bad-spec', `model ${spec.shape.join('x')}x${spec.channels} does not match the signal ${signal.shape.join('x')}x${signal.channels}`);
  }
  if (spec.bases[0]!.length < 2) throw new InrTrainError('bad-spec', 'needs at least 2 levels');
  if (!Number.isInteger(iterations) || iterations < 1) throw new InrTrainError('bad-option', `iterations must be a positive integer, not ${iterations}`);
  const lr = opts.lr ?? 5e-4;
  const teacher = opts.teacher ?? 'int';
  const schedule = opts.ratioSchedule ?? 'step';
  const startRatio = opts.startRatio ?? 0.2;
  const interval = opts.interval ?? 'incremental';
  const evalEvery = opts.evalEvery ?? 50;
  if (!(startRatio > 0 && startRatio <= 1)) throw new InrTrainError('bad-option', `start ratio must be in (0, 1], not ${startRatio}`);

  const net = new AsmrNetwork(opts.init ?? randomModel(spec, opts.seed ?? 0));
  const optimizer = new ScheduledAdam(lr, 0.9, 0.999, 1e-8);
  const order = net.tables.order;
  const target = permuteRows(signal.data, signal.channels, order, false);
  const samples = order.length;
  const curve: CurvePoint[] = [];
  let seconds = 0;
  let subset: Int32Array | null = null;
  let ratio = 1;
  let lastLoss = NaN;

  const evaluate = async (iteration: number) => {
    const ev = lastLevelEval(await net.lastLevelInputs(), target, opts.previews === true);
    const point = { seconds, iteration, psnr: psnrFromMse(ev.mseClamped) };
    curve.push(point);
    const output = ev.output ? permuteRows(ev.output, signal.channels, order, true) : undefined;
    opts.onProgress?.({ ...point, iterations, loss: lastLoss, ratio, ...(output ? { output } : {}) });
    return point;
  };

  try {
    let done = 0;
    await evaluate(0);
    for (let t = 0; t < iterations; t++) {
      if (opts.abort?.aborted) throw new InrTrainError('aborted', 'training was aborted');
      const start = performance.now();
      optimizer.setLearningRate(cosineLr(lr, t, iterations));
      const { inputs, pass } = await net.forward();
      if (teacher === 'int' && selectsAt(interval, t, iterations)) {
        ratio = ratioAt(schedule, t, iterations, startRatio);
        const k = Math.max(1, Math.round(ratio * samples));
        subset = k >= samples ? null : topK(lastLevelEval(inputs, target, false).residual, k);
      }
      const g = lastLevelGrads(inputs, target, teacher === 'int' ? subset : null);
      if (!Number.isFinite(g.loss)) {
        disposePass(pass);
        throw new InrTrainError('nan-loss', `the loss became ${g.loss} at iteration ${t}; try a lower --lr`);
      }
      lastLoss = g.loss;
      const grads = net.coarseGrads(pass, g.a, g.b);
      disposePass(pass);
      const last = net.lastLayer;
      grads[last.weight.name] = tf.tensor2d(g.weight, last.weight.shape as [number, number]);
      grads[last.bias.name] = tf.tensor1d(g.bias);
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose(Object.values(grads));
      seconds += (performance.now() - start) / 1000;
      done = t + 1;
      if (done % evalEvery === 0 || done === iterations) {
        const point = await evaluate(done);
        if (opts.targetPsnr !== undefined && point.psnr >= opts.targetPsnr) break;
      }
    }
    const model = await net.toModel();
    const final = lastLevelEval(await net.lastLevelInputs(), target, true);
    const output = permuteRows(final.output!, signal.channels, order, true);
    return { model, iterations: done, seconds, finalPsnr: psnrFromMse(final.mseClamped), curve, output };
  } finally {
    net.dispose();
    optimizer.dispose();
  }
}
