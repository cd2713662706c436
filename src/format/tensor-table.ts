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
/** The first major version with level heads (docs/FORMAT.md, "Level heads"). */
const HEADS_SINCE_MAJOR = 3;
/** The first major version whose tensor table may hold compact entries (docs/FORMAT.md, "Tensor table"). */
const COMPACT_SINCE_MAJOR = 3;

export interface ExpectedTensor {
  name: string;
  shape: number[];
  /**
   * Which weight of the model it holds: layers[layer].weight / .bias, modulators[layer], or
   * the level head heads[layer - 1] of level `layer` ('head-weight' / 'head-bias').
   */
  part: 'weight' | 'bias' | 'modulator' | 'head-weight' | 'head-bias';
  layer: number;
  /**
   * The level whose picture can be drawn once this tensor and all before it have arrived, on
   * the last tensor of each level (with heads: each head's bias, and the last layer's bias).
   */
  completes?: number;
}

/** Tensors per model of `levels` levels: weight + bias per layer, one modulator per hidden layer, and with heads two per level 1..L-2. */
export function tensorCount(levels: number, heads = false): number {
  return 3 * levels - 1 + (heads ? 2 * Math.max(0, levels - 2) : 0);
}

/**
 * The tensors a model needs, in storage order: level by level, coarse first, so a streaming
 * reader can start on level 0 while finer levels are still arriving. With `heads`, level k's
 * head (k = 1..L-2) follows modulator k-1, the last tensor the level-k picture needs.
 */
export function expectedTensors(spec: AsmrSpec, prefix = '', heads = false): ExpectedTensor[] {
  const shapes = layerShapes(spec);
  const out: ExpectedTensor[] = [];
  shapes.layers.forEach((shape, i) => {
    out.push({ name: `${prefix}layers.${i}.weight`, shape, part: 'weight', layer: i });
    const bias: ExpectedTensor = { name: `${prefix}layers.${i}.bias`, shape: [shape[0]], part: 'bias', layer: i };
    out.push(bias);
    if (i === shapes.layers.length - 1) bias.completes = i;
    const mod = shapes.modulators[i];
    if (mod !== undefined) out.push({ name: `${prefix}modulators.${i}.weight`, shape: mod, part: 'modulator', layer: i });
    const head = heads ? shapes.heads[i] : undefined;
    if (head !== undefined) {
      out.push({ name: `${prefix}heads.${i + 1}.weight`, shape: head, part: 'head-weight', layer: i + 1 });
      out.push({ name: `${prefix}heads.${i + 1}.bias`, shape: [head[0]], part: 'head-bias', layer: i + 1, completes: i + 1 });
    }
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
    let name: string;
    let dtype: InrDtype;
    let shape: number[];
    let length: number;
    let offset: number;
    let crc: number;
    if (Array.isArray(raw)) {
      // The compact entry (version 3): name, shape and offset are what the model and the
      // packing imply, so only the dtype, the length and the CRC are stored.
      if (version.major < COMPACT_SINCE_MAJOR)
        fail(field, `a compact entry needs format version ${COMPACT_SINCE_MAJOR} (the file says ${version.major}.${version.minor})`);
      if (raw.length !== 3) fail(field, 'a compact entry is [dtype, length, crc32]');
      const want = expected[i];
      if (want === undefined) fail(field, `is one tensor too many (${expected.length} tensors needed)`);
      name = want.name;
      dtype = asOneOf(raw[0], `${field}[0]`, DTYPES);
      shape = checkShape(want.shape, `${field}.shape`, limits);
      length = asInt(raw[1], `${field}[1]`, 0, limits.maxDataBytes);
      offset = alignUp(end);
      crc = asInt(raw[2], `${field}[2]`, 0, 0xffffffff);
    } else {
      const t = asObject(raw, field);
      name = asString(t.name, `${field}.name`);
      dtype = asOneOf(t.dtype, `${field}.dtype`, DTYPES);
      shape = checkShape(t.shape, `${field}.shape`, limits);
      length = asInt(t.length, `${field}.length`, 0, limits.maxDataBytes);
      offset = asInt(t.offset, `${field}.offset`, 0, limits.maxDataBytes);
      crc = asInt(t.crc32, `${field}.crc32`, 0, 0xffffffff);
    }

    const at = index.get(name);
    if (at === undefined) fail(`${field}.name`, `'${name}' is not a tensor of this model`);
    if (seen.has(name)) fail(`${field}.name`, `'${name}' appears twice`);
    if (at !== i) fail(`${field}.name`, `must be '${expected[i]!.name}' (storage order), not '${name}'`);
    seen.add(name);
    const want = expected[i]!.shape;
    if (shape.length !== want.length || shape.some((d, k) => d !== want[k])) {
      fail(`${field}.shape`, `must be [${want.join(', ')}] for '${name}'`);
    }
    if (expected[i]!.part.startsWith('head') && version.major < HEADS_SINCE_MAJOR) {
      fail(`${field}.name`, `level heads need format version ${HEADS_SINCE_MAJOR} (the file says ${version.major}.${version.minor})`);
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
