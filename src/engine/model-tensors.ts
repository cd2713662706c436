/** A prepared model's weights as tensors on the active backend; disposed on release or device loss. */
import * as tf from '@tensorflow/tfjs-core';
import type { PreparedModel } from './prepared.js';

export class ModelTensors {
  readonly weightT: tf.Tensor2D[];
  readonly bias: tf.Tensor1D[];
  readonly mods: tf.Tensor2D[];
  /** W_last grouped for the GPU kernels, [4 * hidden4, 4]. */
  readonly lastGrouped: tf.Tensor2D;

  constructor(p: PreparedModel) {
    this.weightT = p.layers.map((l) => tf.tensor2d(l.weightT, [l.fanIn, l.out]));
    this.bias = p.layers.map((l) => tf.tensor1d(l.bias));
    this.mods = p.mods.map((m, i) => tf.tensor2d(m, [m.length / p.layers[i]!.out, p.layers[i]!.out]));
    this.lastGrouped = tf.tensor2d(p.lastGrouped, [p.hidden4 * 4, 4]);
  }

  dispose(): void {
    for (const t of [...this.weightT, ...this.bias, ...this.mods, this.lastGrouped]) {
      try {
        t.dispose();
      } catch {
        // A tensor of a lost device may fail to free; its backend is being replaced.
      }
    }
  }
}
