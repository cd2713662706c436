/**
 * Opens a video model and resolves with a VideoSource as soon as the header has arrived; the
 * source then receives each segment as its tensors arrive. A URL is first asked for its
 * opening bytes with a Range request: a server that answers 206 gets one range read per
 * segment (src/video/range.ts), so a seek far ahead fetches its segment at once; any other
 * answer is read as one progressive stream, as is every other source (Response, stream,
 * bytes). Failures before the header reject (typed, as `loadInr`); later ones end the
 * source with its `error`.
 */
import { loadInr, type InrSource, type LoadProgress } from '../loader/load.js';
import { DEFAULT_STALL_MS, fetchWithin } from '../loader/stall.js';
import { contentRange, PROBE_BYTES, rangedVideo } from './range.js';
import { VideoSource } from './source.js';

export interface OpenVideoOptions {
  signal?: AbortSignal;
  onProgress?(progress: LoadProgress): void;
  fetchInit?: RequestInit;
  /** Try HTTP Range requests for a URL. Default true. */
  range?: boolean;
  /**
   * A fetch that sends no byte for this long (its headers included; every range read) fails
   * with InrLoadError 'stalled': before the header the open rejects, after it the source ends
   * with that error. Default DEFAULT_STALL_MS (20 s); Infinity waits.
   */
  stallMs?: number;
}

export async function openVideo(src: InrSource, options: OpenVideoOptions = {}): Promise<VideoSource> {
  if ((typeof src === 'string' || src instanceof URL) && options.range !== false) {
    const url = String(src);
    const init: RequestInit = { ...options.fetchInit, signal: options.signal ?? null };
    const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    // Past the HTTP cache, which answers ranges from a cached copy even when the server cannot.
    const res = await fetchWithin(
      url,
      { cache: 'no-store', ...init, headers: { ...(init.headers as Record<string, string> | undefined), Range: `bytes=0-${PROBE_BYTES - 1}` } },
      stallMs,
    );
    if (contentRange(res) !== undefined) return rangedVideo(url, res, init, stallMs);
    return streamed(res, options);
  }
  return streamed(src, options);
}

/** One progressive read through the streaming parser. */
function streamed(src: InrSource, options: OpenVideoOptions): Promise<VideoSource> {
  return new Promise<VideoSource>((resolve, reject) => {
    let source: VideoSource | undefined;
    loadInr(src, {
      ...options,
      onEvent: (event) => {
        if (event.type === 'header') {
          // A header that is not a video throws here, which fails the load with that error.
          source = new VideoSource(event.version, event.header);
          resolve(source);
        } else {
          source?.add(event);
        }
      },
    }).then(
      () => source?.end(),
      (error: unknown) => (source ? source.end(error) : reject(error)),
    );
  });
}
