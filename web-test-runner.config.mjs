import commonjs from '@rollup/plugin-commonjs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, TFJS_COMMONJS } from './scripts/lib/browser-setup.mjs';
import { misbehavingRoutes } from './test/server/misbehaving-routes.mjs';

const chromiumArgs = [...CHROMIUM_ARGS, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'inrstream-chromium-'))}`];

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  rootDir: '.',
  concurrency: 1,
  testFramework: { config: { timeout: 60000 } },
  testsFinishTimeout: 600000,
  middleware: [misbehavingRoutes()],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), fromRollup(commonjs)(TFJS_COMMONJS)],
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
