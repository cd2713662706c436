/** Pictures from the engine: one image or video frame as ImageData, an ImageBitmap, or on a canvas. */
import { frameRegion, putPicture } from './canvas.js';
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

export async function decodeImageBitmap(engine: DecodeEngine, model: EngineModel, opts: PictureOptions = {}): Promise<ImageBitmap> {
  return createImageBitmap(await decodeImageData(engine, model, opts));
}

/** Sizes the canvas to the picture and draws it; the canvas keeps its old pixels if decoding fails. */
export async function drawWithEngine(engine: DecodeEngine, model: EngineModel, canvas: HTMLCanvasElement | OffscreenCanvas, opts: PictureOptions = {}): Promise<void> {
  putPicture(canvas, await decodeImageData(engine, model, opts));
}
