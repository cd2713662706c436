/**
 * Starting a backend and making its tile decoder. The CPU decoders are always here; the GPU
 * decoder and tfjs come in by dynamic import, only when a GPU backend is tried, so a page that
 * decodes on WebAssembly never loads tfjs.
 */
import type { BackendName, BackendStart } from '../backend/types.js';
import { CpuTileDecoder } from './cpu-decoder.js';
import type { TileDecoder, TileDecoderOptions } from './tile-decoder.js';

const isGpu = (name: BackendName): name is 'webgpu' | 'webgl' => name === 'webgpu' || name === 'webgl';

const gpu = () => import('./gpu-decoder.js');

/** Starts `name` and describes its device; throws (with the reason) if it cannot run here. */
export async function startBackend(name: BackendName): Promise<BackendStart> {
  if (isGpu(name)) return (await gpu()).startGpu(name);
  return { device: CpuTileDecoder.create(name, { cacheBytes: 0, maxTileSamples: 1 }).device, software: true };
}

/** A decoder on a started backend. */
export async function createDecoder(name: BackendName, options: TileDecoderOptions): Promise<TileDecoder> {
  if (isGpu(name)) return new (await gpu()).GpuTileDecoder(name, options);
  return CpuTileDecoder.create(name, options);
}

/** Forgets a lost GPU backend's instance so that the next start creates it afresh. */
export async function recreateBackend(name: BackendName): Promise<void> {
  if (isGpu(name)) (await gpu()).recreateGpu(name);
}
