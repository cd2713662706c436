import commonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { misbehavingRoutes } from './test/server/misbehaving-routes.mjs';

// Debian's Chromium, headless, with SwiftShader standing in for the GPU (see docs/TESTING.md):
// WebGL2 and WebGPU then work on machines without a GPU, as root, with no network.
const chromiumArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--user-data-dir=${mkdtempSync(join(tmpdir(), 'inrstream-chromium-'))}`,
];

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  rootDir: '.',
  concurrency: 1,
  testFramework: { config: { timeout: 60000 } },
  testsFinishTimeout: 600000,
  middleware: [misbehavingRoutes()],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022' }),
    // tfjs's ESM builds import CommonJS: long, seedrandom and tfjs-backend-wasm's emscripten
    // glue. Their Node-only requires (crypto, fs, ...) sit behind environment checks, so they
    // stay unresolved requires that never run in a browser.
    fromRollup(commonjs)({
      include: ['**/node_modules/long/**', '**/node_modules/seedrandom/**', '**/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/**'],
      ignore: ['crypto', 'fs', 'path', 'os', 'perf_hooks', 'worker_threads'],
      strictRequires: false,
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
};
