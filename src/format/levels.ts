/**
 * Level pictures from a file still arriving: in a file with level heads the tensors are stored
 * level by level (docs/FORMAT.md, "Level heads"), so once level k's head has been read, levels
 * 0..k and that head are all there, and level k's picture (docs/MODEL.md, "Level heads") can
 * be drawn before the rest of the file is.
 */
import { type PreviewModel, headModel } from '../model/preview.js';
import { levelCount } from '../model/spec.js';
import type { AsmrSpec } from '../model/types.js';
import { weightsFrom } from './asmr-codec.js';
import { segmentSpec } from './header.js';
import { type ExpectedTensor, expectedTensors } from './tensor-table.js';
import type { InrHeader } from './types.js';

export interface LevelArrival {
  picture: PreviewModel;
  /** Bytes of the file up to the end of the level's last tensor. */
  bytes: number;
}

/** Collects a file's tensors as the parser hands them out and says when a level's picture is complete. */
export class LevelAssembler {
  private readonly spec: AsmrSpec;
  private readonly expected: ExpectedTensor[];
  private readonly tensors = new Map<string, Float32Array>();

  /** Undefined for a file without level heads, or with segments (a video's segments are models of their own). */
  static for(header: InrHeader, dataStart: number): LevelAssembler | undefined {
    return header.levelHeads === true && header.segments === undefined ? new LevelAssembler(header, dataStart) : undefined;
  }

  /** Bytes of the file up to the end of its last tensor: what the whole model needs. */
  readonly modelBytes: number;

  private constructor(
    private readonly header: InrHeader,
    private readonly dataStart: number,
  ) {
    this.spec = segmentSpec(header);
    this.expected = expectedTensors(this.spec, '', true);
    // The tensor table is validated contiguous and in order: the last entry ends the data.
    const last = header.tensors.at(-1);
    this.modelBytes = dataStart + (last ? last.offset + last.length : 0);
  }

  /** Takes tensor `index` (verified, decoded); returns the level picture it completes, if any below full detail. */
  add(index: number, values: Float32Array): LevelArrival | undefined {
    const tensor = this.expected[index]!;
    this.tensors.set(tensor.name, values);
    const level = tensor.completes;
    if (level === undefined || level >= levelCount(this.spec) - 1) return undefined;
    const picture = headModel({ spec: this.spec, weights: weightsFrom(this.spec, this.tensors, '', true) }, level)!;
    const entry = this.header.tensors[index]!;
    return { picture, bytes: this.dataStart + entry.offset + entry.length };
  }
}
