/**
 * The memory model: small valid files that describe enormous tables are refused, typed and
 * at once, by the engine, the render and the CLI; ordinary models pass with room to spare.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KODAK } from '../../../scripts/lib/bench-models.js';
import { createEngine } from '../../../src/engine/index.js';
import { checkDecodeMemory, DEFAULT_MEMORY_BYTES, preparedBytes } from '../../../src/engine/memory.js';
import { prepareModel } from '../../../src/engine/prepared.js';
import { encodeInr } from '../../../src/format/index.js';
import { randomModel } from '../../../src/model/random.js';
import type { AsmrSpec } from '../../../src/model/types.js';
import { InrModelError } from '../../../src/util/errors.js';
import { ROOT } from '../fixtures.js';

/** 46340 x 46340 from bases [2, 23170] per axis, 4 hidden units: an 860-byte file in f32. */
const HUGE: AsmrSpec = {
  shape: [46340, 46340],
  bases: [
    [2, 23170],
    [2, 23170],
  ],
  channels: 3,
  widths: [4],
  omegas: [30],
  modScales: [30],
};
const BUDGET = { memoryBytes: DEFAULT_MEMORY_BYTES, cacheBytes: 64 << 20, maxTileSamples: 1 << 20 };

const tooLarge = (e: unknown): boolean => e instanceof InrModelError && e.code === 'too-large' && /over the memory budget of 512 MiB/.test(e.message);

describe('decode memory model', () => {
  it('counts the prepared tables exactly for a model that prepares (an upper bound of its arrays)', () => {
    const spec: AsmrSpec = {
      ...KODAK,
      shape: [64, 96],
      bases: [
        [2, 4, 8],
        [3, 4, 8],
      ],
      widths: [10, 7],
      omegas: [30, 30],
      modScales: [30, 30],
    };
    const p = prepareModel(randomModel(spec, 1));
    const held = [...p.layers.flatMap((l) => [l.weightT, l.bias]), ...p.mods, p.lastGrouped, p.lastT, p.lastModTrig].reduce((n, a) => n + a.byteLength, 0);
    assert.ok(preparedBytes(spec) >= held, `${preparedBytes(spec)} >= ${held}`);
    assert.ok(preparedBytes(spec) < 4 * held, 'and not wildly over');
  });

  it('the Kodak configuration fits the default budget; the 46340^2 file does not', () => {
    assert.doesNotThrow(() => checkDecodeMemory(KODAK, BUDGET));
    assert.throws(() => checkDecodeMemory(HUGE, BUDGET), tooLarge);
    assert.ok(encodeInr(randomModel(HUGE, 1)).byteLength < 1200, 'the file is tiny');
  });

  it('the engine refuses it at load, before allocating, in well under a second; a whole-region output over budget too', async () => {
    const engine = await createEngine({ backend: 'wasm' });
    try {
      const t0 = performance.now();
      assert.throws(() => engine.load(randomModel(HUGE, 1)), tooLarge);
      assert.ok(performance.now() - t0 < 1000);
      const big: AsmrSpec = {
        ...KODAK,
        shape: [8192, 12288],
        bases: [
          [4, 4, 4, 8, 16],
          [4, 4, 6, 8, 16],
        ],
        widths: [16, 16, 16, 16],
        omegas: [30, 30, 30, 30],
        modScales: [30, 30, 30, 30],
      };
      const m = engine.load(randomModel(big, 2));
      await assert.rejects(engine.decodeValues(m), (e: unknown) => e instanceof InrModelError && e.code === 'too-large' && /output/.test(e.message));
    } finally {
      engine.dispose();
    }
  });

  it('inrstream decode refuses it (exit 1, the reason) instead of growing past gigabytes; --max-memory is checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inrstream-memory-'));
    const file = join(dir, 'huge.inr');
    writeFileSync(file, encodeInr(randomModel(HUGE, 1)));
    const cli = join(ROOT, 'packages/inrstream-cli/dist/cli.mjs');
    const r = spawnSync(process.execPath, [cli, 'decode', file, '-o', join(dir, 'out.png')], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /too-large|memory budget/);
    const bad = spawnSync(process.execPath, [cli, 'decode', file, '-o', join(dir, 'out.png'), '--max-memory', 'lots'], { encoding: 'utf8' });
    assert.equal(bad.status, 2, bad.stderr);
  });
});
