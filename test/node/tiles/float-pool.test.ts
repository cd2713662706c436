import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FloatPool } from '../../../src/tiles/float-pool.js';

describe('float pool', () => {
  it('hands a freed buffer back for a length it holds with at most half to spare, as a view', () => {
    const pool = new FloatPool(1000);
    const a = pool.take(10);
    a.fill(7);
    pool.give(a);
    assert.equal(pool.bytes, 40);
    assert.notEqual(pool.take(11).buffer, a.buffer, 'too small');
    assert.notEqual(pool.take(4).buffer, a.buffer, 'more than half to spare');
    const view = pool.take(6);
    assert.equal(view.buffer, a.buffer);
    assert.equal(view.length, 6);
    assert.equal(pool.bytes, 0);
    const fresh = pool.take(10);
    assert.notEqual(fresh.buffer, a.buffer);
    assert.deepEqual([...fresh], new Array(10).fill(0));
    // The view handed back returns the whole buffer.
    pool.give(view);
    assert.equal(pool.bytes, 40);
    assert.equal(pool.take(10).buffer, a.buffer);
  });

  it('takes the smallest buffer that fits', () => {
    const pool = new FloatPool(1000);
    const [big, small] = [new Float32Array(12), new Float32Array(9)];
    pool.give(big);
    pool.give(small);
    assert.equal(pool.take(8).buffer, small.buffer);
    assert.equal(pool.take(8).buffer, big.buffer);
  });

  it('drops the oldest buffers to stay in its budget and entry count, and refuses one larger than the budget', () => {
    const pool = new FloatPool(100);
    const [a, b, c] = [new Float32Array(10), new Float32Array(10), new Float32Array(6)];
    pool.give(a);
    pool.give(b);
    assert.equal(pool.bytes, 80);
    pool.give(c);
    assert.equal(pool.bytes, 64);
    assert.equal(pool.take(10).buffer, b.buffer);
    assert.notEqual(pool.take(10).buffer, a.buffer);
    assert.equal(pool.take(6).buffer, c.buffer);
    pool.give(new Float32Array(26));
    assert.equal(pool.bytes, 0);
    const few = new FloatPool(1000, 2);
    for (let i = 0; i < 3; i++) few.give(new Float32Array(1));
    assert.equal(few.bytes, 8);
  });

  it('keeps a buffer once, and never one it did not make through a view (a module memory, a row)', () => {
    const pool = new FloatPool(1000);
    const a = new Float32Array(4);
    pool.give(a);
    pool.give(a);
    assert.equal(pool.bytes, 16);
    pool.give(new Float32Array(new ArrayBuffer(64), 16, 4));
    pool.give(new Float32Array(8).subarray(0, 4));
    assert.equal(pool.bytes, 16);
    pool.clear();
    assert.equal(pool.bytes, 0);
    assert.notEqual(pool.take(4).buffer, a.buffer);
  });
});
