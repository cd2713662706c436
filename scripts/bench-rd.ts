/**
 * `npm run bench:rd -- [--json] [--pictures kodim02,kodim07,astronaut] [--bpp 0.15,0.3,0.6] [--iters N] [--models DIR] [--retrain] [--plot PATH]`:
 * rate-distortion of `.inr` against JPEG (libjpeg-turbo and mozjpeg) and WebP on full-size
 * pictures (docs/RD.md). Each picture gets an `.inr` per bits-per-pixel target, trained with
 * the CLI (`inrstream train --bpp B --bits 8`, the trainer's defaults otherwise, two trainings
 * at once, one per core) into `--models` (default out/rd) and reused from there on later runs
 * when its provenance has the same iteration count (`--retrain` trains anew). The classical
 * codecs are swept over their quality settings. Every PSNR is measured here on the 8-bit RGB
 * each codec delivers (the `.inr` decoded by the plain-TypeScript decoder, clamped and
 * rounded as a canvas shows it). The table compares the codecs at each `.inr`'s own bytes.
 *
 * Needs `npm run build` (the CLI). Progress goes to stderr; stdout gets the table (or, with
 * --json, `{ pictures: [{ name, width, height, points: [{ codec, bytes, bpp, psnr }] }],
 * atInrBytes, iterations, machine }`); the plot is written as PNG to `--plot` (default out/rd/rd.png).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { modelFromInr, readInr } from '../src/format/index.js';
import { decodeShared } from '../src/model/index.js';
import { type Codec, psnr8, psnrAtBytes, type RdPoint, readRgb8, type Rgb8, rgb8, sweep } from './bench-rd/codecs.js';
import type { RdPicture } from './bench-rd/types.js';
import { withPage } from './lib/headless-page.js';

const ROOT = new URL('../', import.meta.url).pathname;
const DATA = join(ROOT, '../shared/data');
const CLI = join(ROOT, 'packages/inrstream-cli/bin/inrstream.mjs');
const PICTURES: Record<string, string> = { kodim02: 'kodim02.png', kodim07: 'kodim07.png', astronaut: 'astronaut.png' };

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    pictures: { type: 'string', default: Object.keys(PICTURES).join(',') },
    bpp: { type: 'string', default: '0.15,0.3,0.6' },
    iters: { type: 'string', default: '3000' },
    models: { type: 'string', default: join(ROOT, 'out/rd') },
    retrain: { type: 'boolean', default: false },
    plot: { type: 'string', default: join(ROOT, 'out/rd/rd.png') },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const iterations = Number(args.iters);
const names = args.pictures.split(',');
for (const n of names) if (!PICTURES[n]) throw new Error(`unknown picture ${n} (${Object.keys(PICTURES).join(', ')})`);
const targets = args.bpp.split(',').map(Number);
if (!existsSync(CLI.replace('bin/inrstream.mjs', 'dist/cli.mjs'))) throw new Error('run `npm run build` first (bench:rd trains with the CLI)');
mkdirSync(args.models, { recursive: true });

interface Job {
  picture: string;
  bpp: number;
  file: string;
}

const modelPath = (picture: string, bpp: number) => join(args.models, `${picture}-${bpp}bpp.inr`);
const provenanceOf = (file: string) => readInr(new Uint8Array(readFileSync(file))).header.provenance ?? {};
const reusable = (file: string) => !args.retrain && existsSync(file) && provenanceOf(file).iterations === iterations;

function train(job: Job): Promise<void> {
  const argv = [
    CLI,
    'train',
    join(DATA, PICTURES[job.picture]!),
    '-o',
    job.file,
    '--bpp',
    String(job.bpp),
    '--bits',
    '8',
    '--iters',
    String(iterations),
    '--eval-every',
    '500',
  ];
  log(`training ${job.picture} at ${job.bpp} bpp: inrstream ${argv.slice(1).join(' ')}`);
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => process.stderr.write(`[${job.picture} ${job.bpp}] ${d}`));
  return new Promise((ok, fail) => child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`training ${job.file} failed (exit ${code})`)))));
}

/** Runs the jobs, `width` at a time. */
async function trainAll(jobs: Job[], width: number): Promise<void> {
  const queue = [...jobs];
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await train(job);
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, lane));
}

