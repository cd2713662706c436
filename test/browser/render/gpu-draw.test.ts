/**
 * A render decoded on this thread's GPU backend is drawn by the engine on the canvas from the
 * GPU (docs/ENGINE.md, "Drawing on the GPU"): no tile is read back, and the picture, read from
 * the canvas, is the CPU path's within one level per channel.
 */
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { InrBackendError } from '../../../src/util/errors.js';
import { createRuntime } from '../../../src/runtime.js';
import { renderProgressive } from '../../../src/render/render-job.js';
import { CanvasDrawer } from '../../../src/render/canvas-drawer.js';
import { toRgba8 } from '../../../src/render/rgba.js';
import { decodeShared } from '../../../src/model/shared.js';
import { previewModel, previewRegion } from '../../../src/model/preview.js';
import { engineOn, maxAbsDiff } from '../engine/helpers.js';
import { loadReferenceFixture } from '../fixtures.js';

const MODEL = '/demo/models/astronaut512.inr';

/**
 * Counts the active tfjs backend's reads of data that is on the GPU (every `data()` and
 * `dataSync()` goes through `read` / `readSync`; tfjs's WebGL backend also reads small tensors
 * that it keeps on the CPU, the coarse levels' gather indices, which cross no bus).
 */
function countReads(): { count: () => number; restore: () => void } {
  type Storage = { get(id: unknown): { values?: unknown } | undefined };
  const backend = tf.backend() as unknown as Record<'read' | 'readSync', (id: unknown) => unknown> & { texData?: Storage; tensorMap?: Storage };
  const storage = (backend.texData ?? backend.tensorMap)!;
  let n = 0;
  const originals = { read: backend.read, readSync: backend.readSync };
  for (const name of ['read', 'readSync'] as const) {
    const original = originals[name];
    backend[name] = (id: unknown) => {
      if (storage.get(id)?.values == null) n++;
      return original.call(backend, id);
    };
  }
  return {
    count: () => n,
    restore: () => Object.assign(backend, originals),
  };
}

/** What a canvas shows, as a 2-D canvas draws it. */
function shown(canvas: HTMLCanvasElement): ImageData {
  const copy = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
  copy.drawImage(canvas, 0, 0);
  return copy.getImageData(0, 0, canvas.width, canvas.height);
}

describe('drawing on the GPU (this thread)', () => {
  for (const backend of ['webgl', 'webgpu'] as const) {
    it(`${backend}: tiles are drawn from the GPU, never read back, and the canvas is the CPU path's picture`, async function () {
      this.timeout(120000);
      const rt = createRuntime({ backend, workers: false, drawWorkerUrl: false });
      try {
        try {
          await rt.backend();
        } catch (e) {
          if (!(e instanceof InrBackendError)) throw e;
          console.warn(`skipped: ${backend} does not start here (${e.message})`);
          this.skip();
        }
        const loaded = await rt.load(MODEL);
        const canvas = document.createElement('canvas');
        const reads = countReads();
        const levels = new Set<number>();
        let stats;
        let canvasPixels: ImageData;
        try {
          // A budget small enough for many tiles, previews decoded on the GPU too.
          const job = rt.render(loaded, canvas, { budget: 2e6 });
          job.addEventListener('progress', (e) => levels.add(e.detail.level));
          stats = await job.done;
          // Read as the page shows it, in the task that presented the last frame.
          canvasPixels = shown(canvas);
          expect(reads.count(), 'readbacks during the render').to.equal(0);
          const pixels = await job.pixels();
          const cpu = renderProgressive(loaded.model, new OffscreenCanvas(1, 1), { budget: 1e12, outputRange: loaded.header.outputRange ?? [0, 1] });
          await cpu.done;
          const expected = (await cpu.pixels()).data;
          expect([pixels.width, pixels.height]).to.deep.equal([512, 512]);
          expect(maxAbsDiff(pixels.data, expected), 'pixels()').to.be.at.most(1);
          expect(maxAbsDiff(canvasPixels.data, expected), 'the canvas as shown').to.be.at.most(1);
        } finally {
          reads.restore();
        }
        expect(stats.drawing).to.deep.equal({
          where: 'main-thread',
          reason: `drawn on the GPU by this thread's ${backend} decoder, its tiles never read back`,
        });
        expect(levels.size, 'passes drawn').to.be.greaterThan(1);
      } finally {
        rt.dispose();
      }
    });
  }

  for (const backend of ['webgl', 'webgpu'] as const) {
    it(`${backend}: a preview decoded on the GPU is scaled up by its block size as a 2-D canvas scales it`, async function () {
      this.timeout(120000);
      const engine = await engineOn(backend);
      if (typeof engine === 'string') {
        console.warn(`skipped: ${backend} does not start here (${engine})`);
        this.skip();
      }
      try {
        const { model } = await loadReferenceFixture('astronaut512_L4_h64');
        const preview = previewModel(model, 1);
        const region = previewRegion(preview, { start: [0, 0], size: [512, 512] });
        const [h, w] = region.size as [number, number];
        const blockSize = preview.blockSize.slice(-2) as [number, number];
        // A tile whose blocks run past the canvas's right and bottom edges, clipped as drawImage clips.
        const [width, height] = [w * blockSize[1] - 5, h * blockSize[0] - 3];
        const at: [number, number] = [0, 0];
        const canvas = new OffscreenCanvas(1, 1);
        const presenter = await engine.presenter(canvas);
        presenter.begin(width, height);
        await presenter.draw(engine.load(preview.model), region, at, blockSize);
        const cpu = new CanvasDrawer(new OffscreenCanvas(1, 1));
        cpu.begin(width, height, [0, 0]);
        cpu.draw(toRgba8(decodeShared(preview.model, region), preview.model.spec.channels), w, h, [0, 0], blockSize);
        expect(maxAbsDiff((await presenter.pixels()).data, (await cpu.pixels()).data)).to.be.at.most(1);
        presenter.dispose();
      } finally {
        engine.dispose();
      }
    });
  }
});
