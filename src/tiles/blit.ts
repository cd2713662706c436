/**
 * Copies a tile's samples into the output of the region that contains it. Both are row-major
 * over their boxes (outermost axis first) with `lanes` values per sample; rows along the
 * innermost axis are contiguous, so each is one typed-array copy (which also converts: a
 * Float32Array row into a Uint8ClampedArray clamps and rounds half to even, as toRgba8 does).
 */
import type { Region } from '../model/types.js';

type Lanes = Float32Array | Uint8ClampedArray;

export function blitTile(dst: Lanes, region: Region, src: Float32Array, tile: Region, lanes: number): void {
  const d = region.size.length;
  const rowLength = tile.size[d - 1]! * lanes;
  const rows = tile.size.slice(0, d - 1).reduce((n, s) => n * s, 1);
  const offset = new Array<number>(d - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let at = 0;
    for (let a = 0; a < d; a++) {
      const local = tile.start[a]! - region.start[a]! + (a < d - 1 ? offset[a]! : 0);
      at = at * region.size[a]! + local;
    }
    dst.set(src.subarray(r * rowLength, (r + 1) * rowLength), at * lanes);
    for (let a = d - 2; a >= 0 && ++offset[a]! === tile.size[a]; a--) offset[a] = 0;
  }
}

/** The first `channels` of every 4-lane sample: [n, 4] -> [n, channels]. */
export function dropLanes(src: Float32Array, channels: number): Float32Array {
  if (channels === 4) return src;
  const n = src.length / 4;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = src[i * 4 + c]!;
  return out;
}

/** Canvas pixels: a rectangle from (x, y), `width` x `height`. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The pixels of a `canvasWidth` x `canvasHeight` canvas that a tile covers: `width` x `height`
 * samples of `blockSize` ([y, x]) pixels each, its sample (0, 0) at pixel (x, y); clipped to the
 * canvas, as a 2-D canvas clips a scaled drawImage.
 */
export function tileRect(
  x: number,
  y: number,
  width: number,
  height: number,
  blockSize: [number, number],
  canvasWidth: number,
  canvasHeight: number,
): PixelRect {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(canvasWidth, x + width * blockSize[1]);
  const y1 = Math.min(canvasHeight, y + height * blockSize[0]);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * RGBA8 of the pixels `rect` covers, from a tile of `width` samples a row whose sample (0, 0)
 * is at pixel (x, y) and each sample `blockSize` pixels (nearest neighbour: every pixel of a
 * block is its sample).
 */
export function scaleRgba(
  rgba: Uint8ClampedArray,
  width: number,
  x: number,
  y: number,
  blockSize: [number, number],
  rect: PixelRect,
): Uint8ClampedArray<ArrayBuffer> {
  const src = new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.length / 4);
  const out = new Uint32Array(rect.width * rect.height);
  for (let r = 0; r < rect.height; r++) {
    const row = Math.floor((rect.y + r - y) / blockSize[0]) * width;
    for (let c = 0; c < rect.width; c++) out[r * rect.width + c] = src[row + Math.floor((rect.x + c - x) / blockSize[1])]!;
  }
  return new Uint8ClampedArray(out.buffer);
}
