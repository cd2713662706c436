/**
 * The last level of ASMR as dense products, in tfjs ops: for parent row p (A = w Z, [P, H])
 * and digit-tuple row q (B = w s Mod, [T, H]), sample p * T + q has
 *   y[p, c, q] = sum_u W[c, u] sin(A[p, u] + B[q, u]) + bias[c].
 * sin(A + B) = sinA cosB + cosA sinB turns the whole level into matrix products,
 *   Y = Ms cosB^T + Mc sinB^T,  Ms[(p, c)] = W[c] * sinA[p],  Mc[(p, c)] = W[c] * cosA[p]  ([P C, H]),
 * with no trigonometry per sample, and its backward into four more (dMs = dY cosB,
 * dMc = dY sinB, d cosB = dY^T Ms, d sinB = dY^T Mc).
 * Dense products run at several GMAC/s on tfjs's WASM backend (and on the GPU backends in the
 * browser); the per-sample loop this replaces ran at about 0.1 here.
 *
 * Everything here is [P, C, T]-shaped ("parent, channel, tuple"); samples are numbered
 * parent-major (k = p T + q, see level-tables.ts). Functions return fresh tensors: call them
 * inside tf.tidy or dispose what they return.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The forward pass with what the backward needs. A type alias, so tf.tidy accepts it. */
export type LastLevelForward = {
  sinA: tf.Tensor2D;
  cosA: tf.Tensor2D;
  sinB: tf.Tensor2D;
  cosB: tf.Tensor2D;
  /** The last layer's weight as [1, C, H]. */
  w: tf.Tensor3D;
  /** M's two halves, W sinA and W cosA: [P C, H] each. */
  ms: tf.Tensor2D;
  mc: tf.Tensor2D;
  /** Outputs, bias added: [P, C, T]. */
  y: tf.Tensor3D;
};

export type LastLevelGrads = {
  /** Mean squared error over the samples trained on and their channels (a scalar). */
  loss: tf.Scalar;
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  weight: tf.Tensor2D;
  bias: tf.Tensor1D;
};

// tfjs's WASM matMul is ~10x slower with a transposed operand than without (measured on
// these shapes), so the products below only ever transpose the small [T, H] tables, or dY once.

export function lastLevelForward(a: tf.Tensor2D, b: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): LastLevelForward {
  const [parents, hidden] = a.shape;
  const tuples = b.shape[0];
  const channels = weight.shape[0];
  const sinA = tf.sin(a);
  const cosA = tf.cos(a);
  const sinB = tf.sin(b);
  const cosB = tf.cos(b);
  const w = tf.reshape(weight, [1, channels, hidden]) as tf.Tensor3D;
  const half = (t: tf.Tensor2D) => tf.reshape(tf.mul(tf.reshape(t, [parents, 1, hidden]), w), [parents * channels, hidden]) as tf.Tensor2D;
  const ms = half(sinA);
  const mc = half(cosA);
  const y = tf.add(
    tf.reshape(tf.add(tf.matMul(ms, tf.transpose(cosB)), tf.matMul(mc, tf.transpose(sinB))), [parents, channels, tuples]),
    tf.reshape(bias, [1, channels, 1]),
  ) as tf.Tensor3D;
  return { sinA, cosA, sinB, cosB, w, ms, mc, y };
}

export function disposeForward(f: LastLevelForward): void {
  tf.dispose([f.sinA, f.cosA, f.sinB, f.cosB, f.w, f.ms, f.mc, f.y]);
}

/** The target as [P, C, T], from parent-major [samples, channels] values. */
export function targetTensor(values: Float32Array, parents: number, tuples: number, channels: number): tf.Tensor3D {
  return tf.tidy(() => tf.transpose(tf.tensor3d(values, [parents, tuples, channels]), [0, 2, 1]));
}

/** Per sample (parent-major), sum over channels of |y - target|: the teacher's residual. */
export function residualL1(f: LastLevelForward, target: tf.Tensor3D): tf.Tensor1D {
  return tf.reshape(tf.sum(tf.abs(tf.sub(f.y, target)), 1), [-1]);
}

/** A 0/1 mask [P, 1, T] of the chosen samples (parent-major indices). */
export function sampleMask(samples: Int32Array, parents: number, tuples: number): tf.Tensor3D {
  const mask = new Float32Array(parents * tuples);
  for (const s of samples) mask[s] = 1;
  return tf.tensor3d(mask, [parents, 1, tuples]);
}

/**
 * Loss and gradients of the mean squared error over the samples in `mask` (`count` of them;
 * every sample when mask is null) for A, B and the last layer.
 */
export function lastLevelGrads(f: LastLevelForward, target: tf.Tensor3D, mask: tf.Tensor3D | null, count: number): LastLevelGrads {
  const [parents, channels, tuples] = f.y.shape;
  const hidden = f.sinA.shape[1];
  const error = mask ? tf.mul(tf.sub(f.y, target), mask) : tf.sub(f.y, target);
  const loss = tf.div(tf.sum(tf.square(error)), count * channels) as tf.Scalar;
  const dY = tf.mul(error, 2 / (count * channels)) as tf.Tensor3D;
  const dY2 = tf.reshape(dY, [parents * channels, tuples]) as tf.Tensor2D;
  const dMs = tf.reshape(tf.matMul(dY2, f.cosB), [parents, channels, hidden]);
  const dMc = tf.reshape(tf.matMul(dY2, f.sinB), [parents, channels, hidden]);
  const dYt = tf.transpose(dY2);
  const dCosB = tf.matMul(dYt, f.ms);
  const dSinB = tf.matMul(dYt, f.mc);
  const sinA3 = tf.reshape(f.sinA, [parents, 1, hidden]);
  const cosA3 = tf.reshape(f.cosA, [parents, 1, hidden]);
  const weight = tf.sum(tf.add(tf.mul(dMs, sinA3), tf.mul(dMc, cosA3)), 0) as tf.Tensor2D;
  // M holds W sinA and W cosA: back to sinA and cosA, then through sin' = cos, cos' = -sin.
  const dSinA = tf.sum(tf.mul(dMs, f.w), 1);
  const dCosA = tf.sum(tf.mul(dMc, f.w), 1);
  const a = tf.sub(tf.mul(dSinA, f.cosA), tf.mul(dCosA, f.sinA)) as tf.Tensor2D;
  const b = tf.sub(tf.mul(dSinB, f.cosB), tf.mul(dCosB, f.sinB)) as tf.Tensor2D;
  const bias = tf.sum(dY, [0, 2]) as tf.Tensor1D;
  return { loss, a, b, weight, bias };
}
