/**
 * Drives the budget meter page in headless Chromium (puppeteer-core): one fresh page per CPU
 * throttle rate and backend, the throttle set through the DevTools protocol
 * (Emulation.setCPUThrottlingRate) before the page loads, then one unthrottled page that draws
 * every run's charts for a PNG screenshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { BackendName } from '../../backend/types.js';
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
  /** A (throttle, backend) run starts. */
  onStart?(throttle: number, backend: BackendName): void;
  /** A (throttle, backend) run finished. */
  onRun?(throttle: number, backend: BackendName): void;
}

export interface ThrottledRun {
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

export async function driveBench(options: DriveOptions): Promise<DriveResult> {
  const profile = await mkdtemp(join(tmpdir(), 'inrstream-bench-'));
  // The page imports ../dist/inrstream-bench.mjs (the path that also works from demo/).
  const server = await serveDirectory(options.distDir, 'dist');
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      executablePath: options.chromium,
      headless: true,
      // A throttled run on a slow machine takes minutes per page.
      protocolTimeout: 0,
      args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`],
    });
    const url = `${server.url}bench.html`;
    const entries: ThrottledRun[] = [];
    let machine = { userAgent: '', cores: 0 };
    for (const throttle of options.throttles) {
      for (const backend of options.backends) {
        options.onStart?.(throttle, backend);
        options.onProgress?.(`${backend} at ${throttle}x CPU throttle`);
        const { page, errors } = await openBenchPage(browser, url, throttle, options.onProgress);
        let report: MeterReport;
        try {
          report = await page.evaluate(
            (o) => (window as unknown as BenchWindow).benchPage.run(o),
            { backends: [backend], quick: options.quick, throttle, save: false },
          );
        } catch (e) {
          const why = (e as Error).message.split('\n')[0];
          throw new BenchRunError(`${backend} at ${throttle}x: ${why}${errors.length ? ` (page error: ${errors[0]})` : ''}`);
        } finally {
          await page.close();
        }
        machine = { userAgent: report.userAgent, cores: report.cores };
        entries.push({ throttle, run: report.runs[0]! });
        options.onRun?.(throttle, backend);
      }
    }
    options.onProgress?.('drawing the charts');
    const { page } = await openBenchPage(browser, url, 1);
    await page.setViewport({ width: 1400, height: 1000 });
    await page.evaluate((e) => void (window as unknown as BenchWindow).benchPage.show(e), entries);
    const clip = await page.evaluate(() => {
      const boxes = ['results', 'charts'].map((id) => document.getElementById(id)!.getBoundingClientRect());
      const x = Math.min(...boxes.map((b) => b.left));
      const y = Math.min(...boxes.map((b) => b.top)) + window.scrollY;
      return { x, y, width: Math.max(...boxes.map((b) => b.right)) - x, height: Math.max(...boxes.map((b) => b.bottom)) + window.scrollY - y };
    });
    const chart = await page.screenshot({ type: 'png', clip, captureBeyondViewport: true });
    return { entries, ...machine, chart };
  } finally {
    await browser?.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}
