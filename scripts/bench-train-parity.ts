/**
 * `npm run bench:train-parity [-- --json] [-- --configs a,b] [-- --seeds 1,2] [-- --iters N] [-- --init reference|tame] [-- --min-lr R] [-- --interval I] [-- --output-bias mean|reference]`:
 * trains fixed configurations with both teachers (full batch and INT) for the reference's
 * 3000 iterations and prints each final PSNR (clamped output) beside the PyTorch reference's
 * full-batch figure where `../shared/fixtures/reference-asmr/` has one. With several seeds each
 * run is listed, then the mean per configuration and teacher. The configurations
 * differ in axes, levels, the largest base, width and channels (docs/TRAINING.md, "Parity").
 * `--init tame --min-lr 0 --output-bias reference` starts from the trainer's first
 * initialisation and schedule, `--output-bias reference` from the reference's exact start.
 *
 * Each run is a child process (this script with --run); two run at once, one per core of the
 * 2-core machine the figures come from (tfjs-wasm trains on one thread), so both see the same
 * contention. Progress goes to stderr; stdout gets the table (or one JSON object with --json).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTrainInput } from '../packages/inrstream-cli/src/media/node-input.js';
import type { ModulatorRange } from '../src/model/random.js';
import { useNodeBackend } from '../packages/inrstream-cli/src/train/backend-node.js';
import { planModel } from '../src/train/plan.js';
import { INTERVALS, type IntervalStrategy } from '../src/train/schedules.js';
import { resizeSignal, type TrainSignal } from '../src/train/signal.js';
import { type OutputBias, startingModel } from '../src/train/start.js';
import { type Teacher, trainAsmr } from '../src/train/trainer.js';
import { runSelf } from './lib/run-self.js';

const SHARED = new URL('../../shared/', import.meta.url).pathname;
const FIXTURES = join(SHARED, 'fixtures/reference-asmr');

interface ParityConfig {
  name: string;
  bases: number[][];
  hidden: number;
  /** The reference's full-batch PSNR for these settings, where a fixture gives one. */
  referencePsnr: () => number | null;
  signal: () => Promise<TrainSignal>;
}

interface FixtureConfig {
  data_size: number[];
  dim_out: number;
  psnr_db_clamped: number;
}

const fixtureConfig = (dir: string) => JSON.parse(readFileSync(join(FIXTURES, dir, 'config.json'), 'utf8')) as FixtureConfig;

/** A fixture's target.f32 ([samples, channels] float32 in [0, 1]) as a signal of the fixture's shape. */
async function fixtureTarget(dir: string): Promise<TrainSignal> {
  const config = fixtureConfig(dir);
  const bytes = readFileSync(join(FIXTURES, dir, 'target.f32'));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { shape: config.data_size, channels: config.dim_out, data };
}

async function image(name: string): Promise<TrainSignal> {
  return (await readTrainInput(join(SHARED, 'data', name))).signal;
}

/** Rec. 601 luma of an RGB signal. */
function luma(s: TrainSignal): TrainSignal {
  const n = s.data.length / 3;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = 0.299 * s.data[i * 3]! + 0.587 * s.data[i * 3 + 1]! + 0.114 * s.data[i * 3 + 2]!;
  return { shape: s.shape, channels: 1, data };
}

const CONFIGS: ParityConfig[] = [
  {
    name: 'astronaut512',
    bases: [
      [4, 4, 4, 8],
      [4, 4, 4, 8],
    ],
    hidden: 64,
    referencePsnr: () => fixtureConfig('astronaut512_L4_h64').psnr_db_clamped,
    signal: () => image('astronaut.png'),
  },
  {
    name: 'pan12x96x128',
    bases: [
      [3, 1, 2, 2],
      [2, 3, 2, 8],
      [2, 4, 2, 8],
    ],
    hidden: 64,
    referencePsnr: () => fixtureConfig('pan12x96x128_L4_h64').psnr_db_clamped,
    signal: () => fixtureTarget('pan12x96x128_L4_h64'),
  },
  {
    // Three levels, a last base of 16 per axis, 96 wide: the held-out photo shape of the issue.
    name: 'kodim07-256-L3',
    bases: [
      [4, 4, 16],
      [4, 4, 16],
    ],
    hidden: 96,
    referencePsnr: () => null,
    signal: async () => resizeSignal(await image('kodim07.png'), [256, 256], 'crop').signal,
  },
  {
    // One channel, five levels, bases up to 6.
    name: 'kodim02-gray-128x192-L5',
    bases: [
      [2, 2, 2, 4, 4],
      [2, 2, 3, 4, 4],
    ],
    hidden: 48,
    referencePsnr: () => null,
    signal: async () => luma(resizeSignal(await image('kodim02.png'), [128, 192], 'crop').signal),
  },
];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    configs: { type: 'string', default: CONFIGS.map((c) => c.name).join(',') },
    teachers: { type: 'string', default: 'uniform,int' },
    iters: { type: 'string', default: '3000' },
    lr: { type: 'string', default: '5e-4' },
    'min-lr': { type: 'string', default: '1e-5' },
    init: { type: 'string', default: 'reference' },
    interval: { type: 'string', default: 'incremental' },
    'output-bias': { type: 'string', default: 'mean' },
    seeds: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '2' },
    run: { type: 'string' },
  },
});

