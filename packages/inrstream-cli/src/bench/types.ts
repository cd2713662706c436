/** What the budget meter measures and reports (the JSON the page exports and the CLI writes). */
import type { BackendName } from '../../../../src/backend/types.js';

/** p50/p95/p99 (nearest rank) and mean of a set of frame times, ms. */
export interface FrameTimeSummary {
  frames: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One tile size of the calibration. */
export interface CalibrationPoint {
  /** Tile edge in pixels (square tiles, clipped to the model). */
  tile: number;
  samples: number;
  macs: number;
  /** Median of the timed decodes, from the call to the RGBA8 bytes read back (GPU completion). */
  ms: number;
  macPerMs: number;
}

export interface CalibrationResult {
  backend: BackendName;
  /** The engine's device description (adapter, renderer, or CPU). */
  device: string;
  points: CalibrationPoint[];
  /** Throughput at the largest tile size: the device's sustained MAC/ms for the fused decode. */
  macPerMs: number;
}

/** One measured frame of a workload. */
export interface FrameSample {
  /** Work time of the frame: from its animation frame to its decodes read back and drawn. */
  ms: number;
  /** MACs the frame decoded. */
  macs: number;
}

/** A workload's frames and what the page went through meanwhile. */
export interface WorkloadResult {
  name: 'image' | 'video';
  /** What ran: model, budget. */
  label: string;
  frames: FrameSample[];
  summary: FrameTimeSummary;
  /** Intervals between animation frames, ms (what the display saw). */
  intervals: number[];
  /** Display frames that passed without a new animation frame (interval over 1.5 refreshes). */
  missedFrames: number;
  longTasks: { count: number; totalMs: number; longestMs: number };
  /** Animation frames per second over the workload. */
  fps: number;
  /** The untimed warm-up before the measured frames (first-use costs: shader compiles, pools), ms. */
  warmupMs: number;
}

/** One budget of the stress ramp. */
export interface RampStep {
  budget: number;
  /** Mean MACs decoded per frame (whole tiles, and a render's last frames are partly empty). */
  meanMacs: number;
  summary: FrameTimeSummary;
  /** Frames per second the p95 frame time allows: 1000 / p95. */
  fpsAtP95: number;
}

export interface BudgetVerdict {
  /** Largest ramp budget (MACs per frame) whose p95 frame time fits a 60 fps frame; 0 if none. */
  budget60: number;
  /** The same for a 30 fps frame. */
  budget30: number;
  /** The budget to give the runtime: 3/4 of budget60, else of budget30; else the smallest budget tried. */
  recommendedBudget: number;
  /** Why that one. */
  reason: string;
}

/** The recommended budget, put to work: a progressive render of a shipped model with it. */
export interface Verification {
  budget: number;
  model: string;
  p95FrameMs: number;
  /** The 30 fps frame, ms. */
  targetMs: number;
  holds: boolean;
}

/** Everything the meter found for one backend (at one CPU throttle, when the CLI drives it). */
export interface BackendRun {
  backend: BackendName;
  device: string;
  calibration: CalibrationResult;
  ramp: RampStep[];
  verdict: BudgetVerdict;
  /** Progressive render of the image model at the recommended budget (the verification). */
  image: WorkloadResult;
  /** Frame-by-frame playback of the clip, one whole frame per animation frame. */
  video: WorkloadResult;
  verification: Verification;
  /** Display refresh interval measured before the workloads, ms. */
  refreshMs: number;
}

export interface MeterReport {
  version: 1;
  userAgent: string;
  cores: number;
  startedAt: string;
  runs: BackendRun[];
}
