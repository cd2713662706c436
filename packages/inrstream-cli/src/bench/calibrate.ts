/**
 * Calibration: MAC/ms of the engine's decode (coarse levels and the fused last-level kernel) on
 * one backend, at several square tile sizes, each decode timed until its RGBA8 is read back,
 * so GPU work is finished inside the timing. The activation cache is cleared before every
 * decode: each pays the cost it is counted at.
 */
import type { DecodeEngine, EngineModel } from '../../../../src/engine/engine.js';
import { regionCost } from '../../../../src/model/cost.js';
import { percentile } from './stats.js';
import type { CalibrationPoint, CalibrationResult } from './types.js';
import { sustainedMacPerMs } from './verdict.js';

export const CALIBRATION_TILES = [16, 32, 64, 128];

export async function calibrate(engine: DecodeEngine, model: EngineModel, tiles = CALIBRATION_TILES, runs = 3): Promise<CalibrationResult> {
  const [height, width] = model.spec.shape.slice(-2) as [number, number];
  if (model.spec.shape.length !== 2) throw new RangeError('calibration decodes a picture (2 axes)');
  const points: CalibrationPoint[] = [];
  for (const tile of tiles) {
    const region = { start: [0, 0], size: [Math.min(tile, height), Math.min(tile, width)] };
    const { samples, macs } = regionCost(model.spec, region);
    const times: number[] = [];
    // The first decode compiles shaders and fills pools: not counted.
    for (let run = 0; run <= runs; run++) {
      engine.clearCache();
      const t0 = performance.now();
      await engine.decodeRgba(model, region);
      if (run > 0) times.push(performance.now() - t0);
    }
    const ms = percentile(times, 50);
    points.push({ tile, samples, macs, ms, macPerMs: macs / ms });
  }
  return { backend: engine.backend, device: engine.report.device, points, macPerMs: sustainedMacPerMs(points) };
}
