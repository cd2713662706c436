/**
 * Progressive preview: at level l, every level-l block is painted with the exact value of its
 * centre sample. Below level l the centre's digits are the same in every block, so their
 * modulation terms are constants: folding them into the biases gives an ordinary ASMR model
 * with one sample per level-l block (bases 1 below l). Any decoder, CPU or GPU, can then
 * decode the preview, at the cost of levels 0..l plus one chain per block.
 */
import { axisStrides, cumulativeBases, digitAt, levelCoord } from './digits.js';
import { axisCount, levelCount } from './spec.js';
import type { AsmrModel, Region } from './types.js';

export interface PreviewModel {
  level: number;
  /** One sample per level-l block: shape[a] = number of level-l blocks along axis a. */
  model: AsmrModel;
  /** Samples per block along each axis (stride at level l). */
  blockSize: number[];
  /** Offset of the centre sample inside its block: floor(blockSize / 2) per axis. */
  centre: number[];
}

export function previewModel(model: AsmrModel, level: number): PreviewModel {
  const { spec, weights } = model;
  const levels = levelCount(spec);
  if (!Number.isInteger(level) || level < 0 || level >= levels) throw new RangeError(`level must be in 0..${levels - 1}`);
  const d = axisCount(spec);
  const strides = axisStrides(spec);
  const blockSize = strides.map((s) => s[level]!);
  const centre = blockSize.map((s) => Math.floor(s / 2));
  const layers = weights.layers.map((layer, i) => {
    if (i < level || i >= levels - 1) return layer;
    // z_i gets s_i * M_i c[.][i+1]; for i >= level that level is below l: a constant.
    const width = spec.widths[i]!;
    const m = weights.modulators[i]!;
    const c = spec.bases.map((axis, a) => levelCoord(digitAt(centre[a]!, strides[a]![i + 1]!, axis[i + 1]!), axis[i + 1]!));
    const bias = new Float32Array(width);
    for (let o = 0; o < width; o++) {
      let mod = 0;
      for (let a = 0; a < d; a++) mod += m[o * d + a]! * c[a]!;
      bias[o] = layer.bias[o]! + spec.modScales[i]! * mod;
    }
    return { weight: layer.weight, bias };
  });
  const cum = cumulativeBases(spec);
  return {
    level,
    blockSize,
    centre,
    model: {
      spec: {
        ...spec,
        shape: cum.map((c) => c[level]!),
        bases: spec.bases.map((axis) => axis.map((b, k) => (k <= level ? b : 1))),
      },
      weights: { layers, modulators: weights.modulators, ...(weights.heads ? { heads: weights.heads } : {}) },
    },
  };
}

/** The level-l blocks a sample region touches, as a region of the preview model. */
export function previewRegion(preview: PreviewModel, region: Region): Region {
  const start = region.start.map((s, a) => Math.floor(s / preview.blockSize[a]!));
  const size = region.size.map((n, a) => Math.ceil((region.start[a]! + n) / preview.blockSize[a]!) - start[a]!);
  return { start, size };
}

/**
 * The picture of level `level` (1..L-2) from its level head (docs/MODEL.md, "Level heads"): the
 * network cut after level `level`, with that level's head as its last layer, is an ordinary ASMR
 * model of levels 0..level, one sample per level-`level` block. It needs only the weights of
 * those levels, so it can be shown while the finer levels' bytes are still arriving.
 * Undefined where the model has no head for that level.
 */
export function headModel(model: AsmrModel, level: number): PreviewModel | undefined {
  const { spec, weights } = model;
  const head = weights.heads?.[level - 1];
  if (head === undefined || level < 1 || level > levelCount(spec) - 2) return undefined;
  const blockSize = axisStrides(spec).map((s) => s[level]!);
  return {
    level,
    blockSize,
    centre: blockSize.map((s) => Math.floor(s / 2)),
    model: {
      spec: {
        shape: cumulativeBases(spec).map((c) => c[level]!),
        bases: spec.bases.map((axis) => axis.slice(0, level + 1)),
        channels: spec.channels,
        widths: spec.widths.slice(0, level),
        omegas: spec.omegas.slice(0, level),
        modScales: spec.modScales.slice(0, level),
      },
      weights: { layers: [...weights.layers.slice(0, level), head], modulators: weights.modulators.slice(0, level) },
    },
  };
}

/** What a progressive render paints for level `level` below full detail: the level head's picture where the model has one, else the centre-value preview. */
export function levelPicture(model: AsmrModel, level: number): PreviewModel {
  return headModel(model, level) ?? previewModel(model, level);
}
