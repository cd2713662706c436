/**
 * What a backend's tile decoder does, and what every decoder shares: regions are decoded tile
 * by tile (aligned to level blocks), each tile's samples x 4 copied into the region's output,
 * so nothing larger than one tile (or its parent table) exists at a time. The CPU decoders
 * (cpu-decoder.ts) need no tfjs; the GPU ones (gpu-decoder.ts) are loaded only when a GPU
 * backend is tried.
 */
import type { LossWatch } from '../backend/loss.js';
import type { BackendName } from '../backend/types.js';
import { writeDisplay } from '../kernels/last-level-cpu.js';
import { tileGeometry, type LastLevelParams, type OutputMode } from '../kernels/params.js';
import { regionSize } from '../model/digits.js';
import { decodeShared } from '../model/shared.js';
import type { Region } from '../model/types.js';
import { blitTile, dropLanes } from '../tiles/blit.js';
import type { PrefixRange } from '../model/digits.js';
import { planTiles } from '../tiles/tiler.js';
import type { PreparedModel } from './prepared.js';

/** A loaded model as the decoders see it. */
export interface ModelEntry {
  key: string;
  prepared: PreparedModel;
  outputRange: [number, number];
}

export interface TileDecoderOptions {
  cacheBytes: number;
  maxTileSamples: number;
}

export interface TileDecoder {
  readonly backend: BackendName;
  readonly watch: LossWatch;
  /** The shared-activation cache's use. */
  readonly cacheStats: { bytes: number; entries: number; budget: number };
  /** Makes the decoder's backend current (tfjs has one active backend per thread); throws if it cannot. */
  activate(): Promise<void>;
  /** One tile as [samples, 4] float32 in `mode`'s mapping. */
  decodeTile(entry: ModelEntry, tile: Region, mode: OutputMode): Promise<Float32Array>;
  /**
   * Takes back a tile's values (`decodeTile`'s result) that the caller has finished with, for
   * reuse by a later decode; the caller must not touch them again.
   */
  recycle?(values: Float32Array): void;
  /** Drops every cached activation of a model (all models without a key). */
  forget(key?: string): void;
  /** Frees what the decoder holds for the model (cached activations, weights on the device). */
  release(entry: ModelEntry): void;
  /**
   * GPU decoders: draws tiles on `canvas` (on this thread, no context yet) without reading them
   * back; throws InrBackendError 'backend-unavailable' with the reason where it cannot.
   */
  presenter?(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<TilePresenter>;
}

/**
 * A picture on a canvas that a GPU decoder draws into (gpu-present.ts). Pixel positions are
 * canvas pixels [x, y]; `blockSize` is [y, x] pixels per sample (a preview's block, or 1).
 */
export interface TilePresenter {
  /** Sizes the canvas and a blank picture. */
  begin(width: number, height: number): void;
  /** Puts RGBA8 samples (decoded elsewhere) whose sample (0, 0) is at pixel `at`. */
  put(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, at: [number, number], blockSize: [number, number]): void;
  /** Decodes `tile` (display mapping) into the picture at `at`; resolves once the GPU has done it. */
  decode(entry: ModelEntry, tile: Region, at: [number, number], blockSize: [number, number]): Promise<void>;
  /** Shows the picture on the canvas; resolves when the GPU has done it. */
  present(): Promise<void>;
  /** The picture's pixels, read back from the GPU (only when asked). */
  pixels(): Promise<ImageData>;
  dispose(): void;
}

/** [samples, channels] float32, unclamped: the layout of decodeShared. */
export async function decodeValues(decoder: TileDecoder, entry: ModelEntry, region: Region, maxTileSamples: number): Promise<Float32Array> {
  const channels = entry.prepared.model.spec.channels;
  const out = new Float32Array(regionSize(region) * channels);
  for (const tile of planTiles(entry.prepared.model.spec, region, maxTileSamples).tiles) {
    const values = await decoder.decodeTile(entry, tile, 'raw');
    blitTile(out, region, dropLanes(values, channels), tile, channels);
    decoder.recycle?.(values);
  }
  return out;
}

/** [samples, 4] RGBA8 with the toRgba8 mapping. */
export async function decodeRgba(decoder: TileDecoder, entry: ModelEntry, region: Region, maxTileSamples: number): Promise<Uint8ClampedArray<ArrayBuffer>> {
  const out = new Uint8ClampedArray(regionSize(region) * 4);
  for (const tile of planTiles(entry.prepared.model.spec, region, maxTileSamples).tiles) {
    const values = await decoder.decodeTile(entry, tile, 'display');
    blitTile(out, region, values, tile, 4);
    decoder.recycle?.(values);
  }
  return out;
}

type Mapping = Pick<LastLevelParams, 'channels' | 'mode' | 'lo' | 'scale'>;

function outputMapping(entry: ModelEntry, mode: OutputMode): Mapping {
  const [lo, hi] = entry.outputRange;
  return { channels: entry.prepared.model.spec.channels, mode, lo, scale: 255 / (hi - lo) };
}

/** The last level's parameters for a tile whose level grids are `grids`. */
export function lastLevelParams(entry: ModelEntry, tile: Region, grids: PrefixRange[][], mode: OutputMode): LastLevelParams {
  const { prepared } = entry;
  const { spec } = prepared.model;
  const levels = prepared.levels;
  return {
    ...tileGeometry(
      tile,
      grids[levels - 2]!,
      spec.bases.map((b) => b[levels - 1]!),
    ),
    hidden4: prepared.hidden4,
    omega: spec.omegas[levels - 2]!,
    bias: prepared.lastBias,
    ...outputMapping(entry, mode),
  };
}

/** L = 1: no hidden layer, nothing to share; the plain evaluator, mapped to 4 lanes. */
export function singleLevel(entry: ModelEntry, tile: Region, mode: OutputMode): Float32Array {
  const mapping = outputMapping(entry, mode);
  const values = decodeShared(entry.prepared.model, tile);
  const c = mapping.channels;
  const out = new Float32Array((values.length / c) * 4);
  for (let i = 0, o = 0; i < values.length; i += c, o += 4) {
    const y = [0, 1, 2, 3].map((k) => (k < c ? values[i + k]! : 0)) as [number, number, number, number];
    if (mode === 'display') writeDisplay(out, o, ...y, mapping);
    else out.set(y, o);
  }
  return out;
}
