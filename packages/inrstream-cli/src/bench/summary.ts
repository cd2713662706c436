/** One line of the bench-budget table and JSON: a backend at a CPU throttle rate. */
import type { BackendRun } from './types.js';

export interface SummaryRow {
  throttle: number;
  backend: string;
  device: string;
  /** Calibrated MAC/ms (largest tile). */
  macPerMs: number;
  /** Frame times of the progressive render at the recommended budget (the verification). */
  p50FrameMs: number;
  p95FrameMs: number;
  p99FrameMs: number;
  budget60: number;
  budget30: number;
  recommendedBudget: number;
  /** p95 of that render within the 30 fps frame. */
  verified: boolean;
  videoP95FrameMs: number;
  videoFps: number;
  missedFrames: number;
  longTasks: number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export function summaryRow(run: BackendRun, throttle: number): SummaryRow {
  return {
    throttle,
    backend: run.backend,
    device: run.device,
    macPerMs: Math.round(run.calibration.macPerMs),
    p50FrameMs: round(run.image.summary.p50Ms),
    p95FrameMs: round(run.image.summary.p95Ms),
    p99FrameMs: round(run.image.summary.p99Ms),
    budget60: run.verdict.budget60,
    budget30: run.verdict.budget30,
    recommendedBudget: run.verdict.recommendedBudget,
    verified: run.verification.holds,
    videoP95FrameMs: round(run.video.summary.p95Ms),
    videoFps: round(run.video.fps, 1),
    missedFrames: run.image.missedFrames + run.video.missedFrames,
    longTasks: run.image.longTasks.count + run.video.longTasks.count,
  };
}

/** MACs as a short figure: 1.23M, 456k. */
export function formatMacs(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

export const TABLE_COLUMNS = [
  'throttle',
  'backend',
  'MAC/ms',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'budget 60fps',
  'budget 30fps',
  'recommended',
  'p95 <= 33.3 ms',
  'video p95 ms',
  'missed frames',
  'long tasks',
] as const;

/** The table's cells for a row, in TABLE_COLUMNS order. */
export function tableCells(r: SummaryRow): string[] {
  return [
    `${r.throttle}x`,
    r.backend,
    formatMacs(r.macPerMs),
    r.p50FrameMs.toFixed(1),
    r.p95FrameMs.toFixed(1),
    r.p99FrameMs.toFixed(1),
    formatMacs(r.budget60),
    formatMacs(r.budget30),
    formatMacs(r.recommendedBudget),
    r.verified ? 'yes' : 'NO',
    r.videoP95FrameMs.toFixed(1),
    String(r.missedFrames),
    String(r.longTasks),
  ];
}

/** A plain-text table (the CLI's output). */
export function textTable(rows: SummaryRow[]): string {
  const lines = [[...TABLE_COLUMNS], ...rows.map(tableCells)];
  const widths = TABLE_COLUMNS.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) => l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}
