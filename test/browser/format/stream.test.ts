import { expect } from 'chai';
import { wrap } from 'comlink';
import { InrError } from '../../../src/util/errors.js';
import { codedModel, encodeInr, modelFromInr, readInr, readInrStream } from '../../../src/format/index.js';
import { decodeShared } from '../../../src/model/shared.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import type { DecodeWorkerApi } from '../../../src/workers/decode-protocol.js';
import { chunkedStream, loadReferenceFixture } from '../fixtures.js';

describe('.inr reader on a ReadableStream in the browser', () => {
  for (const dtype of ['f32', 'f16', 'int8', 'q4', 'q8'] as const) {
    it(`${dtype}: small chunks give the same model as the whole bytes`, async () => {
      const { model, meta } = await loadReferenceFixture('pan12x96x128_L4_h64');
      const bytes = encodeInr(model, meta, { dtype });
      const progress: number[] = [];
      const streamed = await readInrStream(chunkedStream(bytes, [1, 7, 3, 64, 13, 500]), {
        onProgress: (p) => progress.push(p.bytes),
      });
      const whole = readInr(bytes);
      expect(streamed.header).to.deep.equal(whole.header);
      const a = modelFromInr(streamed);
      const b = modelFromInr(whole);
      a.weights.layers.forEach((l, i) => expect(Array.from(l.weight)).to.deep.equal(Array.from(b.weights.layers[i]!.weight)));
      expect(progress.length).to.be.greaterThan(1);
      expect(progress.every((v, i) => i === 0 || v >= progress[i - 1]!)).to.equal(true);
      expect(progress.at(-1)).to.equal(bytes.length);
    });
  }

  it('the decode worker script reads a coded file and decodes what it holds', async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    const bytes = encodeInr(model, {}, { dtype: 'q6' });
    const worker = new Worker('/dist/inrstream-worker.min.js', { type: 'module' });
    try {
      const api = wrap<DecodeWorkerApi>(worker);
      await api.init({ backend: 'cpu' });
      const region = { start: [100, 200], size: [16, 24] };
      const { rgba } = await api.decode(await api.load(bytes), region);
      const want = toRgba8(decodeShared(codedModel(model, 6), region), 3);
      expect(Math.max(...Array.from(rgba, (v, i) => Math.abs(v - want[i]!)))).to.be.at.most(1);
    } finally {
      worker.terminate();
    }
  });

  it('a stream that ends early is a typed "truncated" error', async () => {
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const bytes = encodeInr(model, meta);
    for (const cut of [3, 19, 200, bytes.length - 1]) {
      const err = await readInrStream(chunkedStream(bytes.slice(0, cut), [17])).catch((e) => e);
      expect(err, `cut at ${cut}`).to.be.instanceOf(InrError);
      expect(err.code).to.equal('truncated');
    }
  });

  it('aborting stops the read and cancels the stream', async () => {
    const { model, meta } = await loadReferenceFixture('astronaut512_L4_h64');
    const bytes = encodeInr(model, meta);
    const controller = new AbortController();
    let cancelled = false;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 1000) controller.abort();
        c.enqueue(bytes.slice(sent, sent + 100));
        sent += 100;
      },
      cancel() {
        cancelled = true;
      },
    });
    const err = await readInrStream(stream, { signal: controller.signal }).catch((e) => e);
    expect(err.name).to.equal('AbortError');
    expect(cancelled).to.equal(true);
  });
});
