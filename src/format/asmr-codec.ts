import { InrFormatError } from '../util/errors.js';
import { wrapPhases } from '../model/phases.js';
import { validateSpec, validateWeights } from '../model/spec.js';
import type { AsmrModel, AsmrSpec, AsmrWeights } from '../model/types.js';
import { codedBits } from './coded.js';
import { tensorDtype } from './coded-model.js';
import { defaultColorSpace, segmentSpec } from './header.js';
import type { InrLimits } from './limits.js';
import { alignUp, dataStartFor } from './preamble.js';
import { type ExpectedTensor, expectedTensors } from './tensor-table.js';
import type { InrColorSpace, InrDtype, InrFile, InrHeader, InrHeaderInit, InrKind, InrSegment, ProvenanceValue } from './types.js';
import { type InrTensorInput, headerLayout, versionFor, writeInr } from './writer.js';

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
   * Storage. Default 'f32'. A plain dtype applies to the wide weight matrices, layers 1..L-1;
   * layer 0, the modulators and the biases stay f32: they are tiny, and their errors are
   * multiplied by the sine frequencies (s_i * w_i = 900 in the reference), so f16 there costs
   * decibels. A coded dtype (`q2` .. `q16`, format version 2) codes every tensor, those at 4
   * more bits, after wrapping the periodic weights (codedModel says what is stored); it is
   * meant for models trained through its quantiser (the trainer's `quantise`).
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
  const header: InrHeaderInit = { ...headerFields(model.spec, model.spec.shape, meta), bases: model.spec.bases, ...headsField(model) };
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
    // The header says once whether the segments have level heads.
    if ((m.weights.heads === undefined) !== (first.weights.heads === undefined)) {
      throw new InrFormatError('invalid-argument', 'must have level heads exactly when the first segment has them', `models[${k}].weights.heads`);
    }
  });
  const frames = models.reduce((n, m) => n + m.spec.shape[0]!, 0);
  const shape = [frames, ...first.spec.shape.slice(1)];
  const segments = segmentTable(
    models.map((m) => m.spec.shape[0]!),
    models.map((m) => m.spec.bases),
  );
  const header: InrHeaderInit = { ...headerFields(first.spec, shape, { ...meta, kind: 'video' }), segments, ...headsField(first) };
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
  const model = { spec, weights: weightsFrom(spec, file.tensors, prefix, file.header.levelHeads === true) };
  validateWeights(model, `tensors.${prefix}`);
  return model;
}

/**
 * The weights named in `tensors` (a file's, or the part of it that has arrived), unchecked:
 * missing tensors are left undefined (validateWeights reports them).
 */
export function weightsFrom(spec: AsmrSpec, tensors: ReadonlyMap<string, Float32Array>, prefix: string, heads: boolean): AsmrWeights {
  const empty = () => ({ weight: new Float32Array(0), bias: new Float32Array(0) });
  const levels = spec.widths.length + 1;
  const weights: AsmrWeights = { layers: Array.from({ length: levels }, empty), modulators: [] };
  if (heads) weights.heads = Array.from({ length: Math.max(0, levels - 2) }, empty);
  for (const { name, part, layer } of expectedTensors(spec, prefix, heads)) {
    const values = tensors.get(name)!;
    if (part === 'modulator') weights.modulators[layer] = values;
    else if (part === 'head-weight') weights.heads![layer - 1]!.weight = values;
    else if (part === 'head-bias') weights.heads![layer - 1]!.bias = values;
    else weights.layers[layer]![part] = values;
  }
  return weights;
}

function headsField(model: AsmrModel): { levelHeads?: true } {
  return model.weights.heads === undefined ? {} : { levelHeads: true };
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
    colorSpace: meta.colorSpace ?? defaultColorSpace(kind),
    provenance: meta.provenance ?? {},
  };
  if (meta.fps !== undefined) fields.fps = meta.fps;
  return fields;
}

/** The model's tensors in storage order, each in its dtype (tensorDtype); coded ones after wrapPhases. */
function modelTensors(model: AsmrModel, prefix: string, dtype: InrDtype): InrTensorInput[] {
  const { layers, modulators, heads } = (codedBits(dtype) === undefined ? model : wrapPhases(model)).weights;
  const values = (part: ExpectedTensor['part'], layer: number): Float32Array => {
    switch (part) {
      case 'modulator':
        return modulators[layer]!;
      case 'head-weight':
        return heads![layer - 1]!.weight;
      case 'head-bias':
        return heads![layer - 1]!.bias;
      default:
        return layers[layer]![part];
    }
  };
  return expectedTensors(model.spec, prefix, heads !== undefined).map(({ name, shape, part, layer }) => ({
    name,
    dtype: tensorDtype(part, layer, dtype),
    shape,
    values: values(part, layer),
  }));
}

/** The segment table of consecutive segments of these frame counts and bases, prefixed `s{k}.`. */
function segmentTable(frames: number[], bases: number[][][]): InrSegment[] {
  let frameStart = 0;
  return frames.map((frameCount, k) => {
    const segment = { frameStart, frameCount, bases: bases[k]!, prefix: `s${k}.` };
    frameStart += frameCount;
    return segment;
  });
}

/**
 * Bytes of the file encodeInr writes for a model of `spec` stored as `dtype` (or, with
 * `segments` > 1, encodeInrSegments for that many segments of `spec`'s layout), given each
 * tensor's stored bytes (`stored`: exact for plain dtypes, an estimate for coded ones), without
 * encoding any weights. CRCs are counted at their longest, 10 digits.
 */
export function encodedLength(
  spec: AsmrSpec,
  meta: InrMeta,
  dtype: InrDtype,
  segments: number,
  stored: (dtype: InrDtype, shape: number[]) => number,
  heads = false,
): number {
  const tensors = (prefix: string) =>
    expectedTensors(spec, prefix, heads).map((t) => ({ name: t.name, dtype: tensorDtype(t.part, t.layer, dtype), shape: t.shape }));
  const flag = heads ? { levelHeads: true } : {};
  let header: InrHeaderInit;
  let list;
  if (segments === 1) {
    // levelEnds: one number per level below, counted at their longest.
    header = { ...headerFields(spec, spec.shape, meta), bases: spec.bases, ...flag, ...(heads ? { levelEnds: spec.widths.map(() => 1e9) } : {}) };
    list = tensors('');
  } else {
    const table = segmentTable(new Array<number>(segments).fill(spec.shape[0]!), new Array<number[][]>(segments).fill(spec.bases));
    header = { ...headerFields(spec, [segments * spec.shape[0]!, ...spec.shape.slice(1)], { ...meta, kind: 'video' }), segments: table, ...flag };
    list = table.flatMap((s) => tensors(s.prefix));
  }
  let end = 0;
  const entries = list.map((t) => {
    const offset = alignUp(end);
    const length = stored(t.dtype, t.shape);
    end = offset + length;
    return { ...t, offset, length, crc32: 0xffffffff };
  });
  const { json, trailer } = headerLayout({ ...header, tensors: entries }, versionFor(header, entries));
  return dataStartFor(json.length) + end + trailer.length;
}
