/**
 * What device stands behind a started backend, and whether it is a software rasteriser. Names
 * are only a hint (auto still calibrates whenever the GPU is software); the point is to say
 * which device ran.
 */
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { BackendName, BackendStart } from './types.js';
import { describeAdapter, rendererOf, webgpuAdapter } from './device-probe.js';
import { instance } from './registry.js';

/**
 * The adapter tfjs would get; tfjs keeps only its vendor and architecture, not whether it is a
 * fallback (software) adapter.
 */
async function webgpuDevice(): Promise<BackendStart> {
  const adapter = await webgpuAdapter();
  return adapter ? describeAdapter(adapter) : { device: 'no adapter', software: true };
}

/** Describes the device of an initialised backend. */
export async function describeDevice(name: BackendName): Promise<BackendStart> {
  if (name === 'webgl') return rendererOf((instance(name) as MathBackendWebGL).gpgpu.gl);
  if (name === 'webgpu') return webgpuDevice();
  return { device: name === 'wasm' ? 'WebAssembly on the CPU' : 'JavaScript on the CPU', software: true };
}
