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

  it('a GPU backend tried in the decode worker or in the engine for this thread comes from the one GPU file both import', async function () {
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const bytes = encodeInr(model, meta, { dtype: 'f16' });
    const region = { start: [64, 128], size: [32, 40] };
    const oracle = toRgba8(decodeShared(model, region), 3);
    const worker = openDecodeWorker('/dist/inrstream-worker.min.js');
    try {
      const started = await worker.init({ backend: 'webgl' }).catch((e: Error) => e);
      if (started instanceof Error) {
        console.warn(`skipped: webgl does not start here (${started.message})`);
        this.skip();
      }
      const tile = await worker.decode(await worker.load(bytes), region);
      expect(tile.rgba.every((v, i) => Math.abs(v - oracle[i]!) <= 1)).to.equal(true);
    } finally {
      worker.terminate();
    }
    const engineUrl = '/dist/inrstream-engine.min.js';
    const { createEngine: createDistEngine } = (await import(/* @vite-ignore */ engineUrl)) as typeof import('../../src/engine/index.js');
    const engine = await createDistEngine({ backend: 'webgl' });
    try {
      const rgba = await engine.decodeRgba(engine.load(modelFromInr(readInr(bytes))), region);
      expect(rgba.every((v, i) => Math.abs(v - oracle[i]!) <= 1)).to.equal(true);
    } finally {
      engine.dispose();
    }
    const gpuFiles = performance.getEntriesByType('resource').filter((e) => /\/dist\/inrstream-gpu/.test(e.name));
    expect(gpuFiles.map((e) => new URL(e.name).pathname)).to.include('/dist/inrstream-gpu.min.js');
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
