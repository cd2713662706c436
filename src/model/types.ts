/**
 * ASMR model as plain data (see docs/MODEL.md for the maths).
 *
 * D axes (outermost first), L levels. Level l of axis a has base bases[a][l];
 * prod_l bases[a][l] = shape[a]. Layers 0..L-2 are hidden (sine) layers, layer L-1 is the
 * last linear layer.
 */
export interface AsmrSpec {
  /** Signal size per axis, outermost first (image: [H, W]; video: [T, H, W]). */
  shape: number[];
  /** bases[a][l]: base of axis a at level l, most significant level first. */
  bases: number[][];
  /** Output channels (1 to 4). */
  channels: number;
  /** widths[i]: width of hidden layer i (the output of layer i), i = 0..L-2. */
  widths: number[];
  /** omegas[i] = w_i: frequency of the sine after layer i, i = 0..L-2. */
  omegas: number[];
  /** modScales[i] = s_i: scale of the level-(i+1) modulation added to layer i, i = 0..L-2. */
  modScales: number[];
}

export interface DenseLayer {
  /** Row-major [out, in] (PyTorch layout). */
  weight: Float32Array;
  /** [out]. */
  bias: Float32Array;
}

export interface AsmrWeights {
  /** layers[i], i = 0..L-1; layers[L-1] is the last linear layer (out = channels). */
  layers: DenseLayer[];
  /** modulators[i]: row-major [widths[i], D], no bias, i = 0..L-2. */
  modulators: Float32Array[];
  /**
   * Level heads (docs/MODEL.md, "Level heads"), absent on a model without them (an imported
   * one): heads[j], j = 0..L-3, is the linear output `[channels, widths[j]]` read from the
   * level-(j+1) activations, the picture of level j+1 (one value per level-(j+1) block).
   */
  heads?: DenseLayer[];
}

export interface AsmrModel {
  spec: AsmrSpec;
  weights: AsmrWeights;
}

/** A box of integer coordinates: start[a] .. start[a] + size[a] - 1 on every axis. */
export interface Region {
  start: number[];
  size: number[];
}
