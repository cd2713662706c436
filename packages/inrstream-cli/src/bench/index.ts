/**
 * The frame-time budget meter (dist/inrstream-bench.mjs, page/bench.html): calibrate a
 * device's decode throughput per backend, find the MAC budgets that hold 60 and 30 fps,
 * verify the recommendation on a shipped model, plot it. See docs/BENCH.md.
 */
export { calibrate, CALIBRATION_TILES } from './calibrate.js';
export { cachedMacPerMs, calibrationKey, saveCalibration } from '../../../../src/backend/calibration-store.js';
export { drawCharts, type LabelledRun } from './charts.js';
export { loadBenchModel, measureBackend, runMeter, SHIPPED_MODELS, shippedModelUrl, type BenchModel, type MeterOptions } from './meter.js';
export { framesPerSecond, histogram, missedFrames, percentile, summarize } from './stats.js';
export { formatMacs, summaryRow, TABLE_COLUMNS, tableCells, textTable, type SummaryRow } from './summary.js';
export type * from './types.js';
export { budgetVerdict, FRAME_30_MS, FRAME_60_MS, largestHolding, rampBudgets } from './verdict.js';
