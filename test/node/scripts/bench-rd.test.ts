import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { encodeAt, psnr8, psnrAtBytes, type RdPoint, readRgb8, type Rgb8 } from '../../../scripts/bench-rd/codecs.js';
import { demoPictures } from '../../../scripts/bench-delivery/pages.js';
import { readInr } from '../../../src/format/index.js';
import { ROOT } from '../fixtures.js';

const point = (bytes: number, psnr: number): RdPoint => ({ codec: 'jpeg', bytes, bpp: 0, psnr });

/** A smooth 64x48 gradient with a little texture. */
function picture(): Rgb8 {
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (x * 3 + y * 2 + c * 40 + ((x * y) % 7) * 5) & 255;
  return { width, height, data };
}

describe('bench:rd: codecs', () => {
  it('PSNR of 8-bit RGB: infinite when equal, 20 log10(255/e) for a uniform error e', () => {
    const a = new Uint8Array([10, 20, 30, 40, 50, 60]);
    assert.equal(psnr8(a, a), Infinity);
    const b = a.map((v) => v + 5);
    assert.ok(Math.abs(psnr8(b, a) - 20 * Math.log10(255 / 5)) < 1e-4);
  });

  it('interpolates a curve at a byte count by its neighbours, null outside it', () => {
    const curve = [point(3000, 30), point(1000, 20), point(2000, 26)];
    assert.equal(psnrAtBytes(curve, 1500), 23);
    assert.equal(psnrAtBytes(curve, 2500), 28);
    assert.equal(psnrAtBytes(curve, 1000), 20);
    assert.equal(psnrAtBytes(curve, 999), null);
    assert.equal(psnrAtBytes(curve, 3001), null);
  });

  it('encodes and decodes each codec: higher quality, more bytes and more dB', async () => {
    for (const codec of ['jpeg', 'mozjpeg', 'webp'] as const) {
      const low = (await encodeAt(picture(), codec, 10)).point;
      const high = (await encodeAt(picture(), codec, 90)).point;
      assert.ok(high.bytes > low.bytes && high.psnr > low.psnr, `${codec}: q10 ${low.bytes} B ${low.psnr} dB, q90 ${high.bytes} B ${high.psnr} dB`);
      assert.equal(high.bpp, (high.bytes * 8) / (64 * 48));
    }
  });
});

describe("the demo's JPEG of the same bytes (npm run demo:jpeg)", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'demo/models/jpeg.json'), 'utf8')) as Record<string, { src: string; bytes: number; psnr: number }>;
  const pictures = demoPictures(readFileSync(join(ROOT, 'demo/index.html'), 'utf8'));

  it('exists for every picture the project trained, no larger than the .inr, at the PSNR it states', async () => {
    for (const src of pictures) {
      const inrBytes = readFileSync(join(ROOT, 'demo', src));
      const { provenance } = readInr(new Uint8Array(inrBytes)).header;
      if (provenance.method !== 'asmr-train') continue;
      const entry = manifest[src];
      assert.ok(entry, `${src} has no JPEG`);
      const jpg = readFileSync(join(ROOT, 'demo', entry.src));
      assert.equal(jpg.length, entry.bytes);
      assert.ok(entry.bytes <= inrBytes.length, `${src}: JPEG ${entry.bytes} bytes, .inr ${inrBytes.length}`);
      const source = await readRgb8(join(ROOT, 'demo/models/sources', String(provenance.source)));
      // Decoded by libjpeg-turbo (sharp), as Chromium decodes it.
      const psnr = psnr8(await sharp(jpg).removeAlpha().raw().toBuffer(), source.data);
      assert.ok(Math.abs(psnr - entry.psnr) < 0.001, `${src}: JPEG ${psnr} dB, manifest ${entry.psnr}`);
    }
  });
});
