import { layerShapes } from '../model/spec.js';
import type { AsmrSpec } from '../model/types.js';
import { asArray, asInt, asObject, asOneOf, asString, fail } from './header-fields.js';
import type { InrLimits } from './limits.js';
import { DATA_ALIGN, alignUp } from './preamble.js';
import { CODED_DTYPES, codedBits } from './coded.js';
import { storedLengthRange } from './tensor-data.js';
import type { InrDtype, InrTensorEntry, InrVersion } from './types.js';

const DTYPES: readonly InrDtype[] = ['f32', 'f16', 'int8', ...CODED_DTYPES];
/** The first major version with coded dtypes. */
const CODED_SINCE_MAJOR = 2;

export interface ExpectedTensor {
  name: string;
  shape: number[];
  /** Which weight of the model it holds: layers[layer].weight / .bias, or modulators[layer]. */
  part: 'weight' | 'bias' | 'modulator';
  layer: number;
}

/** Tensors per model of `levels` levels: weight + bias per layer, one modulator per hidden layer. */
export function tensorCount(levels: number): number {
  return 3 * levels - 1;
}

/**
 * The tensors a model needs, in storage order: coarse levels first, so a streaming reader
 * can start on level 0 while finer levels are still arriving.
 */
export function expectedTensors(spec: AsmrSpec, prefix = ''): ExpectedTensor[] {
  const { layers, modulators } = layerShapes(spec);
  const out: ExpectedTensor[] = [];
  layers.forEach((shape, i) => {
    out.push({ name: `${prefix}layers.${i}.weight`, shape, part: 'weight', layer: i });
    out.push({ name: `${prefix}layers.${i}.bias`, shape: [shape[0]], part: 'bias', layer: i });
    const mod = modulators[i];
    if (mod !== undefined) out.push({ name: `${prefix}modulators.${i}.weight`, shape: mod, part: 'modulator', layer: i });
  });
  return out;
}

/**
 * Checks the tensor table against the limits, against the tensors the model needs (names,
 * order, shapes) and for a packed layout: tensor i starts at the first multiple of 16 after
 * tensor i-1 ends (tensor 0 at 0), and its length is what dtype and shape imply (for a coded
 * dtype, within the range they allow). Coded dtypes need a file of major version 2 or later.
 */
export function validateTensorTable(value: unknown, expected: ExpectedTensor[], limits: InrLimits, version: InrVersion): InrTensorEntry[] {
  const list = asArray(value, 'header.tensors', limits.maxTensors, 1);
  const index = new Map(expected.map((t, i) => [t.name, i]));
  if (index.size !== expected.length) fail('header.segments', 'prefixes make two tensor names equal');
  const seen = new Set<string>();
  const entries: InrTensorEntry[] = [];
  let end = 0;
  let decoded = 0;
  list.forEach((raw, i) => {
    const field = `header.tensors[${i}]`;
    const t = asObject(raw, field);
    const name = asString(t.name, `${field}.name`);
    const dtype = asOneOf(t.dtype, `${field}.dtype`, DTYPES);
    const shape = checkShape(t.shape, `${field}.shape`, limits);
    const length = asInt(t.length, `${field}.length`, 0, limits.maxDataBytes);
    const offset = asInt(t.offset, `${field}.offset`, 0, limits.maxDataBytes);
    const crc = asInt(t.crc32, `${field}.crc32`, 0, 0xffffffff);

    const at = index.get(name);
    if (at === undefined) fail(`${field}.name`, `'${name}' is not a tensor of this model`);
    if (seen.has(name)) fail(`${field}.name`, `'${name}' appears twice`);
    if (at !== i) fail(`${field}.name`, `must be '${expected[i]!.name}' (storage order), not '${name}'`);
    seen.add(name);
    const want = expected[i]!.shape;
    if (shape.length !== want.length || shape.some((d, k) => d !== want[k])) {
      fail(`${field}.shape`, `must be [${want.join(', ')}] for '${name}'`);
    }
    if (codedBits(dtype) !== undefined && version.major < CODED_SINCE_MAJOR) {
      fail(`${field}.dtype`, `'${dtype}' needs format version ${CODED_SINCE_MAJOR} (the file says ${version.major}.${version.minor})`);
    }
    const range = storedLengthRange(dtype, shape);
    if (range.min === range.max && length !== range.min) fail(`${field}.length`, `must be ${range.min} for ${dtype} [${shape.join(', ')}]`);
    if (length < range.min || length > range.max) fail(`${field}.length`, `must be in ${range.min}..${range.max} for ${dtype} [${shape.join(', ')}]`);
    // What the reader will allocate for this tensor's values, bounded before any of it is.
    decoded += 4 * shape.reduce((a, b) => a * b, 1);
    if (decoded > limits.maxDecodedBytes) {
      fail(`${field}.shape`, `tensors would decode to over ${limits.maxDecodedBytes} bytes, the limit`, 'limit');
    }
    if (offset % DATA_ALIGN !== 0) fail(`${field}.offset`, `must be a multiple of ${DATA_ALIGN}`);
    const start = alignUp(end);
    if (offset < start) fail(`${field}.offset`, `overlaps the previous tensor (which ends at ${end})`);
    if (offset > start) fail(`${field}.offset`, `leaves a gap: must be ${start}, right after the previous tensor`);
    end = offset + length;
    if (end > limits.maxDataBytes) {
      fail(`${field}.length`, `tensor data would reach ${end} bytes, over the limit of ${limits.maxDataBytes}`, 'limit');
    }
    entries.push({ name, dtype, shape, offset, length, crc32: crc });
  });
  if (entries.length < expected.length) {
    fail('header.tensors', `lacks '${expected[entries.length]!.name}' (${expected.length} tensors needed)`);
  }
  return entries;
}

/** Rank and element count are bounded before anything multiplies them. */
function checkShape(value: unknown, field: string, limits: InrLimits): number[] {
  const dims = asArray(value, field, limits.maxRank, 1);
  let elements = 1;
  return dims.map((d, k) => {
    const dim = asInt(d, `${field}[${k}]`, 1, limits.maxTensorElements);
    elements *= dim;
    if (elements > limits.maxTensorElements) {
      fail(field, `has over ${limits.maxTensorElements} elements, the limit`, 'limit');
    }
    return dim;
  });
}
