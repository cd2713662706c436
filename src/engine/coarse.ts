/**
 * The coarse levels of one tile with tfjs ops: Z_0 = W_0 c0 + b_0 over the tile's level-0
 * grid, then Z_{l+1} = W_{l+1} sin(w_l (Z_l[parent] + s_l Mod_l[digit])) + b_{l+1}, up to
 * Z_{L-2}, the parent table of the last level. Each Z_l is cached under its level and grid:
 * a tile's level-l grid is one prefix for l up to the tile level, the same for every tile
 * beneath it, so those rows are computed once and shared.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PrefixRange } from '../model/digits.js';
import { gridKey, gridSize, levelZeroCoords, transitionIndices } from '../tiles/grids.js';
import type { ByteLru } from '../tiles/lru.js';
import type { ModelTensors } from './model-tensors.js';
import type { PreparedModel } from './prepared.js';

export interface CoarseContext {
  prepared: PreparedModel;
  tensors: ModelTensors;
  cache: ByteLru<tf.Tensor>;
  /** Distinguishes models sharing the cache. */
  cacheKey: string;
}

/** Z_{L-2} of the tile; `done()` frees it unless the cache holds it. */
export interface ParentTable {
  z: tf.Tensor2D;
  done(): void;
}

function levelZero(ctx: CoarseContext, grid: readonly PrefixRange[]): tf.Tensor2D {
  const bases = ctx.prepared.model.spec.bases;
  const d = grid.length;
  return tf.tidy(() => {
    const c = tf.tensor2d(levelZeroCoords(bases, grid), [gridSize(grid), d]);
    return tf.add(tf.matMul(c, ctx.tensors.weightT[0]!), ctx.tensors.bias[0]!);
  });
}

function nextLevel(ctx: CoarseContext, z: tf.Tensor2D, grids: PrefixRange[][], level: number): tf.Tensor2D {
  const { prepared, tensors } = ctx;
  const { parent, digit } = transitionIndices(prepared.model.spec.bases, grids[level - 1]!, grids[level]!, level);
  const omega = prepared.model.spec.omegas[level - 1]!;
  return tf.tidy(() => {
    const phase = tf.add(tf.gather(z, tf.tensor1d(parent, 'int32')), tf.gather(tensors.mods[level - 1]!, tf.tensor1d(digit, 'int32')));
    const h = tf.sin(tf.mul(phase, tf.scalar(omega)));
    return tf.add(tf.matMul(h, tensors.weightT[level]!), tensors.bias[level]!);
  });
}

/** Z_{L-2} over the tile's level-(L-2) grid, from the deepest cached level down. */
export function parentTable(ctx: CoarseContext, grids: PrefixRange[][]): ParentTable {
  const top = ctx.prepared.levels - 2;
  const key = (l: number): string => `${ctx.cacheKey}|${gridKey(l, grids[l]!)}`;
  let level = top;
  let z = ctx.cache.get(key(level)) as tf.Tensor2D | undefined;
  while (!z && level > 0) z = ctx.cache.get(key(--level)) as tf.Tensor2D | undefined;
  let owned = false;
  const keep = (t: tf.Tensor2D, l: number): void => {
    owned = !ctx.cache.put(key(l), t, t.size * 4);
  };
  if (!z) {
    z = levelZero(ctx, grids[0]!);
    keep(z, 0);
  }
  while (level < top) {
    const next = nextLevel(ctx, z, grids, ++level);
    if (owned) z.dispose();
    z = next;
    keep(z, level);
  }
  const result = z;
  return {
    z: result,
    done: () => {
      if (owned) result.dispose();
    },
  };
}
