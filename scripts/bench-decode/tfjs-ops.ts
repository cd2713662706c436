/**
 * The benchmark's baseline: a plain tfjs-ops decoder of the same model, as a straightforward
 * port of the reference's shared forward pass would be written. Level by level, each level's
 * activations are the parent table broadcast-added to the modulation table
 * ([n0, 1, n1, 1, H] + [1, b0, 1, b1, H]), then sin and matMul; no gather, no custom kernel.
 * The last level is cut into bands of parent rows so no intermediate exceeds 2^24 values; even
 * so each band is a full samples x hidden tensor, which the fused kernels never build.
 * Images (2 axes) only.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { digitTupleCoords } from '../../src/tiles/grids.js';
import { levelCount } from '../../src/model/spec.js';
import type { AsmrModel } from '../../src/model/types.js';

const BAND_VALUES = 1 << 24;

export interface TfjsOpsModel {
  model: AsmrModel;
  weightT: tf.Tensor2D[];
  bias: tf.Tensor1D[];
  /** s_i M_i c over the level-(i+1) digit tuples, shaped [1, b0, 1, b1, width_i]. */
  mods: tf.Tensor[];
  dispose(): void;
}

/**
 * Makes tfjs's own WASM backend current, for the baseline on the CPU (the engine does not use it:
 * its WASM path is the project's kernels). `backendWasm` is where its .wasm files are served.
 */
export async function useTfjsWasm(backendWasm = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/'): Promise<void> {
  setWasmPaths(backendWasm);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm did not start');
}

/** The tfjs backend the baseline runs on beside the engine's `backend` (a GPU engine has already loaded its own). */
export async function useTfjsBackend(backend: string): Promise<void> {
  if (backend === 'wasm') return useTfjsWasm();
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
}

/** Uploads the model's weights once (not part of a timed decode). */
export function uploadTfjsOps(model: AsmrModel): TfjsOpsModel {
  const { spec, weights } = model;
  if (spec.shape.length !== 2) throw new Error('the tfjs-ops baseline decodes images only');
  const levels = levelCount(spec);
  const tensors = tf.tidy(() => {
    const weightT = weights.layers.map((l, i) => {
      const out = i === levels - 1 ? spec.channels : spec.widths[i]!;
      return tf.transpose(tf.tensor2d(l.weight, [out, l.weight.length / out])) as tf.Tensor2D;
    });
    const bias = weights.layers.map((l) => tf.tensor1d(l.bias));
    const mods = spec.widths.map((width, i) => {
      const c = tf.tensor2d(digitTupleCoords(spec.bases, i + 1), [spec.bases[0]![i + 1]! * spec.bases[1]![i + 1]!, 2]);
      const m = tf.matMul(c, tf.tensor2d(weights.modulators[i]!, [width, 2]), false, true);
      return tf.reshape(tf.mul(m, spec.modScales[i]!), [1, spec.bases[0]![i + 1]!, 1, spec.bases[1]![i + 1]!, width]);
    });
    return { weightT, bias, mods };
  });
  const all = [...tensors.weightT, ...tensors.bias, ...tensors.mods];
  return { model, ...tensors, dispose: () => all.forEach((t) => t.dispose()) };
}

/** One level up: [n0 * n1, H] parent table -> [n0 b0 * n1 b1, H] pre-sine activations. */
function broadcastLevel(z: tf.Tensor, n0: number, n1: number, mod: tf.Tensor, omega: number): tf.Tensor2D {
  const [, b0, , b1, width] = mod.shape as number[];
  const sum = tf.add(tf.reshape(z, [n0, 1, n1, 1, width!]), mod);
  return tf.reshape(tf.sin(tf.mul(sum, omega)), [n0 * b0! * n1 * b1!, width!]);
}

/** Decodes the whole image: [H * W, channels] float32, unclamped. */
export async function decodeTfjsOps(m: TfjsOpsModel): Promise<Float32Array> {
  const { spec } = m.model;
  const levels = levelCount(spec);
  const [B0, B1] = spec.bases as [number[], number[]];
  let n0 = B0[0]!;
  let n1 = B1[0]!;
  let z = tf.tidy(() => {
    const c0 = tf.tensor2d(digitTupleCoords(spec.bases, 0), [n0 * n1, 2]);
    return tf.add(tf.matMul(c0, m.weightT[0]!), m.bias[0]!);
  });
  for (let i = 0; i < levels - 2; i++) {
    const next = tf.tidy(() => tf.add(tf.matMul(broadcastLevel(z, n0, n1, m.mods[i]!, spec.omegas[i]!), m.weightT[i + 1]!), m.bias[i + 1]!));
    z.dispose();
    z = next;
    n0 *= B0[i + 1]!;
    n1 *= B1[i + 1]!;
  }
  const top = levels - 2;
  const width = spec.widths[top]!;
  const b0 = B0[levels - 1]!;
  const b1 = B1[levels - 1]!;
  const out = new Float32Array(spec.shape[0]! * spec.shape[1]! * spec.channels);
  const bandRows = Math.max(1, Math.floor(BAND_VALUES / (b0 * n1 * b1 * width)));
  for (let r = 0; r < n0; r += bandRows) {
    const rows = Math.min(bandRows, n0 - r);
    const band = tf.tidy(() => {
      const parents = tf.slice(z, [r * n1, 0], [rows * n1, width]);
      return tf.add(tf.matMul(broadcastLevel(parents, rows, n1, m.mods[top]!, spec.omegas[top]!), m.weightT[levels - 1]!), m.bias[levels - 1]!);
    });
    out.set((await band.data()) as Float32Array, r * b0 * n1 * b1 * spec.channels);
    band.dispose();
  }
  z.dispose();
  return out;
}