const jobs = names.flatMap((picture) => targets.map((bpp) => ({ picture, bpp, file: modelPath(picture, bpp) })));
const missing = jobs.filter((j) => !reusable(j.file));
if (missing.length) await trainAll(missing, cpus().length);

function inrPoint(file: string, picture: Rgb8): RdPoint {
  const bytes = readFileSync(file);
  const inr = readInr(new Uint8Array(bytes));
  if (inr.header.shape.join('x') !== `${picture.height}x${picture.width}`) throw new Error(`${file}: shape ${inr.header.shape.join('x')} is not the picture's`);
  const decoded = rgb8(decodeShared(modelFromInr(inr)), picture.width, picture.height).data;
  const seconds = inr.header.provenance?.seconds;
  return {
    codec: 'inr',
    bytes: bytes.length,
    bpp: (bytes.length * 8) / (picture.width * picture.height),
    psnr: psnr8(decoded, picture.data),
    ...(typeof seconds === 'number' ? { seconds } : {}),
  };
}

const CLASSICAL = ['jpeg', 'mozjpeg', 'webp'] as const;
const pictures: RdPicture[] = [];
const atInrBytes: ({ picture: string; bytes: number; bpp: number; seconds: number | null } & Partial<Record<Codec, number | null>>)[] = [];
for (const name of names) {
  const picture = await readRgb8(join(DATA, PICTURES[name]!));
  const inr = jobs.filter((j) => j.picture === name).map((j) => inrPoint(j.file, picture));
  const curves = Object.fromEntries(await Promise.all(CLASSICAL.map(async (c) => [c, await sweep(picture, c)] as const))) as Record<
    (typeof CLASSICAL)[number],
    RdPoint[]
  >;
  pictures.push({ name, width: picture.width, height: picture.height, points: [...inr, ...CLASSICAL.flatMap((c) => curves[c])] });
  for (const p of inr) {
    const row = { picture: name, bytes: p.bytes, bpp: p.bpp, seconds: p.seconds ?? null, inr: p.psnr };
    atInrBytes.push({ ...row, ...Object.fromEntries(CLASSICAL.map((c) => [c, psnrAtBytes(curves[c], p.bytes)])) });
  }
  log(`${name}: ${inr.map((p) => `${p.bpp.toFixed(3)} bpp ${p.psnr.toFixed(2)} dB`).join(', ')}`);
}

mkdirSync(dirname(resolve(args.plot)), { recursive: true });
await withPage('scripts/bench-rd/plot.html', {}, async (page) => {
  await page.waitForFunction('typeof window.drawRd === "function"', { timeout: 60_000 });
  await page.evaluate((data) => (window as unknown as { drawRd: (p: RdPicture[]) => void }).drawRd(data), pictures);
  await (await page.$('#plots'))!.screenshot({ path: resolve(args.plot) as `${string}.png` });
});
log(`plot: ${args.plot}`);

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}`;
const fmt = (v: number | null | undefined) => (v == null ? '-' : v.toFixed(2));
if (args.json) console.log(JSON.stringify({ pictures, atInrBytes, iterations, machine }, null, 2));
else
  console.table(
    atInrBytes.map((r) => ({
      picture: r.picture,
      bytes: r.bytes,
      bpp: Number(r.bpp.toFixed(3)),
      'inr dB': fmt(r.inr),
      'jpeg dB': fmt(r.jpeg),
      'mozjpeg dB': fmt(r.mozjpeg),
      'webp dB': fmt(r.webp),
      'inr - jpeg': r.jpeg == null ? '-' : fmt(r.inr! - r.jpeg),
      'training s': r.seconds ?? '-',
    })),
  );
