import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { encodeInr } from '../../../src/format/index.js';
import { FIXTURES, maxAbsDiffAtSample } from '../../shared/reference-sample.js';
import { fixtureDir, loadReferenceFixture, readF32, ROOT } from '../fixtures.js';

const CLI = join(ROOT, 'packages/inrstream-cli/dist/cli.mjs');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('inrstream CLI (packages/inrstream-cli/dist/cli.mjs)', () => {
  let dir: string;
  const inr = (name: string, dtype = 'f32') => join(dir, `${name}.${dtype}.inr`);

  before(() => {
    assert.ok(existsSync(CLI), 'build first: npm run build');
    dir = mkdtempSync(join(tmpdir(), 'inrstream-cli-'));
    for (const name of FIXTURES) {
      for (const dtype of ['f32', 'f16', 'int8']) {
        const r = cli(
          'import-asmr',
          '--weights',
          join(fixtureDir(name), 'model.safetensors'),
          '--config',
          join(fixtureDir(name), 'config.json'),
          '-o',
          inr(name, dtype),
          '--dtype',
          dtype,
        );
        assert.equal(r.code, 0, r.err);
      }
    }
  });

  for (const name of FIXTURES) {
    it(`${name}: decode -o .f32 reproduces the reference decode (sample, <= 1e-3)`, () => {
      const out = join(dir, `${name}.f32`);
      const r = cli('decode', inr(name), '-o', out);
      assert.equal(r.code, 0, r.err);
      const { sample } = loadReferenceFixture(name);
      const values = readF32(out);
      assert.equal(values.length, (name.startsWith('pan') ? 12 * 96 * 128 : 512 * 512) * 3);
      assert.ok(maxAbsDiffAtSample(values, sample) <= 1e-3);
    });
  }

  it('decode --frame gives one frame of a video, equal to that slice of the full decode', () => {
    const all = join(dir, 'pan-all.f32');
    const one = join(dir, 'pan-5.f32');
    assert.equal(cli('decode', inr('pan12x96x128_L4_h64'), '-o', all).code, 0);
    assert.equal(cli('decode', inr('pan12x96x128_L4_h64'), '-o', one, '--frame', '5').code, 0);
    const frame = 96 * 128 * 3;
    assert.deepEqual(readF32(one), readF32(all).subarray(5 * frame, 6 * frame));
  });

  it('decode -o .png writes an 8-bit RGB picture of the clamped decode', () => {
    const out = join(dir, 'astro.png');
    assert.equal(cli('decode', inr('astronaut512_L4_h64'), '-o', out).code, 0);
    const png = PNG.sync.read(readFileSync(out));
    assert.equal(png.width, 512);
    assert.equal(png.height, 512);
    const { sample } = loadReferenceFixture('astronaut512_L4_h64');
    sample.indices.forEach((idx, k) => {
      for (let c = 0; c < 3; c++) {
        const want = Math.round(Math.min(1, Math.max(0, sample.decode[k * 3 + c]!)) * 255);
        assert.ok(Math.abs(png.data[idx * 4 + c]! - want) <= 1);
      }
    });
    const frame = join(dir, 'pan.png');
    assert.equal(cli('decode', inr('pan12x96x128_L4_h64'), '-o', frame, '--frame', '11').code, 0);
    assert.equal(PNG.sync.read(readFileSync(frame)).width, 128);
  });

  it('info --json reports shape, costs and provenance', () => {
    const r = cli('info', inr('astronaut512_L4_h64', 'int8'), '--json');
    assert.equal(r.code, 0, r.err);
    const info = JSON.parse(r.out);
    assert.deepEqual(info.shape, [512, 512]);
    assert.equal(info.levels, 4);
    assert.deepEqual(info.dtypes.sort(), ['f32', 'int8']);
    for (const key of ['macPerPx', 'sinesPerPx', 'addsPerPx', 'sirenMacPerPx']) assert.equal(typeof info[key], 'number', key);
    assert.ok(info.sirenMacPerPx > 10 * info.macPerPx);
    assert.equal(info.provenance.psnr, 21.087);
    assert.equal(info.bytes, readFileSync(inr('astronaut512_L4_h64', 'int8')).length);
    const text = cli('info', inr('pan12x96x128_L4_h64'));
    assert.equal(text.code, 0);
    assert.match(text.out, /12x96x128/);
    assert.match(text.out, /MAC\/px/);
  });

  it("info shows a file's control characters escaped, never raw to the terminal", async () => {
    const { model } = await loadReferenceFixture('astronaut512_L4_h64');
    // An OSC title change, a C1 CSI "clear screen", and a right-to-left override.
    const hostile = 'photo\u001b]0;pwned\u0007\u009b2J\u202egnp.exe';
    const path = join(dir, 'hostile.inr');
    writeFileSync(path, encodeInr(model, { provenance: { source: hostile } }));
    for (const args of [[path], [path, '--json']]) {
      const r = cli('info', ...args);
      assert.equal(r.code, 0, r.err);
      for (const raw of ['\u001b', '\u0007', '\u009b', '\u202e'])
        assert.ok(!r.out.includes(raw), `${args.join(' ')}: a raw U+${raw.charCodeAt(0).toString(16)}`);
      assert.match(r.out, /photo\\u001b\]0;pwned\\u0007\\u009b2J\\u202egnp\.exe/, args.join(' '));
    }
    // --json stays JSON, and gives the text back exactly.
    assert.equal(JSON.parse(cli('info', path, '--json').out).provenance.source, hostile);
  });

  it('int8 and f16 files decode close to f32', () => {
    for (const dtype of ['f16', 'int8']) {
      const out = join(dir, `astro-${dtype}.f32`);
      assert.equal(cli('decode', inr('astronaut512_L4_h64', dtype), '-o', out).code, 0);
      const { sample } = loadReferenceFixture('astronaut512_L4_h64');
      assert.ok(maxAbsDiffAtSample(readF32(out), sample) < (dtype === 'f16' ? 0.05 : 0.2));
    }
  });

  describe('failures: one line on stderr, non-zero exit, nothing written', () => {
    const cases: [string, () => string[], number, RegExp][] = [
      ['missing file', () => ['info', join(dir, 'nope.inr')], 1, /nope\.inr: no such file/],
      ['not an .inr', () => ['decode', join(fixtureDir('astronaut512_L4_h64'), 'config.json'), '-o', join(dir, 'x.png')], 1, /magic/],
      [
        'truncated .inr',
        () => {
          const p = join(dir, 'cut.inr');
          const b = readFileSync(inr('astronaut512_L4_h64'));
          writeFileSync(p, b.subarray(0, b.length - 100));
          return ['decode', p, '-o', join(dir, 'cut.png')];
        },
        1,
        /truncated|shorter|end/i,
      ],
      ['unknown flag', () => ['info', inr('astronaut512_L4_h64'), '--frobnicate'], 2, /unknown option/],
      ['unknown command', () => ['frobnicate'], 2, /unknown command/],
      ['bad output suffix', () => ['decode', inr('astronaut512_L4_h64'), '-o', join(dir, 'x.jpg')], 2, /\.png or \.f32/],
      ['bad dtype', () => ['import-asmr', '--weights', 'a', '--config', 'b', '-o', join(dir, 'y.inr'), '--dtype', 'f64'], 2, /dtype/],
      ['frame out of range', () => ['decode', inr('pan12x96x128_L4_h64'), '-o', join(dir, 'z.png'), '--frame', '12'], 2, /frame/],
      ['video to png without --frame', () => ['decode', inr('pan12x96x128_L4_h64'), '-o', join(dir, 'z.png')], 2, /--frame/],
      [
        'bad weights',
        () => [
          'import-asmr',
          '--weights',
          join(fixtureDir('astronaut512_L4_h64'), 'config.json'),
          '--config',
          join(fixtureDir('astronaut512_L4_h64'), 'config.json'),
          '-o',
          join(dir, 'w.inr'),
        ],
        1,
        /safetensors/,
      ],
    ];
    for (const [what, args, code, message] of cases) {
      it(what, () => {
        const before = readdirSync(dir).length;
        const r = cli(...args());
        assert.equal(r.code, code, r.err);
        assert.match(r.err, message);
        assert.equal(r.err.trim().split('\n').length, 1, r.err);
        assert.doesNotMatch(r.err, /\n\s+at /);
        assert.equal(readdirSync(dir).length, before + (what === 'truncated .inr' ? 1 : 0));
      });
    }
  });

  it('--help exits 0 and lists the commands', () => {
    const r = cli('--help');
    assert.equal(r.code, 0);
    for (const c of ['import-asmr', 'info', 'decode']) assert.match(r.out, new RegExp(c));
  });

  it('runs as the workspace bin that `npx inrstream` finds after npm ci', () => {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/inrstream'), ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '0.1.0');
  });
});
