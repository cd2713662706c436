/**
 * Tiles on a GPU through tfjs (WebGPU or WebGL): coarse levels with tfjs ops (coarse.ts, cached
 * as tensors), the last level with the backend's fused kernel. This module and tfjs are loaded
 * only when a GPU backend is tried.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { InrBackendError } from '../util/errors.js';
import { describeDevice } from '../backend/device-info.js';
import { watchLoss, type LossWatch } from '../backend/loss.js';
import { activate, instance, provide, recreate } from '../backend/registry.js';
import type { BackendStart } from '../backend/types.js';
import { lastLevelWebGl } from '../kernels/last-level-webgl.js';
import { lastLevelWebGpu } from '../kernels/last-level-webgpu.js';
import type { LastLevelParams, OutputMode } from '../kernels/params.js';
import type { Region } from '../model/types.js';
import { levelGrids } from '../tiles/grids.js';
import { ByteLru } from '../tiles/lru.js';
import { parentTable } from './coarse.js';
import { ModelTensors } from './model-tensors.js';
import { lastLevelParams, singleLevel, type ModelEntry, type TileDecoder, type TileDecoderOptions, type TilePresenter } from './tile-decoder.js';

export type GpuBackendName = 'webgpu' | 'webgl';

provide('webgpu', () => import('@tensorflow/tfjs-backend-webgpu'), 3);
provide('webgl', () => import('@tensorflow/tfjs-backend-webgl'), 2);

const unavailable = (reason: string) => new InrBackendError('backend-unavailable', reason);

/** Starts tfjs's backend `name` (loading its code) and describes its device; throws with the reason if it cannot. */
export async function startGpu(name: GpuBackendName): Promise<BackendStart> {
  if (name === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator))
    throw unavailable('navigator.gpu is absent (no WebGPU in this browser or context)');
  if (name === 'webgpu' && !(await navigator.gpu.requestAdapter())) throw unavailable('navigator.gpu gave no adapter');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(unavailable(`starting ${name} took over 30 s`)), 30000)));
  try {
    if (!(await Promise.race([activate(name), timeout]))) throw unavailable(`tfjs could not initialise the ${name} backend`);
  } finally {
    clearTimeout(timer);
  }
  return describeDevice(name);
}

/** Drops a lost backend's instance so that the next start creates a new one. */
export const recreateGpu = (name: GpuBackendName): void => recreate(name);

export class GpuTileDecoder implements TileDecoder {
  readonly watch: LossWatch;
  private readonly cache: ByteLru<tf.Tensor>;
  private readonly tensors = new Map<string, ModelTensors>();

  constructor(
    readonly backend: GpuBackendName,
    options: TileDecoderOptions,
  ) {
    this.watch = watchLoss(backend);
    this.cache = new ByteLru<tf.Tensor>(options.cacheBytes, (t) => {
      try {
        t.dispose();
      } catch {
        // Freeing on a lost device may fail; the backend is being replaced.
      }
    });
  }

  get cacheStats(): { bytes: number; entries: number; budget: number } {
    return { bytes: this.cache.bytes, entries: this.cache.size, budget: this.cache.budgetBytes };
  }

  async activate(): Promise<void> {
    if (!(await activate(this.backend))) throw new InrBackendError('backend-unavailable', `${this.backend} could not be activated`, 'backend');
  }

  forget(key?: string): void {
    if (key === undefined) this.cache.clear();
    else this.cache.deleteWhere((k) => k.startsWith(`${key}|`));
  }

  release(entry: ModelEntry): void {
    this.forget(entry.key);
    this.tensors.get(entry.key)?.dispose();
    this.tensors.delete(entry.key);
  }

  async decodeTile(entry: ModelEntry, tile: Region, mode: OutputMode): Promise<Float32Array> {
    const out = this.decodeOnGpu(entry, tile, mode);
    if (out instanceof Float32Array) return out;
    try {
      return await this.read(out);
    } finally {
      out.dispose();
    }
  }

  /** A tile's [samples, 4] as a tensor left on the device (the caller disposes it); a one-level model's on the CPU. */
  decodeOnGpu(entry: ModelEntry, tile: Region, mode: OutputMode = 'display'): tf.Tensor | Float32Array {
    const { prepared } = entry;
    if (prepared.levels === 1) return singleLevel(entry, tile, mode);
    let tensors = this.tensors.get(entry.key);
    if (!tensors) {
      tensors = new ModelTensors(prepared);
      this.tensors.set(entry.key, tensors);
    }
    const grids = levelGrids(prepared.strides, tile, prepared.levels);
    const table = parentTable({ prepared, tensors, cache: this.cache, cacheKey: entry.key }, grids);
    try {
      return this.runKernel(tensors, table.z, lastLevelParams(entry, tile, grids, mode));
    } finally {
      table.done();
    }
  }

  /** Its code is loaded here, on first use: a page that decodes on a GPU but draws RGBA8 never loads it. */
  async presenter(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<TilePresenter> {
    return (await import('./gpu-present.js')).gpuPresenter(this.backend, this, canvas);
  }

  private runKernel(tensors: ModelTensors, z: tf.Tensor2D, params: LastLevelParams): tf.Tensor {
    const engine = tf.engine();
    const mod = tensors.mods[tensors.mods.length - 1]!;
    if (this.backend === 'webgpu') {
      const backend = instance('webgpu') as WebGPUBackend;
      return engine.makeTensorFromTensorInfo(lastLevelWebGpu(backend, z, mod, tensors.lastGrouped, params), backend);
    }
    const backend = instance('webgl') as MathBackendWebGL;
    // [rows, 4k] viewed as [rows * 2k, 2]: see kernels/last-level-webgl.ts.
    const pairs = (t: tf.Tensor2D) => tf.reshape(t, [t.size / 2, 2]);
    return tf.tidy(() => engine.makeTensorFromTensorInfo(lastLevelWebGl(backend, pairs(z), pairs(mod), pairs(tensors.lastGrouped), params), backend));
  }

  /** Reads a tensor back, giving up (typed) if the device is lost meanwhile. */
  private async read(t: tf.Tensor): Promise<Float32Array> {
    const lost = this.watch.whenLost.then(() => {
      throw new InrBackendError('device-lost', this.watch.reason, 'backend');
    });
    return (await Promise.race([t.data(), lost])) as Float32Array;
  }
}
