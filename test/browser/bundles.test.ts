import { expect } from 'chai';
import { encodeInr, modelFromInr, readInr } from '../../src/format/index.js';
import { createEngine } from '../../src/engine/engine.js';
import { decodeShared } from '../../src/model/shared.js';
import { toRgba8 } from '../../src/render/rgba.js';
import { openDecodeWorker } from '../../src/workers/client.js';
import { loadReferenceFixture, loadScript } from './fixtures.js';

describe('built bundles (dist/)', () => {
  it("the decode worker decodes a region exactly as the main thread's engine does", async () => {
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const bytes = encodeInr(model, meta, { dtype: 'f16' });
    const worker = openDecodeWorker('/dist/inrstream-worker.min.js');
    const engine = await createEngine({ backend: 'wasm' });
    try {
      expect((await worker.init({ backend: 'wasm' })).backend).to.equal('wasm');
      const id = await worker.load(bytes);
      const region = { start: [64, 128], size: [96, 200] };
      const tile = await worker.decode(id, region);
      expect([tile.width, tile.height]).to.deep.equal([200, 96]);
      const local = await engine.decodeRgba(engine.load(modelFromInr(readInr(bytes))), region);
      expect(Array.from(tile.rgba)).to.deep.equal(Array.from(local));
      const oracle = toRgba8(decodeShared(model, region), 3);
      expect(tile.rgba.every((v, i) => Math.abs(v - oracle[i]!) <= 1)).to.equal(true);
      await worker.release(id);
      const gone = await worker.decode(id, region).catch((e: Error) => e);
      expect(gone).to.be.instanceOf(Error);
    } finally {
      worker.terminate();
      engine.dispose();
    }
  });

  it('the IIFE bundle loads from one <script> tag and exposes the API as `inrstream`', async () => {
    await loadScript('/dist/inrstream.min.js');
    const api = (globalThis as unknown as { inrstream: typeof import('../../src/index.js') }).inrstream;
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const file = api.readInr(api.encodeInr(model, meta));
    const region = { start: [0, 0], size: [8, 8] };
    expect(Array.from(decodeShared(api.modelFromInr(file), region))).to.deep.equal(Array.from(decodeShared(model, region)));
  });

  it('errors from the minified bundle keep their class names', async () => {
    await loadScript('/dist/inrstream.min.js');
    const api = (globalThis as unknown as { inrstream: typeof import('../../src/index.js') }).inrstream;
    let error: unknown;
    try {
      api.readInr(new Uint8Array(8));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(api.InrFormatError);
    expect((error as Error).name).to.equal('InrFormatError');
    expect(api.InrBackendError.name).to.equal('InrBackendError');
  });
});
