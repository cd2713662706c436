import { PNG } from 'pngjs';
import { modelFromInr, readInr, type InrFile } from '../../../../src/format/index.js';
import { checkDecodeMemory } from '../../../../src/engine/memory.js';
import { decodeShared } from '../../../../src/model/shared.js';
import type { AsmrModel, Region } from '../../../../src/model/types.js';
import { toRgba8 } from '../../../../src/render/rgba.js';
import { readInput, UsageError, writeOutput } from './io.js';

/** The time segments of a file as models with their frame ranges (one, for an image). */
function segmentsOf(file: InrFile): { frameStart: number; model: AsmrModel }[] {
  const segs = file.header.segments;
  if (!segs?.length) return [{ frameStart: 0, model: modelFromInr(file) }];
  return segs.map((s, k) => ({ frameStart: s.frameStart, model: modelFromInr(file, k) }));
}

/**
 * Decodes every sample, or one frame of a video, into `[samples, channels]` float32, row-major
 * outermost axis first: the layout of the reference's `reference_decode.f32`.
 */
function decodeFile(file: InrFile, frame?: number): Float32Array {
  const { shape, channels } = file.header;
  const frames = shape[0]!;
  if (frame !== undefined && (shape.length !== 3 || frame < 0 || frame >= frames)) {
    throw new UsageError(shape.length !== 3 ? '--frame needs a video (3-axis) model' : `--frame must be in 0..${frames - 1}`);
  }
  const parts: Float32Array[] = [];
  for (const { frameStart, model } of segmentsOf(file)) {
    const [t0, ...rest] = model.spec.shape;
    if (frame !== undefined && (frame < frameStart || frame >= frameStart + t0!)) continue;
    const region: Region | undefined = frame === undefined ? undefined : { start: [frame - frameStart, ...rest.map(() => 0)], size: [1, ...rest] };
    parts.push(decodeShared(model, region));
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
  if (out.length % channels !== 0) throw new Error('decoded size is not a whole number of samples');
  return out;
}

function encodePng(values: Float32Array, width: number, height: number, channels: number, range: [number, number]): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(toRgba8(values, channels, range).buffer);
  const colorType = ([0, 0, 4, 2, 6] as const)[channels]!;
  return new Uint8Array(PNG.sync.write(png, { colorType }));
}

/** The decode's memory budget by default (`--max-memory`), MiB: the whole picture is held at once here. */
export const DEFAULT_DECODE_MIB = 2048;

/** Refuses (typed, before any allocation) a decode whose tables and output would exceed `mib`. */
function checkMemory(file: InrFile, frame: number | undefined, mib: number): void {
  const { shape, channels } = file.header;
  const samples = shape.reduce((n, s) => n * s, 1) / (frame === undefined ? 1 : shape[0]!);
  for (const { model } of segmentsOf(file)) {
    checkDecodeMemory(model.spec, { memoryBytes: mib * 2 ** 20, cacheBytes: 0, maxTileSamples: samples }, samples * channels * 4 * 2);
  }
}

export async function decodeCommand(input: string, output: string, frameArg: string | undefined, maxMemory = String(DEFAULT_DECODE_MIB)): Promise<string> {
  const mib = Number(maxMemory);
  if (!(Number.isFinite(mib) && mib > 0)) throw new UsageError(`--max-memory must be a positive number of MiB, not "${maxMemory}"`);
  const kind = output.endsWith('.png') ? 'png' : output.endsWith('.f32') ? 'f32' : undefined;
  if (!kind) throw new UsageError(`-o must end in .png or .f32: "${output}"`);
  const frame = frameArg === undefined ? undefined : Number(frameArg);
  if (frame !== undefined && !Number.isInteger(frame)) throw new UsageError(`--frame must be an integer, not "${frameArg}"`);
  const file = readInr(await readInput(input));
  const { shape, channels } = file.header;
  if (kind === 'png' && shape.length === 3 && frame === undefined) throw new UsageError('a video needs --frame T for PNG output');
  if (kind === 'png' && shape.length === 1) throw new UsageError('a 1-axis signal has no PNG form; use .f32');
  checkMemory(file, frame, mib);
  const values = decodeFile(file, frame);
  const [height, width] = shape.slice(-2) as [number, number];
  const bytes =
    kind === 'f32'
      ? new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
      : encodePng(values, width, height, channels, file.header.outputRange ?? [0, 1]);
  await writeOutput(output, bytes);
  return `${output}: ${kind === 'f32' ? `${values.length / channels} samples x ${channels} channels, float32` : `${width}x${height} PNG`}`;
}
