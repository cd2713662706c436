/**
 * The training loop: Adam with a cosine learning rate on the MSE, full batch (`uniform`) or
 * with Implicit Neural Teaching (`int`): at the steps its interval strategy names, a full
 * forward pass ranks every sample by its L1 residual and the top share (its ratio schedule)
 * is trained on until the next selection. The clock counts training only; the evaluations
 * that draw the PSNR curve are excluded for both teachers alike.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InrTrainError } from '../util/errors.js';
import { MAX_CODED_BITS, MIN_CODED_BITS } from '../format/coded.js';
import { codedModel } from '../format/coded-model.js';
import type { AsmrModel, AsmrSpec } from '../model/types.js';
import { disposeForward, lastLevelForward, lastLevelGrads, residualL1, sampleMask, targetTensor } from './last-level.js';
import { permuteRows } from './level-tables.js';
import { AsmrNetwork, disposePass } from './network.js';
import { QuantisedWeights } from './qat.js';
import { type IntervalStrategy, type RatioSchedule, cosineLr, ratioAt, selectsAt } from './schedules.js';
import { topK } from './select.js';
import { checkSignal, type TrainSignal } from './signal.js';
import { type OutputBias, startingModel } from './start.js';

export type Teacher = 'int' | 'uniform';

/** Training gives its thread's event loop a turn at least this often (outside the clock). */
const YIELD_EVERY_MS = 100;

export interface TrainOptions {
  /** Model layout; `spec.shape` and `spec.channels` must match the signal. */
  spec: AsmrSpec;
  iterations: number;
  /** Peak learning rate. Default 5e-4 as the reference. */
  lr?: number;
  /**
   * The learning rate the cosine schedule ends at. Default 1e-5, as the reference's
   * CosineAnnealingLR(eta_min = 1e-5); never above `lr`.
   */
  minLr?: number;
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
  /**
   * The last layer's starting bias: the target's mean per channel (default), or the
   * reference's random one (start.ts says why the default differs).
   */
  outputBias?: OutputBias;
  /** Start from these weights instead of the seeded start (start.ts). */
  init?: AsmrModel;
  /**
   * Train level heads (docs/MODEL.md, "Level heads") with this weight on their loss: each head's
   * mean squared error against the target's block means of its level, times this, is added to
   * the picture's. 0 or absent: no heads (unless `init` has them, then DEFAULT_HEAD_WEIGHT).
   */
  headWeight?: number;
  /** Quantisation-aware training in the run's last steps (qat.ts); the result is then the quantised model. */
  quantise?: QuantiseOptions;
  onProgress?: (p: TrainProgress) => void;
  abort?: AbortSignal;
}

export interface QuantiseOptions {
  /** Bits per code of the hidden layers' weights, as the coded dtype `q{bits}` stores them: 2..16. */
  bits: number;
  /** The last this many of the run's iterations train through the quantiser (1..iterations). */
  iterations: number;
  /** The phase's learning rate, cosine-annealed to `minLr` over the phase; default: the run's own schedule goes on. */
  lr?: number;
}

export interface CurvePoint {
  /** Training seconds so far (evaluations excluded). */
  seconds: number;
  iteration: number;
  /** Of the quantised weights in the quantisation-aware phase. */
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
  /** With `quantise`: the quantised weights, exactly what a `q{bits}` file of it decodes to. */
  model: AsmrModel;
  iterations: number;
  seconds: number;
  finalPsnr: number;
  curve: CurvePoint[];
  /** The decode the final PSNR was measured on: [samples, channels], unclamped. */
  output: Float32Array;
  /** With level heads: levelPsnr[j], the PSNR (clamped) of level j+1's head picture against the target's level-(j+1) block means. */
  levelPsnr?: number[];
}

