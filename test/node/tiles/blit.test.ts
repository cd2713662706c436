import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaleRgba, tileRect } from '../../../src/tiles/blit.js';

test('tileRect: a tile of blocks is clipped to the canvas as drawImage clips it', () => {
  // 3 x 2 samples of 4 x 8 pixels from (-8, 4) on a 20 x 10 canvas: x -8..16, y 4..12.
  assert.deepEqual(tileRect(-8, 4, 3, 2, [4, 8], 20, 10), { x: 0, y: 4, width: 16, height: 6 });
  // Wholly inside, one pixel a sample.
  assert.deepEqual(tileRect(2, 3, 5, 4, [1, 1], 20, 10), { x: 2, y: 3, width: 5, height: 4 });
  // Wholly outside: empty.
  assert.deepEqual(tileRect(30, 0, 2, 2, [1, 1], 20, 10).width, 0);
});

test('scaleRgba: every pixel of a block is its sample, clipped pixels dropped', () => {
  // 2 x 2 samples (values 1..4 in red), blocks of 2 rows x 3 columns, from (-1, 0); 4 x 3 pixels kept.
  const rgba = new Uint8ClampedArray([1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255, 4, 0, 0, 255]);
  const rect = tileRect(-1, 0, 2, 2, [2, 3], 4, 3);
  assert.deepEqual(rect, { x: 0, y: 0, width: 4, height: 3 });
  const out = scaleRgba(rgba, 2, -1, 0, [2, 3], rect);
  const red = [...out].filter((_, i) => i % 4 === 0);
  assert.deepEqual(red, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4]);
  assert.ok([...out].filter((_, i) => i % 4 === 3).every((a) => a === 255));
});
