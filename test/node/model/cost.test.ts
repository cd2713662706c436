import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelCost, prefixCount, regionCost, type AsmrSpec } from '../../../src/model/index.js';

describe('cost model', () => {
  const imageSpec = (shape: number[], bases: number[][], widths: number[], channels: number): AsmrSpec => ({
    shape,
    bases,
    channels,
    widths,
    omegas: widths.map(() => 30),
    modScales: widths.map(() => 30),
  });

  it('matches asmr_profiler and mlp_profiler on the Kodak configuration', () => {
    const spec = imageSpec(
      [512, 768],
      [
        [4, 4, 4, 8],
        [4, 4, 6, 8],
      ],
      [256, 256, 256],
      3,
    );
    const cost = modelCost(spec);
    assert.equal(Math.trunc(cost.macPerPx), 1846);
    assert.ok(Math.abs(cost.macPerPx - 725946368 / 393216) < 1e-9);
    assert.equal(cost.totalMacs, 725946368);
    assert.equal(cost.sirenMacPerPx, 133123);
    assert.equal(cost.sirenSinesPerPx, 768);
    const sines = (256 * (16 * 16) + 256 * (64 * 96) + 256 * 393216) / 393216;
    assert.equal(cost.sinesPerPx, sines);
    assert.equal(cost.addsPerPx, sines);
  });

  it("matches the profiler's own linear-modulator examples", () => {
    const ultraLow: [number[], number][] = [
      [[2, 2, 2, 2, 2, 2, 8], 1631],
      [[4, 2, 2, 2, 2, 8], 1627],
      [[8, 2, 2, 2, 8], 1611],
      [[4, 4, 4, 8], 1353],
      [[8, 8, 8], 1289],
    ];
    for (const [axis, expected] of ultraLow) {
      const widths = new Array(axis.length - 1).fill(256);
      assert.equal(Math.trunc(modelCost(imageSpec([512, 512], [axis, axis], widths, 1)).macPerPx), expected);
    }
    const sevenLayers = imageSpec(
      [512, 512],
      [
        [2, 2, 2, 2, 2, 2, 8],
        [2, 2, 2, 2, 2, 2, 8],
      ],
      new Array(6).fill(256),
      1,
    );
    assert.equal(modelCost(sevenLayers).sirenMacPerPx, 329985);

    const uvg = imageSpec(
      [150, 270, 480],
      [
        [5, 1, 1, 5, 1, 1, 3, 1, 1, 2],
        [5, 1, 3, 1, 3, 1, 3, 1, 2, 1],
        [5, 3, 2, 2, 1, 2, 1, 2, 1, 2],
      ],
      new Array(9).fill(512),
      3,
    );
    assert.equal(Math.trunc(modelCost(uvg).macPerPx), 119756);
    assert.equal(modelCost(uvg).sirenMacPerPx, 2104835);

    const cat = (bases: number[][]) => imageSpec([300, 512, 512], bases, new Array(6).fill(512), 3);
    const cat2 = cat([
      [5, 3, 1, 2, 1, 2, 5],
      [4, 2, 2, 2, 2, 2, 4],
      [4, 2, 2, 2, 2, 2, 4],
    ]);
    const cat3 = cat([
      [5, 5, 3, 2, 1, 1, 2],
      [4, 4, 2, 2, 2, 2, 2],
      [4, 4, 2, 2, 2, 2, 2],
    ]);
    assert.equal(Math.trunc(modelCost(cat2).macPerPx), 5358);
    assert.equal(Math.trunc(modelCost(cat3).macPerPx), 44993);
    assert.equal(modelCost(cat3).sirenMacPerPx, 1316867);
  });

  it('region cost over the whole signal agrees with the model cost', () => {
    const spec = imageSpec(
      [48, 40],
      [
        [2, 3, 8],
        [5, 1, 8],
      ],
      [16, 12],
      3,
    );
    const cost = modelCost(spec);
    const full = regionCost(spec, { start: [0, 0], size: [48, 40] });
    assert.equal(full.samples, 48 * 40);
    assert.equal(full.sines, cost.sinesPerPx * 48 * 40);
    assert.equal(full.adds, full.sines);
    // The profiler also charges the modulation add once per level-i prefix.
    const profilerAdds = 16 * prefixCount(spec, 0) + 12 * prefixCount(spec, 1);
    assert.equal(full.macs + profilerAdds, cost.totalMacs);
  });

  it('region cost counts only the prefixes a tile touches', () => {
    const spec = imageSpec(
      [48, 40],
      [
        [2, 3, 8],
        [5, 1, 8],
      ],
      [16, 12],
      3,
    );
    // Rows 8..15 sit in one level-1 block (8 rows); columns 4..11 straddle two blocks of 8.
    const tile = regionCost(spec, { start: [8, 4], size: [8, 8] });
    const touched = [1 * 2, 1 * 2, 8 * 8];
    const macs = (2 * 16 + 16) * touched[0]! + (16 * 12 + 12) * touched[1]! + (12 * 3 + 3) * touched[2]! + 2 * 16 * (3 * 1) + 2 * 12 * (8 * 8);
    assert.deepEqual(tile, { samples: 64, macs, sines: 16 * touched[1]! + 12 * touched[2]!, adds: 16 * touched[1]! + 12 * touched[2]! });
  });
});
