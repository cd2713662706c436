/** Model shapes that more than one benchmark decodes. */
import type { AsmrSpec } from '../../src/model/types.js';

/** Kodak-sized: 768 x 512, 4 levels, 256 wide (the task's benchmark model). */
export const KODAK: AsmrSpec = {
  shape: [512, 768],
  bases: [
    [4, 4, 4, 8],
    [4, 4, 6, 8],
  ],
  channels: 3,
  widths: [256, 256, 256],
  omegas: [30, 30, 30],
  modScales: [30, 30, 30],
};