interface Run {
  config: string;
  teacher: Teacher;
  seed: number;
  psnr: number;
  seconds: number;
  referencePsnr: number | null;
}

async function runOne(name: string, teacher: Teacher, seed: number): Promise<Run> {
  const config = CONFIGS.find((c) => c.name === name);
  if (!config) throw new Error(`no configuration "${name}" (${CONFIGS.map((c) => c.name).join(', ')})`);
  await useNodeBackend();
  const plan = planModel(await config.signal(), { bases: config.bases, hidden: config.hidden });
  const iterations = Number(args.iters);
  const init = startingModel(plan.spec, plan.signal, seed, { modulators: args.init as ModulatorRange, outputBias: args['output-bias'] as OutputBias });
  const r = await trainAsmr(plan.signal, {
    spec: plan.spec,
    iterations,
    lr: Number(args.lr),
    minLr: Number(args['min-lr']),
    teacher,
    interval: args.interval as IntervalStrategy,
    seed,
    init,
    evalEvery: 250,
    onProgress: (p) => process.stderr.write(`${name} ${teacher} ${p.iteration}/${iterations} ${p.psnr.toFixed(2)} dB ${p.seconds.toFixed(1)} s\n`),
  });
  return { config: name, teacher, seed, psnr: r.finalPsnr, seconds: r.seconds, referencePsnr: config.referencePsnr() };
}

/** One run in a child process (this script with --run NAME:TEACHER:SEED). */
const child = (name: string, teacher: string, seed: number) =>
  runSelf<Run>(import.meta.url, ['--run', `${name}:${teacher}:${seed}`], `${name} ${teacher} seed ${seed}`);

if (!['reference', 'tame'].includes(args.init)) throw new Error(`--init must be reference or tame, not ${args.init}`);
if (!['mean', 'reference'].includes(args['output-bias'])) throw new Error(`--output-bias must be mean or reference, not ${args['output-bias']}`);
if (!(INTERVALS as readonly string[]).includes(args.interval)) throw new Error(`--interval must be one of ${INTERVALS.join(', ')}, not ${args.interval}`);
if (args.run) {
  const [name, teacher, seed] = args.run.split(':');
  process.stdout.write(JSON.stringify(await runOne(name!, teacher === 'int' ? 'int' : 'uniform', Number(seed))));
  process.exit(0);
}

const seeds = args.seeds.split(',').map(Number);
const queue = args.configs.split(',').flatMap((name) => args.teachers.split(',').flatMap((teacher) => seeds.map((seed) => ({ name, teacher, seed }))));
const runs: Run[] = new Array<Run>(queue.length);
let next = 0;
const worker = async () => {
  while (next < queue.length) {
    const k = next++;
    runs[k] = await child(queue[k]!.name, queue[k]!.teacher, queue[k]!.seed);
  }
};
await Promise.all(Array.from({ length: Math.max(1, Number(args.jobs)) }, worker));

const report = {
  iterations: Number(args.iters),
  lr: Number(args.lr),
  minLr: Number(args['min-lr']),
  init: args.init,
  outputBias: args['output-bias'],
  interval: args.interval,
  seeds,
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
  backend: 'tfjs-wasm (Node), one thread per run',
  runs,
};
/** Mean PSNR per configuration and teacher, where there are several seeds. */
const means = [...new Set(runs.map((r) => `${r.config}:${r.teacher}`))].map((key) => {
  const group = runs.filter((r) => `${r.config}:${r.teacher}` === key);
  const psnrs = group.map((r) => r.psnr);
  return {
    config: group[0]!.config,
    teacher: group[0]!.teacher,
    psnr: psnrs.reduce((a, b) => a + b, 0) / psnrs.length,
    min: Math.min(...psnrs),
    max: Math.max(...psnrs),
  };
});
if (args.json) {
  process.stdout.write(JSON.stringify({ ...report, means }) + '\n');
} else {
  const f = (v: number) => v.toFixed(2).padStart(8);
  const lines = [
    `${report.iterations} iterations, lr ${report.lr} -> ${report.minLr} (cosine), init ${report.init}, output bias ${report.outputBias}, INT interval ${report.interval}, seeds ${seeds.join(',')}`,
    `machine: ${report.machine}; backend: ${report.backend}`,
    '',
    `${'configuration'.padEnd(26)} ${'teacher'.padEnd(8)} ${'seed'.padStart(4)} ${'PSNR dB'.padStart(8)} ${'seconds'.padStart(8)} ${'reference dB'.padStart(13)}`,
    ...runs.map(
      (r) =>
        `${r.config.padEnd(26)} ${r.teacher.padEnd(8)} ${String(r.seed).padStart(4)} ${f(r.psnr)} ${r.seconds.toFixed(1).padStart(8)} ${(r.referencePsnr === null ? '-' : r.referencePsnr.toFixed(2)).padStart(13)}`,
    ),
    ...(seeds.length > 1
      ? [
          '',
          'mean (min - max) over the seeds:',
          ...means.map((m) => `${m.config.padEnd(26)} ${m.teacher.padEnd(8)} ${f(m.psnr)} (${m.min.toFixed(2)} - ${m.max.toFixed(2)})`),
        ]
      : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
