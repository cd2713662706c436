import { expect } from 'chai';
import { readInr } from '../../../src/format/read.js';
import { modelFromInr } from '../../../src/format/asmr-codec.js';
import { decodeShared } from '../../../src/model/shared.js';
import {
  encodeTrained,
  planModel,
  rgbaToSignal,
  STOP_DEADLINE_MS,
  trainAsmr,
  TrainWorker,
  useBrowserBackend,
  type TrainRequest,
} from '../../../src/train/browser.js';

const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** A 16x16 picture drawn on a canvas, as the demo reads a dropped image. */
function canvasPixels(): ImageData {
  const canvas = new OffscreenCanvas(16, 16);
  const ctx = canvas.getContext('2d')!;
  const grad = ctx.createLinearGradient(0, 0, 16, 16);
  grad.addColorStop(0, '#203080');
  grad.addColorStop(1, '#f0c040');
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, 16, 16);
  return ctx.getImageData(0, 0, 16, 16);
}

describe('browser trainer (src/train/browser.ts)', () => {
  for (const backend of ['wasm', 'webgl'] as const) {
    it(`${backend}: trains a canvas image, previews it, and its .inr decodes to what it trained`, async () => {
      const choice = await useBrowserBackend(WASM_PATH, backend);
      expect(choice.backend).to.equal(backend);
      const pixels = canvasPixels();
      const plan = planModel(rgbaToSignal(pixels.data, 16, 16), { levels: 3, hidden: 32 });
      const previews: number[] = [];
      const r = await trainAsmr(plan.signal, {
        spec: plan.spec,
        iterations: 60,
        lr: 5e-3,
        evalEvery: 30,
        previews: true,
        onProgress: (p) => previews.push(p.output!.length),
      });
      expect(previews).to.deep.equal([768, 768, 768]);
      expect(r.curve.at(-1)!.psnr).to.be.greaterThan(r.curve[0]!.psnr + 3);
      const { bytes, psnr } = encodeTrained(r.model, plan.signal, { kind: 'image' }, { teacher: 'int' }, 'f32');
      const file = readInr(bytes);
      expect(file.header.provenance!.teacher).to.equal('int');
      expect(Math.abs(psnr - r.finalPsnr)).to.be.below(0.01);
      const decoded = decodeShared(modelFromInr(file));
      let worst = 0;
      decoded.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - r.output[i]!))));
      expect(worst).to.be.below(1e-4);
    });
  }

  describe('TrainWorker (src/train/worker-client.ts)', () => {
    const request = (): TrainRequest => {
      const pixels = canvasPixels();
      return {
        pixels: { data: pixels.data, width: 16, height: 16 },
        levels: 3,
        hidden: 8,
        iterations: 10,
        lr: 1e-3,
        teacher: 'int',
        evalEvery: 5,
        backend: 'wasm',
        wasmPath: WASM_PATH,
        source: 'test',
      };
    };

    it('a worker whose script is missing fails its run with a typed error, and is not reused', async () => {
      const trainer = new TrainWorker('/no-such-train-worker.mjs');
      for (let k = 0; k < 2; k++) {
        const error = await trainer
          .train(request(), () => undefined)
          .then(
            () => null,
            (e: unknown) => e as { code?: string },
          );
        expect(error?.code).to.equal('worker-lost');
      }
    });

    it('Stop on a worker that does not answer terminates it within the deadline', async () => {
      // A module worker that takes every message and never replies.
      const url = URL.createObjectURL(new Blob(['self.onmessage = () => {};'], { type: 'text/javascript' }));
      const trainer = new TrainWorker(url);
      const run = trainer.train(request(), () => undefined);
      await new Promise((r) => setTimeout(r, 100));
      const asked = performance.now();
      await trainer.stop();
      expect(await run).to.deep.equal({ stopped: true });
      expect(performance.now() - asked).to.be.below(STOP_DEADLINE_MS + 250);
      URL.revokeObjectURL(url);
    });
  });
});
