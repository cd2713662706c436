import { decodeShared } from '../model/shared.js';
import type { AsmrModel, AsmrSpec, Region } from '../model/types.js';
import { InrDrawError } from '../util/errors.js';
import { toRgba8 } from './rgba.js';

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

/**
 * The largest canvas every current browser shows: 32767 pixels a side and 16384 x 16384 in all
 * (Chromium's and Safari's area limit). Past it a canvas stays blank without an error, so a
 * larger picture is refused before anything is sized or drawn.
 */
const MAX_CANVAS_SIDE = 32767;
const MAX_CANVAS_AREA = 16384 * 16384;

export function checkCanvasSize(width: number, height: number): void {
  if (width > MAX_CANVAS_SIDE || height > MAX_CANVAS_SIDE || width * height > MAX_CANVAS_AREA) {
    throw new InrDrawError(
      'too-large',
      `a ${width}x${height} picture is larger than a browser canvas can show (at most ${MAX_CANVAS_SIDE} pixels a side and ${MAX_CANVAS_AREA} in all)`,
    );
  }
}
