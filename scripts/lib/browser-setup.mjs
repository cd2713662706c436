// Settings shared by the test runner, the benchmarks and the bundler.

// The flags live with the bench-budget CLI, which needs them at run time from the package.
export { CHROMIUM_ARGS } from '../../src/bench/chromium-args.mjs';

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
