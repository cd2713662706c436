/**
 * The bytes of the CPU kernels' WebAssembly module (simd-module.ts), assembled from the kernels'
 * definitions. The library's bundles carry these bytes instead, assembled when the library is
 * built (rollup.config.mjs, `prebuiltWasm`): assembling them on the page took longer than
 * decoding a picture (docs/ENGINE.md, "CPU kernels").
 */
import { coarseFunctions } from './coarse-simd.js';
import { rowFunction } from './last-level-simd.js';
import { assemble } from '../util/wasm-asm.js';

/** The module with relaxed-SIMD fused multiply-adds, or with a multiply and an add. */
export const moduleBytes = (relaxed: boolean): Uint8Array<ArrayBuffer> =>
  assemble([...coarseFunctions(relaxed), rowFunction(relaxed, 4), rowFunction(relaxed, 3)]);
