/**
 * What the WASM / CPU last level pays per hidden unit, on one 128 x 768 tile of a 256-wide
 * model: a Math.sin per unit (the direct form, written here only as the yardstick), the
 * angle-addition form in plain JavaScript, and the same in the WebAssembly SIMD module.
 */
import { lastLevelJs, lastLevelSimd } from '../../src/kernels/last-level-cpu.js';
import { instantiateSimdRow } from '../../src/kernels/last-level-simd.js';
import type { LastLevelParams } from '../../src/kernels/params.js';
import { mulberry32, fillUniform } from '../../src/model/prng.js';

const HIDDEN4 = 64;
const [ROWS, COLS, B] = [128, 768, 8];
const PARENTS = (ROWS / B) * (COLS / B);

function directSine(z: Float32Array, mod: Float32Array, weight: Float32Array, p: LastLevelParams, out: Float32Array): void {
  const hidden = p.hidden4 * 4;
  for (let y = 0, o = 0; y < ROWS; y++) {
    for (let x = 0; x < COLS; x++, o += 4) {
      const a = (Math.floor(y / B) * (COLS / B) + Math.floor(x / B)) * hidden;
      const m = ((y % B) * B + (x % B)) * hidden;
      let y0 = 0;
      let y1 = 0;
      let y2 = 0;
      let y3 = 0;
      for (let j = 0; j < hidden; j++) {
        const v = Math.sin(p.omega * (z[a + j]! + mod[m + j]!));
        y0 += weight[4 * j]! * v;
        y1 += weight[4 * j + 1]! * v;
        y2 += weight[4 * j + 2]! * v;
        y3 += weight[4 * j + 3]! * v;
      }
      out[o] = y0;
      out[o + 1] = y1;
      out[o + 2] = y2;
      out[o + 3] = y3;
    }
  }
}

/** ns per sample and hidden unit, best of 3, for each form. */
export function sineCost(): Record<string, number> {
  const rng = mulberry32(5);
  const z = fillUniform(rng, new Float32Array(PARENTS * HIDDEN4 * 4), 0.1);
  const mod = fillUniform(rng, new Float32Array(B * B * HIDDEN4 * 4), 0.1);
  const modTrig = fillUniform(rng, new Float32Array(B * B * HIDDEN4 * 8), 1);
  const weight = fillUniform(rng, new Float32Array(HIDDEN4 * 16), 0.1);
  const p: LastLevelParams = {
    tileStart: [0, 0, 0],
    tileSize: [1, ROWS, COLS],
    parentLo: [0, 0, 0],
    parentCount: [1, ROWS / B, COLS / B],
    lastBase: [1, B, B],
    samples: ROWS * COLS,
    hidden4: HIDDEN4,
    omega: 30,
    bias: [0, 0, 0, 0],
    channels: 3,
    mode: 'raw',
    lo: 0,
    scale: 1,
  };
  const out = new Float32Array(p.samples * 4);
  const simd = instantiateSimdRow();
  const forms: Record<string, () => void> = {
    'Math.sin per unit (JS)': () => directSine(z, mod, weight, p, out),
    'angle addition (JS)': () => lastLevelJs(z, modTrig, weight, p, out),
  };
  if (simd) forms['angle addition (WASM SIMD)'] = () => lastLevelSimd(simd, z, modTrig, weight, p, out);
  const result: Record<string, number> = {};
  for (const [name, f] of Object.entries(forms)) {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      f();
      best = Math.min(best, performance.now() - t0);
    }
    result[name] = (best * 1e6) / (p.samples * HIDDEN4 * 4);
  }
  return result;
}
