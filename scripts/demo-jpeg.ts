/**
 * `npm run demo:jpeg`: the demo's honest comparison, made ahead of time. For each picture the
 * demo page shows (demo/index.html) whose source is in demo/models/sources (named by the
 * model's provenance), the JPEG of the same bytes: libjpeg-turbo's encoder (through sharp, as
 * bench:rd) at the highest quality whose file is no larger than the `.inr`. Writes
 * demo/models/jpeg/<model>.jpg and demo/models/jpeg.json, which the page's toggle reads:
 * `{ "<model src>": { src, bytes, bpp, psnr, quality } }`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readInr, statedPsnr } from '../src/format/index.js';
import { encodeAt, readRgb8 } from './bench-rd/codecs.js';
import { demoPictures } from './bench-delivery/pages.js';

const DEMO = new URL('../demo/', import.meta.url).pathname;
const manifest: Record<string, { src: string; bytes: number; bpp: number; psnr: number; quality: number }> = {};
mkdirSync(join(DEMO, 'models/jpeg'), { recursive: true });

for (const src of demoPictures(readFileSync(join(DEMO, 'index.html'), 'utf8'))) {
  const inrBytes = readFileSync(join(DEMO, src));
  const header = readInr(new Uint8Array(inrBytes)).header;
  const source = join(DEMO, 'models/sources', String(header.provenance.source ?? ''));
  if (!header.provenance.source || !existsSync(source)) {
    console.error(`${src}: its source is not in demo/models/sources; no JPEG`);
    continue;
  }
  const picture = await readRgb8(source);
  let best: Awaited<ReturnType<typeof encodeAt>> | undefined;
  for (let q = 100; q >= 1 && !best; q--) {
    const encoded = await encodeAt(picture, 'jpeg', q);
    if (encoded.point.bytes <= inrBytes.length) best = encoded;
  }
  if (!best) throw new Error(`${src}: no JPEG quality fits in ${inrBytes.length} bytes`);
  const out = `models/jpeg/${basename(src, '.inr')}.jpg`;
  writeFileSync(join(DEMO, out), best.bytes);
  const { bytes, bpp, psnr, quality } = best.point;
  manifest[src] = { src: out, bytes, bpp: Number(bpp.toFixed(4)), psnr: Number(psnr.toFixed(3)), quality: quality! };
  console.error(`${src}: ${inrBytes.length} bytes, ${statedPsnr(header)?.toFixed(2)} dB; JPEG q${quality}: ${bytes} bytes, ${psnr.toFixed(2)} dB`);
}
writeFileSync(join(DEMO, 'models/jpeg.json'), `${JSON.stringify(manifest, null, 2)}\n`);