/** The heads' loss weight when a model starts with heads and no weight is given (docs/TRAINING.md, "Level heads"). */
export const DEFAULT_HEAD_WEIGHT = 1;

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
    throw new InrTrainError(
      'bad-spec',
      `model ${spec.shape.join('x')}x${spec.channels} does not match the signal ${signal.shape.join('x')}x${signal.channels}`,
    );
  }
  if (spec.bases[0]!.length < 2) throw new InrTrainError('bad-spec', 'needs at least 2 levels');
  if (!Number.isInteger(iterations) || iterations < 1) throw new InrTrainError('bad-option', `iterations must be a positive integer, not ${iterations}`);
  const lr = opts.lr ?? 5e-4;
  const minLr = Math.min(lr, opts.minLr ?? 1e-5);
  const teacher = opts.teacher ?? 'int';
  const schedule = opts.ratioSchedule ?? 'step';
  const startRatio = opts.startRatio ?? 0.2;
  const interval = opts.interval ?? 'incremental';
  const evalEvery = opts.evalEvery ?? 50;
  if (!(minLr >= 0)) throw new InrTrainError('bad-option', `the final learning rate must be >= 0, not ${minLr}`);
  if (!(startRatio > 0 && startRatio <= 1)) throw new InrTrainError('bad-option', `start ratio must be in (0, 1], not ${startRatio}`);
  const qat = opts.quantise;
  if (qat) checkQuantise(qat, iterations);
  /** The first step of the quantisation-aware phase (iterations: none). */
  const qatStart = qat ? iterations - qat.iterations : iterations;

  const headWeight = opts.headWeight ?? (opts.init?.weights.heads ? DEFAULT_HEAD_WEIGHT : 0);
  if (!(headWeight >= 0)) throw new InrTrainError('bad-option', `the heads' loss weight must be >= 0, not ${headWeight}`);
  const net = new AsmrNetwork(
    opts.init ?? startingModel(spec, signal, opts.seed ?? 0, { outputBias: opts.outputBias, levelHeads: headWeight > 0 && spec.widths.length > 1 }),
  );
  const swap = qat ? new QuantisedWeights(net, qat.bits) : null;
  let quantised = false;
  const optimizer = new ScheduledAdam(lr, 0.9, 0.999, 1e-8);
  const { order, prefixCount, tupleCount } = net.tables;
  const parents = prefixCount[prefixCount.length - 2]!;
  const tuples = tupleCount[tupleCount.length - 1]!;
  const target = targetTensor(permuteRows(signal.data, signal.channels, order, false), parents, tuples, signal.channels);
  const means = net.hasHeads ? net.blockMeans(target) : [];
  const samples = order.length;
  const curve: CurvePoint[] = [];
  let seconds = 0;
  /** The teacher's current choice (null: every sample) and how many it holds. */
  let mask: tf.Tensor3D | null = null;
  let count = samples;
  let ratio = 1;
  let lastLoss = NaN;

  /** The whole forward pass: the coarse levels (kept for their backward) and the last level. */
  const forward = () => {
    const pass = net.forward();
    const last = net.lastLayer;
    return { pass, f: tf.tidy(() => lastLevelForward(pass.a, pass.b, last.weight, last.bias)) };
  };

  /** PSNR (clamped output) of the current weights (quantised in that phase), and the decode (row-major) when asked. */
  const measure = async (keepOutput: boolean) => {
    if (quantised) await swap!.swapIn();
    const { pass, f } = forward();
    const heads = keepOutput && net.hasHeads ? net.headMse(pass, means) : [];
    if (quantised) swap!.swapOut();
    disposePass(pass);
    const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(tf.clipByValue(f.y, 0, 1), target))));
    const y = keepOutput ? tf.transpose(f.y, [0, 2, 1]) : null;
    disposeForward(f);
    const mseClamped = (await mse.data())[0]!;
    const output = y ? permuteRows((await y.data()) as Float32Array, signal.channels, order, true) : undefined;
    const levelPsnr = await Promise.all(heads.map(async (m) => psnrFromMse((await m.data())[0]!)));
    tf.dispose([mse, ...heads, ...(y ? [y] : [])]);
    return { psnr: psnrFromMse(mseClamped), output, levelPsnr };
  };

  const evaluate = async (iteration: number) => {
    const { psnr, output } = await measure(opts.previews === true);
    const point = { seconds, iteration, psnr };
    curve.push(point);
    opts.onProgress?.({ ...point, iterations, loss: lastLoss, ratio, ...(output ? { output } : {}) });
    return point;
  };

  try {
    let done = 0;
    await evaluate(0);
    let yielded = performance.now();
    for (let t = 0; t < iterations; t++) {
      // On tfjs's CPU backends a step's awaits resolve as microtasks, so without this a worker
      // would never read its messages (a Stop among them) until training ended.
      if (performance.now() - yielded > YIELD_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yielded = performance.now();
      }
      if (opts.abort?.aborted) throw new InrTrainError('aborted', 'training was aborted');
      const start = performance.now();
      quantised = t >= qatStart;
      const phaseLr = quantised && qat?.lr !== undefined ? cosineLr(qat.lr, t - qatStart, iterations - qatStart, minLr) : cosineLr(lr, t, iterations, minLr);
      optimizer.setLearningRate(phaseLr);
      // Straight-through: the loss and its gradients at the quantised weights, applied to the float ones.
      if (quantised) await swap!.swapIn();
      const { pass, f } = forward();
      if (teacher === 'int' && selectsAt(interval, t, iterations)) {
        // The selection reads the residuals of this step's own forward pass: the weights it
        // ranks by are the ones a separate full forward would see.
        ratio = ratioAt(schedule, t, iterations, startRatio);
        const k = Math.max(1, Math.round(ratio * samples));
        mask?.dispose();
        mask = null;
        count = samples;
        if (k < samples) {
          const residual = tf.tidy(() => residualL1(f, target));
          const chosen = topK((await residual.data()) as Float32Array, k);
          residual.dispose();
          mask = sampleMask(chosen, parents, tuples);
          count = k;
        }
      }
      const g = tf.tidy(() => lastLevelGrads(f, target, mask, count));
      disposeForward(f);
      const loss = (await g.loss.data())[0]!;
      if (!Number.isFinite(loss)) {
        disposePass(pass);
        tf.dispose(Object.values(g));
        throw new InrTrainError('nan-loss', `the loss became ${loss} at iteration ${t}; try a lower --lr`);
      }
      lastLoss = loss;
      const heads = net.hasHeads ? net.headGrads(pass, means, headWeight) : undefined;
      const grads = { ...net.coarseGrads(pass, g.a, g.b, heads?.dh), ...heads?.grads };
      disposePass(pass);
      if (quantised) swap!.swapOut();
      grads[net.lastLayer.weight.name] = g.weight;
      grads[net.lastLayer.bias.name] = g.bias;
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose([...Object.values(grads), g.loss, g.a, g.b, ...(heads ? [heads.loss, ...heads.dh] : [])]);
      seconds += (performance.now() - start) / 1000;
      done++;
      if (done % evalEvery === 0 || t + 1 === iterations) {
        const point = await evaluate(done);
        if (opts.targetPsnr !== undefined && point.psnr >= opts.targetPsnr) {
          if (!qat || quantised) break;
          // The float weights reached the target: the quantisation-aware phase (the schedule's tail) comes next.
          t = qatStart - 1;
        }
      }
    }
    const float = await net.toModel();
    const model = qat ? codedModel(float, qat.bits) : float;
    quantised = qat !== undefined;
    const final = await measure(true);
    return { model, iterations: done, seconds, finalPsnr: final.psnr, curve, output: final.output!, ...(net.hasHeads ? { levelPsnr: final.levelPsnr } : {}) };
  } finally {
    net.dispose();
    optimizer.dispose();
    tf.dispose([target, ...means, ...(mask ? [mask] : [])]);
  }
}

function checkQuantise(q: QuantiseOptions, iterations: number): void {
  if (!Number.isInteger(q.bits) || q.bits < MIN_CODED_BITS || q.bits > MAX_CODED_BITS) {
    throw new InrTrainError('bad-option', `bits must be an integer in ${MIN_CODED_BITS}..${MAX_CODED_BITS}, not ${q.bits}`);
  }
  if (!Number.isInteger(q.iterations) || q.iterations < 1 || q.iterations > iterations) {
    throw new InrTrainError('bad-option', `the quantisation-aware phase must be 1..${iterations} iterations, not ${q.iterations}`);
  }
  if (q.lr !== undefined && !(q.lr > 0)) throw new InrTrainError('bad-option', `the quantisation-aware learning rate must be > 0, not ${q.lr}`);
}
