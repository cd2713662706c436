// Settings shared by the test runner, the benchmarks and the bundler.

/**
 * Debian's Chromium, headless, as root, on machines with no GPU and no network: SwiftShader
 * stands in for the GPU so WebGL2 and WebGPU work (see docs/TESTING.md).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
