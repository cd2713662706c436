/** The `.inr` header as a reader hands it out (docs/FORMAT.md describes every field). */

export type InrKind = 'image' | 'video' | 'signal';
/** Quantised to that many bits a code, entropy-coded (format version 2; docs/FORMAT.md, "Coded tensors"). */
export type CodedDtype = 'q2' | 'q3' | 'q4' | 'q5' | 'q6' | 'q7' | 'q8' | 'q9' | 'q10' | 'q11' | 'q12' | 'q13' | 'q14' | 'q15' | 'q16';
/** Plain dtypes store every value; coded ones store entropy-coded codes. */
export type InrDtype = 'f32' | 'f16' | 'int8' | CodedDtype;
export type InrColorSpace = 'srgb' | 'linear' | 'none';
export type ProvenanceScalar = string | number | boolean | null;
export type ProvenanceValue = ProvenanceScalar | ProvenanceScalar[];

export interface InrTensorEntry {
  /** `layers.{i}.weight`, `layers.{i}.bias`, `modulators.{i}.weight`, after the segment prefix. */
  name: string;
  dtype: InrDtype;
  shape: number[];
  /** Bytes from the data start; a multiple of 16. */
  offset: number;
  /** Stored bytes: exactly what dtype and shape imply, or for a coded dtype within the range they allow. */
  length: number;
  /** CRC-32 (zlib) of the stored bytes. */
  crc32: number;
}

export interface InrSegment {
  /** First frame (index on axis 0) this segment covers. */
  frameStart: number;
  frameCount: number;
  /** Factorisation of [frameCount, H, W]. */
  bases: number[][];
  /** Prepended to every tensor name of this segment. */
  prefix: string;
}

export interface InrHeader {
  kind: InrKind;
  axes: string[];
  shape: number[];
  channels: number;
  /** Absent exactly when `segments` is present (each segment has its own). */
  bases?: number[][];
  widths: number[];
  omegas: number[];
  modScales: number[];
  /** Display value = clamp((y - lo) / (hi - lo), 0, 1). */
  outputRange: [number, number];
  colorSpace: InrColorSpace;
  fps?: number;
  /**
   * From version 4 the provenance is stored after the tensors (`provenanceTrailer`): a reader
   * has it once the whole file has been read, and `{}` before (in the parser's header event).
   */
  provenance: Record<string, ProvenanceValue>;
  tensors: InrTensorEntry[];
  segments?: InrSegment[];
  /** The file stores a level head per level 1..L-2 (every segment does); format version 3 on. */
  levelHeads?: boolean;
  /**
   * With level heads, unsegmented: `levelEnds[k - 1]` is the byte, from the data start, at
   * which every tensor level k's picture needs has been stored (k = 1..L-1; the last is the end
   * of the data).
   */
  levelEnds?: number[];
  /** Version 4, with a non-empty provenance: the bytes and CRC-32 of its JSON, stored after the last tensor. */
  provenanceTrailer?: { length: number; crc32: number };
}

/** A header before the writer has laid out the data: tensors carry no offsets yet. */
export type InrHeaderInit = Omit<InrHeader, 'tensors' | 'provenanceTrailer'>;

export interface InrVersion {
  major: number;
  minor: number;
}

/** A fully read file, every tensor decoded to float32. */
export interface InrFile {
  version: InrVersion;
  header: InrHeader;
  tensors: Map<string, Float32Array>;
  /** Bytes the file occupied. */
  byteLength: number;
}
