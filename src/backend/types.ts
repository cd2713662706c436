/** The tfjs backends the engine can run on, in the order `auto` tries them. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type BackendName = (typeof BACKEND_ORDER)[number];

export type BackendChoice = BackendName | 'auto';

/** What starting a backend found out about the device behind it. */
export interface BackendStart {
  /** Adapter or renderer description, e.g. `google/swiftshader (fallback adapter)`. */
  device: string;
  /** A software rasteriser (SwiftShader, llvmpipe, a fallback adapter) or a CPU backend. */
  software: boolean;
}

export interface Refusal {
  backend: BackendName;
  reason: string;
}

export interface Calibration {
  backend: BackendName;
  /** Fastest of the timed calibration decodes, ms. */
  ms: number;
}

/** Which backend runs and why: the opposite of falling back silently. */
export interface BackendReport {
  backend: BackendName;
  device: string;
  /** Why this one: forced, first hardware GPU, or the calibration result. */
  reason: string;
  /** Every backend tried before (or instead of) it, with the reason it was not taken. */
  refused: Refusal[];
  /** The calibration timings, where a calibration decided. */
  calibration: Calibration[];
}
