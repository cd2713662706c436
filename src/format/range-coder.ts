/**
 * The entropy coder of the coded dtypes (docs/FORMAT.md, "Coded tensors"): an adaptive binary
 * range coder (LZMA's, 32-bit range, carries propagated through a cached byte) driven by a
 * bit tree. A symbol of `bits` bits is coded most significant bit first; each node of the tree
 * is a context with its own counts, so the tree learns the whole distribution of the tensor's
 * codes as it goes. Nothing is sent ahead of the codes: encoder and decoder start from the same
 * empty counts, which is what makes the coder worth it on tensors of a few hundred values,
 * where a static table would cost more than it saves.
 */

import { rangeModuleBytes } from './range-bytes.js';

/** The range is renormalised (a byte shifted out) whenever it falls below this. */
const TOP = 2 ** 24;
/** A context's counts are halved when their sum reaches this, so probabilities stay in 32..65504 / 65536. */
const COUNT_LIMIT = 1024;

/** P(bit = 0) in units of 2^-16: the Krichevsky-Trofimov estimate (c0 + 1/2) / (c0 + c1 + 1). */
function probabilityOfZero(counts: Uint16Array, node: number): number {
  const c0 = counts[2 * node]!;
  const c1 = counts[2 * node + 1]!;
  // Exact: the quotient is below 2^16 and its distance from an integer far above rounding error.
  return Math.floor(((2 * c0 + 1) * 32768) / (c0 + c1 + 1));
}

function update(counts: Uint16Array, node: number, bit: number): void {
  const i = 2 * node;
  counts[i + bit]!++;
  if (counts[i]! + counts[i + 1]! >= COUNT_LIMIT) {
    counts[i] = (counts[i]! + 1) >> 1;
    counts[i + 1] = (counts[i + 1]! + 1) >> 1;
  }
}

/** Largest payload, in bytes, that `count` symbols of `bits` bits can take: 16 bits a decision is far above the worst case (11). */
export function maxPayloadBytes(count: number, bits: number): number {
  return 2 * count * bits + 8;
}

/**
 * Codes symbols in 0 .. 2^bits - 1. The output drops the coder's first byte (always 0) and any
 * trailing zero bytes: the decoder reads missing bytes as 0.
 */
export function encodeSymbols(symbols: ArrayLike<number>, bits: number): Uint8Array {
  const out: number[] = [];
  const counts = new Uint16Array(2 << bits);
  let low = 0; // below 2^33: a carry sits in bit 32
  let range = 0xffffffff;
  let cache = 0;
  let pending = 0; // 0xff bytes held back until a carry is ruled out
  let first = true;
  const shiftLow = () => {
    if (low < 0xff000000 || low >= 2 ** 32) {
      const carry = low >= 2 ** 32 ? 1 : 0;
      if (first) first = false;
      else out.push((cache + carry) & 0xff);
      for (; pending > 0; pending--) out.push((0xff + carry) & 0xff);
      cache = Math.floor(low / TOP) & 0xff;
    } else {
      pending++;
    }
    low = (low % TOP) * 256;
  };
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    let node = 1;
    for (let b = bits - 1; b >= 0; b--) {
      const bit = (s >> b) & 1;
      const bound = (range >>> 16) * probabilityOfZero(counts, node);
      if (bit === 0) {
        range = bound;
      } else {
        low += bound;
        range -= bound;
      }
      while (range < TOP) {
        range *= 256;
        shiftLow();
      }
      update(counts, node, bit);
      node = 2 * node + bit;
    }
  }
  // The final value: the one in [low, low + range) with the most trailing zero bits, so the
  // bytes that carry nothing are zeros and can be dropped.
  for (let shift = 32; shift >= 0; shift -= 8) {
    const unit = 2 ** shift;
    const v = Math.ceil(low / unit) * unit;
    if (v < low + range) {
      low = v;
      break;
    }
  }
  for (let i = 0; i < 5; i++) shiftLow();
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  return Uint8Array.from(out.slice(0, end));
}

/** What decodeSymbols found wrong with a payload. */
export type PayloadProblem = 'bad-symbol' | 'left-over';

