import { expect } from 'chai';
import { openVideo } from '../../../src/video/open.js';
import { FrameDecoder } from '../../../src/video/frame-decoder.js';
import { WorkerPool } from '../../../src/workers/pool.js';
import { maxByteDiff, oracleFrame, smallClip, tilesOn } from './helpers.js';

describe('video frame decoder', () => {
  it('neighbouring frames share the coarse activations of their common time digits', async function () {
    this.timeout(60000);
    const { engine, tiles } = await tilesOn(this, 'wasm');
    const { models, bytes } = smallClip();
    const source = await openVideo(bytes);
    const segment = source.segmentOf(0)!;
    const decoder = new FrameDecoder(tiles, [0, 1]);
    const entries: number[] = [];
    for (let f = 0; f < 4; f++) {
      const frame = await decoder.decode(segment, f, 'full');
      expect([frame.width, frame.height, ...frame.blockSize]).to.deep.equal([32, 24, 1, 1]);
      expect(maxByteDiff(frame.rgba, oracleFrame(models, f, 'full'))).to.be.at.most(1);
      entries.push(engine.cacheStats.entries);
    }
    // Time bases 2,2,2: frames 0-3 share their level-0 rows and pairs share level-1 rows, so
    // four frames hold 3 cached tables (level 0 once, level 1 twice), not 8.
    expect(entries).to.deep.equal([2, 2, 3, 3]);
    const coarse = await decoder.decode(segment, 5, 'coarse');
    expect(coarse.detail).to.equal('coarse');
    expect(coarse.macs).to.be.below(decoder.cost(segment, 5, 'full'));
    // One value per last-level block (4 x 4 pixels): the drawer scales it up.
    expect([coarse.width, coarse.height, ...coarse.blockSize]).to.deep.equal([8, 6, 4, 4]);
    decoder.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(engine.cacheStats.entries).to.equal(0);
    engine.dispose();
  });

  it("full frames from the decode-worker pool (the runtime's tile source) are the oracle's", async function () {
    this.timeout(60000);
    const pool = new WorkerPool({ scriptUrl: '/dist/inrstream-worker.min.js', size: 1, init: { backend: 'wasm' } });
    try {
      expect((await pool.report()).backend).to.equal('wasm');
      const { models, bytes } = smallClip();
      const source = await openVideo(bytes);
      const decoder = new FrameDecoder(pool, [0, 1]);
      for (const f of [3, 12]) {
        const frame = await decoder.decode(source.segmentOf(f)!, f, 'full');
        expect(maxByteDiff(frame.rgba, oracleFrame(models, f, 'full')), `frame ${f}`).to.be.at.most(1);
      }
      decoder.release();
    } finally {
      pool.terminate();
    }
  });
});
