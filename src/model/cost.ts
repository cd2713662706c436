/**
 * The cost model. macPerPx counts like the reference's `my_profiler.py asmr_profiler`
 * (mod = 'linear') so figures compare with the ASMR paper; sines and adds are the real counts
 * of the direct level-by-level evaluation (one per unit per level-(i+1) prefix, as the GPU
 * kernels run it). See docs/MODEL.md for the conventions and a worked example.
 */
import { axisStrides, digitTupleCount, prefixCount, prefixRanges, regionSize, validateRegion } from './digits.js';
import { axisCount, layerShapes, levelCount, validateSpec } from './spec.js';
import type { AsmrSpec, Region } from './types.js';

export interface ModelCost {
  /** MACs per sample as `asmr_profiler` counts them (bias and modulation add included). */
  macPerPx: number;
  /** Sines per sample in the level-by-level evaluation. */
  sinesPerPx: number;
  /** Modulation adds per sample in the level-by-level evaluation. */
  addsPerPx: number;
  /** MACs per sample of a plain SIREN of the same layers (`mlp_profiler`). */
  sirenMacPerPx: number;
  /** Sines per sample of that SIREN. */
  sirenSinesPerPx: number;
  /** macPerPx times the number of samples: the profiler's count for a full decode. */
  totalMacs: number;
}

export interface RegionCost {
  samples: number;
  /** Weight MACs plus bias adds per touched prefix, plus the modulation tables. */
  macs: number;
  sines: number;
  adds: number;
}

function layerMacs(spec: AsmrSpec): number[] {
  return layerShapes(spec).layers.map(([out, inp]) => inp * out + out);
}

export function modelCost(spec: AsmrSpec): ModelCost {
  validateSpec(spec);
  const levels = levelCount(spec);
  const d = axisCount(spec);
  const samples = spec.shape.reduce((n, s) => n * s, 1);
  const prefixes = Array.from({ length: levels }, (_, l) => prefixCount(spec, l));
  const perLayer = layerMacs(spec);
  let macs = 0;
  perLayer.forEach((m, i) => (macs += m * prefixes[i]!));
  let sines = 0;
  spec.widths.forEach((width, i) => {
    // The modulator runs once per level-(i+1) digit tuple.
    macs += d * width * digitTupleCount(spec, i + 1);
    // The profiler counts the modulation add once per level-i prefix (its `add` term).
    macs += width * prefixes[i]!;
    // The shared evaluation really adds and takes the sine once per level-(i+1) prefix.
    sines += width * prefixes[i + 1]!;
  });
  return {
    macPerPx: macs / samples,
    sinesPerPx: sines / samples,
    addsPerPx: sines / samples,
    sirenMacPerPx: perLayer.reduce((n, m) => n + m, 0),
    sirenSinesPerPx: spec.widths.reduce((n, w) => n + w, 0),
    totalMacs: macs,
  };
}

/**
 * What the level-by-level evaluation spends to decode `region`: layers run only on the
 * prefixes it touches; the modulator tables are built in full. `macs` leaves out the
 * profiler's add term (the real adds are `adds`).
 */
export function regionCost(spec: AsmrSpec, region: Region): RegionCost {
  validateSpec(spec);
  validateRegion(spec, region);
  const strides = axisStrides(spec);
  const d = axisCount(spec);
  const touched = (l: number): number => prefixRanges(strides, region, l).reduce((n, r) => n * r.count, 1);
  let macs = 0;
  layerMacs(spec).forEach((m, i) => (macs += m * touched(i)));
  let sines = 0;
  spec.widths.forEach((width, i) => {
    macs += d * width * digitTupleCount(spec, i + 1);
    sines += width * touched(i + 1);
  });
  return { samples: regionSize(region), macs, sines, adds: sines };
}
