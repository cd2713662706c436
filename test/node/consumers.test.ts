/**
 * The package as apps install it: `npm pack` of the built library, unpacked into a fresh
 * node_modules, then four tiny apps (test/consumers/: vite, webpack 5, esbuild, rollup) built
 * with no configuration for inrstream, each loaded in headless Chromium: the picture renders
 * (equal to the reference decode), in decode workers and the draw worker, every file the app
 * asks for is there, and the backend's reason stands.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from './fixtures.js';
import { imageOutcome, largestDifference, launch, referenceRgba, serve } from './site.js';

/** A 1024x512 picture: at DRAW_WORKER_MIN_PIXELS, so drawn by the draw worker. */
const MODEL = 'wide1024x512.inr';
const BIN = join(ROOT, 'node_modules/.bin');

/** The bundler's ordinary build of the app in `dir`; returns the folder to serve. */
const BUILDS: Record<string, (dir: string) => Promise<string>> = {
  // `vite build`: index.html is the entry; the served site is dist/.
  vite: async (dir) => {
    execFileSync(join(BIN, 'vite'), ['build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
    return join(dir, 'dist');
  },
  // `webpack` with no configuration file: entry src/index.js, dist/main.js, mode production
  // (its Node API, which the CLI wraps, with the defaults the CLI takes from the folder).
  webpack: async (dir) => {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) =>
      webpack({ context: dir, mode: 'production', output: { path: join(dir, 'dist') } }, (e, s) => (e || !s ? reject(e) : resolve(s))),
    );
    assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
    return dir;
  },
  // esbuild's build of an ES-module app with code splitting.
  esbuild: async (dir) => {
    execFileSync(join(BIN, 'esbuild'), ['main.js', '--bundle', '--format=esm', '--splitting', '--minify', '--outdir=dist', '--log-level=warning'], {
      cwd: dir,
      stdio: 'inherit',
    });
    return dir;
  },
  // `rollup -c` with the app's config (node-resolve and commonjs, as any app from npm).
  rollup: async (dir) => {
    execFileSync(join(BIN, 'rollup'), ['-c', '--silent'], { cwd: dir, stdio: 'inherit' });
    return dir;
  },
};

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
}

describe('consumer apps (npm pack, then vite, webpack 5, esbuild, rollup with no configuration for inrstream)', () => {
  let work: string;
  let browser: Awaited<ReturnType<typeof launch>>;
  let expected: Uint8ClampedArray;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'inrstream-consumers-'));
    // The tarball npm publishes (dist/ as `npm test` built it), unpacked as npm installs it.
    const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
    const modules = join(work, 'node_modules');
    mkdirSync(modules);
    execFileSync('tar', ['-xzf', join(work, filename), '-C', modules]);
    execFileSync('mv', [join(modules, 'package'), join(modules, 'inrstream')]);
    // Its dependencies and the rollup app's plugins, as installed here (npm would fetch the same pinned versions).
    const pkg = JSON.parse(readFileSync(join(modules, 'inrstream/package.json'), 'utf8'));
    for (const name of [...Object.keys(pkg.dependencies), '@rollup/plugin-commonjs', '@rollup/plugin-node-resolve']) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
    }
    expected = referenceRgba(join(ROOT, 'test/fixtures', MODEL));
    browser = await launch();
  });

  after(async () => {
    await browser?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  /** Loads the app at `origin` and checks the picture, where it was decoded and drawn, and every request. */
  async function check(origin: string) {
    const outcome = await imageOutcome(browser, `${origin}/`);
    assert.ok(outcome.ok, outcome.reason);
    assert.deepEqual(outcome.failed, [], 'every file the app asked for was there');
    const { detail } = outcome;
    assert.equal(detail!.where, 'workers', detail!.reason);
    assert.equal(detail!.drawing.where, 'worker', detail!.drawing.reason);
    assert.ok(outcome.workers.length >= 2, `a decode and a draw worker: ${outcome.workers.join(', ')}`);
    assert.doesNotMatch(detail!.reason, /could not load/);
    const worst = largestDifference(outcome.pixels!, expected);
    assert.ok(worst <= 1, `largest difference from the reference decode: ${worst}`);
    return { ...detail!, scripts: outcome.fetched.filter((url) => /\.m?js(\?|$)/.test(url)) };
  }

  for (const [bundler, build] of Object.entries(BUILDS)) {
    it(`${bundler}: the picture renders in decode workers, every file found`, async () => {
      const dir = join(work, bundler);
      cpSync(join(ROOT, 'test/consumers', bundler), dir, { recursive: true });
      const site = await build(dir);
      const bytes = bytesUnder(site);
      cpSync(join(ROOT, 'test/fixtures', MODEL), join(site, MODEL));
      const server = await serve(site);
      try {
        const detail = await check(server.origin);
        const fetched = [...new Set(detail.scripts)].reduce((n, url) => n + statSync(join(site, new URL(url).pathname)).size, 0);
        console.log(
          `# ${bundler}: ${(bytes / 1e6).toFixed(2)} MB built, ${(fetched / 1e3).toFixed(0)} kB of scripts fetched; backend ${detail.backend}: ${detail.reason}`,
        );
      } finally {
        await server.close();
      }
    });
  }

  it('esbuild without --splitting: one file, no worker to be found; decoded here, saying which file did not load', async () => {
    const dir = join(work, 'esbuild-one-file');
    cpSync(join(ROOT, 'test/consumers/esbuild'), dir, { recursive: true });
    execFileSync(join(BIN, 'esbuild'), ['main.js', '--bundle', '--format=esm', '--outdir=dist', '--log-level=warning'], { cwd: dir, stdio: 'inherit' });
    cpSync(join(ROOT, 'test/fixtures', MODEL), join(dir, MODEL));
    const server = await serve(dir);
    try {
      const outcome = await imageOutcome(browser, `${server.origin}/`);
      assert.ok(outcome.ok, outcome.reason);
      assert.equal(outcome.detail!.where, 'main-thread');
      assert.match(outcome.detail!.reason, new RegExp(`the decode worker could not load: ${server.origin}/dist/inrstream-worker\\.mjs$`));
      assert.equal(
        outcome.detail!.drawing.reason,
        `the draw worker is unavailable (the draw worker could not load: ${server.origin}/dist/inrstream-draw-worker.mjs)`,
      );
      assert.ok(largestDifference(outcome.pixels!, expected) <= 1);
    } finally {
      await server.close();
    }
  });

  it("vite's dev server: the same app, its dependencies pre-bundled", async () => {
    const dir = join(work, 'vite-dev');
    cpSync(join(ROOT, 'test/consumers/vite'), dir, { recursive: true });
    cpSync(join(ROOT, 'test/fixtures', MODEL), join(dir, MODEL));
    const { createServer } = await import('vite');
    const server = await createServer({ root: dir, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    try {
      await check(server.resolvedUrls!.local[0]!.replace(/\/$/, ''));
    } finally {
      await server.close();
    }
  });
});
