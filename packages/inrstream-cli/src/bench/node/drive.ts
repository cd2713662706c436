/**
 * Drives the budget meter page in headless Chromium (puppeteer-core): a fresh browser per CPU
 * throttle rate and backend (pages of one site share a renderer process, and a run must not
 * inherit another's load or state), the throttle set through the DevTools protocol
 * (Emulation.setCPUThrottlingRate) before the page loads; then one unthrottled page draws
 * every run's table and charts for a PNG screenshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { BackendName } from '../../../../../src/backend/types.js';
import { CHROMIUM_ARGS } from '../chromium-args.mjs';
import type { BackendRun, MeterReport } from '../types.js';
import { serveDirectory } from './static-server.js';

export interface DriveOptions {
  /** The package's dist/ folder (bench.html, its bundle, the models). */
  distDir: string;
  chromium: string;
  throttles: number[];
  backends: BackendName[];
  quick: boolean;
  /** A run started or a page reported progress. */
  onProgress?(message: string): void;
  /** A (throttle, backend) run finished. */
  onRun?(throttle: number, backend: BackendName): void;
}

interface ThrottledRun {
  throttle: number;
  run: BackendRun;
}

export interface DriveResult {
  entries: ThrottledRun[];
  userAgent: string;
  cores: number;
  /** PNG of the table and the charts of every run. */
  chart: Uint8Array;
}

/** A failure of the page or the browser, not of how the CLI was called. */
export class BenchRunError extends Error {}

interface BenchWindow {
  benchPage: {
    run(o: { backends: BackendName[]; quick: boolean; throttle: number; save: boolean }): Promise<MeterReport>;
    show(entries: ThrottledRun[]): unknown;
  };
}

async function openBenchPage(browser: Browser, url: string, throttle: number, onProgress?: (m: string) => void): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('bench: ')) onProgress?.(text.slice(7));
  });
  page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
  if (throttle > 1) {
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  const res = await page.goto(url);
  if (!res?.ok()) throw new BenchRunError(`${url}: HTTP ${res?.status() ?? 'no response'}`);
  try {
    await page.waitForFunction('window.benchPage !== undefined', { timeout: 120000 });
  } catch {
    throw new BenchRunError(`the bench page did not start${errors.length ? `: ${errors[0]}` : ''}`);
  }
  return { page, errors };
}

/** A fresh browser with a fresh profile, closed (and its profile removed) after `use`. */
async function withBrowser<T>(chromium: string, use: (browser: Browser) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'inrstream-bench-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer
      .launch({
        executablePath: chromium,
        headless: true,
        // A throttled run on a slow machine takes minutes per page.
        protocolTimeout: 0,
        args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`],
      })
      .catch((e: unknown) => {
        throw new BenchRunError(`cannot start Chromium at ${chromium}: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
      });
    return await use(browser);
  } finally {
    await browser?.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/** A run that has not finished by then is reported as failed instead of waiting for ever. */
const RUN_TIMEOUT_MS = 15 * 60 * 1000;

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BenchRunError(`${what}: no result after ${ms / 60000} minutes`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** One backend at one throttle rate, in its own browser: no state or process carries over. */
async function runOne(options: DriveOptions, url: string, throttle: number, backend: BackendName): Promise<MeterReport> {
  return withBrowser(options.chromium, async (browser) => {
    const { page, errors } = await openBenchPage(browser, url, throttle, (m) => options.onProgress?.(`${throttle}x ${m}`));
    const run = page.evaluate((o) => (window as unknown as BenchWindow).benchPage.run(o), { backends: [backend], quick: options.quick, throttle, save: false });
    try {
      return await timeout(run, RUN_TIMEOUT_MS, `${backend} at ${throttle}x`);
    } catch (e) {
      if (e instanceof BenchRunError) throw e;
      const why = (e as Error).message.split('\n')[0];
      throw new BenchRunError(`${backend} at ${throttle}x: ${why}${errors.length ? ` (page error: ${errors[0]})` : ''}`);
    }
  });
}

/** The table and charts of every run, drawn by the bench page, as a PNG. */
function screenshotCharts(options: DriveOptions, url: string, entries: ThrottledRun[]): Promise<Uint8Array> {
  return withBrowser(options.chromium, async (browser) => {
    const { page } = await openBenchPage(browser, url, 1);
    await page.setViewport({ width: 1400, height: 1000 });
    await page.evaluate((e) => void (window as unknown as BenchWindow).benchPage.show(e), entries);
    const clip = await page.evaluate(() => {
      const boxes = ['results', 'charts'].map((id) => document.getElementById(id)!.getBoundingClientRect());
      const x = Math.min(...boxes.map((b) => b.left));
      const y = Math.min(...boxes.map((b) => b.top)) + window.scrollY;
      return { x, y, width: Math.max(...boxes.map((b) => b.right)) - x, height: Math.max(...boxes.map((b) => b.bottom)) + window.scrollY - y };
    });
    return page.screenshot({ type: 'png', clip, captureBeyondViewport: true });
  });
}

export async function driveBench(options: DriveOptions): Promise<DriveResult> {
  // The page imports ../dist/inrstream-bench.mjs (the path that also works from page/, the page's source).
  const server = await serveDirectory(options.distDir, 'dist');
  try {
    const url = `${server.url}bench.html`;
    const entries: ThrottledRun[] = [];
    let machine = { userAgent: '', cores: 0 };
    for (const throttle of options.throttles) {
      for (const backend of options.backends) {
        options.onProgress?.(`${backend} at ${throttle}x CPU throttle`);
        const report = await runOne(options, url, throttle, backend);
        machine = { userAgent: report.userAgent, cores: report.cores };
        entries.push({ throttle, run: report.runs[0]! });
        options.onRun?.(throttle, backend);
      }
    }
    options.onProgress?.('drawing the charts');
    return { entries, ...machine, chart: await screenshotCharts(options, url, entries) };
  } finally {
    await server.close();
  }
}
