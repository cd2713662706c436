/**
 * An ASMR model as tfjs variables, trained through the level-by-level (shared) forward: the
 * coarse levels run one row per prefix; the last level, one row per sample, runs as dense
 * products (last-level.ts). Gradients meet in the middle: last-level.ts returns d loss / d A
 * and d loss / d B for the last level's inputs A = w Z and B = w s Mod, and the coarse levels'
 * backward pass is written out in tfjs ops (tfjs-core's gradient registry is an ES-module side
 * effect that Node's CommonJS build of tfjs-core does not load, and the chain is short:
 * matmul, sine, broadcast and their transposes).
 *
 * Products over the prefix rows never ask matMul to transpose an operand: tfjs's WASM matMul
 * is about 10x slower that way, and an explicit transpose of the operand costs far less.
 */
import * as tf from '@tensorflow/tfjs-core';
import { layerShapes } from '../model/spec.js';
import type { AsmrModel, AsmrSpec } from '../model/types.js';
import { buildLevelTables, type LevelTables } from './level-tables.js';

/** A type alias, not an interface, so tf.tidy accepts it as a tensor container. */
export type CoarseForward = {
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  /** Per hidden level i below the last: the sine's argument and its output. */
  pre: tf.Tensor2D[];
  h: tf.Tensor2D[];
};

export function disposePass(f: CoarseForward): void {
  tf.dispose([f.a, f.b, ...f.pre, ...f.h]);
}

/** tfjs variable names are global: each network prefixes its own ("net3/layer0.weight"). */
let networks = 0;

export class AsmrNetwork {
  readonly spec: AsmrSpec;
  readonly tables: LevelTables;
  private readonly layers: { weight: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> }[];
  private readonly modulators: tf.Variable[];
  /** Level heads (docs/MODEL.md, "Level heads"), when the model has them: heads[j] reads level j+1's activations. */
  private readonly heads: { weight: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> }[];
  private readonly coords: tf.Tensor2D[];

  constructor(init: AsmrModel) {
    this.spec = init.spec;
    this.tables = buildLevelTables(init.spec);
    const shapes = layerShapes(init.spec);
    const d = init.spec.shape.length;
    const prefix = `net${networks++}/`;
    this.layers = shapes.layers.map(([out, inp], i) => ({
      weight: tf.variable(tf.tensor2d(init.weights.layers[i]!.weight, [out, inp]), true, `${prefix}layer${i}.weight`),
      bias: tf.variable(tf.tensor1d(init.weights.layers[i]!.bias), true, `${prefix}layer${i}.bias`),
    }));
    this.modulators = shapes.modulators.map(([out, inp], i) =>
      tf.variable(tf.tensor2d(init.weights.modulators[i]!, [out, inp]), true, `${prefix}modulator${i}`),
    );
    this.heads = (init.weights.heads ?? []).map((head, j) => ({
      weight: tf.variable(tf.tensor2d(head.weight, shapes.heads[j]!), true, `${prefix}head${j + 1}.weight`),
      bias: tf.variable(tf.tensor1d(head.bias), true, `${prefix}head${j + 1}.bias`),
    }));
    const t = this.tables;
    this.coords = t.coords.map((c, l) => tf.tensor2d(c, [t.tupleCount[l]!, d]));
  }

  get hasHeads(): boolean {
    return this.heads.length > 0;
  }

  /**
   * The target's block means per level 1..L-2, what the heads are trained towards: [P_k, C],
   * rows parent-major like the level-k activations, from the target's [P_{L-2}, C, T] layout.
   * Level L-2 averages the tuples; each coarser level averages its children (the blocks of a
   * level are all the same size).
   */
  blockMeans(target: tf.Tensor3D): tf.Tensor2D[] {
    const { prefixCount, tupleCount } = this.tables;
    return tf.tidy(() => {
      const levels = prefixCount.length;
      const means: tf.Tensor2D[] = [];
      let m = tf.mean(target, 2) as tf.Tensor2D;
      for (let k = levels - 2; k >= 1; k--) {
        means[k - 1] = m;
        if (k > 1) m = tf.mean(tf.reshape(m, [prefixCount[k - 1]!, tupleCount[k]!, m.shape[1]]), 1) as tf.Tensor2D;
      }
      return means;
    });
  }

