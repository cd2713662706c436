import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axisStrides } from '../../../src/model/digits.js';
import type { AsmrSpec, Region } from '../../../src/model/types.js';
import { blockSamples, planTiles, tileLevel } from '../../../src/tiles/tiler.js';

const SPEC: AsmrSpec = {
  shape: [12, 10],
  bases: [
    [3, 2, 2],
    [5, 1, 2],
  ],
  channels: 3,
  widths: [4, 4],
  omegas: [30, 30],
  modScales: [30, 30],
};
const VIDEO: AsmrSpec = {
  shape: [6, 8, 8],
  bases: [
    [3, 2],
    [2, 4],
    [4, 2],
  ],
  channels: 3,
  widths: [4],
  omegas: [30],
  modScales: [30],
};

/** Every sample of `region` once, and nothing else: the tiles partition it. */
function assertPartition(spec: AsmrSpec, region: Region, tiles: Region[], level: number): void {
  const seen = new Map<string, number>();
  const strides = level < 0 ? spec.shape : axisStrides(spec).map((a) => a[level]!);
  for (const tile of tiles) {
    // A tile never crosses a block boundary of its level.
    tile.start.forEach((s, a) => assert.equal(Math.floor(s / strides[a]!), Math.floor((s + tile.size[a]! - 1) / strides[a]!)));
    const walk = (a: number, coord: number[]): void => {
      if (a === tile.start.length) {
        const key = coord.join(',');
        seen.set(key, (seen.get(key) ?? 0) + 1);
        return;
      }
      for (let x = tile.start[a]!; x < tile.start[a]! + tile.size[a]!; x++) walk(a + 1, [...coord, x]);
    };
    walk(0, []);
  }
  const expected = region.size.reduce((n, s) => n * s, 1);
  assert.equal(seen.size, expected);
  for (const [key, n] of seen) {
    assert.equal(n, 1, key);
    key
      .split(',')
      .map(Number)
      .forEach((x, a) => assert.ok(x >= region.start[a]! && x < region.start[a]! + region.size[a]!));
  }
}

describe('tiler', () => {
  it('block sizes per level, and the coarsest level whose blocks fit', () => {
    assert.deepEqual(
      [-1, 0, 1, 2].map((l) => blockSamples(SPEC, l)),
      [120, 8, 4, 1],
    );
    assert.equal(tileLevel(SPEC, 1000), -1);
    assert.equal(tileLevel(SPEC, 120), -1);
    assert.equal(tileLevel(SPEC, 119), 0);
    assert.equal(tileLevel(SPEC, 5), 1);
    assert.equal(tileLevel(SPEC, 1), 2);
    assert.equal(tileLevel(SPEC, 0), 2);
  });

  it('the whole signal fits: one tile, the region itself', () => {
    const region = { start: [1, 2], size: [7, 5] };
    assert.deepEqual(planTiles(SPEC, region, 1000), { level: -1, tiles: [region] });
  });

  it('tiles partition regions along level blocks, row-major', () => {
    for (const [spec, region, max] of [
      [SPEC, { start: [0, 0], size: [12, 10] }, 8],
      [SPEC, { start: [3, 1], size: [8, 8] }, 8],
      [SPEC, { start: [5, 3], size: [6, 6] }, 4],
      [VIDEO, { start: [1, 0, 3], size: [4, 8, 5] }, 32],
      [VIDEO, { start: [2, 5, 1], size: [1, 3, 7] }, 2],
    ] as [AsmrSpec, Region, number][]) {
      const plan = planTiles(spec, region, max);
      assert.equal(plan.level, tileLevel(spec, max));
      assertPartition(spec, region, plan.tiles, plan.level);
      for (let i = 1; i < plan.tiles.length; i++) {
        const [a, b] = [plan.tiles[i - 1]!.start, plan.tiles[i]!.start];
        const k = a.findIndex((x, j) => x !== b[j]);
        assert.ok(a[k]! < b[k]!, 'row-major order');
      }
    }
    assert.deepEqual(
      planTiles(SPEC, { start: [3, 1], size: [8, 8] }, 8).tiles.map((t) => [t.start, t.size]),
      [
        [
          [3, 1],
          [1, 1],
        ],
        [
          [3, 2],
          [1, 2],
        ],
        [
          [3, 4],
          [1, 2],
        ],
        [
          [3, 6],
          [1, 2],
        ],
        [
          [3, 8],
          [1, 1],
        ],
        [
          [4, 1],
          [4, 1],
        ],
        [
          [4, 2],
          [4, 2],
        ],
        [
          [4, 4],
          [4, 2],
        ],
        [
          [4, 6],
          [4, 2],
        ],
        [
          [4, 8],
          [4, 1],
        ],
        [
          [8, 1],
          [3, 1],
        ],
        [
          [8, 2],
          [3, 2],
        ],
        [
          [8, 4],
          [3, 2],
        ],
        [
          [8, 6],
          [3, 2],
        ],
        [
          [8, 8],
          [3, 1],
        ],
      ],
    );
  });
});
