/**
 * Drawing decoded tiles on a canvas from the GPU that decoded them (docs/ENGINE.md, "Drawing on
 * the GPU"): the last level's output stays a tfjs tensor on the device and is written into a
 * picture that the canvas shows (kernels/present-webgpu.ts, present-webgl.ts). Nothing is read
 * back unless a caller asks for the pixels. The canvas must be on this thread (tfjs's device or
 * context cannot cross threads) and have no context yet.
 */
/// <reference types="@webgpu/types" />
import type * as tf from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { InrBackendError } from '../util/errors.js';
import { instance } from '../backend/registry.js';
import { WebGlPicture } from '../kernels/present-webgl.js';
import { WebGpuPicture } from '../kernels/present-webgpu.js';
import type { Region } from '../model/types.js';
import { scaleRgba, tileRect } from '../tiles/blit.js';
import type { LossWatch } from '../backend/loss.js';
import type { ModelEntry, TilePresenter } from './tile-decoder.js';

type Canvas = HTMLCanvasElement | OffscreenCanvas;

/** What a presenter needs of the GPU decoder: the last level's output left on the device. */
export interface GpuTiles {
  readonly watch: LossWatch;
  /** A tile's [samples, 4] display values as a tensor on the device, or on the CPU for a one-level model. */
  decodeOnGpu(entry: ModelEntry, tile: Region): tf.Tensor | Float32Array;
}

const unavailable = (reason: string) => new InrBackendError('backend-unavailable', reason, 'backend');

interface Picture {
  readonly width: number;
  readonly height: number;
  upload(rgba: Uint8ClampedArray<ArrayBuffer>, rect: ReturnType<typeof tileRect>): void;
  dispose(): void;
}

/** What both presenters share: the canvas's size, CPU-decoded tiles (uploaded), the device's loss. */
abstract class Presenter<P extends Picture> implements TilePresenter {
  protected picture: P | undefined;

  constructor(
    protected readonly tiles: GpuTiles,
    protected readonly canvas: Canvas,
  ) {}

  protected abstract make(width: number, height: number): P;
  /** Writes a tile's output tensor into the picture and waits until the GPU has. */
  protected abstract write(picture: P, out: tf.Tensor, size: [number, number], at: [number, number], blockSize: [number, number]): Promise<void>;
  /** Shows the picture; resolves when the GPU has done it. */
  abstract present(): Promise<void>;
  protected abstract read(picture: P): Promise<Uint8ClampedArray<ArrayBuffer>>;

  begin(width: number, height: number): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.picture?.dispose();
    this.picture = this.make(width, height);
  }

  put(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, at: [number, number], blockSize: [number, number]): void {
    const picture = this.drawn();
    const rect = tileRect(at[0], at[1], width, height, blockSize, picture.width, picture.height);
    const whole = blockSize[0] === 1 && blockSize[1] === 1 && rect.width === width && rect.height === height;
    picture.upload(whole ? rgba : scaleRgba(rgba, width, at[0], at[1], blockSize, rect), rect);
  }

  async decode(entry: ModelEntry, tile: Region, at: [number, number], blockSize: [number, number]): Promise<void> {
    const picture = this.drawn();
    const size = tile.size.slice(-2) as [number, number];
    const out = this.tiles.decodeOnGpu(entry, tile);
    if (out instanceof Float32Array) {
      const rgba = new Uint8ClampedArray(out.length);
      rgba.set(out);
      this.put(rgba, size[1], size[0], at, blockSize);
      return;
    }
    const lost = this.tiles.watch.whenLost.then(() => {
      throw new InrBackendError('device-lost', this.tiles.watch.reason, 'backend');
    });
    await Promise.race([this.write(picture, out, size, at, blockSize), lost]);
  }

  async pixels(): Promise<ImageData> {
    const picture = this.drawn();
    return new ImageData(await this.read(picture), picture.width, picture.height);
  }

  dispose(): void {
    this.picture?.dispose();
    this.picture = undefined;
  }

  private drawn(): P {
    if (!this.picture) throw new RangeError('begin() sizes the picture before anything is drawn');
    return this.picture;
  }
}

