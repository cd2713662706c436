/**
 * Watches the device behind a GPU backend: WebGPU's `device.lost` and WebGL's context loss.
 * `lost` is read before and after every decode; `whenLost` lets a pending readback give up
 * instead of waiting on a fence that a lost context never signals.
 */
/// <reference types="@webgpu/types" />
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { instance } from './registry.js';
import type { BackendName } from './types.js';

export interface LossWatch {
  readonly lost: boolean;
  readonly reason: string;
  /** Resolves when the device is lost (never, for WASM and CPU). */
  readonly whenLost: Promise<void>;
}

export function watchLoss(name: BackendName): LossWatch {
  let reason = '';
  let flagged = false;
  let signal = (): void => {};
  const whenLost = new Promise<void>((resolve) => (signal = resolve));
  const mark = (why: string): void => {
    if (flagged) return;
    flagged = true;
    reason = why;
    signal();
  };
  if (name === 'webgl') {
    const gl = (instance('webgl') as MathBackendWebGL).gpgpu.gl;
    const canvas = gl.canvas as HTMLCanvasElement | OffscreenCanvas;
    canvas.addEventListener('webglcontextlost', () => mark('WebGL context lost'));
    return {
      get lost() {
        if (gl.isContextLost()) mark('WebGL context lost');
        return flagged;
      },
      get reason() {
        return reason;
      },
      whenLost,
    };
  }
  if (name === 'webgpu') {
    const device = (instance('webgpu') as WebGPUBackend).device;
    void device.lost.then((info) => mark(`WebGPU device lost (${info.reason}${info.message ? `: ${info.message}` : ''})`));
  }
  return {
    get lost() {
      return flagged;
    },
    get reason() {
      return reason;
    },
    whenLost,
  };
}
