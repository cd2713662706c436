import type { TrainSignal } from './signal.js';

/** RGBA8 pixels (canvas ImageData, decoded PNG/JPEG) to RGB floats in [0, 1]; alpha is dropped. */
export function rgbaToSignal(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): TrainSignal {
  const data = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i]! / 255;
    data[j + 1] = rgba[i + 1]! / 255;
    data[j + 2] = rgba[i + 2]! / 255;
  }
  return { shape: [height, width], channels: 3, data };
}
