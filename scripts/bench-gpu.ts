/**
 * `npm run bench:gpu [-- --json] [-- --reps N] [-- --config kodak,1080p] [-- --build-only]`:
 * bundles scripts/bench-gpu/ into .gpu/bench.mjs (one file; build.ts), then runs it here with
 * Node: the decode engine on WebGPU through Dawn (the `webgpu` package), on this machine's
 * Vulkan, else on SwiftShader's from Debian's Chromium (vulkan.ts). On the GPU machine the same
 * file runs as `.gpu/run node .gpu/bench.mjs` (docs/BENCH.md).
 */
import { buildGpuBench } from './bench-gpu/build.js';
import { runGpuBench } from './bench-gpu/vulkan.js';

const BUNDLE = '.gpu/bench.mjs';

const args = process.argv.slice(2);
await buildGpuBench(BUNDLE);
if (args.includes('--build-only')) {
  console.log(`built ${BUNDLE}`);
} else {
  process.exitCode = runGpuBench(BUNDLE, args, false).status ?? 1;
}
