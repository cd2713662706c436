import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { randomModel } from '../../../src/model/random.js';
import { BACKENDS, engineOrSkip } from './helpers.js';

/** Tensors and bytes tfjs holds, plus GPU bytes in use where the backend reports them. */
function footprint() {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return { tensors: m.numTensors, bytes: m.numBytes, gpuBytes: m.numBytesInGPU ?? 0 };
}

describe('engine memory', () => {
  for (const name of BACKENDS) {
    it(`${name}: tensor count, GPU memory and the activation cache return to the baseline after a model is released`, async function () {
      const engine = await engineOrSkip(this, name, { maxTileSamples: 256 });
      try {
        const model = randomModel(
          {
            shape: [32, 48],
            bases: [
              [2, 4, 4],
              [4, 3, 4],
            ],
            channels: 3,
            widths: [16, 12],
            omegas: [30, 30],
            modScales: [30, 30],
          },
          5,
        );
        const before = footprint();
        const handle = engine.load(model);
        await engine.decodeRgba(handle);
        await engine.decodeValues(handle, { start: [5, 7], size: [20, 30] });
        const during = footprint();
        if (name === 'webgpu' || name === 'webgl')
          expect(during.tensors, 'weights and cached activations are held while loaded').to.be.greaterThan(before.tensors);
        else expect(during, 'the CPU decoders hold no tfjs tensors').to.deep.equal(before);
        expect(engine.cacheStats.entries).to.be.greaterThan(0);
        engine.release(handle);
        expect(footprint()).to.deep.equal(before);
        expect(engine.cacheStats.bytes).to.equal(0);
      } finally {
        engine.dispose();
      }
    });
  }
});