class WebGpuPresenter extends Presenter<WebGpuPicture> {
  private readonly backend = instance('webgpu') as WebGPUBackend;
  private readonly context: GPUCanvasContext;
  private readonly format = navigator.gpu.getPreferredCanvasFormat();

  constructor(tiles: GpuTiles, canvas: Canvas) {
    super(tiles, canvas);
    const context = canvas.getContext('webgpu') as GPUCanvasContext | null;
    if (!context) throw unavailable('the canvas gave no webgpu context (it has another kind)');
    // tfjs's own device: its buffers are bound here directly.
    context.configure({ device: this.backend.device, format: this.format, alphaMode: 'premultiplied' });
    this.context = context;
  }

  protected make(width: number, height: number): WebGpuPicture {
    return new WebGpuPicture(this.backend.device, width, height);
  }

  protected async write(picture: WebGpuPicture, out: tf.Tensor, size: [number, number], at: [number, number], blockSize: [number, number]): Promise<void> {
    try {
      // tfjs batches its commands: submitted first, so the tile's buffer is filled before this pass reads it.
      this.backend.ensureCommandEncoderReady();
      this.backend.endComputePassEncoder();
      this.backend.submitQueue();
      const buffer = this.backend.tensorMap.get(out.dataId).resource as GPUBuffer;
      picture.writeTile(buffer, size[1], size[0], at, blockSize, tileRect(at[0], at[1], size[1], size[0], blockSize, picture.width, picture.height));
    } finally {
      // Reused only by work submitted later, which the queue orders after this pass.
      out.dispose();
    }
    await picture.done();
  }

  async present(): Promise<void> {
    if (!this.picture) return;
    this.picture.present(this.context, this.format);
    await this.picture.done();
  }

  protected read(picture: WebGpuPicture): Promise<Uint8ClampedArray<ArrayBuffer>> {
    return picture.read();
  }
}

class WebGlPresenter extends Presenter<WebGlPicture> {
  private readonly backend = instance('webgl') as MathBackendWebGL;
  private readonly gl: WebGL2RenderingContext;
  private readonly context: ImageBitmapRenderingContext;

  constructor(tiles: GpuTiles, canvas: Canvas) {
    super(tiles, canvas);
    this.gl = this.backend.gpgpu.gl as WebGL2RenderingContext;
    if (!(typeof OffscreenCanvas !== 'undefined' && this.gl.canvas instanceof OffscreenCanvas)) {
      throw unavailable("tfjs's WebGL canvas is not an OffscreenCanvas here: its frames cannot be handed to another canvas");
    }
    const context = canvas.getContext('bitmaprenderer') as ImageBitmapRenderingContext | null;
    if (!context) throw unavailable('the canvas gave no bitmaprenderer context (it has another kind)');
    this.context = context;
  }

  protected make(width: number, height: number): WebGlPicture {
    return new WebGlPicture(this.gl, width, height);
  }

  protected async write(picture: WebGlPicture, out: tf.Tensor, size: [number, number], at: [number, number], blockSize: [number, number]): Promise<void> {
    try {
      // The packed output as a dense texture on the GPU (texel (x, y) = sample y * width + x): no readback.
      const dense = this.backend.readToGPU(out.dataId, { customTexShape: size });
      try {
        picture.writeTile(dense.texture!, at, blockSize, tileRect(at[0], at[1], size[1], size[0], blockSize, picture.width, picture.height));
      } finally {
        dense.tensorRef.dispose();
      }
    } finally {
      out.dispose();
    }
    await this.backend.gpgpu.createAndWaitForFence();
  }

  async present(): Promise<void> {
    if (!this.picture) return;
    this.context.transferFromImageBitmap(this.picture.present());
    await this.backend.gpgpu.createAndWaitForFence();
  }

  protected read(picture: WebGlPicture): Promise<Uint8ClampedArray<ArrayBuffer>> {
    return Promise.resolve(picture.read());
  }
}

/** A presenter on `canvas` for the active GPU backend `backend`; InrBackendError 'backend-unavailable' with the reason where it cannot be made. */
export function gpuPresenter(backend: 'webgpu' | 'webgl', tiles: GpuTiles, canvas: Canvas): TilePresenter {
  return backend === 'webgpu' ? new WebGpuPresenter(tiles, canvas) : new WebGlPresenter(tiles, canvas);
}
