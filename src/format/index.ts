/** The `.inr` container: see docs/FORMAT.md. */
export { codedModel } from './coded-model.js';
export { encodeInr, encodeInrSegments, modelFromInr, segmentOfFrame, specFromHeader, type InrEncodeOptions, type InrMeta } from './asmr-codec.js';
export { crc32 } from './crc32.js';
export { decodeF16, encodeF16, f16BitsToF32, f32ToF16Bits } from './float16.js';
export { dequantizeInt8, quantizeInt8, type Int8Quantised } from './int8.js';
export { DEFAULT_LIMITS, resolveLimits, type InrLimits } from './limits.js';
export { InrParser, type InrEvent, type InrParseOptions } from './parser.js';
export { LevelAssembler, type LevelArrival } from './levels.js';
export { DATA_ALIGN, FORMAT_VERSION, INR_MAGIC, PREAMBLE_BYTES } from './preamble.js';
export { statedPsnr } from './provenance.js';
export { readInr } from './read.js';
export { readInrStream, type InrProgress, type InrStreamOptions } from './stream.js';
export { validateHeader } from './header.js';
export type {
  CodedDtype,
  InrColorSpace,
  InrDtype,
  InrFile,
  InrHeader,
  InrHeaderInit,
  InrKind,
  InrSegment,
  InrTensorEntry,
  InrVersion,
  ProvenanceScalar,
  ProvenanceValue,
} from './types.js';
export { writeInr, type InrTensorInput, type InrWriteOptions } from './writer.js';
