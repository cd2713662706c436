/**
 * What a caller of the bench:gpu bundle relies on (the npm script, the test, whoever reads its
 * JSON): its exit statuses, the parity tolerances and the JSON's shape. Kept free of the
 * library's code (types only) so that reading it loads no tfjs.
 */
import type { BackendReport } from '../../src/engine/index.js';

/** Every parity check passed. */
export const PASSED_EXIT = 0;
/** A parity check failed or the run broke. */
export const FAILED_EXIT = 1;
/** Wrong arguments. */
export const USAGE_EXIT = 2;
/** Dawn found no WebGPU adapter: nothing could be measured (not a failure of the engine). */
export const NO_ADAPTER_EXIT = 3;

/** The engine's accuracy against the plain decoder (its known-answer trial's tolerance). */
export const VALUE_TOLERANCE = 2e-3;
/** RGBA8 may differ by one level where a value sits on a rounding boundary. */
export const RGBA_TOLERANCE = 1;

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  fallback: boolean;
  timestampQuery: boolean;
  dawnFlags: string[];
}

export interface ConfigResult {
  name: string;
  width: number;
  height: number;
  macPerPx: number;
  tiles: number;
  /** The first decode: shader compiles included. */
  firstMs: number;
  /** Median full decode (decodeRgba) from an empty activation cache, readback included. */
  coldMs: number;
  /** Median decode with the coarse levels cached (the last level and the readback). */
  warmMs: number;
  /** Median sum of the GPU timestamps of a cold decode's kernels (no readback, no gaps between kernels); null without timestamp queries. */
  coldKernelMs: number | null;
  /** The same for a warm decode. */
  warmKernelMs: number | null;
  /** Largest |engine - decodeShared| over the parity region (decodeValues). */
  maxAbsDiff: number;
  /** Largest RGBA8 difference of the timed frames (cold and warm) from decodeShared's toRgba8 over that region. */
  rgbaMaxDiff: number;
  parity: boolean;
}

/** The bundle's --json output. */
export interface GpuBenchReport {
  adapter: AdapterReport;
  /** The engine's report on the forced webgpu backend. */
  backend: BackendReport;
  reps: number;
  configs: ConfigResult[];
}
