import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../../packages/inrstream-cli/src/cli/run.js';
import { InrTrainError } from '../../../src/util/errors.js';
import { modelFromInr, readInr, segmentOfFrame } from '../../../src/format/index.js';
import { decodeY4m } from '../../../packages/inrstream-cli/src/media/y4m.js';
import { decodeShared } from '../../../src/model/shared.js';
import { psnrOf } from '../../../src/train/encode.js';
import { joinFrames, splitFrames } from '../../../src/train/segments.js';
import { y4mClip } from '../y4m-clip.js';

/** A clip whose luma pattern moves with t. */
const y4m = (frames: number, w: number, h: number) => y4mClip(frames, w, h, 30, (t, x, y) => 40 + ((x * 9 + t * 20 + y * 5) % 160));

describe('video segments in the trainer', () => {
  it('splitFrames cuts a clip into equal runs of frames and joinFrames puts them back', () => {
    const signal = { shape: [6, 2, 3], channels: 1, data: Float32Array.from({ length: 36 }, (_, i) => i / 36) };
    const parts = splitFrames(signal, 2);
    assert.equal(parts.length, 3);
    assert.deepEqual(parts[1]!.shape, [2, 2, 3]);
    assert.equal(parts[1]!.data[0], signal.data[12]);
    assert.deepEqual(joinFrames(parts), signal);
  });

  it('a frame count that does not divide, or a still image, is a typed training error', () => {
    const clip = { shape: [5, 2, 2], channels: 1, data: new Float32Array(20) };
    assert.throws(
      () => splitFrames(clip, 2),
      (e: unknown) => e instanceof InrTrainError && /5 frames/.test(e.message),
    );
    assert.throws(() => splitFrames({ shape: [4, 4], channels: 1, data: new Float32Array(16) }, 2), InrTrainError);
  });

  it('train --segment-frames writes one .inr with a model per segment and the PSNR of the whole clip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inrstream-video-'));
    try {
      const input = join(dir, 'clip.y4m');
      const output = join(dir, 'clip.inr');
      writeFileSync(input, y4m(8, 16, 8));
      const lines: string[] = [];
      const code = await run(
        [
          'train',
          input,
          '-o',
          output,
          '--segment-frames',
          '4',
          '--bases',
          '2,2;2,4;4,4',
          '--hidden',
          '8',
          '--iters',
          '20',
          '--lr',
          '1e-3',
          '--eval-every',
          '10',
          '--json',
        ],
        (s) => lines.push(s) > 0,
      );
      assert.equal(code, 0);
      const summary = JSON.parse(lines.join('\n'));
      assert.deepEqual(summary.shape, [8, 8, 16]);
      assert.equal(summary.segments.length, 2);
      const file = readInr(readFileSync(output));
      assert.deepEqual(
        file.header.segments!.map((s) => [s.frameStart, s.frameCount]),
        [
          [0, 4],
          [4, 4],
        ],
      );
      assert.equal(segmentOfFrame(file.header, 5), 1);
      // The header's PSNR is that of the stored weights over every frame, segment after segment.
      const decoded = [0, 1].map((k) => decodeShared(modelFromInr(file, k)));
      const all = new Float32Array(decoded[0]!.length * 2);
      all.set(decoded[0]!);
      all.set(decoded[1]!, decoded[0]!.length);
      const psnr = psnrOf(all, decodeY4m(readFileSync(input)).signal.data);
      assert.equal(file.header.provenance.psnr, Math.floor(psnr * 1000) / 1000);
      assert.equal(file.header.provenance.segmentFrames, 4);
      assert.equal(summary.finalPsnr, psnr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--segment-frames on a still image is a usage error (exit 2)', async () => {
    const errs: string[] = [];
    const code = await run(
      ['train', 'demo/models/sources/astronaut128.png', '-o', '/tmp/never.inr', '--segment-frames', '2'],
      () => true,
      (s) => errs.push(s) > 0,
    );
    assert.equal(code, 2);
    assert.match(errs.join('\n'), /--segment-frames needs a clip/);
  });
});
