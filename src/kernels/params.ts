/**
 * What the fused last-level kernels need for one tile, identical on every backend. Geometry is
 * padded to 3 axes (leading axes of size 1, base 1) so one index formula serves images, video
 * and audio.
 */
import type { PrefixRange } from '../model/digits.js';
import type { Region } from '../model/types.js';

type Vec3 = [number, number, number];

/** `raw`: unclamped values, channels padded to 4. `display`: the toRgba8 mapping, clamped to 0..255. */
export type OutputMode = 'raw' | 'display';

export interface LastLevelParams {
  tileStart: Vec3;
  tileSize: Vec3;
  /** The tile's level-(L-2) grid: first prefix and count per axis (rows of the parent table). */
  parentLo: Vec3;
  parentCount: Vec3;
  /** bases[.][L-1]: a sample's parent is floor(x / base), its digit x mod base. */
  lastBase: Vec3;
  samples: number;
  /** Hidden width of the last sine layer, padded to a multiple of 4, over 4. */
  hidden4: number;
  omega: number;
  bias: [number, number, number, number];
  channels: number;
  mode: OutputMode;
  /** Display mapping: (y - lo) * scale. */
  lo: number;
  scale: number;
}

function pad3(values: number[], fill: number): Vec3 {
  const out = [fill, fill, fill];
  values.forEach((v, i) => (out[3 - values.length + i] = v));
  return out as Vec3;
}

export function tileGeometry(
  tile: Region,
  parentGrid: readonly PrefixRange[],
  lastBases: number[],
): Pick<LastLevelParams, 'tileStart' | 'tileSize' | 'parentLo' | 'parentCount' | 'lastBase' | 'samples'> {
  return {
    tileStart: pad3(tile.start, 0),
    tileSize: pad3(tile.size, 1),
    parentLo: pad3(
      parentGrid.map((r) => r.lo),
      0,
    ),
    parentCount: pad3(
      parentGrid.map((r) => r.count),
      1,
    ),
    lastBase: pad3(lastBases, 1),
    samples: tile.size.reduce((n, s) => n * s, 1),
  };
}
