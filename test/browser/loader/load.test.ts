import { expect } from 'chai';
import { InrError, InrFormatError, InrLoadError } from '../../../src/util/errors.js';
import { loadInr, type LoadProgress } from '../../../src/loader/load.js';

const route = (name: string) => `/test-routes/${name}`;

async function failure(p: Promise<unknown>): Promise<InrError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a rejection').to.be.instanceOf(InrError);
  return e as InrError;
}

describe('loadInr: streaming load from the network', () => {
  it('loads a model by URL, reporting progress as bytes and tensors arrive', async () => {
    const seen: LoadProgress[] = [];
    const file = await loadInr(route('ok.inr'), { onProgress: (p) => seen.push(p) });
    expect(file.header.shape).to.deep.equal([512, 512]);
    expect(seen.at(-1)!.bytes).to.equal(file.byteLength);
    expect(seen.at(-1)!.total).to.equal(file.byteLength);
    expect(seen.at(-1)!.tensorsReady).to.equal(seen.at(-1)!.tensorsTotal);
  });

  it('accepts a Response, a Blob and bytes', async () => {
    const bytes = new Uint8Array(await (await fetch(route('ok.inr'))).arrayBuffer());
    for (const source of [await fetch(route('ok.inr')), new Blob([bytes]), bytes, bytes.buffer]) {
      expect((await loadInr(source)).byteLength).to.equal(bytes.length);
    }
  });

  for (const [what, name] of [
    ['a server that stops sending mid-file without closing', 'stall.inr'],
    ['a server that never answers', 'silent.inr'],
  ] as const) {
    it(`${what} is an InrLoadError 'stalled' once no byte came for stallMs`, async () => {
      const start = performance.now();
      const e = await failure(loadInr(route(name), { stallMs: 800 }));
      expect(e).to.be.instanceOf(InrLoadError);
      expect(e.code).to.equal('stalled');
      expect(e.message).to.match(/no byte arrived for 0.8 s/);
      expect(performance.now() - start).to.be.below(5000);
    });
  }

  it('a slow but steady source is not a stall: the deadline is per byte, not per file', async () => {
    const bytes = new Uint8Array(await (await fetch(route('ok.inr'))).arrayBuffer());
    const pieces = 8;
    const size = Math.ceil(bytes.length / pieces);
    let k = 0;
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 300));
        if (k === pieces) return controller.close();
        controller.enqueue(bytes.slice(k * size, ++k * size));
      },
    });
    // 8 x 300 ms = 2.4 s in all, well past stallMs, but never 800 ms without a byte.
    const file = await loadInr(slow, { stallMs: 800 });
    expect(file.byteLength).to.equal(bytes.length);
  });

  it('a 404 is an InrLoadError naming the status and URL', async () => {
    const e = await failure(loadInr(route('missing.inr')));
    expect(e).to.be.instanceOf(InrLoadError);
    expect(e.code).to.equal('http');
    expect(e.message).to.match(/404/);
    expect(e.field).to.match(/missing\.inr$/);
  });

  it('an HTML page served as the model is refused by its content type', async () => {
    const e = await failure(loadInr(route('html.inr')));
    expect(e.code).to.equal('content-type');
  });

  it('bytes that are not an .inr are a format error', async () => {
    const e = await failure(loadInr(new TextEncoder().encode('GIF89a, certainly not a model')));
    expect(e).to.be.instanceOf(InrFormatError);
    expect(e.code).to.equal('bad-magic');
  });

  it('a server that drops the connection mid-file is a typed error, not a hang', async () => {
    const e = await failure(loadInr(route('dropped.inr')));
    expect(['stream', 'truncated']).to.include(e.code);
  });

  it('a response that ends early is "truncated"', async () => {
    const e = await failure(loadInr(route('short.inr')));
    expect(e.code).to.equal('truncated');
  });

  it('abort rejects with the reason', async () => {
    const controller = new AbortController();
    const p = loadInr(route('ok.inr'), { signal: controller.signal });
    controller.abort(new DOMException('stop', 'AbortError'));
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((e as Error).name).to.equal('AbortError');
  });
});
