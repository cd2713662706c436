/**
 * Loads one page in headless Chromium on the emulated link and returns its `window.benchResult`
 * with the requests it made. Each load gets a fresh browser context (no connection, cache or
 * storage carried over) and the emulation on the page and on every worker it starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../lib/browser-setup.mjs';
import { isScript, type SeenRequest } from './bytes.js';

/** The link of issue 16: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency (puppeteer: bytes/s, ms). */
export const LINK = { download: 1.6e6 / 8, upload: 0.75e6 / 8, latency: 150 };

export interface PageLoad<T> {
  result: T;
  requests: SeenRequest[];
  workerScripts: Set<string>;
}

interface RequestEvent {
  requestId: string;
  type?: string;
  request: { url: string };
}
interface ResponseEvent {
  requestId: string;
  response: { mimeType: string };
}

/** Records requests from a page's or a worker's session (the first session to report one wins). */
function watch(session: CDPSession, fromWorker: boolean, seen: Map<string, SeenRequest>, mimeTypes: Map<string, string>, onScript?: (url: string) => void) {
  session.on('Network.requestWillBeSent', (e: RequestEvent) => {
    if (!seen.has(e.requestId)) seen.set(e.requestId, { url: e.request.url, fromWorker });
    if (e.type === 'Script' || isScript(e.request.url)) onScript?.(e.request.url);
  });
  session.on('Network.responseReceived', (e: ResponseEvent) => mimeTypes.set(e.requestId, e.response.mimeType));
}

export class Chromium {
  private constructor(
    private readonly browser: Browser,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<Chromium> {
    const profile = mkdtempSync(join(tmpdir(), 'inrstream-chromium-'));
    const browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      protocolTimeout: 0,
      args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`],
    });
    return new Chromium(browser, profile);
  }

  userAgent(): Promise<string> {
    return this.browser.userAgent();
  }

  async load<T>(url: string, timeoutMs = 300_000): Promise<PageLoad<T>> {
    const context = await this.browser.createBrowserContext();
    try {
      const page: Page = await context.newPage();
      const seen = new Map<string, SeenRequest>();
      const mimeTypes = new Map<string, string>();
      const workerScripts = new Set<string>();
      const cdp = await page.createCDPSession();
      await cdp.send('Network.enable');
      watch(cdp, false, seen, mimeTypes);
      page.on('workercreated', (worker) => {
        // A worker's own script is its URL; one started from a blob: URL loads its real script first.
        let pending = worker.url().startsWith('blob:');
        if (!pending) workerScripts.add(worker.url());
        watch(worker.client, true, seen, mimeTypes, (script) => {
          if (pending) workerScripts.add(script);
          pending = false;
        });
      });
      // Network.emulateNetworkConditions and Network.setCacheDisabled, sent by puppeteer to the
      // page and to each worker as it attaches.
      await page.emulateNetworkConditions(LINK);
      await page.setCacheEnabled(false);
      await page.goto(url, { timeout: timeoutMs, waitUntil: 'domcontentloaded' });
      await page.waitForFunction('window.benchResult !== undefined', { timeout: timeoutMs, polling: 50 });
      const result = (await page.evaluate('window.benchResult')) as T & { error?: string };
      if (result.error) throw new Error(`${url}: ${result.error}`);
      const requests = [...seen].map(([id, r]) => ({ ...r, mimeType: mimeTypes.get(id) }));
      return { result, requests, workerScripts };
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
