import { expect } from 'chai';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { openVideo } from '../../../src/video/open.js';
import { VideoPlayer } from '../../../src/video/player.js';
import type { VideoSource } from '../../../src/video/source.js';
import { nextEvent, tilesOn } from './helpers.js';

const CLIP = '/demo/models/cockatoo16x180x320.inr';

function loaded(source: VideoSource): Promise<void> {
  return source.loaded ? Promise.resolve() : nextEvent(source, 'loaded');
}

async function clipFile() {
  return readInr(new Uint8Array(await (await fetch(CLIP)).arrayBuffer()));
}

describe('video streaming: HTTP Range or one progressive read', () => {
  it("a server that honours Range gets one range read per segment; the weights are the file's", async () => {
    const source = await openVideo('/test-routes/range-video.inr');
    expect(source.transport).to.equal('range');
    await loaded(source);
    const file = await clipFile();
    for (let k = 0; k < source.segmentCount; k++) {
      const want = modelFromInr(file, k);
      const got = source.segmentOf(file.header.segments![k]!.frameStart)!.model;
      expect(got.spec).to.deep.equal(want.spec);
      got.weights.layers.forEach((layer, i) => expect(Array.from(layer.weight)).to.deep.equal(Array.from(want.weights.layers[i]!.weight)));
    }
  });

  it('a server that ignores Range (200) is read as one progressive stream', async () => {
    const source = await openVideo('/test-routes/stall-video.inr?ms=0');
    expect(source.transport).to.equal('stream');
    await loaded(source);
    expect(source.segmentCount).to.equal((await clipFile()).header.segments!.length);
  });

  it('a seek into a later segment fetches that segment at once, before the earlier one arrives', async function () {
    this.timeout(60000);
    const { engine, tiles } = await tilesOn(this, 'wasm');
    const file = await clipFile();
    const headerLength = new DataView((await (await fetch(CLIP)).arrayBuffer()).slice(12, 16)).getUint32(0, true);
    const dataStart = Math.ceil((20 + headerLength) / 16) * 16;
    const first = file.header.tensors.find((t) => t.name.startsWith(file.header.segments![0]!.prefix))!;
    // The answer for segment 0 is held back 3 s.
    const source = await openVideo(`/test-routes/range-video.inr?slow=${dataStart + first.offset}`);
    const player = new VideoPlayer(tiles, source, document.createElement('canvas'));
    const frame = file.header.segments![1]!.frameStart + 2;
    const seeked = nextEvent(player, 'seeked');
    player.currentTime = (frame + 0.5) / player.fps;
    await seeked;
    expect(player.currentFrame.frame).to.equal(frame);
    expect(source.segmentOf(0), 'segment 0 is still on its way').to.equal(undefined);
    await loaded(source);
    await player.close();
    engine.dispose();
  });

  it('a range answer cut short ends the source with a typed error', async () => {
    const source = await openVideo('/test-routes/range-video.inr?cut=1');
    const error = source.error ?? (await new Promise<unknown>((resolve) => source.addEventListener('error', (e) => resolve(e.detail), { once: true })));
    expect((error as Error).name).to.equal('InrFormatError');
  });

  it('a cached copy does not fool the probe: a server without Range support is read as a stream every time', async () => {
    for (let i = 0; i < 2; i++) {
      const source = await openVideo('/test-routes/stall-video.inr?ms=0');
      expect(source.transport, `open ${i + 1}`).to.equal('stream');
      await loaded(source);
    }
  });
});
