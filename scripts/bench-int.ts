/**
 * `npm run bench:int [-- --json] [-- --image PATH --iters N --bases "..." --hidden N --lr R]`:
 * trains the same image and model twice in one run, with Implicit Neural Teaching and with the
 * full-batch baseline, and reports time-to-PSNR: how long INT takes to reach the baseline's
 * final PSNR, as a share of the baseline's time. Defaults: the reference's astronaut
 * configuration (512x512, bases 4,4,4,8 per axis, 64 wide, 3000 iterations, lr 5e-4).
 * The two runs go to two child processes at once: on a shared machine (2 cores here, with
 * other work on them) that exposes both to the same contention, where running one after the
 * other would not. Progress goes to stderr; stdout gets the report (or one JSON object with
 * --json).
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readTrainInput } from '../packages/inrstream-cli/src/media/node-input.js';
import { useNodeBackend } from '../packages/inrstream-cli/src/train/backend-node.js';
import { parseBases } from '../src/train/factorize.js';
import { planModel } from '../src/train/plan.js';
import { type CurvePoint, type Teacher, trainAsmr } from '../src/train/trainer.js';
import { runSelf } from './lib/run-self.js';

const ROOT = new URL('../', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    image: { type: 'string', default: join(ROOT, '../shared/data/astronaut.png') },
    iters: { type: 'string', default: '3000' },
    bases: { type: 'string', default: '4,4,4,8;4,4,4,8' },
    hidden: { type: 'string', default: '64' },
    lr: { type: 'string', default: '5e-4' },
    seed: { type: 'string', default: '0' },
    'eval-every': { type: 'string', default: '25' },
    arm: { type: 'string' },
  },
});

/** Training seconds at which the curve first reaches `psnr`, interpolated between points. */
function timeTo(curve: CurvePoint[], psnr: number): number | null {
  for (let i = 0; i < curve.length; i++) {
    const p = curve[i]!;
    if (p.psnr < psnr) continue;
    if (i === 0) return p.seconds;
    const q = curve[i - 1]!;
    return q.seconds + ((psnr - q.psnr) / (p.psnr - q.psnr)) * (p.seconds - q.seconds);
  }
  return null;
}

const backend = await useNodeBackend();
const { signal } = await readTrainInput(args.image);
const plan = planModel(signal, { bases: parseBases(args.bases), hidden: Number(args.hidden) });
const iterations = Number(args.iters);
const run = async (teacher: Teacher) => {
  const r = await trainAsmr(plan.signal, {
    spec: plan.spec,
    iterations,
    lr: Number(args.lr),
    seed: Number(args.seed),
    teacher,
    evalEvery: Number(args['eval-every']),
    onProgress: (p) => process.stderr.write(`${teacher} ${p.iteration}/${iterations} ${p.psnr.toFixed(2)} dB ${p.seconds.toFixed(1)} s\n`),
  });
  return { seconds: r.seconds, finalPsnr: r.finalPsnr, curve: r.curve };
};

type Arm = Awaited<ReturnType<typeof run>>;

/** Runs one arm in a child process (this script with --arm) and returns its result. */
const child = (teacher: Teacher) => runSelf<Arm>(import.meta.url, ['--arm', teacher], `the ${teacher} run`);

if (args.arm) {
  process.stdout.write(JSON.stringify(await run(args.arm === 'int' ? 'int' : 'uniform')));
  process.exit(0);
}
const [uniform, int] = await Promise.all([child('uniform'), child('int')]);
const intTime = timeTo(int.curve, uniform.finalPsnr);
const report = {
  image: args.image,
  shape: plan.spec.shape,
  bases: plan.spec.bases,
  widths: plan.spec.widths,
  iterations,
  lr: Number(args.lr),
  teacherSettings: { ratioSchedule: 'step', startRatio: 0.2, interval: 'incremental' },
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
  backend: `tfjs-${backend}`,
  uniform,
  int,
  /** INT's training seconds to reach the uniform run's final PSNR (null: never reached). */
  intSecondsToUniformFinal: intTime,
  ratio: intTime === null ? null : intTime / uniform.seconds,
};
if (args.json) {
  process.stdout.write(JSON.stringify(report) + '\n');
} else {
  const row = (p: CurvePoint) => `${String(p.iteration).padStart(6)} ${p.seconds.toFixed(1).padStart(8)} s ${p.psnr.toFixed(2).padStart(7)} dB`;
  const lines = [
    `${report.image}: ${report.shape.join('x')}, bases ${report.bases.map((a) => a.join(',')).join(';')}, widths ${report.widths.join(',')}, ${iterations} iterations, lr ${report.lr}`,
    `machine: ${report.machine}; backend: ${report.backend}`,
    '',
    'uniform (full batch):',
    ...uniform.curve.map(row),
    '',
    'int (step from 0.2, incremental):',
    ...int.curve.map(row),
    '',
    `uniform: ${uniform.finalPsnr.toFixed(2)} dB in ${uniform.seconds.toFixed(1)} s`,
    `int:     ${int.finalPsnr.toFixed(2)} dB in ${int.seconds.toFixed(1)} s`,
    intTime === null
      ? `int never reached the uniform run's final ${uniform.finalPsnr.toFixed(2)} dB`
      : `int reached ${uniform.finalPsnr.toFixed(2)} dB in ${intTime.toFixed(1)} s: ratio ${report.ratio!.toFixed(3)} of the uniform time`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
