/**
 * A picture kept on a WebGPU device and shown on a canvas without leaving it: an rgba8unorm
 * texture the size of the picture, into which each decoded tile is written by one compute pass
 * straight from the last level's output buffer ([samples, 4] float32 in the display mapping,
 * kernels/last-level-webgpu.ts), each sample covering its block of pixels (a preview's block,
 * or one pixel). Presenting draws the texture on the canvas's current texture. The texture
 * persists between frames (a canvas's own texture is new each frame), and it is what `read`
 * copies back, only when a caller asks for the pixels.
 */
import type { PixelRect } from '../tiles/blit.js';

const WORKGROUP = 8;

const SHADER = `
struct Place { tile : vec2<u32>, block : vec2<u32>, origin : vec2<i32>, lo : vec2<u32>, size : vec2<u32> }
@group(0) @binding(0) var<storage, read> tile : array<vec4<f32>>;
@group(0) @binding(1) var<uniform> place : Place;
@group(0) @binding(2) var picture : texture_storage_2d<rgba8unorm, write>;

@compute @workgroup_size(${WORKGROUP}, ${WORKGROUP})
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x >= place.size.x || id.y >= place.size.y) { return; }
  let pixel = place.lo + id.xy;
  let s = vec2<u32>(vec2<i32>(pixel) - place.origin) / place.block;
  // Values are 0..255 already; rounded here so that the texture's conversion stores exactly that byte.
  textureStore(picture, vec2<i32>(pixel), floor(tile[s.y * place.tile.x + s.x] + 0.5) / 255.0);
}`;

/** Draws the picture on a canvas's texture, premultiplied as the canvas is configured (one triangle covering it). */
const SHOW = `
@group(0) @binding(0) var picture : texture_2d<f32>;

@vertex
fn vertex(@builtin(vertex_index) i : u32) -> @builtin(position) vec4<f32> {
  let p = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4<f32>(p * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fragment(@builtin(position) at : vec4<f32>) -> @location(0) vec4<f32> {
  let c = textureLoad(picture, vec2<i32>(at.xy), 0);
  return vec4<f32>(c.rgb * c.a, c.a);
}`;

interface Pipelines {
  tile: GPUComputePipeline;
  show: Map<GPUTextureFormat, GPURenderPipeline>;
}

const pipelines = new WeakMap<GPUDevice, Pipelines>();

function pipelinesFor(device: GPUDevice): Pipelines {
  let p = pipelines.get(device);
  if (!p) {
    p = {
      tile: device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: SHADER }), entryPoint: 'main' } }),
      show: new Map(),
    };
    pipelines.set(device, p);
  }
  return p;
}

function showPipeline(device: GPUDevice, format: GPUTextureFormat): GPURenderPipeline {
  const { show } = pipelinesFor(device);
  let p = show.get(format);
  if (!p) {
    const module = device.createShaderModule({ code: SHOW });
    p = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module, entryPoint: 'vertex' },
      fragment: { module, entryPoint: 'fragment', targets: [{ format }] },
      primitive: { topology: 'triangle-list' },
    });
    show.set(format, p);
  }
  return p;
}

export class WebGpuPicture {
  private readonly texture: GPUTexture;

  constructor(
    private readonly device: GPUDevice,
    readonly width: number,
    readonly height: number,
  ) {
    this.texture = device.createTexture({
      size: [width, height],
      format: 'rgba8unorm',
      usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_SRC | GPUTextureUsage.COPY_DST,
    });
  }

  /**
   * Writes `rect` (already clipped to the picture) from a tile of `tileWidth` x `tileHeight`
   * samples in `buffer` whose sample (0, 0) is at pixel `origin`, each `blockSize` ([y, x])
   * pixels. Submitted on the device's queue after the work that filled `buffer`.
   */
  writeTile(buffer: GPUBuffer, tileWidth: number, tileHeight: number, origin: [number, number], blockSize: [number, number], rect: PixelRect): void {
    if (rect.width === 0 || rect.height === 0) return;
    const uniforms = this.device.createBuffer({ size: 40, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const place = [tileWidth, tileHeight, blockSize[1], blockSize[0], origin[0], origin[1], rect.x, rect.y, rect.width, rect.height];
    this.device.queue.writeBuffer(uniforms, 0, new Int32Array(place));
    const p = pipelinesFor(this.device).tile;
    const bindings = this.device.createBindGroup({
      layout: p.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer, size: tileWidth * tileHeight * 16 } },
        { binding: 1, resource: { buffer: uniforms } },
        { binding: 2, resource: this.texture.createView() },
      ],
    });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(p);
    pass.setBindGroup(0, bindings);
    pass.dispatchWorkgroups(Math.ceil(rect.width / WORKGROUP), Math.ceil(rect.height / WORKGROUP));
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    // Freed once the submitted pass is done with it.
    uniforms.destroy();
  }

  /** Puts RGBA8 pixels (rect.width x rect.height) at `rect`. */
  upload(rgba: Uint8ClampedArray<ArrayBuffer>, rect: PixelRect): void {
    if (rect.width === 0 || rect.height === 0) return;
    this.device.queue.writeTexture({ texture: this.texture, origin: [rect.x, rect.y] }, rgba, { bytesPerRow: rect.width * 4 }, [rect.width, rect.height]);
  }

  /** Draws the picture on the canvas's texture for this frame (the canvas is this size, configured on this device as `format`). */
  present(context: GPUCanvasContext, format: GPUTextureFormat): void {
    const p = showPipeline(this.device, format);
    const bindings = this.device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [{ binding: 0, resource: this.texture.createView() }] });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: context.getCurrentTexture().createView(), loadOp: 'clear', clearValue: [0, 0, 0, 0], storeOp: 'store' }],
    });
    pass.setPipeline(p);
    pass.setBindGroup(0, bindings);
    pass.draw(3);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Resolves when everything submitted so far has run (so that a tile's time is its GPU time). */
  done(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone();
  }

  /** The picture's RGBA8 pixels, rows top first. */
  async read(): Promise<Uint8ClampedArray<ArrayBuffer>> {
    const row = this.width * 4;
    // Buffer rows of a texture copy are 256-byte aligned.
    const stride = Math.ceil(row / 256) * 256;
    const buffer = this.device.createBuffer({ size: stride * this.height, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const encoder = this.device.createCommandEncoder();
    encoder.copyTextureToBuffer({ texture: this.texture }, { buffer, bytesPerRow: stride }, [this.width, this.height]);
    this.device.queue.submit([encoder.finish()]);
    await buffer.mapAsync(GPUMapMode.READ);
    const mapped = new Uint8Array(buffer.getMappedRange());
    const out = new Uint8ClampedArray(row * this.height);
    for (let y = 0; y < this.height; y++) out.set(mapped.subarray(y * stride, y * stride + row), y * row);
    buffer.destroy();
    return out;
  }

  dispose(): void {
    this.texture.destroy();
  }
}
