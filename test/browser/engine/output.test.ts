import { expect } from 'chai';
import { decodeImageData } from '../../../src/render/picture.js';
import { InrBackendError } from '../../../src/util/errors.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import { randomModel } from '../../../src/model/random.js';
import { decodeShared } from '../../../src/model/shared.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { decodeTfjsOps, uploadTfjsOps, useTfjsWasm } from '../../../scripts/bench-decode/tfjs-ops.js';
import { engineOrSkip, maxAbsDiff } from './helpers.js';
import { loadReferenceFixture } from '../fixtures.js';

describe('engine outputs', () => {
  it('decodeImageData and the tile iterator show the same pixels as toRgba8 of the oracle (WebGL)', async function () {
    const engine = await engineOrSkip(this, 'webgl', { maxTileSamples: 2048 });
    try {
      const { model } = await loadReferenceFixture('pan12x96x128_L4_h64');
      const handle = engine.load(model);
      const frame = 5;
      const expected = toRgba8(decodeOracle(model, { start: [frame, 0, 0], size: [1, 96, 128] }), 3);
      const image = await decodeImageData(engine, handle, { frame });
      expect([image.width, image.height]).to.deep.equal([128, 96]);
      expect(maxAbsDiff(image.data, expected)).to.be.at.most(1);
      const assembled = new Uint8ClampedArray(expected.length);
      let tiles = 0;
      for await (const tile of engine.tiles(handle, { start: [frame, 0, 0], size: [1, 96, 128] })) {
        const [, y0, x0] = tile.region.start as [number, number, number];
        const [, h, w] = tile.region.size as [number, number, number];
        for (let y = 0; y < h; y++) assembled.set(tile.rgba.subarray(y * w * 4, (y + 1) * w * 4), ((y0 + y) * 128 + x0) * 4);
        tiles++;
      }
      expect(tiles).to.be.greaterThan(1);
      expect(maxAbsDiff(assembled, expected)).to.be.at.most(1);
    } finally {
      engine.dispose();
    }
  });

  it('a 1-channel model with an output range maps to grey like toRgba8; bad uses are typed errors (WASM)', async function () {
    const engine = await engineOrSkip(this, 'wasm', { maxTileSamples: 64 });
    try {
      const model = randomModel(
        {
          shape: [16, 24],
          bases: [
            [2, 2, 4],
            [2, 3, 4],
          ],
          channels: 1,
          widths: [10, 6],
          omegas: [30, 30],
          modScales: [30, 30],
        },
        3,
      );
      const range = [-0.5, 0.5] as const;
      const handle = engine.load(model, { outputRange: range });
      expect(maxAbsDiff(await engine.decodeRgba(handle), toRgba8(decodeShared(model), 1, range))).to.be.at.most(1);
      const outside = await engine.decodeRgba(handle, { start: [10, 0], size: [7, 4] }).catch((e: unknown) => e);
      expect((outside as Error).name).to.equal('InrModelError');
      engine.release(handle);
      const released = await engine.decodeValues(handle).catch((e: unknown) => e);
      expect(released).to.be.instanceOf(InrBackendError);
      expect((released as InrBackendError).code).to.equal('released');
    } finally {
      engine.dispose();
    }
  });

  it('the benchmark baseline (plain tfjs ops) decodes the same model correctly', async function () {
    const engine = await engineOrSkip(this, 'wasm');
    engine.dispose();
    await useTfjsWasm();
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const ops = uploadTfjsOps(model);
    const region = { start: [0, 0], size: [512, 512] };
    const oracleRows = decodeOracle(model, { start: [200, 0], size: [8, 512] });
    const all = await decodeTfjsOps(ops);
    ops.dispose();
    expect(maxAbsDiff(all.subarray(200 * 512 * 3, 208 * 512 * 3), oracleRows)).to.be.at.most(2e-3);
    expect(all.length).to.equal(region.size[0]! * region.size[1]! * 3);
  });
});
