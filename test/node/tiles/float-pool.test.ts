import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FloatPool } from '../../../src/tiles/float-pool.js';

describe('float pool', () => {
  it('hands a freed array back for the same length only, and a new one otherwise', () => {
    const pool = new FloatPool(1000);
    const a = new Float32Array(10).fill(7);
    pool.give(a);
    assert.equal(pool.bytes, 40);
    assert.notEqual(pool.take(11), a);
    assert.equal(pool.take(10), a);
    assert.equal(pool.bytes, 0);
    const fresh = pool.take(10);
    assert.notEqual(fresh, a);
    assert.deepEqual([...fresh], new Array(10).fill(0));
  });

  it('drops the oldest arrays to stay in its budget, and refuses one larger than the budget', () => {
    const pool = new FloatPool(100);
    const [a, b, c] = [new Float32Array(10), new Float32Array(10), new Float32Array(6)];
    pool.give(a);
    pool.give(b);
    assert.equal(pool.bytes, 80);
    pool.give(c);
    assert.equal(pool.bytes, 64);
    assert.equal(pool.take(10), b);
    assert.notEqual(pool.take(10), a);
    assert.equal(pool.take(6), c);
    pool.give(new Float32Array(26));
    assert.equal(pool.bytes, 0);
  });

  it('keeps an array once, and never a view into a larger buffer (a module memory, a row)', () => {
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
    assert.notEqual(pool.take(4), a);
  });
});
