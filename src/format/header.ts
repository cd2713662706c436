import { MODEL_LIMITS, validateSpec } from '../model/spec.js';
import type { AsmrSpec } from '../model/types.js';
import { asArray, asExactArray, asFinite, asFiniteList, asInt, asIntList, asObject, asOneOf, asString, fail, hasKey } from './header-fields.js';
import type { InrLimits } from './limits.js';
import { validateProvenance } from './provenance.js';
import { type ExpectedTensor, expectedTensors, tensorCount, validateTensorTable } from './tensor-table.js';
import { FORMAT_VERSION } from './preamble.js';
import type { InrColorSpace, InrHeader, InrKind, InrSegment, InrVersion } from './types.js';

const KINDS: readonly InrKind[] = ['image', 'video', 'signal'];
const COLOR_SPACES: readonly InrColorSpace[] = ['srgb', 'linear', 'none'];
/** Axis count each kind requires; a signal may have any. */
const KIND_RANK: Partial<Record<InrKind, number>> = { image: 2, video: 3 };
const PREFIX_PATTERN = /^[A-Za-z0-9_.-]*$/;
const MAX_FPS = 1000;

/**
 * Checks parsed header JSON field by field (types, limits, the model spec, segments, the
 * tensor table) and returns it typed, with defaults filled in. Nothing is allocated for the
 * data it describes. `version` is the preamble's (the dtypes a file may use depend on it).
 * Throws InrFormatError (or InrModelError from validateSpec) naming the field.
 */
export function validateHeader(json: unknown, limits: InrLimits, version: InrVersion = FORMAT_VERSION): InrHeader {
  const h = asObject(json, 'header');
  const kind = asOneOf(h.kind, 'header.kind', KINDS);
  const shape = asIntList(h.shape, 'header.shape', MODEL_LIMITS.maxAxes, 1, MODEL_LIMITS.maxAxisSize);
  if (shape.length === 0) fail('header.shape', 'must list at least one axis size');
  const rank = KIND_RANK[kind];
  if (rank !== undefined && shape.length !== rank) fail('header.shape', `must have ${rank} axes for kind '${kind}'`);
  const axes = validateAxes(h.axes, shape.length);
  const channels = asInt(h.channels, 'header.channels', 1, MODEL_LIMITS.maxChannels);
  const widths = asIntList(h.widths, 'header.widths', MODEL_LIMITS.maxLevels - 1, 1, MODEL_LIMITS.maxWidth);
  const omegas = asFiniteList(h.omegas, 'header.omegas', widths.length);
  const modScales = asFiniteList(h.modScales, 'header.modScales', widths.length);

  const header: InrHeader = {
    kind,
    axes,
    shape,
    channels,
    widths,
    omegas,
    modScales,
    outputRange: validateOutputRange(h),
    colorSpace: hasKey(h, 'colorSpace') ? asOneOf(h.colorSpace, 'header.colorSpace', COLOR_SPACES) : defaultColorSpace(kind),
    provenance: {},
    tensors: [],
  };
  if (version.major >= 4) {
    if (hasKey(h, 'provenance')) fail('header.provenance', 'is stored after the tensors from version 4 (provenanceTrailer)');
    if (hasKey(h, 'provenanceTrailer')) header.provenanceTrailer = validateTrailer(h.provenanceTrailer, limits);
  } else {
    if (hasKey(h, 'provenanceTrailer')) fail('header.provenanceTrailer', 'needs major version 4');
    if (hasKey(h, 'provenance')) header.provenance = validateProvenance(h.provenance, limits);
  }
  if (hasKey(h, 'fps')) {
    if (kind !== 'video') fail('header.fps', "is only allowed for kind 'video'");
    header.fps = asFinite(h.fps, 'header.fps');
    if (header.fps <= 0 || header.fps > MAX_FPS) fail('header.fps', `must be in (0, ${MAX_FPS}]`);
  }

  const heads = hasKey(h, 'levelHeads') && asBoolean(h.levelHeads, 'header.levelHeads');
  if (heads) header.levelHeads = true;
  let expected: ExpectedTensor[];
  if (hasKey(h, 'segments')) {
    if (kind !== 'video') fail('header.segments', "is only allowed for kind 'video'");
    if (hasKey(h, 'bases')) fail('header.bases', 'must be absent when segments are given (each has its own)');
    if (hasKey(h, 'levelEnds')) fail('header.levelEnds', 'must be absent when segments are given');
    header.segments = validateSegments(h.segments, header, heads, limits);
    expected = header.segments.flatMap((s, k) => expectedTensors(segmentSpec(header, k), s.prefix, heads));
  } else {
    // validateSpec checks the structure of `bases` (types, lengths) before iterating it.
    header.bases = h.bases as number[][];
    const spec = specOf(header, shape, header.bases);
    validateSpec(spec, 'header.');
    expected = expectedTensors(spec, '', heads);
  }
  header.tensors = validateTensorTable(h.tensors, expected, limits, version);
  if (hasKey(h, 'levelEnds')) {
    if (!heads) fail('header.levelEnds', 'is only allowed with levelHeads');
    header.levelEnds = validateLevelEnds(h.levelEnds, levelEndsOf(expected, header.tensors));
  } else if (heads && header.segments === undefined) {
    fail('header.levelEnds', 'is required with levelHeads');
  }
  return header;
}

