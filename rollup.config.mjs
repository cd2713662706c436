import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { copyFileSync, mkdirSync } from 'node:fs';
import { TFJS_COMMONJS } from './scripts/lib/browser-setup.mjs';

// Declarations come from `tsc --emitDeclarationOnly` (see package.json): one pass, not one per bundle.
const ts = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, noEmitOnError: true, include: ['src/**/*.ts', 'workers/**/*.ts'] });
const browserDeps = ['comlink'];
// The ESM build leaves tfjs to the user's bundler, like comlink.
const esmExternal = (id) => browserDeps.includes(id) || id.startsWith('@tensorflow/');
const cjs = () => commonjs(TFJS_COMMONJS);
// tfjs-backend-wasm fetches its .wasm files at run time; the engine looks for them next to the
// script (src/backend/wasm-paths.ts), so they are shipped in dist/.
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const copyWasm = () => ({
  name: 'copy-tfjs-wasm',
  writeBundle() {
    mkdirSync('dist', { recursive: true });
    for (const f of WASM_FILES) copyFileSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`, `dist/${f}`);
  },
});

// The budget meter's page and the shipped models its workloads use (src/bench/meter.ts names
// them): copied into dist/, which the package ships and the bench-budget CLI serves.
const BENCH_FILES = [
  ['demo/bench.html', 'dist/bench.html'],
  ['demo/bench.js', 'dist/bench.js'],
  ['demo/models/kodim02.inr', 'dist/bench-models/kodim02.inr'],
  ['demo/models/cockatoo8x72x128.inr', 'dist/bench-models/cockatoo8x72x128.inr'],
];
const copyBench = () => ({
  name: 'copy-bench-page',
  writeBundle() {
    mkdirSync('dist/bench-models', { recursive: true });
    for (const [from, to] of BENCH_FILES) copyFileSync(from, to);
  },
});

export default [
  // ESM for bundlers and <script type="module">: dependencies stay imports.
  // The primitives (inrstream/core) share a chunk with it rather than carrying a second copy.
  {
    input: { inrstream: 'src/index.ts', 'inrstream-core': 'src/core.ts' },
    external: esmExternal,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'inrstream-shared-[hash].mjs', sourcemap: true },
    plugins: [ts()],
  },
  // One <script> tag, no build: everything inlined, global `inrstream`.
  {
    input: 'src/index.ts',
    output: { file: 'dist/inrstream.min.js', format: 'iife', name: 'inrstream', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), terser(), copyWasm()],
  },
  // Classic worker script so it also loads next to the IIFE bundle.
  {
    input: 'workers/decode-worker.ts',
    output: { file: 'dist/inrstream-worker.min.js', format: 'iife', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), terser()],
  },
  // The draw worker: small (comlink and the canvas drawer), classic for the same reason.
  {
    input: 'workers/draw-worker.ts',
    output: { file: 'dist/inrstream-draw-worker.min.js', format: 'iife', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), ts(), terser()],
  },
  // The browser trainer and its module worker (demo/train.html): tfjs and its backends inlined,
  // in a chunk the two entries share, so a page that starts the worker downloads it once.
  {
    input: { 'inrstream-train': 'src/train/browser.ts', 'inrstream-train-worker': 'workers/train-worker.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'inrstream-train-[hash].mjs', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), copyWasm()],
  },
  // The budget meter (demo/bench.html, and dist/bench.html for the bench-budget CLI).
  {
    input: 'src/bench/index.ts',
    output: { file: 'dist/inrstream-bench.mjs', format: 'es', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), copyWasm(), copyBench()],
  },
  // The Node CLI.
  {
    input: 'src/cli/bin.ts',
    external: (id) => id.startsWith('node:') || id.startsWith('@tensorflow/') || ['commander', 'pngjs', 'jpeg-js', 'cli-progress', 'puppeteer-core'].includes(id),
    output: { file: 'dist/cli.mjs', format: 'es', banner: '#!/usr/bin/env node', sourcemap: true },
    plugins: [ts()],
  },
];
