import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// Declarations come from `tsc --emitDeclarationOnly` (see package.json): one pass, not one per bundle.
const ts = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, noEmitOnError: true, include: ['src/**/*.ts', 'workers/**/*.ts'] });
const browserDeps = ['comlink'];

export default [
  // ESM for bundlers and <script type="module">: dependencies stay imports.
  {
    input: 'src/index.ts',
    external: browserDeps,
    output: { file: 'dist/inrstream.mjs', format: 'es', sourcemap: true },
    plugins: [ts()],
  },
  // One <script> tag, no build: everything inlined, global `inrstream`.
  {
    input: 'src/index.ts',
    output: { file: 'dist/inrstream.min.js', format: 'iife', name: 'inrstream', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), ts(), terser()],
  },
  // Classic worker script so it also loads next to the IIFE bundle.
  {
    input: 'workers/decode-worker.ts',
    output: { file: 'dist/inrstream-worker.min.js', format: 'iife', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), ts(), terser()],
  },
  // The Node CLI.
  {
    input: 'src/cli/bin.ts',
    external: (id) => id.startsWith('node:') || ['commander', 'pngjs'].includes(id),
    output: { file: 'dist/cli.mjs', format: 'es', banner: '#!/usr/bin/env node', sourcemap: true },
    plugins: [ts()],
  },
];
