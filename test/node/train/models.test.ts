import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { readTrainInput } from '../../../packages/inrstream-cli/src/media/node-input.js';
import { decodeShared } from '../../../src/model/index.js';
import { psnrOf } from '../../../src/train/encode.js';
import { ROOT } from '../fixtures.js';

const MODELS = join(ROOT, 'demo/models');

/** The models trained with `inrstream train` and shipped with the demo (demo/models/README.md). */
const SHIPPED = [
  { file: 'astronaut128.inr', source: 'sources/astronaut128.png', minPsnr: 30 },
  { file: 'kodim02.inr', source: 'sources/kodim02_192x128.png', minPsnr: 30 },
  { file: 'kodim07.inr', source: 'sources/kodim07_192x128.png', minPsnr: 30 },
  { file: 'cockatoo8x72x128.inr', source: 'sources/cockatoo8x72x128.y4m', minPsnr: 26 },
  // The demo page's full-size pictures (0.3 bits per pixel, bench:rd's models, docs/RD.md).
  { file: 'kodim02-768x512.inr', source: 'sources/kodim02.png', minPsnr: 27.3 },
  { file: 'kodim07-768x512.inr', source: 'sources/kodim07.png', minPsnr: 24.8 },
  { file: 'astronaut-512x512.inr', source: 'sources/astronaut.png', minPsnr: 22 },
];

describe('shipped trained models (demo/models)', () => {
  for (const m of SHIPPED) {
    it(`${m.file}: decodes to its source at the PSNR its header states`, async () => {
      const file = readInr(new Uint8Array(readFileSync(join(MODELS, m.file))));
      const p = file.header.provenance!;
      assert.equal(p.method, 'asmr-train');
      assert.equal(p.teacher, 'int');
      const { signal } = await readTrainInput(join(MODELS, m.source));
      assert.deepEqual(file.header.shape, signal.shape);
      const psnr = psnrOf(decodeShared(modelFromInr(file)), signal.data);
      assert.ok(Math.abs(psnr - (p.psnr as number)) < 0.002, `decoded ${psnr} dB, header ${p.psnr}`);
      assert.ok(psnr >= m.minPsnr, `${psnr} dB`);
    });
  }
});
