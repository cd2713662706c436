/**
 * Segments over HTTP Range requests: the header comes from the first request, then each
 * segment's tensors are one range read, in order, except that a segment playback is waiting
 * for (after a seek) is fetched at once. Each tensor is verified as the parser would (CRC-32,
 * finite values) before the segment is announced.
 *
 * Every read is bounded: a body is read into a buffer of the size asked for and cancelled once
 * that is full, so a server that sends more (an endless body, the whole file for a range) is
 * cut off, not buffered; one that sends less ends in a typed error, and one that stops sending
 * fails after the stall deadline (src/loader/stall.ts).
 */
import { InrError, InrFormatError, InrLoadError } from '../util/errors.js';
import { crc32 } from '../format/crc32.js';
import { DEFAULT_LIMITS } from '../format/limits.js';
import { InrParser } from '../format/parser.js';
import { dataStartFor, parsePreamble, PREAMBLE_BYTES } from '../format/preamble.js';
import { decodeTensor } from '../format/tensor-data.js';
import { fetchWithin, guardStalls } from '../loader/stall.js';
import { VideoSource } from './source.js';

/** Bytes asked for first: the preamble and, for any ordinary file, the whole header. */
export const PROBE_BYTES = 64 * 1024;

/**
 * The span a 206 answer names (`Content-Range: bytes start-end/total`, end inclusive, total a
 * number or `*`), or undefined for any other answer.
 */
export function contentRange(res: Response): { start: number; end: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
  if (res.status !== 206 || !m) return undefined;
  const [start, end] = [Number(m[1]), Number(m[2])];
  return end >= start ? { start, end } : undefined;
}

/** Where reads happen: the URL, the caller's fetch options (its signal) and the stall deadline. */
interface ReadContext {
  url: string;
  init: RequestInit;
  stallMs: number;
}

/**
 * Bytes `skip` to `skip + length` of `res`'s body, in one buffer of that size; the body is then
 * cancelled, whatever it still holds. A body that ends early is 'truncated', one that fails is
 * 'stream' (a connection that closed before its Content-Length); no byte for stallMs is 'stalled'.
 */
