/**
 * The range decoder's WebAssembly module (range-decode-wasm.ts). The library's bundles carry
 * these bytes instead, assembled when the library is built (rollup.config.mjs,
 * `prebuiltWasm`), so the assembler is not in them.
 */
import { assemble } from '../util/wasm-asm.js';
import { decodeFunction } from './range-decode-wasm.js';

export const rangeModuleBytes = (): Uint8Array<ArrayBuffer> => assemble([decodeFunction]);
