import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { copyTfjsWasm, TFJS_COMMONJS } from '../../scripts/lib/browser-setup.mjs';

// The tools import the library's modules by relative path (../../src), not through its public
// entry: they use the trainer's and the container's internals, and the entry registers custom
// elements as it loads. Rollup inlines what they use, so the CLI runs the library code of its
// own commit.
const ts = () => typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true, include: ['src/**/*.ts', '../../src/**/*.ts'] });
const { dependencies } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const isDependency = (id) => Object.keys(dependencies).some((d) => id === d || id.startsWith(`${d}/`));

// The budget meter's page and the shipped models its workloads use (src/bench/meter.ts names
// them), next to its bundle in dist/, which the bench-budget command serves.
const BENCH_FILES = [
  ['page/bench.html', 'dist/bench.html'],
  ['page/bench.js', 'dist/bench.js'],
  ['../../demo/models/kodim02.inr', 'dist/bench-models/kodim02.inr'],
  ['../../demo/models/cockatoo8x72x128.inr', 'dist/bench-models/cockatoo8x72x128.inr'],
];
const copyBench = () => ({
  name: 'copy-bench-page',
  writeBundle() {
    mkdirSync('dist/bench-models', { recursive: true });
    for (const [from, to] of BENCH_FILES) copyFileSync(from, to);
  },
});

export default [
  // The budget meter (page/bench.html): tfjs and chart.js inlined.
  {
    input: 'src/bench/index.ts',
    output: { file: 'dist/inrstream-bench.mjs', format: 'es', inlineDynamicImports: true },
    plugins: [nodeResolve({ browser: true }), commonjs(TFJS_COMMONJS), ts(), copyTfjsWasm(), copyBench()],
  },
  // The Node CLI: its dependencies stay imports.
  {
    input: 'src/cli/bin.ts',
    external: (id) => id.startsWith('node:') || isDependency(id),
    output: { file: 'dist/cli.mjs', format: 'es', inlineDynamicImports: true },
    plugins: [ts()],
  },
];
