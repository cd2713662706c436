/**
 * Segments over HTTP Range requests: the header comes from the first request, then each
 * segment's tensors are one range read, in order, except that a segment playback is waiting
 * for (after a seek) is fetched at once. Each tensor is verified as the parser would (CRC-32,
 * finite values) before the segment is announced.
 */
import { InrFormatError, InrLoadError } from '../util/errors.js';
import { crc32 } from '../format/crc32.js';
import { InrParser } from '../format/parser.js';
import { dataStartFor, PREAMBLE_BYTES } from '../format/preamble.js';
import { decodeTensor } from '../format/tensor-data.js';
import { VideoSource } from './source.js';

/** Bytes asked for first: the preamble and, for any ordinary file, the whole header. */
export const PROBE_BYTES = 64 * 1024;

/** The total size a 206 names (`Content-Range: bytes a-b/total`), or undefined. */
export function rangeTotal(res: Response): number | undefined {
  const m = /^bytes \d+-\d+\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  return res.status === 206 && m ? Number(m[1]) : undefined;
}

async function fetchRange(url: string, start: number, end: number, init: RequestInit): Promise<Uint8Array> {
  let res: Response;
  try {
    // Chromium's HTTP cache lets one request per URL through at a time; ranges bypass it so a
    // seek's segment does not queue behind the one in flight.
    res = await fetch(url, {
      cache: 'no-store',
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), Range: `bytes=${start}-${end - 1}` },
    });
  } catch (e) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new InrLoadError('network', `cannot fetch bytes ${start}-${end - 1}: ${(e as Error).message}`, url);
  }
  if (res.status !== 206 && res.status !== 200) throw new InrLoadError('range', `asked for bytes ${start}-${end - 1}, got HTTP ${res.status}`, url);
  // A server that stopped honouring ranges sends the whole file: the span is still in it.
  const body = new Uint8Array(await res.arrayBuffer());
  const bytes = res.status === 200 ? body.subarray(start, end) : body;
  if (bytes.length !== end - start) throw new InrFormatError('truncated', `bytes ${start}-${end - 1}: got ${bytes.length} of ${end - start}`, url);
  return bytes;
}

/**
 * A VideoSource fed by range reads, from the first (206) response. Resolves once the header
 * is in; segments follow in the background, failures end the source with a typed error.
 */
export async function rangedVideo(url: string, first: Response, init: RequestInit): Promise<VideoSource> {
  let head: Uint8Array = new Uint8Array(await first.arrayBuffer());
  if (head.length >= PREAMBLE_BYTES) {
    const headerLength = new DataView(head.buffer, head.byteOffset).getUint32(12, true);
    const dataStart = dataStartFor(headerLength);
    if (head.length < dataStart) head = await fetchRange(url, 0, dataStart, init);
  }
  const parser = new InrParser();
  const event = parser.push(head).find((e) => e.type === 'header');
  if (!event || event.type !== 'header') throw new InrFormatError('truncated', `the header did not fit in ${head.length} bytes`, 'header');
  const source = new VideoSource(event.version, event.header, 'range');
  void new RangeLoader(url, source, event.dataStart, init).run();
  return source;
}

class RangeLoader {
  private readonly requested = new Set<number>();
  private cursor = 0;

  constructor(
    private readonly url: string,
    private readonly source: VideoSource,
    private readonly dataStart: number,
    private readonly init: RequestInit,
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
    const bytes = await fetchRange(this.url, this.dataStart + span.start, this.dataStart + span.end, this.init);
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
