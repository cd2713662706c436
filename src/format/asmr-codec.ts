import { InrFormatError } from '../util/errors.js';
import { validateSpec, validateWeights } from '../model/spec.js';
import type { AsmrModel, AsmrSpec, AsmrWeights } from '../model/types.js';
import { segmentSpec } from './header.js';
import type { InrLimits } from './limits.js';
import { expectedTensors } from './tensor-table.js';
import type { InrColorSpace, InrDtype, InrFile, InrHeader, InrHeaderInit, InrKind, ProvenanceValue } from './types.js';
import { type InrTensorInput, writeInr } from './writer.js';

/** What a model does not say about itself; every field has a default. */
export interface InrMeta {
  /** Default: by axis count, 1 'signal', 2 'image', 3 'video'. */
  kind?: InrKind;
  /** Default: ['t'], ['y', 'x'] or ['t', 'y', 'x'] by axis count. */
  axes?: string[];
  /** Default [0, 1]. */
  outputRange?: [number, number];
  /** Default 'srgb' for images and video, 'none' for signals. */
  colorSpace?: InrColorSpace;
  /** Video only. */
  fps?: number;
  provenance?: Record<string, ProvenanceValue>;
}

export interface InrEncodeOptions {
  /**
   * Storage of the wide weight matrices, layers 1..L-1. Default 'f32'. Layer 0, the
   * modulators and the biases always stay f32: they are tiny, and their errors are multiplied
   * by the sine frequencies (s_i * w_i = 900 in the reference), so f16 there costs decibels.
   */
  dtype?: InrDtype;
  limits?: Partial<InrLimits>;
}

const DEFAULT_KIND: Record<number, InrKind> = { 1: 'signal', 2: 'image', 3: 'video' };
const DEFAULT_AXES: Record<number, string[]> = { 1: ['t'], 2: ['y', 'x'], 3: ['t', 'y', 'x'] };

/** Encodes one model as an `.inr` file. */
export function encodeInr(model: AsmrModel, meta: InrMeta = {}, options: InrEncodeOptions = {}): Uint8Array {
  validateSpec(model.spec);
  validateWeights(model);
  const header: InrHeaderInit = { ...headerFields(model.spec, model.spec.shape, meta), bases: model.spec.bases };
  return writeInr(header, modelTensors(model, '', options.dtype ?? 'f32'), options);
}

/**
 * Encodes a video as consecutive time segments, each its own model over [frameCount, H, W]
 * sharing channels, widths, omegas and modScales. Segment k's tensors are prefixed `s{k}.`.
 */
export function encodeInrSegments(models: AsmrModel[], meta: InrMeta = {}, options: InrEncodeOptions = {}): Uint8Array {
  const first = models[0];
  if (first === undefined) throw new InrFormatError('invalid-argument', 'needs at least one segment', 'models');
  models.forEach((m, k) => {
    validateSpec(m.spec, `models[${k}].spec.`);
    validateWeights(m, `models[${k}].weights.`);
    if (m.spec.shape.length !== 3) throw new InrFormatError('invalid-argument', 'must be a [T, H, W] model', `models[${k}]`);
    // The header stores these once, so every segment must agree with the first.
    const shared: [string, number[], number[]][] = [
      ['shape', m.spec.shape.slice(1), first.spec.shape.slice(1)],
      ['channels', [m.spec.channels], [first.spec.channels]],
      ['widths', m.spec.widths, first.spec.widths],
      ['omegas', m.spec.omegas, first.spec.omegas],
      ['modScales', m.spec.modScales, first.spec.modScales],
    ];
    for (const [name, a, b] of shared) {
      if (!sameNumbers(a, b)) throw new InrFormatError('invalid-argument', 'must match the first segment', `models[${k}].spec.${name}`);
    }
  });
  const frames = models.reduce((n, m) => n + m.spec.shape[0]!, 0);
  const shape = [frames, ...first.spec.shape.slice(1)];
  let frameStart = 0;
  const segments = models.map((m, k) => {
    const segment = { frameStart, frameCount: m.spec.shape[0]!, bases: m.spec.bases, prefix: `s${k}.` };
    frameStart += segment.frameCount;
    return segment;
  });
  const header: InrHeaderInit = { ...headerFields(first.spec, shape, { ...meta, kind: 'video' }), segments };
  const dtype = options.dtype ?? 'f32';
  return writeInr(
    header,
    models.flatMap((m, k) => modelTensors(m, segments[k]!.prefix, dtype)),
    options,
  );
}

