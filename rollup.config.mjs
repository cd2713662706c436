import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { writeFileSync } from 'node:fs';
import { copyTfjsWasm, TFJS_COMMONJS } from './scripts/lib/browser-setup.mjs';

// The browser library. The tools (CLI, budget meter, media readers) build in
// packages/inrstream-cli. Declarations come from `tsc --emitDeclarationOnly` (see package.json):
// one pass, not one per bundle.
const ts = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, noEmitOnError: true, include: ['src/**/*.ts', 'workers/**/*.ts'] });
// Source maps only on request (`npm run build:maps`): the published package carries none, and
// a bundle must not point at a map that is not there.
const sourcemap = process.env.SOURCEMAPS === 'true';
const browserDeps = ['comlink'];
// The ESM build leaves tfjs to the user's bundler, like comlink.
const esmExternal = (id) => browserDeps.includes(id) || id.startsWith('@tensorflow/');
const cjs = () => commonjs(TFJS_COMMONJS);
// Minified, but the error classes keep their names: an error's `name` is its class's, which a
// page reads (`e.name === 'InrFormatError'`).
const minify = () => terser({ keep_classnames: /^Inr/ });
// A bundle imported by its file name (a page's `import ... from './inrstream-train.mjs'`) gets
// its types from the `.d.mts` beside it, which points at the declarations tsc emits.
const typesBeside = (entries) => ({
  name: 'types-beside',
  writeBundle(options) {
    for (const [name, source] of Object.entries(entries)) writeFileSync(`${options.dir}/${name}.d.mts`, `export * from './types/${source}.js';\n`);
  },
});

export default [
  // ESM for bundlers and <script type="module">: dependencies stay imports.
  // The primitives (inrstream/core) share a chunk with it rather than carrying a second copy.
  {
    input: { inrstream: 'src/index.ts', 'inrstream-core': 'src/core.ts' },
    external: esmExternal,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'inrstream-shared-[hash].mjs', sourcemap },
    plugins: [ts(), typesBeside({ inrstream: 'src/index', 'inrstream-core': 'src/core' })],
  },
  // One <script> tag, no build: everything inlined, global `inrstream`.
  {
    input: 'src/index.ts',
    output: { file: 'dist/inrstream.min.js', format: 'iife', name: 'inrstream', sourcemap, inlineDynamicImports: true },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), minify()],
  },
  // Classic worker script so it also loads next to the IIFE bundle.
  {
    input: 'workers/decode-worker.ts',
    output: { file: 'dist/inrstream-worker.min.js', format: 'iife', sourcemap, inlineDynamicImports: true },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), minify()],
  },
  // The draw worker: small (comlink and the canvas drawer), classic for the same reason.
  {
    input: 'workers/draw-worker.ts',
    output: { file: 'dist/inrstream-draw-worker.min.js', format: 'iife', sourcemap },
    plugins: [nodeResolve({ browser: true }), ts(), minify()],
  },
  // The browser trainer and its module worker (demo/train.html): tfjs and its backends inlined,
  // in a chunk the two entries share, so a page that starts the worker downloads it once.
  {
    input: { 'inrstream-train': 'src/train/browser.ts', 'inrstream-train-worker': 'workers/train-worker.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'inrstream-train-[hash].mjs', sourcemap },
    plugins: [nodeResolve({ browser: true }), cjs(), ts(), copyTfjsWasm(), typesBeside({ 'inrstream-train': 'src/train/browser' })],
  },
];
