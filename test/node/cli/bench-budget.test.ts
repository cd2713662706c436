import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { PNG } from 'pngjs';
import { ROOT } from '../fixtures.js';

const CLI = join(ROOT, 'packages/inrstream-cli/dist/cli.mjs');

const num = { type: 'number', minimum: 0 };
/** The JSON bench-budget promises (docs/BENCH.md). */
const SCHEMA = {
  type: 'object',
  required: ['runs', 'machine'],
  properties: {
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['throttle', 'backend', 'macPerMs', 'p50FrameMs', 'p95FrameMs', 'p99FrameMs', 'budget60', 'budget30', 'recommendedBudget', 'verified'],
        properties: {
          throttle: { type: 'number', minimum: 1 },
          backend: { enum: ['webgpu', 'webgl', 'wasm', 'cpu'] },
          macPerMs: { type: 'number', exclusiveMinimum: 0 },
          p50FrameMs: { type: 'number', exclusiveMinimum: 0 },
          p95FrameMs: num,
          p99FrameMs: num,
          budget60: num,
          budget30: num,
          recommendedBudget: { type: 'number', exclusiveMinimum: 0 },
          verified: { type: 'boolean' },
        },
      },
    },
    machine: {
      type: 'object',
      required: ['userAgent', 'cores'],
      properties: { userAgent: { type: 'string', pattern: 'Chrome/' }, cores: { type: 'integer', minimum: 1 } },
    },
  },
};

interface BenchJson {
  runs: {
    throttle: number;
    backend: string;
    p50FrameMs: number;
    p95FrameMs: number;
    p99FrameMs: number;
    budget60: number;
    budget30: number;
    verified: boolean;
  }[];
  details?: { run: { verification: { p95FrameMs: number }; image: { summary: { p95Ms: number } } } }[];
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [CLI, 'bench-budget', ...args], { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** As cli(), without blocking the test runner's event loop for the minute a run may take. */
function cliAsync(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'bench-budget', ...args]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('inrstream bench-budget (packages/inrstream-cli/dist/cli.mjs)', () => {
  const validate = new Ajv().compile<BenchJson>(SCHEMA);
  let dir: string;

  before(() => {
    assert.ok(existsSync(CLI), 'build first: npm run build');
    dir = mkdtempSync(join(tmpdir(), 'inrstream-bench-cli-'));
  });

  for (const [args, message] of [
    [['--backend', 'metal'], /unknown backend "metal"/],
    [['--backend', 'wasm,'], /comma-separated/],
    [['--throttle', '0.5'], /"0\.5" is not a CPU slow-down factor/],
    [['--throttle', 'fast'], /"fast" is not a CPU slow-down factor/],
  ] as const) {
    it(`${args.join(' ')}: exit 2, one line, nothing written`, () => {
      const out = join(dir, 'never');
      const r = cli([...args, '--out', out]);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.equal(r.out, '');
      assert.equal(existsSync(out), false);
    });
  }

  it('a missing Chromium: exit 1, one line naming the path and CHROMIUM_PATH', () => {
    const r = cli(['--out', join(dir, 'never')], { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' });
    assert.equal(r.code, 1);
    assert.match(r.err, /^inrstream: Chromium not found at \/nonexistent\/chromium .*CHROMIUM_PATH/);
    assert.equal(r.err.trim().split('\n').length, 1);
  });

  it('a program that is not Chromium: exit 1, the error in one line, nothing written', () => {
    const out = join(dir, 'never');
    const r = cli(['--json', '--out', out], { ...process.env, CHROMIUM_PATH: '/bin/true' });
    assert.equal(r.code, 1);
    assert.match(r.err, /^inrstream: cannot start Chromium at \/bin\/true: /);
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.equal(existsSync(out), false);
  });

  it('--quick --json, one throttle and backend: schema-valid JSON, the JSON file and a PNG chart', { timeout: 180000 }, async () => {
    const out = join(dir, 'run');
    const r = await cliAsync(['--throttle', '1', '--backend', 'wasm', '--quick', '--json', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const printed: unknown = JSON.parse(r.out);
    if (!validate(printed)) assert.fail(JSON.stringify(validate.errors));
    assert.deepEqual(
      printed.runs.map((x) => [x.throttle, x.backend]),
      [[1, 'wasm']],
    );
    const run = printed.runs[0]!;
    assert.ok(run.p50FrameMs <= run.p95FrameMs && run.p95FrameMs <= run.p99FrameMs);
    assert.ok(run.budget60 <= run.budget30);
    assert.equal(run.verified, run.p95FrameMs <= 1000 / 30);
    const saved: unknown = JSON.parse(readFileSync(join(out, 'bench-budget.json'), 'utf8'));
    if (!validate(saved)) assert.fail(JSON.stringify(validate.errors));
    assert.deepEqual(saved.runs, printed.runs);
    const detail = saved.details![0]!.run;
    assert.equal(detail.verification.p95FrameMs, detail.image.summary.p95Ms);
    const png = PNG.sync.read(readFileSync(join(out, 'bench-budget.png')));
    assert.ok(png.width >= 1000 && png.height >= 600, `${png.width}x${png.height}`);
  });
});
