import { InrFormatError } from '../util/errors.js';
import { ByteQueue } from './byte-queue.js';
import { crc32 } from './crc32.js';
import { validateHeader } from './header.js';
import { parseProvenanceTrailer } from './provenance.js';
import { parseHeaderJson } from './json-guard.js';
import { type InrLimits, resolveLimits } from './limits.js';
import { PREAMBLE_BYTES, type Preamble, checkMagicPrefix, dataStartFor, parsePreamble } from './preamble.js';
import { decodeTensor } from './tensor-data.js';
import type { InrHeader, InrTensorEntry, InrVersion, ProvenanceValue } from './types.js';

export type InrEvent =
  | { type: 'header'; version: InrVersion; header: InrHeader; dataStart: number }
  | { type: 'tensor'; index: number; entry: InrTensorEntry; values: Float32Array }
  /** Version 4: the provenance, stored after the tensors (the header event's is `{}`). */
  | { type: 'provenance'; provenance: Record<string, ProvenanceValue> }
  | { type: 'done'; byteLength: number };

export interface InrParseOptions {
  limits?: Partial<InrLimits>;
}

type Stage = 'preamble' | 'header' | 'tensors' | 'provenance' | 'done';

/**
 * Incremental `.inr` reader: push chunks as they arrive, get events back as soon as each
 * piece is complete and verified (header, then every tensor in storage order, then from
 * version 4 the provenance, then done).
 * Only the bytes of the piece being completed are buffered. Pushed chunks are referenced,
 * not copied, until consumed: do not modify them after pushing. After a failure every call
 * throws the same error.
 */
export class InrParser {
  private readonly limits: InrLimits;
  private readonly queue = new ByteQueue();
  private stage: Stage = 'preamble';
  private preamble: Preamble | undefined;
  private header: InrHeader | undefined;
  private nextTensor = 0;
  /** Bytes of tensor data consumed so far (relative to the data start). */
  private dataPos = 0;
  /** The tensor being read: its bytes so far, copied in as they arrive (chunks are not held). */
  private tensor: { bytes: Uint8Array; filled: number } | undefined;
  private received = 0;
  private failure: unknown;

  constructor(options: InrParseOptions = {}) {
    this.limits = resolveLimits(options.limits);
  }

  get bytesReceived(): number {
    return this.received;
  }

  get tensorsReady(): number {
    return this.nextTensor;
  }

  /** 0 until the header has been parsed. */
  get tensorsTotal(): number {
    return this.header?.tensors.length ?? 0;
  }

  push(chunk: Uint8Array): InrEvent[] {
    return this.guard(() => {
      this.received += chunk.length;
      this.queue.push(chunk);
      const events: InrEvent[] = [];
      while (this.step(events));
      if (this.stage === 'done' && this.queue.length > 0) {
        throw new InrFormatError('trailing-bytes', `${this.queue.length} bytes follow the end of the file`, 'file');
      }
      return events;
    });
  }

  /** Declares the input complete; throws 'truncated' (naming what was being read) if it is not. */
  end(): void {
    this.guard(() => {
      if (this.stage !== 'done') throw this.truncation();
    });
  }

