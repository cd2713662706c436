import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regionCost } from '../../../src/model/cost.js';
import { randomModel } from '../../../src/model/random.js';
import type { AsmrSpec, Region } from '../../../src/model/types.js';
import { MAX_PREVIEW_SHARE, planPasses, planPassTiles, planPassTileSteps, tileFloorSamples } from '../../../src/render/progressive-plan.js';
import { runInSlices } from '../../../src/util/yield.js';

const SPEC: AsmrSpec = {
  shape: [256, 192],
  bases: [
    [4, 4, 4, 4],
    [3, 4, 4, 4],
  ],
  channels: 3,
  widths: [16, 16, 16],
  omegas: [30, 30, 30],
  modScales: [30, 30, 30],
};
const model = randomModel(SPEC, 7);
const whole: Region = { start: [0, 0], size: [256, 192] };

/** How many tiles cover each sample of `region`. */
function coverage(region: Region, tiles: Region[]): number[] {
  const [h, w] = region.size as [number, number];
  const seen = new Array<number>(h * w).fill(0);
  for (const t of tiles) {
    for (let y = t.start[0]!; y < t.start[0]! + t.size[0]!; y++) {
      for (let x = t.start[1]!; x < t.start[1]! + t.size[1]!; x++) seen[(y - region.start[0]!) * w + (x - region.start[1]!)]!++;
    }
  }
  return seen;
}

describe('progressive plan', () => {
  it('passes: cheap previews coarse to fine, then full detail', () => {
    const passes = planPasses(model, whole);
    const full = regionCost(SPEC, whole).macs;
    assert.equal(passes.at(-1)!.level, 3);
    assert.deepEqual(passes.at(-1)!.blockSize, [1, 1]);
    assert.deepEqual(
      passes.map((p) => p.level),
      [...passes.map((p) => p.level)].sort((a, b) => a - b),
    );
    for (const p of passes.slice(0, -1)) assert.ok(regionCost(p.model.spec, p.region).macs <= MAX_PREVIEW_SHARE * full);
    assert.deepEqual(
      planPasses(model, whole, { previewLevels: [] }).map((p) => p.level),
      [3],
    );
  });

  for (const share of [0.002, 0.02, 0.2, 2]) {
    it(`tiles at ${share} of the full cost: cover the pass once, within the cap, centre first`, () => {
      for (const pass of planPasses(model, whole)) {
        const cap = share * regionCost(SPEC, whole).macs;
        const tiles = planPassTiles(pass, cap);
        assert.ok(
          coverage(
            pass.region,
            tiles.map((t) => t.region),
          ).every((n) => n === 1),
        );
        // Only a tile at the floor (cutting it further would mostly repeat prefixes) may exceed the cap.
        const floor = tileFloorSamples(pass);
        for (const t of tiles) assert.ok(t.cost <= cap || t.region.size.reduce((a, b) => a * b, 1) <= 2 * floor, `${t.cost} > ${cap}`);
        for (const t of tiles) assert.equal(t.cost, regionCost(pass.model.spec, t.region).macs);
        for (let i = 1; i < tiles.length; i++) assert.ok(tiles[i - 1]!.distance <= tiles[i]!.distance);
      }
    });
  }

  it('never cuts tiles below the floor where the fixed per-tile cost would dominate', () => {
    const pass = planPasses(model, whole, { previewLevels: [] })[0]!;
    const floor = tileFloorSamples(pass);
    const perSample = regionCost(SPEC, whole).macs / (256 * 192);
    const single = regionCost(SPEC, { start: [0, 0], size: [1, 1] }).macs;
    assert.ok(floor > 1 && floor * perSample >= single - perSample);
    const tiles = planPassTiles(pass, 1);
    assert.ok(tiles.length < ((256 * 192) / floor) * 2, `${tiles.length} tiles`);
    assert.ok(
      coverage(
        pass.region,
        tiles.map((t) => t.region),
      ).every((n) => n === 1),
    );
  });

  it('joins blocks along a row when a whole block row fits the cap', () => {
    const pass = planPasses(model, whole, { previewLevels: [] })[0]!;
    const block = regionCost(SPEC, { start: [0, 0], size: [4, 4] }).macs;
    const tiles = planPassTiles(pass, block * 6);
    // 4x4 blocks (level 2) joined in runs along x: wider than one block, never taller.
    assert.ok(tiles.some((t) => t.region.size[1]! > 4));
    assert.ok(tiles.every((t) => t.region.size[0] === 4));
    assert.ok(tiles.every((t) => t.cost <= block * 6));
  });

  it('plans in steps of one row of tiles, which a caller can spread over tasks: same tiles', async () => {
    const pass = planPasses(model, whole, { previewLevels: [] })[0]!;
    const block = regionCost(SPEC, { start: [0, 0], size: [4, 4] }).macs;
    const steps = planPassTileSteps(pass, block * 6);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    // 4-row tiles over 256 rows: a step per row of tiles.
    assert.equal(pauses, 256 / 4);
    assert.deepEqual(step.value, planPassTiles(pass, block * 6));
    // Spread over tasks: a timer due meanwhile runs before the plan is done.
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    function* slow(): Generator<void, string> {
      for (let i = 0; i < 4; i++) {
        const until = performance.now() + 3;
        while (performance.now() < until);
        yield;
      }
      return 'planned';
    }
    const sliced = runInSlices(slow(), 2);
    assert.equal(timerRan, false);
    assert.equal(await sliced, 'planned');
    assert.equal(timerRan, true);
  });
});
