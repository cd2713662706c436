/**
 * The bench:gpu bundle's entry (`node .gpu/bench.mjs [--json] [--reps N] [--config a,b]`):
 * WebGPU through Dawn in Node, the engine forced onto it, each configuration decoded cold and
 * warm (measure.ts). Exit statuses and the JSON's shape: report.ts.
 */
import { parseArgs } from 'node:util';
import { createEngine } from '../../src/engine/index.js';
import { GPU_CONFIGS } from './configs.js';
import { installDawn } from './dawn.js';
import { measureConfig } from './measure.js';
import { FAILED_EXIT, NO_ADAPTER_EXIT, PASSED_EXIT, USAGE_EXIT, type ConfigResult, type GpuBenchReport } from './report.js';

/** Dawn's instance keeps Node alive while navigator.gpu refers to it: every way out exits explicitly. */
function exit(code: number, message?: string): never {
  if (message) console.error(message);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    reps: { type: 'string' },
    config: { type: 'string' },
  },
});
const names = values.config?.split(',');
const unknown = names?.filter((n) => !GPU_CONFIGS.some((c) => c.name === n)) ?? [];
if (unknown.length > 0) exit(USAGE_EXIT, `unknown --config ${unknown.join(',')}; known: ${GPU_CONFIGS.map((c) => c.name).join(', ')}`);
const configs = GPU_CONFIGS.filter((c) => (names ? names.includes(c.name) : !c.onlyOnRequest));

const adapter = await installDawn();
if (!adapter) {
  exit(
    NO_ADAPTER_EXIT,
    `Dawn found no WebGPU adapter (LD_LIBRARY_PATH=${process.env.LD_LIBRARY_PATH ?? 'unset'}, VK_DRIVER_FILES=${process.env.VK_DRIVER_FILES ?? 'unset'})`,
  );
}
// A software adapter shares this machine's cores: a few repetitions take minutes already.
const reps = values.reps === undefined ? (adapter.fallback ? 3 : 30) : Number(values.reps);
if (!(Number.isInteger(reps) && reps > 0)) exit(USAGE_EXIT, `--reps takes a positive integer, not ${values.reps}`);

const ms = (v: number | null): string => (v === null ? '-' : v < 10 ? v.toFixed(3) : v.toFixed(1));
const results: ConfigResult[] = [];
let backend;
try {
  const engine = await createEngine({ backend: 'webgpu' });
  backend = engine.report;
  engine.dispose();
  if (!values.json) {
    const a = adapter;
    console.log(`adapter: ${a.vendor} / ${a.architecture} / ${a.description} (${a.device})${a.fallback ? ', fallback (software) adapter' : ''}`);
    console.log(`timestamp queries: ${a.timestampQuery ? 'yes' : 'no (kernel times not measured)'}; Dawn flags: ${a.dawnFlags.join(' ')}; ${reps} reps`);
    console.log(`engine: ${backend.backend} on ${backend.device} (${backend.reason})`);
  }
  for (const config of configs) {
    const r = await measureConfig(config, reps, adapter.timestampQuery);
    results.push(r);
    if (!values.json) {
      console.log(
        `${r.name} ${r.width}x${r.height}, ${r.macPerPx.toFixed(1)} MAC/px, ${r.tiles} tile(s): first ${ms(r.firstMs)} ms, cold ${ms(r.coldMs)} ms, warm ${ms(r.warmMs)} ms;` +
          ` kernels only: cold ${ms(r.coldKernelMs)} ms, warm ${ms(r.warmKernelMs)} ms; parity ${r.parity ? 'ok' : 'FAILED'} (max |diff| ${r.maxAbsDiff.toExponential(2)}, RGBA8 ${r.rgbaMaxDiff})`,
      );
    }
  }
} catch (e) {
  exit(FAILED_EXIT, e instanceof Error ? (e.stack ?? e.message) : String(e));
}
if (values.json) console.log(JSON.stringify({ adapter, backend, reps, configs: results } satisfies GpuBenchReport));
exit(results.every((r) => r.parity) ? PASSED_EXIT : FAILED_EXIT);