  private guard<T>(fn: () => T): T {
    if (this.failure !== undefined) throw this.failure;
    try {
      return fn();
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  /** Advances by one piece if its bytes are all there; false when waiting for more. */
  private step(events: InrEvent[]): boolean {
    switch (this.stage) {
      case 'preamble':
        if (this.queue.length < PREAMBLE_BYTES) {
          checkMagicPrefix(this.queue.peek(PREAMBLE_BYTES));
          return false;
        }
        this.preamble = parsePreamble(this.queue.take(PREAMBLE_BYTES), this.limits);
        this.stage = 'header';
        return true;
      case 'header':
        return this.readHeader(this.preamble!, events);
      case 'tensors':
        return this.readTensor(this.header!, events);
      case 'provenance':
        return this.readProvenance(this.header!.provenanceTrailer!, events);
      case 'done':
        return false;
    }
  }

  private readHeader(preamble: Preamble, events: InrEvent[]): boolean {
    const dataStart = dataStartFor(preamble.headerLength);
    if (this.queue.length < dataStart - PREAMBLE_BYTES) return false;
    const bytes = this.queue.take(dataStart - PREAMBLE_BYTES);
    const headerBytes = bytes.subarray(0, preamble.headerLength);
    if (crc32(headerBytes) !== preamble.headerCrc32) {
      throw new InrFormatError('checksum', 'does not match the header bytes', 'preamble.headerCrc32');
    }
    checkZero(bytes.subarray(preamble.headerLength), 'header.padding');
    this.header = validateHeader(parseHeaderJson(headerBytes, this.limits), this.limits, preamble.version);
    events.push({ type: 'header', version: preamble.version, header: this.header, dataStart });
    this.stage = 'tensors';
    return true;
  }

  private readTensor(header: InrHeader, events: InrEvent[]): boolean {
    const index = this.nextTensor;
    const entry = header.tensors[index]!;
    const field = `header.tensors[${index}]`;
    if (this.tensor === undefined) {
      const padding = entry.offset - this.dataPos;
      // Waits for the padding and the tensor's first byte.
      if (this.queue.length < padding + Math.min(1, entry.length)) return false;
      checkZero(this.queue.take(padding), `${field}.padding`);
      this.dataPos = entry.offset;
      // Allocated when its first byte arrives (its size was bounded by the header checks), and
      // filled as the rest does, so the file's chunks never pile up: one copy of the weights.
      this.tensor = { bytes: new Uint8Array(entry.length), filled: 0 };
    }
    const pending = this.tensor;
    const n = Math.min(this.queue.length, entry.length - pending.filled);
    this.queue.takeInto(pending.bytes, pending.filled, n);
    pending.filled += n;
    if (pending.filled < entry.length) return false;
    this.tensor = undefined;
    const bytes = pending.bytes;
    if (crc32(bytes) !== entry.crc32) {
      throw new InrFormatError('checksum', `does not match the bytes of '${entry.name}'`, `${field}.crc32`);
    }
    const values = decodeTensor(entry.dtype, entry.shape, bytes, field);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new InrFormatError('non-finite-weight', `value ${i} of '${entry.name}' is ${values[i]}`, field);
      }
    }
    this.dataPos = entry.offset + entry.length;
    this.nextTensor++;
    events.push({ type: 'tensor', index, entry, values });
    if (this.nextTensor === header.tensors.length) {
      if (header.provenanceTrailer) this.stage = 'provenance';
      else this.finish(events, 0);
    }
    return true;
  }

  private readProvenance(trailer: { length: number; crc32: number }, events: InrEvent[]): boolean {
    if (this.queue.length < trailer.length) return false;
    const bytes = this.queue.take(trailer.length);
    if (crc32(bytes) !== trailer.crc32) {
      throw new InrFormatError('checksum', 'does not match the provenance bytes', 'header.provenanceTrailer[1]');
    }
    events.push({ type: 'provenance', provenance: parseProvenanceTrailer(bytes, this.limits) });
    this.finish(events, trailer.length);
    return true;
  }

  private finish(events: InrEvent[], trailerBytes: number): void {
    this.stage = 'done';
    events.push({ type: 'done', byteLength: dataStartFor(this.preamble!.headerLength) + this.dataPos + trailerBytes });
  }

  private truncation(): InrFormatError {
    const ended = (what: string, need: number, field: string, have = this.queue.length): InrFormatError =>
      new InrFormatError('truncated', `file ended inside ${what} (${have} of ${need} bytes)`, field);
    switch (this.stage) {
      case 'preamble':
        return ended('the preamble', PREAMBLE_BYTES, 'preamble');
      case 'header':
        return ended('the header', dataStartFor(this.preamble!.headerLength) - PREAMBLE_BYTES, 'header');
      case 'provenance':
        return ended('the provenance', this.header!.provenanceTrailer!.length, 'provenance');
      default: {
        const entry = this.header!.tensors[this.nextTensor]!;
        const need = entry.offset - this.dataPos + entry.length;
        return ended(`tensor '${entry.name}' (with its padding)`, need, `header.tensors[${this.nextTensor}]`, this.queue.length + (this.tensor?.filled ?? 0));
      }
    }
  }
}

function checkZero(bytes: Uint8Array, field: string): void {
  if (bytes.some((b) => b !== 0)) throw new InrFormatError('invalid-padding', 'padding bytes must be zero', field);
}
