/**
 * What to draw next: the passes of a progressive render and their tiles, each with its MAC
 * cost known before it runs. Pass k < L-1 is the centre-value preview of level k (one value
 * per level-k block, see src/model/preview.ts); the last pass is full detail. Within a pass,
 * tiles nearest the centre of the picture come first.
 */
import { regionCost } from '../model/cost.js';
import { axisStrides } from '../model/digits.js';
import { previewModel, previewRegion } from '../model/preview.js';
import { levelCount } from '../model/spec.js';
import type { AsmrModel, Region } from '../model/types.js';
import { planTiles } from '../tiles/tiler.js';

export interface PlannedPass {
  /** Level whose blocks this pass paints; L-1 is full detail. */
  level: number;
  /** The model to decode (a preview model below the last level). */
  model: AsmrModel;
  /** Picture pixels per decoded sample, [height, width]. */
  blockSize: [number, number];
  /** Region of the pass's model that covers the picture's region. */
  region: Region;
  /** MACs of decoding the whole pass in one piece. */
  cost: number;
  /** Centre of the picture's region, in pixels [y, x]: tiles nearest it go first. */
  centre: [number, number];
}

export interface PlannedTile {
  /** Region of the pass's model to decode. */
  region: Region;
  /** MACs the decode costs. */
  cost: number;
  /** Squared distance of the tile's centre from the picture's centre, in pixels. */
  distance: number;
}

export interface PlanOptions {
  /** Preview levels to paint before full detail; default: every cheap one (see below). */
  previewLevels?: number[];
}

/**
 * A preview gives up sharing below its level (each block runs its own chain of the deeper
 * layers), so the finer levels can cost a large share of the full decode: by default only
 * levels whose preview costs at most this fraction of full detail are painted.
 */
export const MAX_PREVIEW_SHARE = 0.1;

/** The progressive passes over a 2-D region (an image, or one frame: region with a time axis of size 1). */
export function planPasses(model: AsmrModel, region: Region, options: PlanOptions = {}): PlannedPass[] {
  const last = levelCount(model.spec) - 1;
  const full = regionCost(model.spec, region).macs;
  const wanted = options.previewLevels ?? Array.from({ length: last }, (_, l) => l);
  const passes = [...wanted.filter((l) => l >= 0 && l < last), last].map((level) => {
    const preview = previewModel(model, level);
    const passRegion = previewRegion(preview, region);
    return { level, preview, passRegion, cost: regionCost(preview.model.spec, passRegion).macs };
  });
  const chosen = options.previewLevels ? passes : passes.filter((p) => p.level === last || p.cost <= MAX_PREVIEW_SHARE * full);
  const [y0, x0] = region.start.slice(-2) as [number, number];
  const [h, w] = region.size.slice(-2) as [number, number];
  const centre: [number, number] = [y0 + h / 2, x0 + w / 2];
  return chosen.map(({ level, preview, passRegion, cost }) => ({
    level,
    model: preview.model,
    blockSize: preview.blockSize.slice(-2) as [number, number],
    region: passRegion,
    cost,
    centre,
  }));
}

/**
 * Joins neighbouring tiles along the innermost axis while the run holds at most maxSamples:
 * block-aligned tiles come in steps of a whole level (16x apart for 4x4 bases), and a tile far
 * below the budget pays the per-tile overhead for little work.
 */
function mergeRuns(tiles: Region[], maxSamples: number): Region[] {
  const out: Region[] = [];
  const count = (r: Region) => r.size.reduce((a, b) => a * b, 1);
  for (const t of tiles) {
    const prev = out[out.length - 1];
    const d = t.start.length - 1;
    const adjacent =
      prev !== undefined &&
      prev.start[d]! + prev.size[d]! === t.start[d] &&
      prev.start.every((s, a) => a === d || (s === t.start[a] && prev.size[a] === t.size[a]));
    if (adjacent && count(prev) + count(t) <= maxSamples) {
      out[out.length - 1] = { start: prev.start, size: prev.size.map((s, a) => (a === d ? s + t.size[d]! : s)) };
    } else {
      out.push(t);
    }
  }
  return out;
}

/**
 * The fewest samples worth a tile of its own: every tile pays the coarse levels' prefixes and
 * modulation tables again, so below this size that fixed cost outweighs the tile's own work
 * and a budget too small for it would only multiply decode calls (tens of thousands for one
 * picture). Frames then run one tile over budget instead.
 */
export function tileFloorSamples(pass: PlannedPass): number {
  const { model, region } = pass;
  const perSample = pass.cost / region.size.reduce((a, b) => a * b, 1);
  const single = regionCost(model.spec, { start: region.start, size: region.size.map(() => 1) }).macs;
  return Math.max(1, Math.ceil((single - perSample) / perSample));
}

/**
 * The tiles of a pass, centre first, each (where block alignment and tileFloorSamples allow)
 * costing at most maxTileCost and covering at most maxTilePixels of the picture (a preview sample paints a
 * whole block, and drawing is main-thread work too). Planned when the pass starts, so that the
 * size follows the budget measured so far.
 */
export function planPassTiles(pass: PlannedPass, maxTileCost: number, maxTilePixels = Infinity): PlannedTile[] {
  const { model, region, blockSize, centre } = pass;
  const spec = model.spec;
  const samples = region.size.reduce((a, b) => a * b, 1);
  // Tiles cost a bit more than their share (shared prefixes are paid again per tile): aim low.
  const byCost = Math.floor((maxTileCost / Math.max(1, pass.cost)) * samples * 0.8);
  const floor = tileFloorSamples(pass);
  let maxSamples = Math.max(1, Math.min(Math.max(byCost, floor), Math.floor(maxTilePixels / (blockSize[0] * blockSize[1]))));
  // A tile's cost depends only on its size and its offset within a level-0 block (every finer
  // stride divides that one): thousands of tiles share a handful of costs. Planning a 2048^2
  // pass tile by tile was a long task of its own.
  const coarsest = axisStrides(spec).map((axis) => axis[0]!);
  const costs = new Map<string, number>();
  const costOf = (t: Region): number => {
    const key = `${t.size.join()}|${t.start.map((s, a) => s % coarsest[a]!).join()}`;
    let cost = costs.get(key);
    if (cost === undefined) costs.set(key, (cost = regionCost(spec, t).macs));
    return cost;
  };
  for (;;) {
    const tiles = mergeRuns(planTiles(spec, region, maxSamples).tiles, maxSamples);
    const planned = tiles.map((t) => {
      const [y0, x0] = t.start.slice(-2) as [number, number];
      const [h, w] = t.size.slice(-2) as [number, number];
      const dy = (y0 + h / 2) * blockSize[0] - centre[0];
      const dx = (x0 + w / 2) * blockSize[1] - centre[1];
      return { region: t, cost: costOf(t), distance: dy * dy + dx * dx };
    });
    if (maxSamples <= floor || planned.every((t) => t.cost <= maxTileCost)) return planned.sort((a, b) => a.distance - b.distance);
    maxSamples = Math.max(1, Math.floor(maxSamples / 2));
  }
}
