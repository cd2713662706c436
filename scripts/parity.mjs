// Parity of the CLI's decode with the PyTorch reference's own decode, on every fixture of a
// reference-fixture folder (default ../shared/fixtures/reference-asmr):
//   npm run parity [-- DIR]
// For each fixture and storage dtype: import-asmr, decode -o .f32, max |ours - reference_decode.f32|.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = process.argv[2] ?? join(root, '../shared/fixtures/reference-asmr');
const cli = join(root, 'packages/inrstream-cli/dist/cli.mjs');
const work = mkdtempSync(join(tmpdir(), 'inrstream-parity-'));
const f32 = (p) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

for (const name of readdirSync(dir).sort()) {
  const src = join(dir, name);
  const reference = f32(join(src, 'reference_decode.f32'));
  for (const dtype of ['f32', 'f16', 'int8']) {
    const inr = join(work, `${name}.${dtype}.inr`);
    const out = join(work, `${name}.${dtype}.f32`);
    execFileSync(process.execPath, [
      cli,
      'import-asmr',
      '--weights',
      join(src, 'model.safetensors'),
      '--config',
      join(src, 'config.json'),
      '-o',
      inr,
      '--dtype',
      dtype,
    ]);
    execFileSync(process.execPath, [cli, 'decode', inr, '-o', out]);
    const ours = f32(out);
    if (ours.length !== reference.length) throw new Error(`${name}: ${ours.length} values, reference has ${reference.length}`);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
    console.log(`${name.padEnd(24)} ${dtype.padEnd(5)} max abs diff ${worst.toExponential(3)} over ${ours.length} values`);
  }
}
