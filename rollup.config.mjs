import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
// The workers' files are re-bundled by apps' bundlers (src/workers/decode-entry.ts), which stop
// at a bare require(): tfjs-core's Node platform (never run in a browser) has two, which become
// imports here and resolve to nothing through tfjs-core's own "browser" field.
const cjsForRebundling = () =>
  commonjs({
    ...TFJS_COMMONJS,
    include: [.../** @type {string[]} */ (TFJS_COMMONJS.include), '**/@tensorflow/tfjs-core/dist/platforms/platform_node.js'],
    transformMixedEsModules: true,
  });
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

// The script tag finds its workers and engine by URL (src/workers/script-assets.ts), where the
// ESM build lets the app's bundler place them (src/workers/bundled-assets.ts): both export
// `builtInAssets`, and the script build takes the first in place of the second.
const scriptAssets = () => ({
  name: 'script-assets',
  resolveId(source, importer) {
    if (source === './bundled-assets.js' && importer?.endsWith('/src/workers/assets.ts'))
      return fileURLToPath(new URL('./src/workers/script-assets.ts', import.meta.url));
    return null;
  },
});

/**
 * The WebAssembly modules' bytes (the CPU kernels, src/kernels/simd-bytes.ts; the range
 * decoder, src/format/range-bytes.ts), assembled here once (run through esbuild) and carried by
 * every bundle as hex strings in place of the assembler: smaller as served, and nothing to
 * assemble on the page (docs/ENGINE.md, "CPU kernels").
 */
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const PREBUILT = [
  {
    source: './simd-bytes.js',
    importer: '/src/kernels/simd-module.ts',
    file: 'src/kernels/simd-bytes.ts',
    module: (m) => `export const moduleBytes = (relaxed) => fromHex(relaxed ? '${hex(m.moduleBytes(true))}' : '${hex(m.moduleBytes(false))}');`,
  },
  {
    source: './range-bytes.js',
    importer: '/src/format/range-coder.ts',
    file: 'src/format/range-bytes.ts',
    module: (m) => `export const rangeModuleBytes = () => fromHex('${hex(m.rangeModuleBytes())}');`,
  },
];
const prebuiltSources = new Map();
async function prebuiltSource({ file, module }) {
  const bundled = await build({ entryPoints: [file], bundle: true, write: false, format: 'esm', logLevel: 'silent' });
  const exports = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
  // Uint8Array.fromHex (Chromium 140, Firefox 133, Safari 18.2) decodes them natively: 0.4 ms
  // where the loop took 3 to 26 on a cold page (docs/ENGINE.md, "CPU kernels").
  return `const fromHex = (hex) => {
  if (Uint8Array.fromHex) return Uint8Array.fromHex(hex);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
};
${module(exports)}
`;
}
const prebuiltWasm = () => ({
  name: 'prebuilt-wasm',
  resolveId(source, importer) {
    const entry = PREBUILT.find((p) => p.source === source && importer?.endsWith(p.importer));
    return entry ? `\0inrstream-prebuilt:${entry.file}` : null;
  },
  load(id) {
    const entry = PREBUILT.find((p) => id === `\0inrstream-prebuilt:${p.file}`);
    if (!entry) return null;
    if (!prebuiltSources.has(id)) prebuiltSources.set(id, prebuiltSource(entry));
    return prebuiltSources.get(id);
  },
});

/**
 * Chunks named for what they carry (the size budgets in .size-limit.json name them): each GPU
 * backend and the tfjs kernels they share, the GPU decoder (with tfjs in the script build), the
 * ESM workers' entries' helper, the decoder (engine and CPU kernels) or, in the ESM build
 * (`sharedStatic`), whatever the entries import statically; the rest is 'shared'.
 */
const chunkNamed = (extension, sharedStatic = false) => {
  const rules = [
    ['webgpu', 'tfjs-backend-webgpu/'],
    ['webgl', 'tfjs-backend-webgl/'],
    ['tfjs-shared', 'tfjs-backend-cpu/'],
    ['gpu', 'src/engine/gpu-decoder.ts'],
    ['present', 'src/engine/gpu-present.ts'],
    ['worker-entry', 'src/workers/replay.ts'],
  ];
  return (chunk) => {
    const has = (path) => chunk.moduleIds.some((id) => id.includes(path));
    const rule = rules.find(([, path]) => has(path));
    const decoder = !(sharedStatic && !chunk.isDynamicEntry) && (has('src/engine/engine.ts') || has('src/engine/index.ts'));
    return `inrstream-${rule?.[0] ?? (decoder ? 'decoder' : 'shared')}-[hash]${extension}`;
  };
};

