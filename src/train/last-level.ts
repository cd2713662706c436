/**
 * The last level of ASMR, fused, on the CPU: for each sample j,
 *   h = sin(A[parent_j] + B[digit_j]),  y = W h + b
 * with A = w * Z (the parent pre-activations) and B = w * s * Mod (the modulation table) already
 * scaled. This is where nearly all the work of a step is (one row per sample, every other level
 * is one row per prefix), and tfjs's WASM backend takes ~50 ns per element for gather and sin
 * here, so the loop is written out: sin(A + B) = sinA cosB + cosA sinB from per-row tables
 * means no trigonometry per sample, and forward, loss and backward share one pass.
 */
export interface LastLevelInputs {
  /** A: [parents, hidden]; B: [tuples, hidden]; W: [channels, hidden]; b: [channels]. */
  a: Float32Array;
  b: Float32Array;
  weight: Float32Array;
  bias: Float32Array;
  hidden: number;
  channels: number;
}

/*
 * Samples are numbered parent-major here: sample k has parent row floor(k / T) and digit-tuple
 * row k mod T (T = rows of B), since every parent has exactly one child per digit tuple. A
 * parent's sin / cos rows then stay in a small local array while its children run, and its
 * gradient row is written once (see level-tables.ts for the numbering).
 */

export interface LastLevelGrads {
  /** Mean squared error over the samples used and their channels. */
  loss: number;
  a: Float32Array;
  b: Float32Array;
  weight: Float32Array;
  bias: Float32Array;
}

function sinCos(src: Float32Array): { sin: Float64Array; cos: Float64Array } {
  const sin = new Float64Array(src.length);
  const cos = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    sin[i] = Math.sin(src[i]!);
    cos[i] = Math.cos(src[i]!);
  }
  return { sin, cos };
}

/** W as [hidden][4] with zero padding, so one pass over units serves up to four channels. */
function unitMajor(weight: Float32Array, hidden: number, channels: number): Float64Array {
  const w4 = new Float64Array(hidden * 4);
  for (let c = 0; c < channels; c++) for (let u = 0; u < hidden; u++) w4[u * 4 + c] = weight[c * hidden + u]!;
  return w4;
}

/**
 * Loss and gradients of the mean squared error over `samples` (ascending parent-major
 * indices; all when null) against `target` ([samples, channels], parent-major). Samples are
 * taken a parent at a time: its children's activations and errors are kept in small block
 * buffers, so the weight gradient is summed in registers once per block, not per sample.
 */
export function lastLevelGrads(p: LastLevelInputs, target: Float32Array, samples: Int32Array | null): LastLevelGrads {
  const { hidden: H, channels: C } = p;
  const T = p.b.length / H;
  const A = sinCos(p.a);
  const { sin: sinB, cos: cosB } = sinCos(p.b);
  const w4 = unitMajor(p.weight, H, C);
  const n = samples ? samples.length : target.length / C;
  const scale = 2 / (n * C);
  const dA = new Float32Array(p.a.length);
  const dB = new Float64Array(p.b.length);
  const dW4 = new Float64Array(H * 4);
  const db = new Float64Array(4);
  // Block buffers: per child of the current parent, its digit row, sin(A + B) and errors.
  const rows = new Int32Array(T);
  const hs = new Float64Array(T * H);
  const rs = new Float64Array(T * 4);
  const sa = new Float64Array(H);
  const ca = new Float64Array(H);
  const bias = new Float64Array(4);
  bias.set(p.bias);
  let sq = 0;
  let k = 0;
  while (k < n) {
    const parent = ((samples ? samples[k]! : k) / T) | 0;
    for (let u = 0; u < H; u++) {
      sa[u] = A.sin[parent * H + u]!;
      ca[u] = A.cos[parent * H + u]!;
    }
    let m = 0;
    for (; k < n; k++, m++) {
      const j = samples ? samples[k]! : k;
      if (((j / T) | 0) !== parent) break;
      const pb = (j - parent * T) * H;
      rows[m] = pb;
      const hb = m * H;
      let y0 = bias[0]!, y1 = bias[1]!, y2 = bias[2]!, y3 = bias[3]!;
      for (let u = 0; u < H; u++) {
        const s = sa[u]! * cosB[pb + u]! + ca[u]! * sinB[pb + u]!;
        hs[hb + u] = s;
        const w = u * 4;
        y0 += w4[w]! * s;
        y1 += w4[w + 1]! * s;
        y2 += w4[w + 2]! * s;
        y3 += w4[w + 3]! * s;
      }
      const t = j * C;
      // Channels past C have zero weights and zero bias, so their error terms stay 0.
      const e0 = y0 - target[t]!;
      const e1 = C > 1 ? y1 - target[t + 1]! : 0;
      const e2 = C > 2 ? y2 - target[t + 2]! : 0;
      const e3 = C > 3 ? y3 - target[t + 3]! : 0;
      sq += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
      rs[m * 4] = e0 * scale;
      rs[m * 4 + 1] = e1 * scale;
      rs[m * 4 + 2] = e2 * scale;
      rs[m * 4 + 3] = e3 * scale;
    }
    for (let u = 0; u < H; u++) {
      const w = u * 4;
      const w0 = w4[w]!, w1 = w4[w + 1]!, w2 = w4[w + 2]!, w3 = w4[w + 3]!;
      let g0 = 0, g1 = 0, g2 = 0, g3 = 0, da = 0;
      for (let i = 0; i < m; i++) {
        const r0 = rs[i * 4]!, r1 = rs[i * 4 + 1]!, r2 = rs[i * 4 + 2]!, r3 = rs[i * 4 + 3]!;
        const s = hs[i * H + u]!;
        g0 += r0 * s;
        g1 += r1 * s;
        g2 += r2 * s;
        g3 += r3 * s;
        const pb = rows[i]!;
        // d sin(A + B) = cos(A + B), again from the tables.
        const g = (w0 * r0 + w1 * r1 + w2 * r2 + w3 * r3) * (ca[u]! * cosB[pb + u]! - sa[u]! * sinB[pb + u]!);
        da += g;
        dB[pb + u] += g;
      }
      dW4[w] += g0;
      dW4[w + 1] += g1;
      dW4[w + 2] += g2;
      dW4[w + 3] += g3;
      dA[parent * H + u] = da;
    }
    for (let i = 0; i < m; i++) for (let c = 0; c < 4; c++) db[c] += rs[i * 4 + c]!;
  }
  const dW = new Float32Array(C * H);
  for (let c = 0; c < C; c++) for (let u = 0; u < H; u++) dW[c * H + u] = dW4[u * 4 + c]!;
  return { loss: sq / (n * C), a: dA, b: Float32Array.from(dB), weight: dW, bias: Float32Array.from(db.subarray(0, C)) };
}

