import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { modelFromInr, readInr } from '../../../src/format/index.js';
import { readTrainInput } from '../../../packages/inrstream-cli/src/media/node-input.js';
import { decodeShared } from '../../../src/model/index.js';
import { psnrOf } from '../../../src/train/encode.js';
import { ROOT } from '../fixtures.js';

describe('the shipped video clip (demo/models/cockatoo16x180x320.inr)', () => {
  it('is 2 time segments that decode, one after the other, to its source at the PSNR its header states', async () => {
    const file = readInr(new Uint8Array(readFileSync(join(ROOT, 'demo/models/cockatoo16x180x320.inr'))));
    const { signal, fps } = await readTrainInput(join(ROOT, 'demo/models/sources/cockatoo16x180x320.y4m'));
    assert.deepEqual(file.header.shape, [16, 180, 320]);
    assert.equal(file.header.fps, fps);
    assert.deepEqual(
      file.header.segments!.map((s) => [s.frameStart, s.frameCount]),
      [
        [0, 8],
        [8, 8],
      ],
    );
    const out = new Float32Array(signal.data.length);
    let at = 0;
    for (let k = 0; k < 2; k++) {
      const values = decodeShared(modelFromInr(file, k));
      out.set(values, at);
      at += values.length;
    }
    const psnr = psnrOf(out, signal.data);
    assert.ok(Math.abs(psnr - (file.header.provenance.psnr as number)) < 0.002, `decoded ${psnr} dB, header ${file.header.provenance.psnr}`);
  });
});