/** The AsmrSpec a header describes (of segment `segment` for a segmented video). */
export function specFromHeader(header: InrHeader, segment?: number): AsmrSpec {
  if (header.segments !== undefined && segment === undefined) {
    throw new InrFormatError('invalid-argument', `this file has ${header.segments.length} segments: pick one`, 'segment');
  }
  if (header.segments === undefined && segment !== undefined && segment !== 0) {
    throw new InrFormatError('invalid-argument', 'this file has no segments: use 0 or leave it out', 'segment');
  }
  return segmentSpec(header, segment);
}

/** Index of the segment holding `frame` (0 for an unsegmented file). */
export function segmentOfFrame(header: InrHeader, frame: number): number {
  if (header.segments === undefined) return 0;
  const k = header.segments.findIndex((s) => frame >= s.frameStart && frame < s.frameStart + s.frameCount);
  if (k < 0) throw new InrFormatError('invalid-argument', `${frame} is outside 0..${header.shape[0]! - 1}`, 'frame');
  return k;
}

/** The model stored in `file` (or its segment `segment`), validated; shares the file's arrays. */
export function modelFromInr(file: InrFile, segment?: number): AsmrModel {
  const spec = specFromHeader(file.header, segment);
  const where = segment === undefined || file.header.segments === undefined ? 'header.' : `header.segments[${segment}].`;
  validateSpec(spec, where);
  const prefix = segment === undefined ? '' : (file.header.segments?.[segment]?.prefix ?? '');
  const levels = spec.widths.length + 1;
  const weights: AsmrWeights = { layers: [], modulators: [] };
  for (let i = 0; i < levels; i++) weights.layers.push({ weight: new Float32Array(0), bias: new Float32Array(0) });
  // Missing tensors stay undefined here and are reported by validateWeights below.
  for (const { name, part, layer } of expectedTensors(spec, prefix)) {
    const values = file.tensors.get(name)!;
    if (part === 'modulator') weights.modulators[layer] = values;
    else weights.layers[layer]![part] = values;
  }
  const model = { spec, weights };
  validateWeights(model, `tensors.${prefix}`);
  return model;
}

function sameNumbers(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function headerFields(spec: AsmrSpec, shape: number[], meta: InrMeta): Omit<InrHeaderInit, 'bases' | 'segments'> {
  const kind = meta.kind ?? DEFAULT_KIND[shape.length] ?? 'signal';
  const fields: Omit<InrHeaderInit, 'bases' | 'segments'> = {
    kind,
    axes: meta.axes ?? DEFAULT_AXES[shape.length] ?? [],
    shape,
    channels: spec.channels,
    widths: spec.widths,
    omegas: spec.omegas,
    modScales: spec.modScales,
    outputRange: meta.outputRange ?? [0, 1],
    colorSpace: meta.colorSpace ?? (kind === 'signal' ? 'none' : 'srgb'),
    provenance: meta.provenance ?? {},
  };
  if (meta.fps !== undefined) fields.fps = meta.fps;
  return fields;
}

/** The model's tensors in storage order; `dtype` applies to the weights of layers 1..L-1. */
function modelTensors(model: AsmrModel, prefix: string, dtype: InrDtype): InrTensorInput[] {
  const { layers, modulators } = model.weights;
  return expectedTensors(model.spec, prefix).map(({ name, shape, part, layer }) => ({
    name,
    dtype: part === 'weight' && layer > 0 ? dtype : 'f32',
    shape,
    values: part === 'modulator' ? modulators[layer]! : part === 'bias' ? layers[layer]!.bias : layers[layer]!.weight,
  }));
}
