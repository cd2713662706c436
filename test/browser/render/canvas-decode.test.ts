import { expect } from 'chai';
import { decodeShared } from '../../../src/model/shared.js';
import { decodeToImageData, type FrameOptions } from '../../../src/render/canvas.js';
import type { AsmrModel } from '../../../src/model/types.js';
import { maxAbsDiffAtSample } from '../../shared/reference-sample.js';
import { loadReferenceFixture } from '../fixtures.js';

const to8bit = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);

/** The plain decoder's picture put on a canvas sized to it, as a page would. */
function drawModel(canvas: HTMLCanvasElement | OffscreenCanvas, model: AsmrModel, opts: FrameOptions = {}): void {
  const image = decodeToImageData(model, opts);
  canvas.width = image.width;
  canvas.height = image.height;
  (canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D).putImageData(image, 0, 0);
}

describe('plain decoder drawing into a canvas', () => {
  it('astronaut fixture: canvas pixels are the reference decode, within one 8-bit level', async () => {
    const { model, sample } = await loadReferenceFixture('astronaut512_L4_h64');
    const canvas = document.createElement('canvas');
    drawModel(canvas, model);
    expect([canvas.width, canvas.height]).to.deep.equal([512, 512]);
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, 512, 512).data;
    let worst = 0;
    sample.indices.forEach((idx, k) => {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(pixels[idx * 4 + c]! - to8bit(sample.decode[k * 3 + c]!)));
      expect(pixels[idx * 4 + 3]).to.equal(255);
    });
    expect(worst).to.be.at.most(1);
  });

  it('video fixture: each drawn frame matches the reference decode for that frame', async () => {
    const { model, sample } = await loadReferenceFixture('pan12x96x128_L4_h64');
    expect(maxAbsDiffAtSample(decodeShared(model), sample)).to.be.at.most(1e-3);
    const canvas = new OffscreenCanvas(1, 1);
    const frameSize = 96 * 128;
    for (const frame of [0, 7, 11]) {
      drawModel(canvas, model, { frame });
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, 128, 96).data;
      let checked = 0;
      sample.indices.forEach((idx, k) => {
        if (Math.floor(idx / frameSize) !== frame) return;
        const p = idx % frameSize;
        for (let c = 0; c < 3; c++) expect(Math.abs(pixels[p * 4 + c]! - to8bit(sample.decode[k * 3 + c]!))).to.be.at.most(1);
        checked++;
      });
      expect(checked).to.be.greaterThan(100);
    }
  });
});
