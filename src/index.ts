/** inrstream: play neural (ASMR) images and video in the browser. */
export { InrError, InrFormatError, InrImportError, InrModelError } from './errors.js';
export * from './format/index.js';
export * from './model/index.js';
export { importReferenceAsmr, type ImportedMeta } from './import/asmr-reference.js';
export { readSafetensors, type SafeTensor } from './import/safetensors.js';
export { toRgba8 } from './render/rgba.js';
export { decodeToImageData, drawModel, frameRegion, type FrameOptions } from './render/canvas.js';
export { openDecodeWorker, type DecodeWorker } from './workers/client.js';
