/**
 * Checks of the trainer's maths against the float64 oracle: the analytic loss and gradients of
 * one step, and central differences of the oracle's loss over each tensor's entries.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { decodeOracle, mulberry32, type AsmrModel } from '../../../src/model/index.js';
import { disposeForward, lastLevelForward, lastLevelGrads, residualL1, sampleMask, targetTensor } from '../../../src/train/last-level.js';
import { permuteRows } from '../../../src/train/level-tables.js';
import { AsmrNetwork, disposePass } from '../../../src/train/network.js';
import type { TrainSignal } from '../../../src/train/signal.js';

export function randomSignal(shape: number[], channels: number, seed: number): TrainSignal {
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = mulberry32(seed);
  return { shape, channels, data: Float32Array.from({ length: n * channels }, () => rng()) };
}

/** Mean squared error of a model against a signal, in float64 through the oracle. */
export function oracleLoss(model: AsmrModel, target: Float32Array): number {
  const y = decodeOracle(model);
  let sq = 0;
  for (let i = 0; i < target.length; i++) sq += (y[i]! - target[i]!) ** 2;
  return sq / target.length;
}

/** Loss and every gradient (by variable name, without the network prefix) on `samples` (null: all). */
export function analyticGrads(model: AsmrModel, signal: TrainSignal, samples: Int32Array | null, headWeight = 0) {
  const { channels } = model.spec;
  const net = new AsmrNetwork(model);
  const { order, prefixCount, tupleCount } = net.tables;
  const parents = prefixCount[prefixCount.length - 2]!;
  const tuples = tupleCount[tupleCount.length - 1]!;
  const target = targetTensor(permuteRows(signal.data, channels, order, false), parents, tuples, channels);
  const mask = samples ? sampleMask(samples, parents, tuples) : null;
  const pass = net.forward();
  const last = net.lastLayer;
  const f = lastLevelForward(pass.a, pass.b, last.weight, last.bias);
  const residual = residualL1(f, target).dataSync() as Float32Array;
  const g = lastLevelGrads(f, target, mask, samples ? samples.length : order.length);
  const means = net.hasHeads ? net.blockMeans(target) : [];
  const heads = net.hasHeads ? net.headGrads(pass, means, headWeight) : undefined;
  const grads = { ...net.coarseGrads(pass, g.a, g.b, heads?.dh), ...heads?.grads };
  const analytic: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(grads)) analytic[name.slice(name.indexOf('/') + 1)] = t.dataSync() as Float32Array;
  const lastIndex = model.weights.layers.length - 1;
  analytic[`layer${lastIndex}.weight`] = g.weight.dataSync() as Float32Array;
  analytic[`layer${lastIndex}.bias`] = g.bias.dataSync() as Float32Array;
  const loss = g.loss.dataSync()[0]! + (heads ? heads.loss.dataSync()[0]! : 0);
  disposeForward(f);
  disposePass(pass);
  tf.dispose([target, ...means, ...(mask ? [mask] : []), ...Object.values(grads), ...Object.values(g), ...(heads ? [heads.loss, ...heads.dh] : [])]);
  net.dispose();
  return { loss, analytic, residual, order };
}

/** Checks every tensor's first and last gradient entry against central differences of `lossOf`. */
export function checkAgainstDifferences(model: AsmrModel, analytic: Record<string, Float32Array>, lossOf: () => number): void {
  const tensors: [string, Float32Array][] = [
    ...model.weights.layers.flatMap((l, i): [string, Float32Array][] => [
      [`layer${i}.weight`, l.weight],
      [`layer${i}.bias`, l.bias],
    ]),
    ...model.weights.modulators.map((m, i): [string, Float32Array] => [`modulator${i}`, m]),
    ...(model.weights.heads ?? []).flatMap((l, j): [string, Float32Array][] => [
      [`head${j + 1}.weight`, l.weight],
      [`head${j + 1}.bias`, l.bias],
    ]),
  ];
  for (const [name, values] of tensors) {
    // A modulator weight is multiplied by s * w = 900 before the sine: a smaller step.
    const eps = name.startsWith('modulator') ? 1e-6 : 1e-4;
    for (const i of [0, values.length - 1]) {
      const keep = values[i]!;
      values[i] = keep + eps;
      const up = lossOf();
      values[i] = keep - eps;
      const down = lossOf();
      values[i] = keep;
      const numeric = (up - down) / (2 * eps);
      const got = analytic[name]![i]!;
      assert.ok(Math.abs(got - numeric) <= 2e-3 * Math.max(1, Math.abs(numeric)), `${name}[${i}]: ${got} vs ${numeric}`);
    }
  }
}
