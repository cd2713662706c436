import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendChange } from '../../../src/engine/index.js';
import { decodeOracle } from '../../../src/model/oracle.js';
import { randomModel } from '../../../src/model/random.js';
import { engineOrSkip, maxAbsDiff } from './helpers.js';

const MODEL = randomModel(
  {
    shape: [24, 32],
    bases: [
      [2, 3, 4],
      [4, 2, 4],
    ],
    channels: 3,
    widths: [16, 16],
    omegas: [30, 30],
    modScales: [30, 30],
  },
  11,
);

/** Loses the device under a running engine, then checks the next decode is right and announced. */
async function survivesLoss(ctx: Mocha.Context, name: 'webgl' | 'webgpu', lose: () => void): Promise<void> {
  const engine = await engineOrSkip(ctx, name);
  try {
    const handle = engine.load(MODEL);
    const oracle = decodeOracle(MODEL);
    expect(maxAbsDiff(await engine.decodeValues(handle), oracle)).to.be.at.most(2e-3);
    const changes: BackendChange[] = [];
    engine.addEventListener('backendchange', (e) => changes.push(e.detail));
    lose();
    // Give the loss notification (an event, or device.lost) a chance to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(maxAbsDiff(await engine.decodeValues(handle), oracle)).to.be.at.most(2e-3);
    expect(changes).to.have.length(1);
    expect(changes[0]!.from).to.equal(name);
    expect(changes[0]!.reason).to.match(name === 'webgl' ? /WebGL context lost/ : /WebGPU device lost/);
    console.log(`${name} loss: ${changes[0]!.report.reason}, now on ${engine.backend}`);
    expect(engine.report.reason).to.match(/re-created after|fell back after/);
    // The new backend's pixels are not blank: RGBA8 matches the oracle too.
    const rgba = await engine.decodeRgba(handle);
    expect(rgba.some((v, i) => i % 4 !== 3 && v > 0)).to.equal(true);
  } finally {
    engine.dispose();
  }
}

describe('device loss', () => {
  it('WebGL context loss: the context is re-created (or another backend takes over) and decodes stay right', async function () {
    await survivesLoss(this, 'webgl', () => {
      const gl = (tf.engine().registry.webgl as MathBackendWebGL).gpgpu.gl;
      gl.getExtension('WEBGL_lose_context')!.loseContext();
    });
  });

  it('WebGPU device loss: the device is re-created (or another backend takes over) and decodes stay right', async function () {
    await survivesLoss(this, 'webgpu', () => (tf.engine().registry.webgpu as WebGPUBackend).device.destroy());
  });
});
