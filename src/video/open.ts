/**
 * Opens a video model and resolves with a VideoSource as soon as the header has arrived; the
 * source then receives each segment as its tensors arrive. A URL is first asked for its
 * opening bytes with a Range request: a server that answers 206 gets one range read per
 * segment (src/video/range.ts), so a seek far ahead fetches its segment at once; any other
 * answer is read as one progressive stream, as is every other source (Response, stream,
 * bytes). Failures before the header reject (typed, as `loadInr`); later ones end the
 * source with its `error`.
 */
import { InrLoadError } from '../util/errors.js';
import { loadInr, type InrSource, type LoadProgress } from '../loader/load.js';
import { PROBE_BYTES, rangeTotal, rangedVideo } from './range.js';
import { VideoSource } from './source.js';

export interface OpenVideoOptions {
  signal?: AbortSignal;
  onProgress?(progress: LoadProgress): void;
  fetchInit?: RequestInit;
  /** Try HTTP Range requests for a URL. Default true. */
  range?: boolean;
}

export async function openVideo(src: InrSource, options: OpenVideoOptions = {}): Promise<VideoSource> {
  if ((typeof src === 'string' || src instanceof URL) && options.range !== false) {
    const url = String(src);
    const init: RequestInit = { ...options.fetchInit, signal: options.signal ?? null };
    let res: Response;
    try {
      // Past the HTTP cache, which answers ranges from a cached copy even when the server cannot.
      res = await fetch(url, {
        cache: 'no-store',
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), Range: `bytes=0-${PROBE_BYTES - 1}` },
      });
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new InrLoadError('network', `cannot fetch: ${(e as Error).message}`, url);
    }
    if (rangeTotal(res) !== undefined) return rangedVideo(url, res, init);
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
