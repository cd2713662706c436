/**
 * Decodes regions tile by tile on one backend: coarse levels with tfjs ops (cached), the last
 * level with the backend's fused kernel, results copied into the region's output. Nothing
 * larger than one tile's samples x 4 (or its parent table) exists at a time.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { InrBackendError } from '../util/errors.js';
import type { LossWatch } from '../backend/loss.js';
import { instance } from '../backend/registry.js';
import type { BackendName } from '../backend/types.js';
import { lastLevelJs, lastLevelSimd, writeDisplay } from '../kernels/last-level-cpu.js';
import { instantiateSimdRow, type SimdRow } from '../kernels/last-level-simd.js';
import { lastLevelWebGl } from '../kernels/last-level-webgl.js';
import { lastLevelWebGpu } from '../kernels/last-level-webgpu.js';
import { tileGeometry } from '../kernels/params.js';
import type { LastLevelParams, OutputMode } from '../kernels/params.js';
import { regionSize } from '../model/digits.js';
import { decodeShared } from '../model/shared.js';
import type { Region } from '../model/types.js';
import { blitTile, dropLanes } from '../tiles/blit.js';
import { levelGrids } from '../tiles/grids.js';
import { ByteLru } from '../tiles/lru.js';
import { planTiles } from '../tiles/tiler.js';
import { parentTable } from './coarse.js';
import { ModelTensors } from './model-tensors.js';
import type { PreparedModel } from './prepared.js';

/** A loaded model as the decoder sees it. `tensors` live on the decoder's backend. */
export interface ModelEntry {
  key: string;
  prepared: PreparedModel;
  outputRange: [number, number];
  tensors: ModelTensors | undefined;
}

export interface TileDecoderOptions {
  cacheBytes: number;
  maxTileSamples: number;
  /** WASM / CPU last level: the SIMD module where WebAssembly SIMD exists (default), or plain JS. */
  cpuKernel?: 'simd' | 'js';
}

export class TileDecoder {
  readonly cache: ByteLru<tf.Tensor>;
  private readonly simd: SimdRow | null;

  constructor(
    readonly backend: BackendName,
    readonly watch: LossWatch,
    readonly options: TileDecoderOptions,
  ) {
    this.simd = options.cpuKernel === 'js' || backend === 'webgpu' || backend === 'webgl' ? null : instantiateSimdRow();
    this.cache = new ByteLru<tf.Tensor>(options.cacheBytes, (t) => {
      try {
        t.dispose();
      } catch {
        // Freeing on a lost device may fail; the backend is being replaced.
      }
    });
  }

  /** [samples, channels] float32, unclamped: the layout of decodeShared. */
  async decodeValues(entry: ModelEntry, region: Region): Promise<Float32Array> {
    const channels = entry.prepared.model.spec.channels;
    const out = new Float32Array(regionSize(region) * channels);
    for (const tile of planTiles(entry.prepared.model.spec, region, this.options.maxTileSamples).tiles) {
      blitTile(out, region, dropLanes(await this.decodeTile(entry, tile, 'raw'), channels), tile, channels);
    }
    return out;
  }

  /** [samples, 4] RGBA8 with the toRgba8 mapping. */
  async decodeRgba(entry: ModelEntry, region: Region): Promise<Uint8ClampedArray<ArrayBuffer>> {
    const out = new Uint8ClampedArray(regionSize(region) * 4);
    for (const tile of planTiles(entry.prepared.model.spec, region, this.options.maxTileSamples).tiles) {
      blitTile(out, region, await this.decodeTile(entry, tile, 'display'), tile, 4);
    }
    return out;
  }

  /** Drops every cached activation of a model (all models without a key). */
  forget(key?: string): void {
    if (key === undefined) this.cache.clear();
    else this.cache.deleteWhere((k) => k.startsWith(`${key}|`));
  }

  /** One tile as [samples, 4] float32 in `mode`'s mapping. */
  async decodeTile(entry: ModelEntry, tile: Region, mode: OutputMode): Promise<Float32Array> {
    const { prepared, outputRange } = entry;
    const { spec } = prepared.model;
    const [lo, hi] = outputRange;
    const mapping = { channels: spec.channels, mode, lo, scale: 255 / (hi - lo) };
    if (prepared.levels === 1) return singleLevel(entry, tile, mapping);
    entry.tensors ??= new ModelTensors(prepared);
    const levels = prepared.levels;
    const grids = levelGrids(prepared.strides, tile, levels);
    const table = parentTable({ prepared, tensors: entry.tensors, cache: this.cache, cacheKey: entry.key }, grids);
    try {
      const params: LastLevelParams = {
        ...tileGeometry(
          tile,
          grids[levels - 2]!,
          spec.bases.map((b) => b[levels - 1]!),
        ),
        hidden4: prepared.hidden4,
        omega: spec.omegas[levels - 2]!,
        bias: prepared.lastBias,
        ...mapping,
      };
      if (this.backend === 'webgpu' || this.backend === 'webgl') {
        const out = this.runGpuKernel(entry.tensors, table.z, params);
        try {
          return await this.read(out);
        } finally {
          out.dispose();
        }
      }
      const out = new Float32Array(params.samples * 4);
      const z = await this.read(table.z);
      if (this.simd) lastLevelSimd(this.simd, z, prepared.lastModTrig, prepared.lastGrouped, params, out);
      else lastLevelJs(z, prepared.lastModTrig, prepared.lastT, params, out);
      return out;
    } finally {
      table.done();
    }
  }

  private runGpuKernel(tensors: ModelTensors, z: tf.Tensor2D, params: LastLevelParams): tf.Tensor {
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

/** L = 1: no hidden layer, nothing to share; the plain evaluator, mapped to 4 lanes. */
function singleLevel(entry: ModelEntry, tile: Region, mapping: { channels: number; mode: OutputMode; lo: number; scale: number }): Float32Array {
  const values = decodeShared(entry.prepared.model, tile);
  const c = mapping.channels;
  const out = new Float32Array((values.length / c) * 4);
  for (let i = 0, o = 0; i < values.length; i += c, o += 4) {
    const y = [0, 1, 2, 3].map((k) => (k < c ? values[i + k]! : 0)) as [number, number, number, number];
    if (mapping.mode === 'display') writeDisplay(out, o, ...y, mapping);
    else out.set(y, o);
  }
  return out;
}
