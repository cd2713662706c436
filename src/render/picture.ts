/**
 * The one-shot decode: one image or video frame as ImageData through the engine. (Progressive,
 * budgeted drawing is the runtime's `render`; the plain-TypeScript decode is `decodeToImageData`
 * in inrstream/core.)
 */
import { frameRegion } from './canvas.js';
import type { DecodeEngine, EngineModel } from '../engine/engine.js';

export interface PictureOptions {
  /** Frame of a video (3-axis) model; 0 by default. */
  frame?: number;
}

export async function decodeImageData(engine: DecodeEngine, model: EngineModel, opts: PictureOptions = {}): Promise<ImageData> {
  const region = frameRegion(model.spec, opts.frame);
  const [height, width] = region.size.slice(-2) as [number, number];
  return new ImageData(await engine.decodeRgba(model, region), width, height);
}
