import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type InrError, InrFormatError } from '../../../src/util/errors.js';
import { type InrEvent, type InrFile, InrParser, encodeInr, readInr, readInrStream } from '../../../src/format/index.js';
import { mulberry32 } from '../../../src/model/prng.js';
import { DTYPES, IMAGE_SPEC, VIDEO_SPEC, chunkedStream, model, splitInr } from './helpers.js';

function assertSameFile(got: InrFile, want: InrFile): void {
  assert.deepEqual(got.header, want.header);
  assert.deepEqual(got.version, want.version);
  assert.equal(got.byteLength, want.byteLength);
  assert.deepEqual([...got.tensors.keys()], [...want.tensors.keys()]);
  for (const [name, values] of want.tensors) assert.deepEqual(got.tensors.get(name), values, name);
}

function randomSizes(seed: number, count: number, max: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => 1 + Math.floor(rng() * max));
}

const CHUNKINGS: [string, number[]][] = [
  ['1-byte', [1]],
  ['7-byte', [7]],
  ['random-size', randomSizes(99, 50, 120)],
];

describe('InrParser (push)', () => {
  for (const dtype of DTYPES) {
    for (const [label, sizes] of CHUNKINGS) {
      test(`${dtype}, ${label} chunks: same events as one push`, () => {
        const bytes = encodeInr(model(VIDEO_SPEC, 8), { fps: 12 }, { dtype });
        const whole = new InrParser().push(bytes);
        const parser = new InrParser();
        const events: InrEvent[] = [];
        for (let pos = 0, k = 0; pos < bytes.length; k++) {
          const n = sizes[k % sizes.length]!;
          events.push(...parser.push(bytes.subarray(pos, pos + n)));
          pos += n;
        }
        parser.end();
        assert.deepEqual(events, whole);
        assert.deepEqual(
          events.map((e) => e.type),
          ['header', ...whole.slice(1, -1).map(() => 'tensor'), 'done'],
        );
      });
    }
  }

  test('hands out each tensor as soon as its last byte arrives', () => {
    const bytes = encodeInr(model(IMAGE_SPEC, 2), {}, { dtype: 'f16' });
    const file = readInr(bytes);
    const dataStart = bytes.length - splitInr(bytes).data.length;
    const parser = new InrParser();
    let pos = 0;
    file.header.tensors.forEach((t, i) => {
      const end = dataStart + t.offset + t.length;
      const before = parser.push(bytes.subarray(pos, end - 1));
      assert.ok(
        before.every((e) => e.type !== 'tensor' || e.index < i),
        `tensor ${i} must wait for its last byte`,
      );
      const events = parser.push(bytes.subarray(end - 1, end));
      const ready = events.find((e) => e.type === 'tensor');
      assert.ok(ready && ready.type === 'tensor' && ready.index === i, `tensor ${i} ready at byte ${end}`);
      assert.deepEqual(ready.values, file.tensors.get(t.name));
      pos = end;
    });
    parser.end();
  });

  test('rejects a wrong file at its first byte, and keeps failing after an error', () => {
    const parser = new InrParser();
    assert.throws(
      () => parser.push(Uint8Array.of(0x7b)),
      (e: InrError) => e.code === 'bad-magic' && e.field === 'preamble.magic',
    );
    assert.throws(
      () => parser.push(new Uint8Array(100)),
      (e: InrError) => e.code === 'bad-magic',
    );
    assert.throws(
      () => parser.end(),
      (e: InrError) => e.code === 'bad-magic',
    );
  });

  test('end() before the last byte is "truncated", naming what was being read', () => {
    const bytes = encodeInr(model(IMAGE_SPEC, 3));
    const file = readInr(bytes);
    const dataStart = bytes.length - splitInr(bytes).data.length;
    const t3 = file.header.tensors[3]!;
    const cases: [number, string][] = [
      [0, 'preamble'],
      [10, 'preamble'],
      [19, 'preamble'],
      [20, 'header'],
      [dataStart - 1, 'header'],
      [dataStart + t3.offset, 'header.tensors[3]'],
      [dataStart + t3.offset + t3.length - 1, 'header.tensors[3]'],
      [bytes.length - 1, `header.tensors[${file.header.tensors.length - 1}]`],
    ];
    for (const [cut, field] of cases) {
      const parser = new InrParser();
      parser.push(bytes.subarray(0, cut));
      assert.throws(
        () => parser.end(),
        (e: InrError) => e instanceof InrFormatError && e.code === 'truncated' && e.field === field,
        `cut ${cut}`,
      );
    }
  });
});

