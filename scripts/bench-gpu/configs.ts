/** The configurations bench:gpu decodes (random weights: the speed and the parity do not depend on them). */
import type { AsmrSpec } from '../../src/model/types.js';
import { KODAK } from '../lib/bench-models.js';

export interface GpuConfig {
  name: string;
  spec: AsmrSpec;
  /** The engine's largest tile in samples; absent: the engine's default. */
  maxTileSamples?: number;
  /** Run only when named with --config (the test's quick check). */
  onlyOnRequest?: boolean;
}

/** 1920 x 1080, 5 levels x 128: 5*3*3*3*8 = 1080 rows, 5*4*4*3*8 = 1920 columns. */
const FULL_HD: AsmrSpec = {
  shape: [1080, 1920],
  bases: [
    [5, 3, 3, 3, 8],
    [5, 4, 4, 3, 8],
  ],
  channels: 3,
  widths: [128, 128, 128, 128],
  omegas: [30, 30, 30, 30],
  modScales: [30, 30, 30, 30],
};

/** 48 x 64, 3 levels x 32: seconds on a software adapter, for the test. */
const TINY: AsmrSpec = {
  shape: [48, 64],
  bases: [
    [2, 3, 8],
    [2, 4, 8],
  ],
  channels: 3,
  widths: [32, 32],
  omegas: [30, 30],
  modScales: [30, 30],
};

export const GPU_CONFIGS: GpuConfig[] = [
  { name: 'kodak', spec: KODAK },
  { name: '1080p', spec: FULL_HD },
  // The engine's default tile (2^20 samples) cuts 1080p into 25 tiles, each read back on its
  // own; one tile for the whole frame shows what the tiling costs.
  { name: '1080p-one-tile', spec: FULL_HD, maxTileSamples: 1920 * 1080 },
  { name: 'tiny', spec: TINY, onlyOnRequest: true },
];
