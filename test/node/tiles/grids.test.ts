import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axisStrides, coordDigits, levelCoord } from '../../../src/model/digits.js';
import type { AsmrSpec, Region } from '../../../src/model/types.js';
import { blitTile, dropLanes } from '../../../src/tiles/blit.js';
import { digitTupleCoords, gridKey, gridSize, levelGrids, levelZeroCoords, transitionIndices } from '../../../src/tiles/grids.js';

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

describe('prefix grids of a tile', () => {
  it('parent and digit indices agree with the digits of every coordinate', () => {
    const region: Region = { start: [3, 1], size: [8, 8] };
    const strides = axisStrides(SPEC);
    const grids = levelGrids(strides, region, 3);
    for (let level = 1; level < 3; level++) {
      const { parent, digit } = transitionIndices(SPEC.bases, grids[level - 1]!, grids[level]!, level);
      assert.equal(parent.length, gridSize(grids[level]!));
      for (let y = region.start[0]!; y < region.start[0]! + region.size[0]!; y++) {
        for (let x = region.start[1]!; x < region.start[1]! + region.size[1]!; x++) {
          const pre = (l: number) => [Math.floor(y / strides[0]![l]!), Math.floor(x / strides[1]![l]!)];
          const flat = (l: number) => {
            const [p0, p1] = pre(l);
            const g = grids[l]!;
            return (p0! - g[0]!.lo) * g[1]!.count + (p1! - g[1]!.lo);
          };
          const q = coordDigits(SPEC, [y, x]);
          assert.equal(parent[flat(level)], flat(level - 1));
          assert.equal(digit[flat(level)], q[0]![level]! * SPEC.bases[1]![level]! + q[1]![level]!);
        }
      }
    }
  });

  it('level-0 and digit-tuple coordinates, and keys that tell grids apart', () => {
    const grid = [
      { lo: 1, count: 2 },
      { lo: 3, count: 2 },
    ];
    assert.deepEqual(Array.from(levelZeroCoords(SPEC.bases, grid)), [0.5, 0.75, 0.5, 1, 1, 0.75, 1, 1]);
    const tuples = digitTupleCoords(SPEC.bases, 2);
    assert.deepEqual(Array.from(tuples), [0, 0, 0, 1, 1, 0, 1, 1]);
    assert.equal(levelCoord(4, 5), 1);
    assert.notEqual(gridKey(1, grid), gridKey(2, grid));
    assert.notEqual(
      gridKey(1, grid),
      gridKey(1, [
        { lo: 1, count: 2 },
        { lo: 3, count: 3 },
      ]),
    );
  });
});

describe('blit', () => {
  it('copies a tile into its place in the region, converting float to clamped bytes', () => {
    const region: Region = { start: [2, 4, 6], size: [2, 3, 4] };
    const tile: Region = { start: [3, 5, 7], size: [1, 2, 2] };
    const dst = new Uint8ClampedArray(2 * 3 * 4);
    blitTile(dst, region, new Float32Array([1.5, 2.5, 300, -4]), tile, 1);
    const at = (a: number, b: number, c: number) => dst[(a * 3 + b) * 4 + c];
    assert.deepEqual([at(1, 1, 1), at(1, 1, 2), at(1, 2, 1), at(1, 2, 2)], [2, 2, 255, 0]);
    assert.equal(
      dst.reduce((n, v) => n + v, 0),
      259,
    );
  });

  it('drops padding lanes', () => {
    assert.deepEqual(Array.from(dropLanes(new Float32Array([1, 2, 3, 0, 4, 5, 6, 0]), 3)), [1, 2, 3, 4, 5, 6]);
  });
});
