import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXTERNAL, buildGpuBench } from '../../../scripts/bench-gpu/build.js';
import { NO_ADAPTER_EXIT, PASSED_EXIT, RGBA_TOLERANCE, VALUE_TOLERANCE, type GpuBenchReport } from '../../../scripts/bench-gpu/report.js';
import { runGpuBench } from '../../../scripts/bench-gpu/vulkan.js';
import { ROOT } from '../fixtures.js';

describe('bench:gpu', () => {
  // Under .gpu/ (ignored) so that the bundle finds `webgpu` in the project's node_modules, as .gpu/bench.mjs does.
  let dir: string;
  let bundle: string;
  let imports: { path: string; external?: boolean }[];

  before(async () => {
    mkdirSync(join(ROOT, '.gpu'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.gpu', 'test-'));
    bundle = join(dir, 'bench.mjs');
    const meta = await buildGpuBench(bundle);
    imports = Object.values(meta.outputs).flatMap((o) => o.imports);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles into one file that imports only webgpu (and node-fetch, never on Node 20) and Node built-ins', () => {
    assert.deepEqual(readdirSync(dir), ['bench.mjs']);
    const outside = imports.filter((i) => !(EXTERNAL as readonly string[]).includes(i.path) && !isBuiltin(i.path));
    assert.deepEqual(outside, []);
    assert.ok(imports.every((i) => i.external));
    assert.ok(imports.some((i) => i.path === 'webgpu'));
  });

  it('decodes the tiny configuration on WebGPU within the parity tolerance', (t) => {
    const run = runGpuBench(bundle, ['--config', 'tiny', '--reps', '1', '--json'], true);
    if (run.status === NO_ADAPTER_EXIT) {
      t.skip(`no WebGPU adapter for Dawn here: ${run.stderr.trim()}`);
      return;
    }
    assert.equal(run.status, PASSED_EXIT, run.stderr);
    const report = JSON.parse(run.stdout) as GpuBenchReport;
    assert.equal(report.backend.backend, 'webgpu');
    assert.equal(report.configs.length, 1);
    const [tiny] = report.configs;
    assert.equal(tiny!.name, 'tiny');
    assert.deepEqual([tiny!.width, tiny!.height], [64, 48]);
    assert.ok(tiny!.maxAbsDiff <= VALUE_TOLERANCE, `max |diff| ${tiny!.maxAbsDiff}`);
    assert.ok(tiny!.rgbaMaxDiff <= RGBA_TOLERANCE, `RGBA8 diff ${tiny!.rgbaMaxDiff}`);
    assert.ok(tiny!.coldMs > 0 && tiny!.warmMs > 0);
  });
});
