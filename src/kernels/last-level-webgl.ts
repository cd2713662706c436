/**
 * The fused last level as one GLSL program (tfjs-backend-webgl's GPGPUProgram interface), the
 * same maths as the WGSL one. Inputs and output are packed textures laid out so that one RGBA
 * texel is 4 consecutive values of a row: a [rows, 4k] table is passed as [rows * 2k, 2], whose
 * 2x2 packed blocks are exactly those 4 values. So each hidden step is 2 + channels texel reads
 * for 4 units, and the output [samples, 4] (as [2 * samples, 2]) is one texel per sample: one
 * invocation computes one sample, not one per channel.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { LastLevelParams, OutputMode } from './params.js';

const DISPLAY = `
  vec4 finish(vec4 y) {
    vec4 m = (y - vec4(lo)) * scale;
    vec4 o = vec4(m.x, m.x, m.x, 255.0);
    if (channels >= 3) o = vec4(m.xyz, 255.0);
    if (channels == 4) o.w = m.w;
    if (channels == 2) o.w = m.y;
    return clamp(o, 0.0, 255.0);
  }`;

const RAW = `
  vec4 finish(vec4 y) { return y; }`;

class LastLevelProgram implements GPGPUProgram {
  variableNames = ['Z', 'Mod', 'W'];
  outputShape: number[];
  packedInputs = true;
  packedOutput = true;
  userCode: string;
  customUniforms = [
    { name: 'tileStart', type: 'ivec3' as const },
    { name: 'tileSize', type: 'ivec3' as const },
    { name: 'parentLo', type: 'ivec3' as const },
    { name: 'parentCount', type: 'ivec3' as const },
    { name: 'lastBase', type: 'ivec3' as const },
    { name: 'bias', type: 'vec4' as const },
    { name: 'hidden4', type: 'int' as const },
    { name: 'channels', type: 'int' as const },
    { name: 'omega', type: 'float' as const },
    { name: 'lo', type: 'float' as const },
    { name: 'scale', type: 'float' as const },
  ];

  constructor(samples: number, mode: OutputMode, channels: number) {
    this.outputShape = [2 * samples, 2];
    // Weight reads are texel fetches, slow on software GPUs: read only the channels there are.
    const dots = [0, 1, 2, 3].map((c) => (c < channels ? `dot(v, getW(w + ${2 * c}, 0))` : '0.0')).join(', ');
    this.userCode = `
  ${mode === 'display' ? DISPLAY : RAW}
  void main() {
    int index = getOutputCoords().x / 2;
    ivec3 x = ivec3(index / (tileSize.y * tileSize.z), (index / tileSize.z) % tileSize.y, index % tileSize.z) + tileStart;
    ivec3 p = x / lastBase - parentLo;
    ivec3 q = x - (x / lastBase) * lastBase;
    int zRow = ((p.x * parentCount.y + p.y) * parentCount.z + p.z) * hidden4;
    int mRow = ((q.x * lastBase.y + q.y) * lastBase.z + q.z) * hidden4;
    vec4 y = bias;
    for (int k = 0; k < hidden4; k++) {
      vec4 v = sin(omega * (getZ(2 * (zRow + k), 0) + getMod(2 * (mRow + k), 0)));
      int w = 8 * k;
      y += vec4(${dots});
    }
    setOutput(finish(y));
  }`;
  }
}

/** As lastLevelWebGpu; inputs in the [rows * 2k, 2] packed layout above. Returns [samples, 4]. */
export function lastLevelWebGl(backend: MathBackendWebGL, z: TensorInfo, mod: TensorInfo, w: TensorInfo, p: LastLevelParams): TensorInfo {
  const program = new LastLevelProgram(p.samples, p.mode, p.channels);
  return backend.runWebGLProgram(program, [z, mod, w], 'float32', [
    p.tileStart,
    p.tileSize,
    p.parentLo,
    p.parentCount,
    p.lastBase,
    p.bias,
    [p.hidden4],
    [p.channels],
    [p.omega],
    [p.lo],
    [p.scale],
  ]);
}