describe('readInrStream', () => {
  for (const dtype of DTYPES) {
    for (const [label, sizes] of CHUNKINGS) {
      test(`${dtype}, ${label} chunks: same file as readInr`, async () => {
        const bytes = encodeInr(model(IMAGE_SPEC, 9), { provenance: { source: 'x.png' } }, { dtype });
        const progress: { bytes: number; tensorsReady: number; tensorsTotal: number }[] = [];
        const file = await readInrStream(chunkedStream(bytes, sizes), { onProgress: (p) => progress.push(p) });
        assertSameFile(file, readInr(bytes));
        assert.ok(progress.every((p, i) => i === 0 || p.bytes > progress[i - 1]!.bytes));
        assert.deepEqual(progress.at(-1), { bytes: bytes.length, tensorsReady: 8, tensorsTotal: 8 });
        assert.equal(progress[0]!.tensorsTotal, sizes[0]! >= bytes.length ? 8 : 0);
      });
    }
  }

  test('a file whose bytes are all there is parsed in slices: the event loop runs before the end, not after', async () => {
    const bytes = encodeInr(model(IMAGE_SPEC, 9));
    const chunks = Math.ceil(bytes.length / 64);
    let read = 0;
    let timerAt: number | undefined;
    setTimeout(() => (timerAt = read), 0);
    // Each chunk's work takes 2 ms (a consumer that paints as levels arrive, say).
    await readInrStream(chunkedStream(bytes, [64]), {
      onProgress: () => {
        read++;
        const until = performance.now() + 2;
        while (performance.now() < until);
      },
    });
    assert.ok(chunks > 20, `${chunks} chunks`);
    assert.ok(timerAt !== undefined && timerAt < chunks / 2, `the timer ran after chunk ${timerAt} of ${chunks}`);
  });

  test('onEvent sees the header before any tensor', async () => {
    const bytes = encodeInr(model(VIDEO_SPEC, 1));
    const types: string[] = [];
    await readInrStream(chunkedStream(bytes, [33]), { onEvent: (e) => types.push(e.type) });
    assert.equal(types[0], 'header');
    assert.equal(types.at(-1), 'done');
  });

  test('abort rejects with the signal reason and cancels the stream', async () => {
    const bytes = encodeInr(model(IMAGE_SPEC, 4));
    const controller = new AbortController();
    let cancelReason: unknown;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          if (sent >= 200) {
            controller.abort();
            return new Promise(() => undefined); // a stalled network: only the abort ends the wait
          }
          c.enqueue(bytes.slice(sent, sent + 50));
          sent += 50;
          return undefined;
        },
        cancel(reason) {
          cancelReason = reason;
        },
      },
      { highWaterMark: 0 },
    );
    const err = await readInrStream(stream, { signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(err instanceof DOMException && err.name === 'AbortError');
    assert.equal(err, controller.signal.reason);
    assert.equal(cancelReason, controller.signal.reason);
  });

  test('an already aborted signal rejects at once and cancels the stream', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({ cancel: () => void (cancelled = true) });
    const reason = new DOMException('stop', 'AbortError');
    await assert.rejects(readInrStream(stream, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
    assert.equal(cancelled, true);
  });

  test('a stream that ends early is "truncated"', async () => {
    const bytes = encodeInr(model(IMAGE_SPEC, 5));
    for (const cut of [3, 19, 200, bytes.length - 1]) {
      await assert.rejects(readInrStream(chunkedStream(bytes.slice(0, cut), [17])), (e: InrError) => e.code === 'truncated');
    }
  });

  test('a failing stream becomes InrFormatError "stream" with the cause', async () => {
    const cause = new Error('connection reset');
    const bytes = encodeInr(model(IMAGE_SPEC, 6));
    let first = true;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (first) c.enqueue(bytes.slice(0, 100));
        else c.error(cause);
        first = false;
      },
    });
    await assert.rejects(readInrStream(stream), (e: InrError) => e instanceof InrFormatError && e.code === 'stream' && e.cause === cause);
  });

  test('a format error cancels the stream; non-byte chunks are rejected', async () => {
    let cancelReason: unknown;
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new TextEncoder().encode('<!doctype html>')),
      cancel: (reason) => void (cancelReason = reason),
    });
    const err = await readInrStream(stream).catch((e: unknown) => e);
    assert.ok(err instanceof InrFormatError && err.code === 'bad-magic');
    assert.equal(cancelReason, err);
    const strings = new ReadableStream({ start: (c) => c.enqueue('text') }) as unknown as ReadableStream<Uint8Array>;
    await assert.rejects(readInrStream(strings), (e: InrError) => e.code === 'stream');
  });
});
