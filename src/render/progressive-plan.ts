/**
 * What to draw next: the passes of a progressive render and their tiles, each with its MAC
 * cost known before it runs. Pass k < L-1 is the centre-value preview of level k (one value
 * per level-k block, see src/model/preview.ts); the last pass is full detail. Within a pass,
 * tiles nearest the centre of the picture come first.
 */
import { regionCost } from '../model/cost.js';
import { axisStrides } from '../model/digits.js';
import { levelPicture, previewRegion, type PreviewModel } from '../model/preview.js';
import { levelCount } from '../model/spec.js';
import type { AsmrModel, AsmrSpec, Region } from '../model/types.js';
import { blockSpans, tileLevel } from '../tiles/tiler.js';

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
  /** Leave out the previews of this level and coarser ones (already painted: a render while the model arrived). */
  after?: number;
}

/**
 * A preview gives up sharing below its level (each block runs its own chain of the deeper
 * layers), so the finer levels can cost a large share of the full decode: by default only
 * levels whose preview costs at most this fraction of full detail are painted.
 */
export const MAX_PREVIEW_SHARE = 0.1;

/** The pass that paints `picture` (a level's picture, or the full model at its last level) over a 2-D region. */
export function planPicturePass(picture: PreviewModel, region: Region): PlannedPass {
  const passRegion = previewRegion(picture, region);
  const [y0, x0] = region.start.slice(-2) as [number, number];
  const [h, w] = region.size.slice(-2) as [number, number];
  return {
    level: picture.level,
    model: picture.model,
    blockSize: picture.blockSize.slice(-2) as [number, number],
    region: passRegion,
    cost: regionCost(picture.model.spec, passRegion).macs,
    centre: [y0 + h / 2, x0 + w / 2],
  };
}

/** The progressive passes over a 2-D region (an image, or one frame: region with a time axis of size 1). */
export function planPasses(model: AsmrModel, region: Region, options: PlanOptions = {}): PlannedPass[] {
  const last = levelCount(model.spec) - 1;
  const full = regionCost(model.spec, region).macs;
  const after = options.after ?? -1;
  const wanted = options.previewLevels ?? Array.from({ length: last }, (_, l) => l);
  const passes = [...wanted.filter((l) => l > after && l >= 0 && l < last), last].map((level) => planPicturePass(levelPicture(model, level), region));
  return options.previewLevels ? passes : passes.filter((p) => p.level === last || p.cost <= MAX_PREVIEW_SHARE * full);
}

/**
 * The tile-level blocks of `region`, neighbours along the innermost axis joined while a run
 * holds at most maxSamples: block-aligned tiles come in steps of a whole level (16x apart for
 * 4x4 bases), and a tile far below the budget pays the per-tile overhead for little work.
 * Built from the per-axis block spans, not from one object per block: a 2048^2 pass has 65,536
 * blocks of 8x8, and making and joining them was a 100 to 200 ms task at small budgets.
 * Yields the runs one row of blocks (all but the innermost axis fixed) at a time.
 */
function* planRuns(spec: AsmrSpec, region: Region, maxSamples: number): Generator<Region[]> {
  const spans = blockSpans(spec, region, tileLevel(spec, maxSamples));
  const d = spans.length - 1;
  const inner = spans[d]!;
  const pick = new Array<number>(d).fill(0);
  for (;;) {
    const runs: Region[] = [];
    const start = pick.map((k, a) => spans[a]![k]![0]);
    const size = pick.map((k, a) => spans[a]![k]![1]);
    const across = size.reduce((n, s) => n * s, 1);
    let [lo, len] = inner[0]!;
    for (let i = 1; i < inner.length; i++) {
      const [nextLo, nextLen] = inner[i]!;
      if ((len + nextLen) * across <= maxSamples) {
        len += nextLen;
        continue;
      }
      runs.push({ start: [...start, lo], size: [...size, len] });
      [lo, len] = [nextLo, nextLen];
    }
    runs.push({ start: [...start, lo], size: [...size, len] });
    yield runs;
    let a = d - 1;
    for (; a >= 0 && ++pick[a]! === spans[a]!.length; a--) pick[a] = 0;
    if (a < 0) return;
  }
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
  const steps = planPassTileSteps(pass, maxTileCost, maxTilePixels);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * planPassTiles one row of tiles at a time: the caller may pause between steps (a 2048^2
 * pass of thousands of tiles took 12 to 60 ms to plan on a page's main thread).
 */
export function* planPassTileSteps(pass: PlannedPass, maxTileCost: number, maxTilePixels = Infinity): Generator<void, PlannedTile[]> {
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
    let key = '';
    for (let a = 0; a < t.size.length; a++) key += `${t.size[a]},${t.start[a]! % coarsest[a]!};`;
    let cost = costs.get(key);
    if (cost === undefined) costs.set(key, (cost = regionCost(spec, t).macs));
    return cost;
  };
  for (;;) {
    const planned: PlannedTile[] = [];
    let fits = true;
    for (const row of planRuns(spec, region, maxSamples)) {
      for (const t of row) {
        const [y0, x0] = t.start.slice(-2) as [number, number];
        const [h, w] = t.size.slice(-2) as [number, number];
        const dy = (y0 + h / 2) * blockSize[0] - centre[0];
        const dx = (x0 + w / 2) * blockSize[1] - centre[1];
        const cost = costOf(t);
        fits &&= cost <= maxTileCost;
        planned.push({ region: t, cost, distance: dy * dy + dx * dx });
      }
      yield;
    }
    if (maxSamples <= floor || fits) return planned.sort((a, b) => a.distance - b.distance);
    maxSamples = Math.max(1, Math.floor(maxSamples / 2));
  }
}
