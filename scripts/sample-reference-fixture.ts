/**
 * Takes a seeded random subset of a reference fixture's decode and target (the full files are
 * megabytes; the subset is enough to check parity and PSNR in the project's own tests).
 *
 *   node --import tsx scripts/sample-reference-fixture.ts SRC_DIR DEST_DIR [COUNT]
 *
 * Writes DEST_DIR/sample.bin: u32 count, u32 channels, count u32 sample indices (row-major
 * over data_size), count*channels f32 reference decode, count*channels f32 target; all LE.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../src/model/prng.js';

const [src, dest, countArg] = process.argv.slice(2);
if (!src || !dest) throw new Error('usage: sample-reference-fixture.ts SRC_DIR DEST_DIR [COUNT]');
const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
const channels: number = config.dim_out;
const total = (config.data_size as number[]).reduce((a, b) => a * b, 1);
const asF32 = (f: string) => {
  const b = readFileSync(join(src, f));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const decode = asF32('reference_decode.f32');
const target = asF32('target.f32');
const count = Math.min(Number(countArg ?? 8192), total);
const rand = mulberry32(20261127);
const picked = new Set<number>();
while (picked.size < count) picked.add(Math.floor(rand() * total));
const indices = Uint32Array.from([...picked].sort((a, b) => a - b));
const out = new ArrayBuffer(8 + count * 4 + 2 * count * channels * 4);
const view = new DataView(out);
view.setUint32(0, count, true);
view.setUint32(4, channels, true);
let o = 8;
for (const i of indices) {
  view.setUint32(o, i, true);
  o += 4;
}
for (const arr of [decode, target]) {
  for (const i of indices) {
    for (let c = 0; c < channels; c++) {
      view.setFloat32(o, arr[i * channels + c]!, true);
      o += 4;
    }
  }
}
writeFileSync(join(dest, 'sample.bin'), new Uint8Array(out));
console.log(`${dest}/sample.bin: ${count} of ${total} samples, ${channels} channels`);
