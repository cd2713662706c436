import { expect } from 'chai';
import { CpuTileDecoder } from '../../../src/engine/cpu-decoder.js';
import { prepareModel } from '../../../src/engine/prepared.js';
import { decodeRgba, decodeValues, type ModelEntry } from '../../../src/engine/tile-decoder.js';
import { instantiateSimd } from '../../../src/kernels/simd-module.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { randomModel } from '../../../src/model/random.js';
import { engineOrSkip, maxAbsDiff } from './helpers.js';

describe('WASM / CPU decoders', () => {
  it('the SIMD module and the plain-JS kernels agree with the oracle, with hidden widths that are not multiples of 4 and 3 axes', async function () {
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
    expect(instantiateSimd()?.relaxed, 'Chromium has relaxed SIMD').to.equal(true);
    const region = { start: [1, 2, 3], size: [3, 9, 15] };
    const oracle = decodeOracle(model, region);
    const entry: ModelEntry = { key: 'k', prepared: prepareModel(model), outputRange: [0, 1] };
    for (const backend of ['wasm', 'cpu'] as const) {
      const decoder = CpuTileDecoder.create(backend, { cacheBytes: 1 << 20, maxTileSamples: 8 });
      expect(maxAbsDiff(await decodeValues(decoder, entry, region, 8), oracle), backend).to.be.at.most(2e-3);
      decoder.release(entry);
    }
  });

  it('reuses freed buffers without their old contents showing: a second model decoded after a first, cold, equals the oracle', async function () {
    const engine = await engineOrSkip(this, 'wasm');
    engine.dispose();
    const spec = {
      shape: [24, 40],
      bases: [
        [2, 3, 4],
        [2, 4, 5],
      ],
      channels: 3,
      widths: [12, 8],
      omegas: [30, 30],
      modScales: [30, 30],
    };
    const [first, second] = [randomModel(spec, 5), randomModel(spec, 6)];
    const region = { start: [0, 0], size: [24, 40] };
    for (const backend of ['wasm', 'cpu'] as const) {
      // A budget that holds the tiles' outputs and activations, so the second decode takes them.
      const decoder = CpuTileDecoder.create(backend, { cacheBytes: 1 << 20, maxTileSamples: 240 });
      for (const [i, model] of [first, second, first].entries()) {
        const entry: ModelEntry = { key: `m${i}`, prepared: prepareModel(model), outputRange: [0, 1] };
        const oracle = decodeOracle(model, region);
        expect(maxAbsDiff(await decodeValues(decoder, entry, region, 240), oracle), `${backend}, decode ${i}`).to.be.at.most(2e-3);
        const rgba = await decodeRgba(decoder, entry, region, 240);
        const want = toRgba8(oracle, 3);
        const off = rgba.reduce((n, v, j) => n + (Math.abs(v - want[j]!) > 1 ? 1 : 0), 0);
        expect(off, `${backend}, decode ${i}: RGBA8 values more than 1 off`).to.equal(0);
        decoder.forget();
      }
    }
  });
});