  /** Each head's mean squared error (clamped picture) against its level's block means: scalars to dispose. */
  headMse(f: CoarseForward, means: tf.Tensor2D[]): tf.Scalar[] {
    return tf.tidy(() =>
      this.heads.map((head, j) =>
        tf.mean(tf.square(tf.sub(tf.clipByValue(tf.add(tf.matMul(f.h[j]!, tf.transpose(head.weight)), head.bias), 0, 1), means[j]!))),
      ),
    );
  }

  /**
   * The level heads' share of the loss and its gradients: head j's picture (one row per
   * level-(j+1) prefix, parent-major as f.h[j]) against `means[j]`, that level's block means of
   * the target ([P_{j+1}, C]), as `weight` times their mean squared error. Returns the loss, the
   * heads' gradients by variable name, and d loss / d h[j] for coarseGrads.
   */
  headGrads(f: CoarseForward, means: tf.Tensor2D[], weight: number): { loss: tf.Scalar; grads: tf.NamedTensorMap; dh: tf.Tensor2D[] } {
    return tf.tidy(() => {
      const grads: tf.NamedTensorMap = {};
      const dh: tf.Tensor2D[] = [];
      let loss: tf.Scalar = tf.scalar(0);
      this.heads.forEach((head, j) => {
        const h = f.h[j]!;
        const diff = tf.sub(tf.add(tf.matMul(h, tf.transpose(head.weight)), head.bias), means[j]!);
        loss = tf.add(loss, tf.mul(tf.mean(tf.square(diff)), weight));
        const dY = tf.mul(diff, (2 * weight) / diff.size) as tf.Tensor2D;
        grads[head.weight.name] = tf.matMul(tf.transpose(dY), h);
        grads[head.bias.name] = tf.sum(dY, 0);
        dh.push(tf.matMul(dY, head.weight));
      });
      return { loss, grads, dh };
    });
  }

  /** The last layer's variables (trained from last-level.ts's gradients). */
  get lastLayer(): { weight: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> } {
    return this.layers[this.layers.length - 1]!;
  }

  /**
   * The coarse forward: A = w Z of the second-to-last level's prefixes and B = w s Mod of the
   * last level's digit tuples, with what the backward pass needs. Run inside tf.tidy.
   */
  private coarseForward(): CoarseForward {
    const { omegas, modScales } = this.spec;
    const coords = this.coords;
    const last = this.layers.length - 1;
    const modulation = (i: number) => tf.mul(tf.matMul(coords[i + 1]!, this.modulators[i]!, false, true), omegas[i]! * modScales[i]!) as tf.Tensor2D;
    let z: tf.Tensor2D = tf.add(tf.matMul(coords[0]!, this.layers[0]!.weight, false, true), this.layers[0]!.bias);
    const pre: tf.Tensor2D[] = [];
    const h: tf.Tensor2D[] = [];
    for (let i = 0; i < last - 1; i++) {
      // Parent-major rows: prefix k * T + q = parent k's row plus tuple q's modulation.
      const block = tf.add(tf.expandDims(tf.mul(z, omegas[i]!), 1), tf.expandDims(modulation(i), 0));
      pre.push(tf.reshape(block, [-1, this.spec.widths[i]!]));
      h.push(tf.sin(pre[i]!));
      const layer = this.layers[i + 1]!;
      z = tf.add(tf.matMul(h[i]!, tf.transpose(layer.weight)), layer.bias);
    }
    return { a: tf.mul(z, omegas[last - 1]!), b: modulation(last - 1), pre, h };
  }

  /** The coarse forward (its a and b feed the last level); dispose it after coarseGrads. */
  forward(): CoarseForward {
    return tf.tidy(() => this.coarseForward());
  }

