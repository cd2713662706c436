/**
 * WebGPU in Node through Dawn (the `webgpu` package, left out of the bundle: its native module
 * comes from node_modules here, from .gpu/node_modules on the GPU machine). Dawn's GPU object
 * becomes `navigator.gpu`, which is all tfjs-backend-webgpu and the engine look for.
 */
/// <reference types="@webgpu/types" />
import { create, globals } from 'webgpu';
import type { AdapterReport } from './report.js';

/**
 * Dawn's toggles: timestamp queries unrounded (Dawn rounds them to blunt timing attacks in
 * pages; the kernel times here are sub-millisecond).
 */
const DAWN_FLAGS = ['disable-dawn-features=timestamp_quantization'];

/** Installs Dawn as navigator.gpu and describes the adapter tfjs will take (high-performance, as it asks); undefined if Dawn finds none. */
export async function installDawn(): Promise<AdapterReport | undefined> {
  Object.assign(globalThis, globals);
  const gpu = create(DAWN_FLAGS);
  // Node 21+ has a navigator of its own; tfjs reads only its gpu.
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return undefined;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    fallback: Boolean(info.isFallbackAdapter),
    timestampQuery: adapter.features.has('timestamp-query'),
    dawnFlags: DAWN_FLAGS,
  };
}
