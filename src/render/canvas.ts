import { decodeShared } from '../model/shared.js';
import type { AsmrModel, AsmrSpec, Region } from '../model/types.js';
import { toRgba8 } from './rgba.js';
import { InrDrawError } from '../util/errors.js';

export interface FrameOptions {
  /** Frame index of a video (3-axis) model; 0 by default. */
  frame?: number;
  /** Display range of the decoded values (the file's `outputRange`); [0, 1] by default. */
  outputRange?: readonly [number, number];
}

/** The 2-D region of one picture: the whole image, or one frame of a video. */
export function frameRegion(spec: AsmrSpec, frame = 0): Region {
  const shape = spec.shape;
  if (shape.length === 2) return { start: [0, 0], size: [shape[0]!, shape[1]!] };
  if (shape.length === 3 && Number.isInteger(frame) && frame >= 0 && frame < shape[0]!) {
    return { start: [frame, 0, 0], size: [1, shape[1]!, shape[2]!] };
  }
  throw new RangeError(shape.length === 3 ? `frame ${frame} is outside 0..${shape[0]! - 1}` : 'a 1-axis signal is not a picture');
}

/** Decodes one picture with the plain-TypeScript shared evaluator into RGBA8 pixels. */
export function decodeToImageData(model: AsmrModel, opts: FrameOptions = {}): ImageData {
  const region = frameRegion(model.spec, opts.frame);
  const [height, width] = region.size.slice(-2) as [number, number];
  const rgba = toRgba8(decodeShared(model, region), model.spec.channels, opts.outputRange);
  return new ImageData(rgba, width, height);
}

/** Sizes the canvas to the picture and puts it there. */
export function putPicture(canvas: HTMLCanvasElement | OffscreenCanvas, image: ImageData): void {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new InrDrawError('no-context', 'the canvas has no 2d context (it has another kind, or the browser refused one)');
  canvas.width = image.width;
  canvas.height = image.height;
  ctx.putImageData(image, 0, 0);
}

/** Decodes one picture with the plain-TypeScript decoder and draws it, sizing the canvas. */
export function drawModel(canvas: HTMLCanvasElement | OffscreenCanvas, model: AsmrModel, opts: FrameOptions = {}): void {
  putPicture(canvas, decodeToImageData(model, opts));
}
