// Settings shared by the test runner, the benchmarks and the two packages' bundlers.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The flags live with the bench-budget CLI, which needs them at run time from its package.
export { CHROMIUM_ARGS } from '../../packages/inrstream-cli/src/bench/chromium-args.mjs';

/**
 * @rollup/plugin-commonjs options for tfjs: its ESM builds import CommonJS (long, seedrandom,
 * tfjs-backend-wasm's emscripten glue), whose Node-only requires sit behind environment checks
 * and stay unresolved.
 */
export const TFJS_COMMONJS = {
  include: ['**/node_modules/long/**', '**/node_modules/seedrandom/**', '**/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/**'],
  ignore: ['crypto', 'fs', 'path', 'os', 'perf_hooks', 'worker_threads'],
  strictRequires: false,
};

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/**
 * A rollup plugin: tfjs-backend-wasm fetches its .wasm files at run time and the engine looks
 * for them next to the script (src/backend/wasm-paths.ts), so they are copied beside the bundle.
 */
export const copyTfjsWasm = () => ({
  name: 'copy-tfjs-wasm',
  writeBundle(options) {
    const from = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    const to = options.dir ?? dirname(options.file);
    mkdirSync(to, { recursive: true });
    for (const f of WASM_FILES) copyFileSync(join(from, f), join(to, f));
  },
});
