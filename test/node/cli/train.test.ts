import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readInr } from '../../../src/format/index.js';
import { decodeY4m } from '../../../packages/inrstream-cli/src/media/y4m.js';
import { readTrainInput } from '../../../packages/inrstream-cli/src/media/node-input.js';
import { ROOT } from '../fixtures.js';
import { y4mClip } from '../y4m-clip.js';

const CLI = join(ROOT, 'packages/inrstream-cli/dist/cli.mjs');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function writePng(path: string, w: number, h: number, pixel: (x: number, y: number) => [number, number, number]): void {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixel(x, y);
      png.data.set([r, g, b, 255], (y * w + x) * 4);
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

const smooth = (x: number, y: number): [number, number, number] => [x * 8, y * 8, 128 + Math.round(100 * Math.sin((x + y) / 5))];

/** A tiny clip: grey frames whose luma rises with t. */
const y4m = (frames: number, w: number, h: number) => y4mClip(frames, w, h, 10, (t) => 16 + 40 * t);

describe('inrstream train (packages/inrstream-cli/dist/cli.mjs)', () => {
  let dir: string;
  const noPartial = () =>
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.inr') || n.endsWith('.tmp')),
      [],
    );

  before(() => {
    assert.ok(existsSync(CLI), 'build first: npm run build');
    dir = mkdtempSync(join(tmpdir(), 'inrstream-train-'));
    writePng(join(dir, 'small.png'), 32, 32, smooth);
    writePng(join(dir, 'prime.png'), 31, 32, smooth);
    writeFileSync(join(dir, 'broken.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    writeFileSync(join(dir, 'empty.png'), new Uint8Array(0));
  });

  it('trains an image to a PSNR target and writes provenance and a JSON summary', () => {
    const out = join(dir, 'small-model.inr');
    const r = cli(
      'train',
      join(dir, 'small.png'),
      '-o',
      out,
      '--levels',
      '3',
      '--hidden',
      '64',
      '--iters',
      '400',
      '--lr',
      '2e-3',
      '--target-psnr',
      '30',
      '--eval-every',
      '10',
      '--json',
    );
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.ok(s.finalPsnr >= 30, `reached ${s.finalPsnr} dB`);
    assert.ok(s.iterations <= 400 && s.curve.length >= 2 && s.macPerPx > 0);
    assert.deepEqual(Object.keys(s.curve[0]).sort(), ['iteration', 'psnr', 'seconds']);
    const p = readInr(new Uint8Array(readFileSync(out))).header.provenance!;
    assert.equal(p.teacher, 'int');
    assert.equal(p.ratioSchedule, 'step');
    assert.equal(p.interval, 'incremental');
    assert.equal(p.iterations, s.iterations);
    assert.ok((p.psnr as number) >= 30 && (p.psnr as number) <= s.finalPsnr);
    rmInr(out);
  });

  it('bad input ends with one clear line, exit 1, and no file', () => {
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.png')], /no such file/],
      [[join(dir, 'broken.png')], /cannot decode the image/],
      [[join(dir, 'empty.png')], /the file is empty/],
      [[join(dir, 'small.png'), '--bases', '2,4,4;4,4,3'], /axis 1 multiplies to 48, but the input's size there is 32/],
      [[join(dir, 'prime.png'), '--levels', '4', '--fit', 'none'], /31 cannot be split into 4 bases/],
    ];
    for (const [args, message] of cases) {
      const r = cli('train', ...args, '-o', join(dir, 'out.inr'), '--iters', '2');
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      noPartial();
    }
  });

  it('an image larger than --max-pixels is refused from its header, before it is decoded', () => {
    // A PNG header claiming 50000 x 50000 (2.5 G pixels): refused at once, nothing decoded.
    const huge = readFileSync(join(dir, 'small.png'));
    const view = new DataView(huge.buffer, huge.byteOffset, huge.byteLength);
    view.setUint32(16, 50000);
    view.setUint32(20, 50000);
    writeFileSync(join(dir, 'huge.png'), huge);
    writeFileSync(join(dir, 'tiny.jpg'), jpeg.encode({ data: new Uint8Array(16 * 8 * 4).fill(128), width: 16, height: 8 }, 90).data);
    const cases: [string[], RegExp][] = [
      [[join(dir, 'huge.png')], /50000x50000 is 2500000000 pixels, over the limit of 16777216/],
      [[join(dir, 'small.png'), '--max-pixels', '100'], /over the limit of 100 \(--max-pixels raises it\)/],
      [[join(dir, 'tiny.jpg'), '--max-pixels', '100'], /16x8 is 128 pixels, over the limit of 100/],
    ];
    for (const [args, message] of cases) {
      const r = cli('train', ...args, '-o', join(dir, 'out.inr'), '--iters', '2');
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      noPartial();
    }
  });

  it('wrong usage exits 2 with nothing written', () => {
    for (const args of [
      ['--teacher', 'oracle'],
      ['--iters', '0'],
      ['--ratio-schedule', 'wavy'],
      ['--dtype', 'f64'],
      ['--bases', 'x'],
      ['--bases', '4,4;4'],
      ['--hidden', '100000'],
      ['--levels', '20'],
      // Refused before anything is sized by it (it once grew the heap until Node aborted).
      ['--levels', '99999999'],
      ['--bits', '1'],
      ['--bits', '17'],
      ['--bits', '4', '--dtype', 'int8'],
      ['--bits', '4', '--qat-iters', '2000'],
      ['--qat-iters', '10'],
      ['--target-bytes', '0'],
      ['--target-bytes', '4000', '--bpp', '1'],
      ['--target-bytes', '4000', '--hidden', '16'],
      ['--bpp', '-1'],
      // Nothing fits in 50 bytes: the target is wrong for this input.
      ['--target-bytes', '50'],
    ]) {
      const r = cli('train', join(dir, 'small.png'), '-o', join(dir, 'out.inr'), ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      noPartial();
    }
  });

  it('--bits trains through the quantiser and writes a coded file (format 2.0 without heads) that info describes', () => {
    const out = join(dir, 'small-q5.inr');
    const options = '--levels 3 --hidden 16 --iters 30 --bits 5 --qat-iters 10 --level-heads 0 --json';
    const r = cli('train', join(dir, 'small.png'), '-o', out, ...options.split(' '));
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    const file = readInr(new Uint8Array(readFileSync(out)));
    assert.deepEqual(file.version, { major: 2, minor: 0 });
    assert.deepEqual([...new Set(file.header.tensors.map((t) => t.dtype))].sort(), ['q5', 'q9']);
    assert.equal(s.dtype, 'q5');
    assert.equal(s.bytes, readFileSync(out).length);
    assert.ok(Math.abs(s.bpp - (8 * s.bytes) / (32 * 32)) < 1e-9);
    const p = file.header.provenance;
    assert.deepEqual([p.bits, p.qatIterations, p.qatLr], [5, 10, 5e-4]);
    const info = JSON.parse(cli('info', out, '--json').out);
    assert.deepEqual([info.bytes, info.bpp, info.psnr, info.version], [s.bytes, s.bpp, p.psnr, '2.0']);
    const text = cli('info', out).out;
    assert.match(text, new RegExp(`^bytes +${s.bytes.toLocaleString('en-US')}$`, 'm'));
    assert.match(text, /^bpp +[\d.]+ bits per pixel$/m);
    assert.match(text, new RegExp(`^psnr +${p.psnr} dB`, 'm'));
    rmInr(out);
  });

  it('trains level heads on a picture by default (format 4.0, their PSNR reported), none with --level-heads 0 or on a clip', () => {
    const out = join(dir, 'small-heads.inr');
    const args = ['--levels', '4', '--hidden', '16', '--iters', '40', '--bits', '8', '--qat-iters', '10', '--json'];
    const r = cli('train', join(dir, 'small.png'), '-o', out, ...args);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    const file = readInr(new Uint8Array(readFileSync(out)));
    assert.deepEqual(file.version, { major: 4, minor: 0 });
    assert.equal(file.header.levelHeads, true);
    assert.deepEqual(
      file.header.tensors.filter((t) => t.name.startsWith('heads.')).map((t) => t.name),
      ['heads.1.weight', 'heads.1.bias', 'heads.2.weight', 'heads.2.bias'],
    );
    assert.equal(file.header.provenance.headWeight, 1);
    assert.equal(s.levelPsnr.length, 2);
    assert.ok(
      s.levelPsnr.every((p: number) => p > 10),
      `${s.levelPsnr}`,
    );
    assert.match(cli('train', join(dir, 'small.png'), '-o', out, ...args.slice(0, -1)).out, / level heads 1: [\d.]+, 2: [\d.]+ dB/);
    const none = JSON.parse(cli('train', join(dir, 'small.png'), '-o', out, ...args, '--level-heads', '0').out);
    assert.equal(none.levelPsnr, undefined);
    assert.equal(readInr(new Uint8Array(readFileSync(out))).header.levelHeads, undefined);
    writeFileSync(join(dir, 'clip8.y4m'), y4m(8, 16, 16));
    const clip = cli('train', join(dir, 'clip8.y4m'), '-o', out, '--levels', '3', '--hidden', '8', '--iters', '3', '--json');
    assert.equal(clip.code, 0, clip.err);
    assert.equal(readInr(new Uint8Array(readFileSync(out))).header.levelHeads, undefined);
    assert.equal(cli('train', join(dir, 'small.png'), '-o', out, '--level-heads', '-1').code, 2);
    rmInr(out);
  });

  it('--target-bytes picks levels, bases and width for the budget and prints the choice and its alternatives', () => {
    const out = join(dir, 'small-sized.inr');
    const r = cli('train', join(dir, 'small.png'), '-o', out, '--target-bytes', '3000', '--iters', '3', '--teacher', 'uniform');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^sizing for 3,000 bytes: \d levels, bases [\d,;]+, \d+ wide: about [\d,]+ bytes/m);
    assert.match(r.out, /^ {2}alternative: \d levels/m);
    assert.ok(readFileSync(out).length <= 3000);
    const json = JSON.parse(cli('train', join(dir, 'small.png'), '-o', out, '--bpp', '16', '--bits', '6', '--iters', '3', '--json').out);
    assert.equal(json.sizing.targetBytes, 2048);
    assert.ok(json.bytes <= 2048, `${json.bytes} bytes`);
    assert.deepEqual(json.widths[0], json.sizing.chosen.hidden);
    assert.ok(json.sizing.candidates.length >= 2);
    rmInr(out);
  });

  it('crops a size the chosen bases cannot fit, and records it in the header', () => {
    const out = join(dir, 'prime.inr');
    const r = cli('train', join(dir, 'prime.png'), '-o', out, '--levels', '4', '--hidden', '8', '--iters', '3', '--teacher', 'uniform');
    assert.equal(r.code, 0, r.err);
    const h = readInr(new Uint8Array(readFileSync(out))).header;
    assert.equal(h.shape[1], 30);
    assert.equal(h.provenance!.resize, 'crop 32x30 at 0,0 of 32x31');
    assert.equal(h.provenance!.teacher, 'uniform');
    rmInr(out);
  });

  it('reads JPEG images', async () => {
    const rgba = new Uint8Array(16 * 8 * 4).fill(200);
    writeFileSync(join(dir, 'grey.jpg'), jpeg.encode({ data: rgba, width: 16, height: 8 }, 95).data);
    const input = await readTrainInput(join(dir, 'grey.jpg'));
    assert.equal(input.kind, 'image');
    assert.deepEqual(input.signal.shape, [8, 16]);
    assert.ok(input.signal.data.every((v) => Math.abs(v - 200 / 255) < 3 / 255));
  });

  it('reads .y4m clips and frame folders as video', async () => {
    const clip = decodeY4m(y4m(3, 8, 4));
    assert.deepEqual(clip.signal.shape, [3, 4, 8]);
    assert.equal(clip.fps, 10);
    assert.ok(Math.abs(clip.signal.data[0]!) < 1e-6);
    assert.ok(Math.abs(clip.signal.data[2 * 4 * 8 * 3]! - (96 - 16) / 219) < 1e-6);
    assert.throws(() => decodeY4m(y4m(2, 8, 4).subarray(0, 100)), /truncated/);
    const frames = join(dir, 'frames');
    mkdirSync(frames);
    for (let t = 0; t < 3; t++) writePng(join(frames, `f${t}.png`), 8, 4, (x) => [x * 30, t * 50, 0]);
    const input = await readTrainInput(frames);
    assert.equal(input.kind, 'video');
    assert.deepEqual(input.signal.shape, [3, 4, 8]);
    const out = join(dir, 'clip.inr');
    writeFileSync(join(dir, 'clip.y4m'), y4m(4, 8, 4));
    const r = cli('train', join(dir, 'clip.y4m'), '-o', out, '--levels', '2', '--hidden', '8', '--iters', '3');
    assert.equal(r.code, 0, r.err);
    const h = readInr(new Uint8Array(readFileSync(out))).header;
    assert.equal(h.kind, 'video');
    assert.deepEqual(h.shape, [4, 4, 8]);
    rmInr(out);
  });
});

function rmInr(path: string): void {
  rmSync(path);
}