async function readSpan(res: Response, skip: number, length: number, at: ReadContext, what: string): Promise<Uint8Array> {
  if (!res.body) throw new InrLoadError('no-body', `${what}: the response has no body`, at.url);
  const reader = guardStalls(res.body, at.stallMs, at.url).getReader();
  const out = new Uint8Array(length);
  let skipped = 0;
  let got = 0;
  try {
    while (got < length) {
      let chunk: Uint8Array;
      try {
        const next = await reader.read();
        if (next.done) throw new InrFormatError('truncated', `${what}: got ${got} of ${length}`, at.url);
        chunk = next.value;
      } catch (cause) {
        if (at.init.signal?.aborted) throw at.init.signal.reason;
        if (cause instanceof InrError) throw cause;
        const failed = new InrFormatError('stream', `${what}: the connection failed after ${got} of ${length}: ${String(cause)}`, at.url);
        failed.cause = cause;
        throw failed;
      }
      const drop = Math.min(skip - skipped, chunk.length);
      skipped += drop;
      const take = Math.min(chunk.length - drop, length - got);
      out.set(chunk.subarray(drop, drop + take), got);
      got += take;
    }
    return out;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** Bytes [start, end) of the file by one range read. */
async function fetchRange(at: ReadContext, start: number, end: number): Promise<Uint8Array> {
  const what = `bytes ${start}-${end - 1}`;
  // Chromium's HTTP cache lets one request per URL through at a time; ranges bypass it so a
  // seek's segment does not queue behind the one in flight.
  const init = {
    cache: 'no-store' as const,
    ...at.init,
    headers: { ...(at.init.headers as Record<string, string> | undefined), Range: `bytes=${start}-${end - 1}` },
  };
  const res = await fetchWithin(at.url, init, at.stallMs, `cannot fetch ${what}`);
  // A server that stopped honouring ranges sends the whole file: the span is still in it, read
  // past (not kept) up to its start.
  if (res.status === 200) return readSpan(res, start, end - start, at, what);
  const answered = contentRange(res);
  if (!answered || answered.start !== start || answered.end < end - 1) {
    res.body?.cancel().catch(() => undefined);
    const got = res.status === 206 ? `bytes ${res.headers.get('content-range') ?? '(no Content-Range)'}` : `HTTP ${res.status}`;
    throw new InrLoadError('range', `asked for ${what}, got ${got}`, at.url);
  }
  return readSpan(res, 0, end - start, at, what);
}

/**
 * A VideoSource fed by range reads, from the first (206) response. Resolves once the header
 * is in; segments follow in the background, failures end the source with a typed error. The
 * preamble's header length is checked against the format's limit before the rest of a header
 * longer than the first answer is asked for.
 */
export async function rangedVideo(url: string, first: Response, init: RequestInit, stallMs: number): Promise<VideoSource> {
  const at: ReadContext = { url, init, stallMs };
  const answered = contentRange(first);
  if (answered?.start !== 0) {
    first.body?.cancel().catch(() => undefined);
    throw new InrLoadError('range', `asked for bytes 0-${PROBE_BYTES - 1}, got bytes ${first.headers.get('content-range')}`, url);
  }
  let head = await readSpan(first, 0, Math.min(PROBE_BYTES, answered.end + 1), at, `bytes 0-${PROBE_BYTES - 1}`);
  if (head.length >= PREAMBLE_BYTES) {
    const dataStart = dataStartFor(parsePreamble(head, DEFAULT_LIMITS).headerLength);
    if (head.length < dataStart) {
      const whole = new Uint8Array(dataStart);
      whole.set(head);
      whole.set(await fetchRange(at, head.length, dataStart), head.length);
      head = whole;
    }
  }
  const parser = new InrParser();
  const event = parser.push(head).find((e) => e.type === 'header');
  if (!event || event.type !== 'header') throw new InrFormatError('truncated', `the header did not fit in ${head.length} bytes`, 'header');
  const source = new VideoSource(event.version, event.header, 'range');
  void new RangeLoader(at, source, event.dataStart).run();
  return source;
}

class RangeLoader {
  private readonly requested = new Set<number>();
  private cursor = 0;

  constructor(
    private readonly at: ReadContext,
    private readonly source: VideoSource,
    private readonly dataStart: number,
  ) {
    source.addEventListener('want', (e) => {
      const k = e.detail;
      this.cursor = k;
      if (!this.requested.has(k)) void this.load(k).catch((err: unknown) => this.source.end(err));
    });
  }

  /** Segments in order from the cursor (moved by seeks), one at a time. */
  async run(): Promise<void> {
    try {
      for (;;) {
        const n = this.source.segmentCount;
        const next = Array.from({ length: n }, (_, i) => (this.cursor + i) % n).find((k) => !this.requested.has(k));
        if (next === undefined) return;
        await this.load(next);
      }
    } catch (e) {
      this.source.end(e);
    }
  }

  private async load(k: number): Promise<void> {
    this.requested.add(k);
    const span = this.source.segmentSpan(k);
    const bytes = await fetchRange(this.at, this.dataStart + span.start, this.dataStart + span.end);
    this.source.header.tensors.forEach((entry, index) => {
      if (entry.offset < span.start || entry.offset + entry.length > span.end) return;
      const stored = bytes.subarray(entry.offset - span.start, entry.offset - span.start + entry.length);
      const field = `header.tensors[${index}]`;
      if (crc32(stored) !== entry.crc32) throw new InrFormatError('checksum', `does not match the bytes of '${entry.name}'`, `${field}.crc32`);
      const values = decodeTensor(entry.dtype, entry.shape, stored, field);
      if (!values.every(Number.isFinite)) throw new InrFormatError('non-finite-weight', `'${entry.name}' holds a non-finite value`, field);
      this.source.add({ type: 'tensor', index, entry, values });
    });
  }
}
