import commonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, TFJS_COMMONJS } from './scripts/lib/browser-setup.mjs';
import { misbehavingRoutes } from './test/server/misbehaving-routes.mjs';

const chromium = (args) =>
  chromeLauncher({
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [...args, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'inrstream-chromium-'))}`],
    },
  });

/**
 * Tests that show pictures on a WebGPU canvas: headless Chromium's SwiftShader destroys every
 * WebGPU device of the page when a `webgpu` canvas presents (Chromium 156), unless Chromium's
 * own Vulkan is SwiftShader too. Only these files get that, so every other test and benchmark
 * keeps the flags its figures were measured with.
 */
const WEBGPU_CANVAS_TESTS = ['test/browser/render/gpu-draw.test.ts'];
const WEBGPU_CANVAS_ARGS = ['--use-vulkan=swiftshader', '--enable-features=Vulkan'];

export default {
  files: ['test/browser/**/*.test.ts', ...WEBGPU_CANVAS_TESTS.map((f) => `!${f}`)],
  nodeResolve: true,
  rootDir: '.',
  concurrency: 1,
  // One browser at a time (the default one, then each group's): they share 2 cores with timing-sensitive tests.
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 60000 } },
  testsFinishTimeout: 600000,
  middleware: [misbehavingRoutes()],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), fromRollup(commonjs)(TFJS_COMMONJS)],
  browsers: [chromium(CHROMIUM_ARGS)],
  groups: [{ name: 'webgpu-canvas', files: WEBGPU_CANVAS_TESTS, browsers: [chromium([...CHROMIUM_ARGS, ...WEBGPU_CANVAS_ARGS])] }],
};
