import { InrError, InrFormatError } from '../util/errors.js';
import { yieldToEventLoop } from '../util/yield.js';
import { type InrEvent, type InrParseOptions, InrParser } from './parser.js';
import { InrFileBuilder } from './read.js';
import type { InrFile } from './types.js';

/**
 * A file whose bytes are all there (a preload, a cache, a fast link) arrives as chunks that
 * resolve one after the other in the same task: parsing it, and what its events start (a
 * level's picture painted), would be one long task, and nothing painted in it shows before
 * it ends. The parser lets the event loop run once it has run this long.
 */
const PARSE_SLICE_MS = 10;

export interface InrProgress {
  /** Bytes received so far. */
  bytes: number;
  tensorsReady: number;
  /** 0 until the header has arrived. */
  tensorsTotal: number;
}

export interface InrStreamOptions extends InrParseOptions {
  /** Aborting rejects with the signal's reason and cancels the stream. */
  signal?: AbortSignal;
  /** Called after every chunk. */
  onProgress?(progress: InrProgress): void;
  /** Every parser event as it happens (header first), for consumers that start early. */
  onEvent?(event: InrEvent): void;
}

/**
 * Reads an `.inr` file from a byte stream, verifying each piece as it completes. Rejects with
 * an InrError for a bad or truncated file ('stream', with `cause`, if the stream itself
 * fails), or with the abort reason. The stream is cancelled on any failure.
 */
export async function readInrStream(stream: ReadableStream<Uint8Array>, options: InrStreamOptions = {}): Promise<InrFile> {
  const { signal, onProgress, onEvent } = options;
  const parser = new InrParser(options);
  const builder = new InrFileBuilder();
  const reader = stream.getReader();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    signal?.throwIfAborted();
    let since = performance.now();
    for (;;) {
      const chunk = await Promise.race([readChunk(reader), aborted]);
      if (chunk === undefined) break;
      for (const event of parser.push(chunk)) {
        builder.add(event);
        onEvent?.(event);
      }
      onProgress?.({ bytes: parser.bytesReceived, tensorsReady: parser.tensorsReady, tensorsTotal: parser.tensorsTotal });
      if (performance.now() - since > PARSE_SLICE_MS) {
        await Promise.race([yieldToEventLoop(), aborted]);
        since = performance.now();
      }
    }
    parser.end();
    return builder.file();
  } catch (e) {
    reader.cancel(e).catch(() => undefined);
    throw e;
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The next chunk, undefined at the end. Stream failures become InrFormatError 'stream', but a
 * source that failed with a typed error of its own (a loader's stall) keeps it.
 */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array | undefined> {
  let result: ReadableStreamReadResult<Uint8Array>;
  try {
    result = await reader.read();
  } catch (cause) {
    if (cause instanceof InrError) throw cause;
    const err = new InrFormatError('stream', `the stream failed: ${String(cause)}`, 'stream');
    err.cause = cause;
    throw err;
  }
  if (result.done) return undefined;
  const value: unknown = result.value;
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new InrFormatError('stream', 'chunk is not a Uint8Array', 'stream');
}
