import { expect } from 'chai';
import { watchLoss } from '../../../src/backend/loss.js';
import { prepareModel } from '../../../src/engine/prepared.js';
import { TileDecoder, type ModelEntry } from '../../../src/engine/tile-decoder.js';
import { instantiateSimdRow } from '../../../src/kernels/last-level-simd.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import { randomModel } from '../../../src/model/random.js';
import { engineOrSkip, maxAbsDiff } from './helpers.js';

describe('WASM / CPU last-level loops', () => {
  it('the SIMD module and the plain-JS loop agree with the oracle, with a hidden width that is not a multiple of 4 and 3 axes', async function () {
    const engine = await engineOrSkip(this, 'wasm');
    engine.dispose();
    const model = randomModel(
      {
        shape: [4, 12, 20],
        bases: [
          [2, 1, 2],
          [2, 3, 2],
          [1, 4, 5],
        ],
        channels: 4,
        widths: [9, 6],
        omegas: [30, 20],
        modScales: [30, 20],
      },
      21,
    );
    expect(instantiateSimdRow(), 'Chromium has WebAssembly SIMD').to.not.equal(null);
    const region = { start: [1, 2, 3], size: [3, 9, 15] };
    const oracle = decodeOracle(model, region);
    const entry = (): ModelEntry => ({ key: 'k', prepared: prepareModel(model), outputRange: [0, 1], tensors: undefined });
    for (const cpuKernel of ['simd', 'js'] as const) {
      const decoder = new TileDecoder('wasm', watchLoss('wasm'), { cacheBytes: 1 << 20, maxTileSamples: 8, cpuKernel });
      const e = entry();
      expect(maxAbsDiff(await decoder.decodeValues(e, region), oracle), cpuKernel).to.be.at.most(2e-3);
      decoder.forget();
      e.tensors?.dispose();
    }
  });
});
