/**
 * What device stands behind a started backend, and whether it is a software rasteriser. Names
 * are only a hint (auto still calibrates whenever the GPU is software); the point is to say
 * which device ran.
 */
/// <reference types="@webgpu/types" />
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { BackendName, BackendStart } from './types.js';
import { instance } from './registry.js';

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|lavapipe|microsoft basic/i;

export function isSoftwareName(name: string): boolean {
  return SOFTWARE.test(name);
}

/**
 * The adapter tfjs would get (it asks for high-performance too); tfjs keeps only its vendor and
 * architecture, not whether it is a fallback (software) adapter.
 */
async function webgpuDevice(): Promise<BackendStart> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { device: 'no adapter', software: true };
  const info = ((adapter as unknown as { info?: GPUAdapterInfo }).info ?? {}) as Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean };
  const legacy = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fallback = Boolean(info.isFallbackAdapter ?? legacy);
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join('/') || 'unknown adapter';
  return { device: fallback ? `${name} (fallback adapter)` : name, software: fallback || isSoftwareName(name) };
}

function webglDevice(backend: MathBackendWebGL): BackendStart {
  const gl = backend.gpgpu.gl as WebGL2RenderingContext;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return { device: renderer, software: isSoftwareName(renderer) };
}

/** Describes the device of an initialised backend. */
export async function describeDevice(name: BackendName): Promise<BackendStart> {
  const backend = instance(name);
  if (name === 'webgl') return webglDevice(backend as MathBackendWebGL);
  if (name === 'webgpu') return webgpuDevice();
  return { device: name === 'wasm' ? 'WebAssembly on the CPU' : 'JavaScript on the CPU', software: true };
}
