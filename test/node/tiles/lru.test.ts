import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteLru } from '../../../src/tiles/lru.js';

describe('byte-budget LRU', () => {
  it('evicts least recently used entries until the new one fits, handing each to evict once', () => {
    const evicted: string[] = [];
    const lru = new ByteLru<string>(100, (v) => evicted.push(v));
    assert.equal(lru.put('a', 'A', 40), true);
    assert.equal(lru.put('b', 'B', 40), true);
    assert.equal(lru.get('a'), 'A');
    assert.equal(lru.put('c', 'C', 40), true);
    assert.deepEqual(evicted, ['B']);
    assert.equal(lru.bytes, 80);
    assert.equal(lru.has('b'), false);
    assert.equal(lru.put('d', 'D', 100), true);
    assert.deepEqual(evicted, ['B', 'A', 'C']);
    assert.equal(lru.size, 1);
  });

  it('refuses an entry larger than the whole budget, leaving it to the caller', () => {
    const evicted: string[] = [];
    const lru = new ByteLru<string>(10, (v) => evicted.push(v));
    lru.put('a', 'A', 5);
    assert.equal(lru.put('big', 'BIG', 11), false);
    assert.equal(lru.has('big'), false);
    assert.deepEqual(evicted, []);
    assert.equal(lru.bytes, 5);
  });

  it('replacing a key evicts the old value; delete, deleteWhere and clear evict too', () => {
    const evicted: string[] = [];
    const lru = new ByteLru<string>(100, (v) => evicted.push(v));
    lru.put('m1|a', 'A1', 10);
    lru.put('m1|a', 'A2', 20);
    assert.deepEqual(evicted, ['A1']);
    assert.equal(lru.bytes, 20);
    lru.put('m1|b', 'B', 10);
    lru.put('m2|a', 'C', 10);
    lru.deleteWhere((k) => k.startsWith('m1|'));
    assert.deepEqual(evicted, ['A1', 'A2', 'B']);
    assert.equal(lru.delete('m2|a'), true);
    assert.equal(lru.delete('m2|a'), false);
    lru.put('x', 'X', 1);
    lru.clear();
    assert.deepEqual(evicted, ['A1', 'A2', 'B', 'C', 'X']);
    assert.equal(lru.bytes, 0);
  });
});
