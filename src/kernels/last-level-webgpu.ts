/**
 * The fused last level as one WGSL program (tfjs-backend-webgpu's program interface): per
 * sample, gather the parent's pre-activation row and the child's modulation row, sine, the last
 * linear layer, and (display mode) the toRgba8 mapping and clamp. One invocation per sample;
 * the hidden loop reads vec4s, so no samples x hidden array ever exists.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { LastLevelParams, OutputMode } from './params.js';

const WORKGROUP = 64;

const DISPLAY = `
  fn finish(y : vec4<f32>) -> vec4<f32> {
    let m = (y - vec4<f32>(uniforms.lo)) * uniforms.scale;
    var o = vec4<f32>(m.x, m.x, m.x, 255.0);
    if (uniforms.channels >= 3) { o = vec4<f32>(m.xyz, 255.0); }
    if (uniforms.channels == 4) { o.w = m.w; }
    if (uniforms.channels == 2) { o.w = m.y; }
    return clamp(o, vec4<f32>(0.0), vec4<f32>(255.0));
  }`;

const RAW = `
  fn finish(y : vec4<f32>) -> vec4<f32> { return y; }`;

class LastLevelProgram implements WebGPUProgram {
  variableNames = ['Z', 'Mod', 'W'];
  variableComponents = [4, 4, 4];
  outputComponent = 4;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  size = true;
  uniforms =
    'tileStart : vec4<i32>, tileSize : vec4<i32>, parentLo : vec4<i32>, parentCount : vec4<i32>, lastBase : vec4<i32>, bias : vec4<f32>, hidden4 : i32, channels : i32, omega : f32, lo : f32, scale : f32,';

  constructor(
    samples: number,
    private readonly mode: OutputMode,
  ) {
    this.outputShape = [samples, 4];
    this.dispatchLayout = { x: [0, 1] };
    this.dispatch = [Math.ceil(samples / WORKGROUP), 1, 1];
    this.shaderKey = `inrstream_last_level_${mode}`;
  }

  getUserCode(): string {
    return `
  ${this.mode === 'display' ? DISPLAY : RAW}
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let s = uniforms.tileSize;
    let x = vec3<i32>(index / (s.y * s.z), (index / s.z) % s.y, index % s.z) + uniforms.tileStart.xyz;
    let b = uniforms.lastBase.xyz;
    let p = x / b - uniforms.parentLo.xyz;
    let q = x % b;
    let pc = uniforms.parentCount;
    let zRow = ((p.x * pc.y + p.y) * pc.z + p.z) * uniforms.hidden4;
    let mRow = ((q.x * b.y + q.y) * b.z + q.z) * uniforms.hidden4;
    var y = uniforms.bias;
    for (var k = 0; k < uniforms.hidden4; k++) {
      let v = sin(uniforms.omega * (Z[zRow + k] + Mod[mRow + k]));
      let w = 4 * k;
      y += vec4<f32>(dot(v, W[w]), dot(v, W[w + 1]), dot(v, W[w + 2]), dot(v, W[w + 3]));
    }
    result[index] = finish(y);
  }`;
  }
}

/**
 * Runs the program. z: [parents, 4 * hidden4]; mod: [digit tuples, 4 * hidden4] (already times
 * s); w: [4 * hidden4, 4] grouped as (unit group k, channel c) -> W_last[c, 4k .. 4k + 3].
 * Returns [samples, 4] float32.
 */
export function lastLevelWebGpu(backend: WebGPUBackend, z: TensorInfo, mod: TensorInfo, w: TensorInfo, p: LastLevelParams): TensorInfo {
  const program = new LastLevelProgram(p.samples, p.mode);
  const vec = (v: number[]) => [...v, 0];
  return backend.runWebGPUProgram(program, [z, mod, w], 'float32', [
    { type: 'int32', data: vec(p.tileStart) },
    { type: 'int32', data: vec(p.tileSize) },
    { type: 'int32', data: vec(p.parentLo) },
    { type: 'int32', data: vec(p.parentCount) },
    { type: 'int32', data: vec(p.lastBase) },
    { type: 'float32', data: p.bias },
    { type: 'int32', data: [p.hidden4] },
    { type: 'int32', data: [p.channels] },
    { type: 'float32', data: [p.omega] },
    { type: 'float32', data: [p.lo] },
    { type: 'float32', data: [p.scale] },
  ]);
}