export interface LastLevelEval {
  /** Mean squared error, raw and with the output clamped to [0, 1] (what PSNR is quoted on). */
  mse: number;
  mseClamped: number;
  /** Per sample (parent-major), sum over channels of |y - target|: the teacher's residual. */
  residual: Float32Array;
  /** The outputs [samples, channels] (parent-major) when asked for. */
  output: Float32Array | null;
}

/** Forward pass over every sample: errors, per-sample L1 residuals and, optionally, outputs. */
export function lastLevelEval(p: LastLevelInputs, target: Float32Array, keepOutput: boolean): LastLevelEval {
  const { hidden: H, channels: C } = p;
  const T = p.b.length / H;
  const P = p.a.length / H;
  const A = sinCos(p.a);
  const { sin: sinB, cos: cosB } = sinCos(p.b);
  const w4 = unitMajor(p.weight, H, C);
  const n = P * T;
  const residual = new Float32Array(n);
  const output = keepOutput ? new Float32Array(n * C) : null;
  const y = new Float64Array(4);
  const sa = new Float64Array(H);
  const ca = new Float64Array(H);
  let sq = 0;
  let sqClamped = 0;
  for (let parent = 0; parent < P; parent++) {
    for (let u = 0; u < H; u++) {
      sa[u] = A.sin[parent * H + u]!;
      ca[u] = A.cos[parent * H + u]!;
    }
    for (let q = 0; q < T; q++) {
      const pb = q * H;
      let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
      for (let u = 0; u < H; u++) {
        const s = sa[u]! * cosB[pb + u]! + ca[u]! * sinB[pb + u]!;
        const w = u * 4;
        y0 += w4[w]! * s;
        y1 += w4[w + 1]! * s;
        y2 += w4[w + 2]! * s;
        y3 += w4[w + 3]! * s;
      }
      y[0] = y0;
      y[1] = y1;
      y[2] = y2;
      y[3] = y3;
      const j = parent * T + q;
      let l1 = 0;
      for (let c = 0; c < C; c++) {
        const v = y[c]! + p.bias[c]!;
        if (output) output[j * C + c] = v;
        const t = target[j * C + c]!;
        const e = v - t;
        const ec = Math.min(1, Math.max(0, v)) - t;
        sq += e * e;
        sqClamped += ec * ec;
        l1 += Math.abs(e);
      }
      residual[j] = l1;
    }
  }
  return { mse: sq / (n * C), mseClamped: sqClamped / (n * C), residual, output };
}

/** Rows of `data` ([n, channels]) moved from one numbering to the other: out[k] = data[order[k]] or the inverse. */
export function permuteRows(data: Float32Array, channels: number, order: Int32Array, inverse: boolean): Float32Array {
  const out = new Float32Array(data.length);
  for (let k = 0; k < order.length; k++) {
    const [to, from] = inverse ? [order[k]!, k] : [k, order[k]!];
    for (let c = 0; c < channels; c++) out[to * channels + c] = data[from * channels + c]!;
  }
  return out;
}
