import { expect } from 'chai';
import { encodeInr, modelFromInr, readInr } from '../../src/format/index.js';
import { decodeShared } from '../../src/model/shared.js';
import { toRgba8 } from '../../src/render/rgba.js';
import { openDecodeWorker } from '../../src/workers/client.js';
import { loadReferenceFixture } from './fixtures.js';

describe('built bundles (dist/)', () => {
  it('the decode worker decodes a region exactly as the main thread does', async () => {
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const bytes = encodeInr(model, meta, { dtype: 'f16' });
    const worker = openDecodeWorker('/dist/inrstream-worker.min.js');
    try {
      const id = await worker.load(bytes);
      const region = { start: [64, 128], size: [96, 200] };
      const tile = await worker.decode(id, region);
      expect([tile.width, tile.height]).to.deep.equal([200, 96]);
      const local = toRgba8(decodeShared(modelFromInr(readInr(bytes)), region), 3);
      expect(Array.from(tile.rgba)).to.deep.equal(Array.from(local));
      await worker.release(id);
      const gone = await worker.decode(id, region).catch((e: Error) => e);
      expect(gone).to.be.instanceOf(Error);
    } finally {
      worker.terminate();
    }
  });

  it('the IIFE bundle loads from one <script> tag and exposes the API as `inrstream`', async () => {
    await new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/dist/inrstream.min.js';
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('script failed to load'));
      document.head.append(s);
    });
    const api = (globalThis as unknown as { inrstream: typeof import('../../src/index.js') }).inrstream;
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const file = api.readInr(api.encodeInr(model, meta));
    const region = { start: [0, 0], size: [8, 8] };
    expect(Array.from(api.decodeShared(api.modelFromInr(file), region))).to.deep.equal(Array.from(decodeShared(model, region)));
  });
});
