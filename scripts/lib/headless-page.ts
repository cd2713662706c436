/**
 * Runs one page of the project in headless Chromium (Debian's, the flags the tests use) and
 * returns what the page leaves in `window.benchResult`. The page is served from the project
 * root on 127.0.0.1 with TypeScript compiled on the fly, as in the browser tests.
 */
import commonjs from '@rollup/plugin-commonjs';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS, TFJS_COMMONJS } from './browser-setup.mjs';

export interface PageRunOptions {
  /** Query string for the page. */
  query?: Record<string, string>;
  /** CPU slow-down factor through the DevTools protocol (1 = none). */
  cpuThrottle?: number;
  /** Console lines of the page go to stderr. */
  echoConsole?: boolean;
}

/**
 * Opens one page of the project (served as the tests serve it) in headless Chromium, runs `use`
 * on it, and closes everything whatever `use` does.
 */
export async function withPage<T>(pagePath: string, options: PageRunOptions, use: (page: Page) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'inrstream-chromium-'));
  const server = await startDevServer({
    config: {
      rootDir: process.cwd(),
      hostname: '127.0.0.1',
      port: 0,
      nodeResolve: true,
      plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), fromRollup(commonjs)(TFJS_COMMONJS)],
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
  });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Benchmarks on a slow machine may take many minutes per page.
    protocolTimeout: 0,
    args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`],
  });
  try {
    const page = await browser.newPage();
    if (options.echoConsole) page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
    if (options.cpuThrottle && options.cpuThrottle > 1) {
      const cdp = await page.createCDPSession();
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuThrottle });
    }
    const { port } = server.server!.address() as { port: number };
    const query = new URLSearchParams(options.query ?? {}).toString();
    await page.goto(`http://127.0.0.1:${port}/${pagePath}${query ? `?${query}` : ''}`, { timeout: 0 });
    return await use(page);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

export function runPage<T>(pagePath: string, options: PageRunOptions = {}): Promise<T> {
  return withPage(pagePath, options, async (page) => {
    await page.waitForFunction('window.benchResult !== undefined', { timeout: 0, polling: 500 });
    return (await page.evaluate('window.benchResult')) as T;
  });
}

/**
 * A benchmark page's run: its result, printed as one JSON object with `json`. A page that
 * reports `error` ends the process with it (exit 1).
 */
export async function runBenchPage<T extends { error?: string }>(pagePath: string, json: boolean, options: PageRunOptions = {}): Promise<T> {
  const result = await runPage<T>(pagePath, options);
  if (result.error) {
    console.error(result.error);
    process.exit(1);
  }
  if (json) console.log(JSON.stringify(result, null, 2));
  return result;
}
