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