type SymbolDecoder = (payload: Uint8Array, count: number, bits: number, maxSymbol: number, out: Int32Array) => PayloadProblem | null;

/**
 * Decodes `count` symbols of `bits` bits into `out`. Work is bounded by count x bits decisions
 * whatever the bytes; reads past the end see zeros. Returns a problem when a symbol is
 * `maxSymbol` + 1 or more (`out` then holds the symbols before it), or when the payload holds
 * bytes the symbols never read. Runs the WebAssembly decoder where this thread can compile it,
 * else the plain-JS one (a page whose Content-Security-Policy has no 'wasm-unsafe-eval').
 */
export function decodeSymbols(payload: Uint8Array, count: number, bits: number, maxSymbol: number, out: Int32Array): PayloadProblem | null {
  wasmDecoder ??= compileWasmDecoder();
  return (wasmDecoder || decodeSymbolsPlain)(payload, count, bits, maxSymbol, out);
}

/** Compiled on first use; false where WebAssembly cannot run here. */
let wasmDecoder: SymbolDecoder | false | undefined;

/**
 * The decoder's memory is kept for the next tensor up to this size (a fresh instance costs a
 * fresh memory, a few ms on a page); a tensor that needs more gets an instance of its own,
 * dropped with it, so a large tensor leaves no large memory behind.
 */
const KEPT_MEMORY_BYTES = 1 << 20;

interface DecoderInstance {
  memory: WebAssembly.Memory;
  decode: (counts: number, payload: number, length: number, count: number, bits: number, maxSymbol: number, out: number) => number;
}

function compileWasmDecoder(): SymbolDecoder | false {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(rangeModuleBytes());
  } catch {
    return false;
  }
  let kept: DecoderInstance | undefined;
  return (payload, count, bits, maxSymbol, out) => {
    // Memory: the counts (zeroed here), the payload, the symbols.
    const countsBytes = 4 << bits;
    const outAt = (countsBytes + payload.length + 3) & ~3;
    const need = outAt + 4 * count;
    const instance = need <= KEPT_MEMORY_BYTES ? (kept ??= instantiate(module)) : instantiate(module);
    const pages = Math.ceil(need / 65536) - instance.memory.buffer.byteLength / 65536;
    if (pages > 0) instance.memory.grow(pages);
    const bytes = new Uint8Array(instance.memory.buffer);
    bytes.fill(0, 0, countsBytes);
    bytes.set(payload, countsBytes);
    const problem = instance.decode(0, countsBytes, payload.length, count, bits, maxSymbol, outAt);
    out.set(new Int32Array(instance.memory.buffer, outAt, count));
    return problem === 1 ? 'bad-symbol' : problem === 2 ? 'left-over' : null;
  };
}

const instantiate = (module: WebAssembly.Module): DecoderInstance => new WebAssembly.Instance(module).exports as unknown as DecoderInstance;

/** decodeSymbols in plain JS: the definition the WebAssembly decoder follows, and its fallback. */
export function decodeSymbolsPlain(payload: Uint8Array, count: number, bits: number, maxSymbol: number, out: Int32Array): PayloadProblem | null {
  const counts = new Uint16Array(2 << bits);
  let pos = 0;
  const next = () => (pos < payload.length ? payload[pos++]! : (pos++, 0));
  let code = 0;
  for (let i = 0; i < 4; i++) code = code * 256 + next();
  let range = 0xffffffff;
  for (let i = 0; i < count; i++) {
    let node = 1;
    for (let b = 0; b < bits; b++) {
      const bound = (range >>> 16) * probabilityOfZero(counts, node);
      let bit = 0;
      if (code < bound) {
        range = bound;
      } else {
        code -= bound;
        range -= bound;
        bit = 1;
      }
      while (range < TOP) {
        range *= 256;
        // Modulo 2^32: a valid payload keeps code < range, a corrupt one must not grow without bound.
        code = (code * 256 + next()) % 2 ** 32;
      }
      update(counts, node, bit);
      node = 2 * node + bit;
    }
    const symbol = node - (1 << bits);
    if (symbol > maxSymbol) return 'bad-symbol';
    out[i] = symbol;
  }
  return pos < payload.length ? 'left-over' : null;
}
