import { expect } from 'chai';
import type { BackendName } from '../../../src/backend/types.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import type { Region } from '../../../src/model/types.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { maxAbsDiffAtSample } from '../../shared/reference-sample.js';
import { BACKENDS, engineOn, engineOrSkip, maxAbsDiff } from './helpers.js';
import { loadReferenceFixture } from '../fixtures.js';

// Regions that cross level blocks unevenly, decoded in small tiles so several tiles share
// coarse activations through the cache.
const REGIONS: Record<string, Region> = {
  astronaut512_L4_h64: { start: [100, 37], size: [70, 90] },
  pan12x96x128_L4_h64: { start: [3, 10, 20], size: [2, 40, 50] },
};

const ran: string[] = [];
const refused: string[] = [];

describe('fused engine against the oracle on reference fixtures, on every backend that starts', () => {
  after(() => console.log(`engine fixtures: backends that ran: ${ran.join(', ')}; refused: ${refused.join('; ') || 'none'}`));

  for (const name of BACKENDS) {
    it(`${name}: regions match decodeOracle within 2e-3, RGBA8 within one level`, async function () {
      const engine = await engineOn(name, { maxTileSamples: 1024 });
      if (typeof engine === 'string') {
        refused.push(`${name} (${engine})`);
        console.warn(`skipped: ${name} does not start here (${engine})`);
        this.skip();
      }
      try {
        expect(engine.backend).to.equal(name);
        let worst = 0;
        for (const [fixture, region] of Object.entries(REGIONS)) {
          const { model } = await loadReferenceFixture(fixture);
          const handle = engine.load(model);
          const oracle = decodeOracle(model, region);
          const diff = maxAbsDiff(await engine.decodeValues(handle, region), oracle);
          expect(diff, `${name} ${fixture}`).to.be.at.most(2e-3);
          worst = Math.max(worst, diff);
          expect(maxAbsDiff(await engine.decodeRgba(handle, region), toRgba8(oracle, 3)), `${name} ${fixture} rgba`).to.be.at.most(1);
          engine.release(handle);
        }
        ran.push(`${name} [${engine.report.device}] max |diff| ${worst.toExponential(1)}`);
      } finally {
        engine.dispose();
      }
    });
  }

  for (const name of ['wasm', 'cpu'] as BackendName[]) {
    it(`${name}: whole fixtures match the reference decodes (sampled) within 2e-3`, async function () {
      const engine = await engineOrSkip(this, name);
      try {
        for (const fixture of Object.keys(REGIONS)) {
          const { model, sample } = await loadReferenceFixture(fixture);
          const handle = engine.load(model);
          expect(maxAbsDiffAtSample(await engine.decodeValues(handle), sample), fixture).to.be.at.most(2e-3);
        }
      } finally {
        engine.dispose();
      }
    });
  }
});
