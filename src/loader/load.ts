import { InrLoadError } from '../util/errors.js';
import { DEFAULT_STALL_MS, fetchWithin, guardStalls } from './stall.js';
import { readInrStream, type InrProgress, type InrStreamOptions } from '../format/stream.js';
import type { InrFile } from '../format/types.js';

/** Anything a model can come from. */
export type InrSource = string | URL | Response | ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer | Blob;

export interface LoadProgress extends InrProgress {
  /** Expected bytes, from Content-Length or the source's size; undefined when unknown. */
  total: number | undefined;
}

export interface LoadOptions extends Omit<InrStreamOptions, 'onProgress'> {
  onProgress?(progress: LoadProgress): void;
  /** Passed to fetch() for URL sources (credentials, headers, cache). */
  fetchInit?: RequestInit;
  /**
   * A URL, response or stream source that sends no byte for this long (the response's headers
   * included) fails with InrLoadError 'stalled'. Default DEFAULT_STALL_MS; Infinity waits.
   */
  stallMs?: number;
}

/**
 * Content types that say "this is not a model" outright. A static server sends an `.inr` as
 * application/octet-stream or something made up; but HTML or JSON is an error page, an SPA
 * fallback or an API answer, and naming that beats a 'bad-magic' about its first bytes.
 */
const NOT_A_MODEL = /^(text\/|application\/(json|xml|xhtml\+xml|javascript)\b)/i;

function checkResponse(res: Response, url: string): ReadableStream<Uint8Array> {
  if (!res.ok) throw new InrLoadError('http', `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, url);
  const type = res.headers.get('content-type') ?? '';
  if (NOT_A_MODEL.test(type)) throw new InrLoadError('content-type', `served as "${type}", not an .inr model`, url);
  if (!res.body) throw new InrLoadError('no-body', 'the response has no body', url);
  return res.body;
}

function contentLength(res: Response): number | undefined {
  const n = Number(res.headers.get('content-length'));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

async function open(source: InrSource, options: LoadOptions): Promise<{ stream: ReadableStream<Uint8Array>; total: number | undefined }> {
  const ms = options.stallMs ?? DEFAULT_STALL_MS;
  if (typeof source === 'string' || source instanceof URL) {
    const url = String(source);
    const res = await fetchWithin(url, { ...options.fetchInit, signal: options.signal ?? null }, ms);
    return { stream: guardStalls(checkResponse(res, url), ms, url), total: contentLength(res) };
  }
  if (source instanceof Response) {
    const where = source.url || 'response';
    return { stream: guardStalls(checkResponse(source, where), ms, where), total: contentLength(source) };
  }
  if (source instanceof ReadableStream) return { stream: guardStalls(source, ms, 'stream'), total: undefined };
  if (source instanceof Blob) return { stream: source.stream(), total: source.size };
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  return { stream: new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(), total: bytes.length };
}

/**
 * Loads an `.inr` from a URL, a Response, a stream or bytes, parsing and validating as the
 * bytes arrive. Every failure is an InrError: InrLoadError for HTTP status, content type and
 * network; InrFormatError for the bytes ('truncated' when a server stops mid-file). Aborting
 * rejects with the signal's reason.
 */
export async function loadInr(source: InrSource, options: LoadOptions = {}): Promise<InrFile> {
  options.signal?.throwIfAborted();
  const { stream, total } = await open(source, options);
  const { onProgress } = options;
  return readInrStream(stream, {
    ...options,
    onProgress: onProgress && ((p) => onProgress({ ...p, total })),
  });
}
