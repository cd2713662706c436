/**
 * Stall deadlines for every fetch the library makes (the loader's and the video's range reads):
 * no byte for `ms`, the response's headers included, is InrLoadError 'stalled'. A server that
 * stops sending without closing would otherwise leave a load pending for ever.
 */
import { InrLoadError } from '../util/errors.js';

/** A server that sends nothing for 20 s is taken to have stalled. */
export const DEFAULT_STALL_MS = 20_000;

function stalled(ms: number, where: string): InrLoadError {
  return new InrLoadError('stalled', `no byte arrived for ${ms / 1000} s`, where);
}

/**
 * `fetch(url, init)`, failing with InrLoadError 'stalled' when the response's headers take longer
 * than `ms` (Infinity waits), and 'network' when fetch itself fails (`what` says what was asked
 * for). Aborting `init.signal` rejects with its reason. The body is not guarded: see guardStalls.
 */
export async function fetchWithin(url: string, init: RequestInit, ms: number, what = 'cannot fetch'): Promise<Response> {
  const headers = new AbortController();
  const timer = Number.isFinite(ms) ? setTimeout(() => headers.abort(), ms) : undefined;
  const signal = init.signal ? AbortSignal.any([init.signal, headers.signal]) : headers.signal;
  try {
    return await fetch(url, { ...init, signal });
  } catch (e) {
    if (init.signal?.aborted) throw init.signal.reason;
    if (headers.signal.aborted) throw stalled(ms, url);
    throw new InrLoadError('network', `${what}: ${(e as Error).message}`, url);
  } finally {
    clearTimeout(timer);
  }
}

/** `stream`, failing with InrLoadError 'stalled' when a read waits longer than `ms` (Infinity: as is). */
export function guardStalls(stream: ReadableStream<Uint8Array>, ms: number, where: string): ReadableStream<Uint8Array> {
  if (!Number.isFinite(ms)) return stream;
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(stalled(ms, where)), ms)));
      try {
        const { done, value } = await Promise.race([reader.read(), timeout]);
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        reader.cancel(e).catch(() => undefined);
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