/** `colorSpace` when the header leaves it out: none for signals, sRGB for pictures and video. */
export function defaultColorSpace(kind: InrKind): InrColorSpace {
  return kind === 'signal' ? 'none' : 'srgb';
}

/** Where each level's tensors end, from the data start (levelEnds' value): k = 1..L-1. */
export function levelEndsOf(expected: ExpectedTensor[], entries: { offset: number; length: number }[]): number[] {
  const ends: number[] = [];
  expected.forEach((t, i) => {
    if (t.completes !== undefined) ends[t.completes - 1] = entries[i]!.offset + entries[i]!.length;
  });
  return ends;
}

/** The header states where the levels end; it must say what the tensor table implies. */
function validateLevelEnds(value: unknown, want: number[]): number[] {
  const ends = asExactArray(value, 'header.levelEnds', want.length);
  ends.forEach((v, k) => {
    if (v !== want[k]) fail(`header.levelEnds[${k}]`, `must be ${want[k]}, where level ${k + 1}'s tensors end`);
  });
  return want;
}

/** `[length, crc32]` of the provenance's JSON after the tensors; the length bounded before anything is read. */
function validateTrailer(value: unknown, limits: InrLimits): { length: number; crc32: number } {
  const [rawLength, rawCrc] = asExactArray(value, 'header.provenanceTrailer', 2);
  return {
    length: asInt(rawLength, 'header.provenanceTrailer[0]', 2, limits.maxProvenanceBytes),
    crc32: asInt(rawCrc, 'header.provenanceTrailer[1]', 0, 2 ** 32 - 1),
  };
}

function asBoolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, 'must be true or false');
  return v;
}

/** The AsmrSpec of the whole file, or of segment `segment` of a segmented video. */
export function segmentSpec(header: InrHeader, segment?: number): AsmrSpec {
  if (segment === undefined || header.segments === undefined) {
    if (header.bases === undefined) fail('header.bases', 'is absent: this file has segments');
    return specOf(header, header.shape, header.bases);
  }
  const s = header.segments[segment];
  if (s === undefined) fail('segment', `must be 0..${header.segments.length - 1}`, 'invalid-argument');
  return specOf(header, [s.frameCount, ...header.shape.slice(1)], s.bases);
}

function specOf(header: InrHeader, shape: number[], bases: number[][]): AsmrSpec {
  return {
    shape,
    bases,
    channels: header.channels,
    widths: header.widths,
    omegas: header.omegas,
    modScales: header.modScales,
  };
}

function validateAxes(value: unknown, rank: number): string[] {
  const axes = asExactArray(value, 'header.axes', rank).map((a, i) => asString(a, `header.axes[${i}]`));
  axes.forEach((a, i) => {
    if (a.length === 0) fail(`header.axes[${i}]`, 'must not be empty');
    if (axes.indexOf(a) !== i) fail(`header.axes[${i}]`, `'${a}' appears twice`);
  });
  return axes;
}

function validateOutputRange(h: Record<string, unknown>): [number, number] {
  if (!hasKey(h, 'outputRange')) return [0, 1];
  const [lo, hi] = asFiniteList(h.outputRange, 'header.outputRange', 2) as [number, number];
  if (!(hi - lo > 0 && Number.isFinite(hi - lo))) fail('header.outputRange', 'must be [lo, hi] with lo < hi');
  return [lo, hi];
}

/** Segments tile the time axis in order, without gaps; each is a full model of its frames. */
function validateSegments(value: unknown, header: InrHeader, heads: boolean, limits: InrLimits): InrSegment[] {
  const list = asArray(value, 'header.segments', limits.maxSegments, 1);
  const needed = list.length * tensorCount(header.widths.length + 1, heads);
  if (needed > limits.maxTensors) {
    fail('header.segments', `imply ${needed} tensors, over the limit of ${limits.maxTensors}`, 'limit');
  }
  const frames = header.shape[0]!;
  const prefixes = new Set<string>();
  let next = 0;
  const segments = list.map((raw, k) => {
    const field = `header.segments[${k}]`;
    const s = asObject(raw, field);
    const frameStart = asInt(s.frameStart, `${field}.frameStart`, 0, frames - 1);
    if (frameStart !== next) fail(`${field}.frameStart`, `must be ${next}: segments cover the frames in order`);
    const frameCount = asInt(s.frameCount, `${field}.frameCount`, 1, frames - frameStart);
    next = frameStart + frameCount;
    const prefix = asString(s.prefix, `${field}.prefix`);
    if (!PREFIX_PATTERN.test(prefix)) fail(`${field}.prefix`, 'may only use letters, digits, _ . -');
    if (prefixes.has(prefix)) fail(`${field}.prefix`, `'${prefix}' is used by an earlier segment`);
    prefixes.add(prefix);
    const segment: InrSegment = { frameStart, frameCount, bases: s.bases as number[][], prefix };
    validateSpec(specOf(header, [frameCount, ...header.shape.slice(1)], segment.bases), `${field}.`);
    return segment;
  });
  if (next !== frames) fail('header.segments', `cover ${next} frames, but shape[0] is ${frames}`);
  return segments;
}
