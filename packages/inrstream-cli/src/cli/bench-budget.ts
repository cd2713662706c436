/**
 * `inrstream bench-budget`: the frame-time budget meter in Debian's headless Chromium at each
 * CPU throttle rate (DevTools protocol), as a stand-in for slower devices. Prints a table (or
 * the JSON with --json) and writes bench-budget.json and bench-budget.png to --out.
 */
import { SingleBar } from 'cli-progress';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_ORDER, type BackendName } from '../../../../src/backend/types.js';
import { driveBench } from '../bench/node/drive.js';
import { summaryRow, textTable } from '../bench/summary.js';
import { FileError, UsageError, writeOutput } from './io.js';

export interface BenchBudgetOptions {
  throttle: string;
  backend: string;
  out: string;
  json?: boolean;
  quick?: boolean;
}

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** Chrome's DevTools accept any rate >= 1; past this a run takes far too long to be useful. */
const MAX_THROTTLE = 20;

function list(value: string, what: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${what} must be a comma-separated list, not "${value}"`);
  return [...new Set(items)];
}

function parseThrottles(value: string): number[] {
  return list(value, '--throttle').map((s) => {
    const n = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || !(n >= 1 && n <= MAX_THROTTLE))
      throw new UsageError(`--throttle: "${s}" is not a CPU slow-down factor from 1 to ${MAX_THROTTLE}`);
    return n;
  });
}

function parseBackends(value: string): BackendName[] {
  return list(value, '--backend').map((s) => {
    if (!(BACKEND_ORDER as readonly string[]).includes(s)) throw new UsageError(`--backend: unknown backend "${s}" (choose from ${BACKEND_ORDER.join(', ')})`);
    return s as BackendName;
  });
}

/** dist/ of the installed package: this file is dist/cli.mjs once built. */
function distDir(): string {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  if (!existsSync(join(dir, 'bench.html')) || !existsSync(join(dir, 'inrstream-bench.mjs')))
    throw new FileError(`${dir}: the bench page is missing (build the package: npm run build)`);
  return dir;
}

/** `progress`: 'bar' on a terminal, 'lines' (each step on stderr, for logs) or 'none'. */
export async function benchBudgetCommand(o: BenchBudgetOptions, progress: 'bar' | 'lines' | 'none'): Promise<string> {
  const throttles = parseThrottles(o.throttle);
  const backends = parseBackends(o.backend);
  const chromium = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (!existsSync(chromium)) throw new FileError(`Chromium not found at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const dist = distDir();
  const out = resolve(o.out);
  const bar = progress === 'bar' ? new SingleBar({ format: 'bench-budget [{bar}] {value}/{total} runs | {step}', hideCursor: true }) : null;
  bar?.start(throttles.length * backends.length, 0, { step: 'starting Chromium' });
  let result;
  try {
    result = await driveBench({
      distDir: dist,
      chromium,
      throttles,
      backends,
      quick: Boolean(o.quick),
      onProgress: (step) => {
        bar?.update({ step });
        if (progress === 'lines') process.stderr.write(`bench-budget: ${step}\n`);
      },
      onRun: () => bar?.increment(),
    });
  } finally {
    bar?.stop();
  }
  const runs = result.entries.map((e) => summaryRow(e.run, e.throttle));
  // Made only now: a run that fails leaves nothing behind.
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw new FileError(`${out}: cannot create (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const files = { json: join(out, 'bench-budget.json'), chart: join(out, 'bench-budget.png') };
  const machine = { userAgent: result.userAgent, cores: result.cores, chromium, quick: Boolean(o.quick) };
  await writeOutput(files.json, new TextEncoder().encode(JSON.stringify({ runs, machine, details: result.entries }, null, 2) + '\n'));
  await writeOutput(files.chart, result.chart);
  if (o.json) return JSON.stringify({ runs, machine, files }, null, 2);
  const verdicts = result.entries.map(
    (e) =>
      `${e.run.backend} at ${e.throttle}x: ${e.run.verdict.reason}; progressive render of ${e.run.verification.model} with ${Math.round(e.run.verification.budget)} MAC/frame: p95 ${e.run.verification.p95FrameMs.toFixed(1)} ms ${e.run.verification.holds ? '<=' : '>'} ${e.run.verification.targetMs.toFixed(1)} ms`,
  );
  return [
    `headless Chromium (${result.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'unknown'}), ${result.cores} cores${o.quick ? ', quick run' : ''}`,
    textTable(runs),
    '',
    ...verdicts,
    `wrote ${files.json} and ${files.chart}`,
  ].join('\n');
}
