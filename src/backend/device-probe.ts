/**
 * What device a GPU backend would run on, read without tfjs: WebGPU's adapter info, WebGL's
 * renderer name from a throwaway context. `auto` on a small machine refuses a software GPU
 * from this alone (backend/select.ts), so a page whose GPU is a software rasteriser never
 * downloads tfjs and the GPU backends only to refuse them (docs/ENGINE.md, "Few cores").
 */
/// <reference types="@webgpu/types" />
import type { BackendName, BackendStart } from './types.js';

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|lavapipe|microsoft basic/i;

export function isSoftwareName(name: string): boolean {
  return SOFTWARE.test(name);
}

/** A WebGPU adapter's description; a fallback adapter is software whatever its name. */
export function describeAdapter(adapter: GPUAdapter): BackendStart {
  const info = ((adapter as unknown as { info?: GPUAdapterInfo }).info ?? {}) as Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean };
  const legacy = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fallback = Boolean(info.isFallbackAdapter ?? legacy);
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join('/') || 'unknown adapter';
  return { device: fallback ? `${name} (fallback adapter)` : name, software: fallback || isSoftwareName(name) };
}

/** The adapter tfjs would get (it asks for high-performance too). */
export function webgpuAdapter(): Promise<GPUAdapter | null> {
  return navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
}

/** The renderer behind a WebGL context (unmasked where the browser allows). */
export function rendererOf(gl: WebGL2RenderingContext | WebGLRenderingContext): BackendStart {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return { device: renderer, software: isSoftwareName(renderer) };
}

/**
 * WebGL2's renderer, from a 1x1 context made and lost at once, asked for as tfjs asks (WebGL2,
 * refused where the browser would fall back to a major performance caveat).
 */
function probeWebGl(): BackendStart | undefined {
  const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : globalThis.document?.createElement('canvas');
  const gl = canvas?.getContext('webgl2', { failIfMajorPerformanceCaveat: true }) as WebGL2RenderingContext | null | undefined;
  if (!gl) return undefined;
  try {
    return rendererOf(gl);
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/**
 * The device `name` would run on, where it can be read before the backend's code loads;
 * undefined where it cannot (no WebGPU, no adapter, no WebGL2 context: starting the backend
 * then says why it does not run).
 */
export async function probeDevice(name: BackendName): Promise<BackendStart | undefined> {
  try {
    if (name === 'webgl') return probeWebGl();
    if (name !== 'webgpu' || typeof navigator === 'undefined' || !('gpu' in navigator)) return undefined;
    const adapter = await webgpuAdapter();
    return adapter ? describeAdapter(adapter) : undefined;
  } catch {
    // A probe that fails decides nothing: the backend's own start gives the reason.
    return undefined;
  }
}