/**
 * The GPU decoder's file in dist/ (with tfjs; loaded only when a GPU backend is tried), which
 * the decode worker and the engine for this thread both import by name.
 */
const GPU_DECODER = 'src/engine/gpu-decoder.ts';
const gpuFile = (id) => (id.endsWith(GPU_DECODER) ? './inrstream-gpu.min.js' : undefined);

/** The workers' files in dist/, by their source (resolved ids are absolute paths). */
const WORKERS = { 'src/workers/decode-worker.ts': './inrstream-worker.min.js', 'src/workers/draw-worker.ts': './inrstream-draw-worker.min.js' };
const workerFile = (id) => Object.entries(WORKERS).find(([source]) => id.endsWith(source))?.[1];

// docs/RUNTIME.md, "Assets", says which page loads which of these files.
export default [
  // ESM for bundlers: dependencies stay imports. The primitives (inrstream/core) share chunks
  // with it rather than carrying a second copy. The workers' entries (src/workers/*-entry.ts)
  // are entries too, with the file names bundled-assets.ts writes out; in a worker they load
  // the script build's workers below, which carry everything they need. The engine for this
  // thread is a chunk loaded with import(), so the app's main chunk carries no tfjs.
  {
    input: {
      inrstream: 'src/index.ts',
      'inrstream-core': 'src/core.ts',
      'inrstream-worker': 'src/workers/decode-entry.ts',
      'inrstream-draw-worker': 'src/workers/draw-entry.ts',
    },
    external: (id) => esmExternal(id) || workerFile(id) !== undefined,
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].mjs',
      chunkFileNames: chunkNamed('.mjs', true),
      paths: (id) => workerFile(id) ?? id,
      sourcemap,
    },
    plugins: [prebuiltWasm(), ts(), typesBeside({ inrstream: 'src/index', 'inrstream-core': 'src/core' })],
  },
  // One <script> tag, no build, global `inrstream`: what the first pixels need (the elements,
  // the loader, the plain-TypeScript preview, the worker bootstrap), no tfjs. The pictures' tag
  // (src/image.ts) leaves out the writer and video, which the full one adds.
  ...[
    ['src/index.ts', 'dist/inrstream.min.js'],
    ['src/image.ts', 'dist/inrstream-image.min.js'],
  ].map(([input, file]) => ({
    input,
    output: { file, format: 'iife', name: 'inrstream', sourcemap },
    plugins: [prebuiltWasm(), scriptAssets(), nodeResolve({ browser: true }), cjs(), ts(), minify()],
  })),
  // The decode worker (a module worker) and the engine for this thread (inrstream-engine.min.js,
  // imported by URL when the script tag's decoding falls back here): each one file with the
  // engine and the CPU kernels, so that a worker starts with one fetch, not two round trips
  // (docs/BENCH.md, "Delivery"). Both import the GPU decoder below by its file name.
  ...['inrstream-worker.min', 'inrstream-engine.min'].map((name) => ({
    input: { [name]: name === 'inrstream-worker.min' ? 'src/workers/decode-worker.ts' : 'src/engine/index.ts' },
    external: (id) => gpuFile(id) !== undefined,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', paths: (id) => gpuFile(id) ?? id, sourcemap },
    plugins: [prebuiltWasm(), nodeResolve({ browser: true }), cjsForRebundling(), ts(), minify()],
  })),
  // The GPU decoder with tfjs, an entry of its own that both import, with each GPU backend (and
  // the kernels they share) in a chunk it imports when that backend is tried. It carries its own
  // copies of the few small modules it shares with them (the error classes, the tile helpers).
  {
    input: { 'inrstream-gpu.min': GPU_DECODER },
    // The backends' chunks import tfjs from this file itself, not from a chunk behind it.
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: chunkNamed('.min.js'), sourcemap },
    plugins: [nodeResolve({ browser: true }), cjsForRebundling(), ts(), minify()],
  },
  // The draw worker: small (comlink and the canvas drawer), one module.
  {
    input: 'src/workers/draw-worker.ts',
    output: { file: 'dist/inrstream-draw-worker.min.js', format: 'es', sourcemap },
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