  /**
   * Gradients of the coarse variables (by variable name) given the last level's d loss / d A and
   * d loss / d B: the forward above, run backwards level by level.
   */
  coarseGrads(f: CoarseForward, dA: tf.Tensor2D, dB: tf.Tensor2D, dh: tf.Tensor2D[] = []): tf.NamedTensorMap {
    return tf.tidy(() => {
      const { omegas, modScales } = this.spec;
      const coords = this.coords;
      const t = this.tables;
      const last = this.layers.length - 1;
      const hidden = (i: number) => this.spec.widths[i]!;
      const grads: tf.NamedTensorMap = {};
      // d loss / d Mod_i -> the modulator M_i (Mod_i = coords_{i+1} M_i^T).
      const modGrad = (i: number, dMod: tf.Tensor2D) => {
        grads[this.modulators[i]!.name] = tf.matMul(tf.mul(dMod, omegas[i]! * modScales[i]!), coords[i + 1]!, true, false);
      };
      let dZ: tf.Tensor2D = tf.mul(dA, omegas[last - 1]!);
      modGrad(last - 1, dB);
      for (let i = last - 2; i >= 0; i--) {
        const layer = this.layers[i + 1]!;
        grads[layer.weight.name] = tf.matMul(tf.transpose(dZ), f.h[i]!);
        grads[layer.bias.name] = tf.sum(dZ, 0);
        const fromHead = dh[i];
        const dH = tf.matMul(dZ, layer.weight);
        const dPre = tf.mul(fromHead ? tf.add(dH, fromHead) : dH, tf.cos(f.pre[i]!));
        // The transpose of the broadcast: sum the children into their parent and tuple rows.
        const block = tf.reshape(dPre, [t.prefixCount[i]!, t.tupleCount[i + 1]!, hidden(i)]);
        modGrad(i, tf.sum(block, 0));
        dZ = tf.mul(tf.sum(block, 1), omegas[i]!);
      }
      grads[this.layers[0]!.weight.name] = tf.matMul(dZ, coords[0]!, true, false);
      grads[this.layers[0]!.bias.name] = tf.sum(dZ, 0);
      return grads;
    });
  }

  /** The current weights as a plain model (the format the decoders and encodeInr take). */
  async toModel(): Promise<AsmrModel> {
    const layers = await Promise.all(
      this.layers.map(async (l) => ({ weight: (await l.weight.data()) as Float32Array, bias: (await l.bias.data()) as Float32Array })),
    );
    const modulators = await Promise.all(this.modulators.map(async (m) => (await m.data()) as Float32Array));
    const heads = await Promise.all(
      this.heads.map(async (l) => ({ weight: (await l.weight.data()) as Float32Array, bias: (await l.bias.data()) as Float32Array })),
    );
    return { spec: this.spec, weights: { layers, modulators, ...(this.hasHeads ? { heads } : {}) } };
  }

  /** Overwrites every variable with `model`'s weights (same spec): the quantised phase swaps weights in and out. */
  setWeights(model: AsmrModel): void {
    tf.tidy(() => {
      this.layers.forEach((l, i) => {
        l.weight.assign(tf.tensor2d(model.weights.layers[i]!.weight, l.weight.shape));
        l.bias.assign(tf.tensor1d(model.weights.layers[i]!.bias));
      });
      this.modulators.forEach((m, i) => m.assign(tf.tensor(model.weights.modulators[i]!, m.shape)));
      const heads = model.weights.heads;
      if (heads) {
        this.heads.forEach((l, j) => {
          l.weight.assign(tf.tensor2d(heads[j]!.weight, l.weight.shape));
          l.bias.assign(tf.tensor1d(heads[j]!.bias));
        });
      }
    });
  }

  dispose(): void {
    for (const l of [...this.layers, ...this.heads]) tf.dispose([l.weight, l.bias]);
    tf.dispose(this.modulators);
    tf.dispose(this.coords);
  }
}
