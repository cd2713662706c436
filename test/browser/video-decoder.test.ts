import { expect } from 'chai';
import { openVideo } from '../../src/video/open.js';
import { FrameDecoder } from '../../src/video/frame-decoder.js';
import { EngineFrames, WorkerFrames } from '../../src/video/frame-source.js';
import { openDecodeWorker } from '../../src/workers/client.js';
import { engineOn } from './engine-helpers.js';
import { maxByteDiff, oracleFrame, smallClip } from './video-helpers.js';

describe('video frame decoder', () => {
  it('neighbouring frames share the coarse activations of their common time digits', async function () {
    this.timeout(60000);
    const engine = await engineOn('wasm');
    if (typeof engine === 'string') this.skip();
    const { models, bytes } = smallClip();
    const source = await openVideo(bytes);
    const segment = source.segmentOf(0)!;
    const decoder = new FrameDecoder(new EngineFrames(engine, [0, 1]), [0, 1]);
    const entries: number[] = [];
    for (let f = 0; f < 4; f++) {
      const frame = await decoder.decode(segment, f, 'full');
      expect(maxByteDiff(frame.image.data, oracleFrame(models, f, 'full'))).to.be.at.most(1);
      entries.push(engine.cacheStats.entries);
    }
    // Time bases 2,2,2: frames 0-3 share their level-0 rows and pairs share level-1 rows, so
    // four frames hold 3 cached tables (level 0 once, level 1 twice), not 8.
    expect(entries).to.deep.equal([2, 2, 3, 3]);
    const coarse = await decoder.decode(segment, 5, 'coarse');
    expect(coarse.detail).to.equal('coarse');
    expect(coarse.macs).to.be.below(decoder.cost(segment, 5, 'full'));
    expect(maxByteDiff(coarse.image.data, oracleFrame(models, 5, 'coarse'))).to.be.at.most(1);
    await decoder.release();
    expect(engine.cacheStats.entries).to.equal(0);
    engine.dispose();
  });

  it('full frames from a decode worker (its own engine) are the oracle\'s', async function () {
    this.timeout(60000);
    const worker = openDecodeWorker('/dist/inrstream-worker.min.js');
    try {
      await worker.init({ backend: 'wasm', wasmPaths: '/dist/' });
      const { models, bytes } = smallClip();
      const source = await openVideo(bytes);
      const decoder = new FrameDecoder(new WorkerFrames(worker, [0, 1]), [0, 1]);
      for (const f of [3, 12]) {
        const frame = await decoder.decode(source.segmentOf(f)!, f, 'full');
        expect(maxByteDiff(frame.image.data, oracleFrame(models, f, 'full')), `frame ${f}`).to.be.at.most(1);
      }
      await decoder.release();
    } finally {
      worker.terminate();
    }
  });
});
