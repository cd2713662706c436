import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { readTrainInput } from '../../../packages/inrstream-cli/src/media/node-input.js';
import { decodeShared } from '../../../src/model/index.js';
import { psnrOf } from '../../../src/train/encode.js';
import { ROOT } from '../fixtures.js';

/** The shipped clips (demo/models/README.md): the tests' clip and the demo page's. */
const CLIPS = [
  { name: 'cockatoo16x180x320', shape: [16, 180, 320], segmentFrames: 8, minPsnr: 20 },
  { name: 'cockatoo60x180x320', shape: [60, 180, 320], segmentFrames: 12, minPsnr: 25 },
];

for (const clip of CLIPS) {
  describe(`the shipped video clip demo/models/${clip.name}.inr`, () => {
    const segments = clip.shape[0]! / clip.segmentFrames;
    it(`is ${segments} time segments that decode, one after the other, to its source at the PSNR its header states`, async () => {
      const file = readInr(new Uint8Array(readFileSync(join(ROOT, `demo/models/${clip.name}.inr`))));
      const { signal, fps } = await readTrainInput(join(ROOT, `demo/models/sources/${clip.name}.y4m`));
      assert.deepEqual(file.header.shape, clip.shape);
      assert.equal(file.header.fps, fps);
      assert.deepEqual(
        file.header.segments!.map((s) => [s.frameStart, s.frameCount]),
        Array.from({ length: segments }, (_, k) => [k * clip.segmentFrames, clip.segmentFrames]),
      );
      const out = new Float32Array(signal.data.length);
      let at = 0;
      for (let k = 0; k < segments; k++) {
        const values = decodeShared(modelFromInr(file, k));
        out.set(values, at);
        at += values.length;
      }
      const psnr = psnrOf(out, signal.data);
      assert.ok(Math.abs(psnr - (file.header.provenance.psnr as number)) < 0.002, `decoded ${psnr} dB, header ${file.header.provenance.psnr}`);
      assert.ok(psnr >= clip.minPsnr, `${psnr} dB`);
    });
  });
}
