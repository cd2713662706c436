/**
 * Bundles the bench:gpu entry (main.ts) into one ES module for Node: the library, tfjs and its
 * WebGPU backend inlined, only EXTERNAL's and Node's own modules left to import, so that the
 * file runs on the GPU machine beside `.gpu/node_modules/webgpu` alone
 * (../shared/gpu/prepare). Inlined CommonJS code calls `require`, which an ES module lacks:
 * the banner makes one.
 */
import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * Left to import at run time: Dawn's binding, and node-fetch, which tfjs-core requires only
 * where Node has no fetch of its own (before Node 18; the project needs 20).
 */
export const EXTERNAL = ['webgpu', 'node-fetch'] as const;

/** Writes the bundle to `outfile`; returns esbuild's metafile (what it imports, what it holds). */
export async function buildGpuBench(outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // tfjs's ES module builds (as the browser bundles take them), not its CommonJS Node builds.
    mainFields: ['module', 'main'],
    external: [...EXTERNAL],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}
