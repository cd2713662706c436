/**
 * The script tag for pictures (`dist/inrstream-image.min.js`): what a page of `<inr-image>`s
 * needs, registered as it loads. The full surface (src/index.ts) adds the writer and video; a
 * page of pictures does not download them (docs/RUNTIME.md, "Assets").
 */
export { InrBackendError, InrDrawError, InrError, InrFormatError, InrImportError, InrLoadError, InrModelError, InrTrainError } from './util/errors.js';
export type {
  InrBackendErrorCode,
  InrDrawErrorCode,
  InrErrorCode,
  InrFormatErrorCode,
  InrImportErrorCode,
  InrLoadErrorCode,
  InrModelErrorCode,
  InrTrainErrorCode,
} from './util/errors.js';
export type { AsmrModel, AsmrSpec, Region } from './model/types.js';
export { modelFromInr, readInr, readInrStream } from './format/index.js';
export type { InrFile, InrHeader, InrLimits, InrMeta, InrProgress, InrStreamOptions } from './format/index.js';
export { loadInr, type InrSource, type LoadOptions, type LoadProgress } from './loader/load.js';
// The engine's code (tfjs) is not in the main script: createEngine loads it on first call.
export type {
  DecodeEngine,
  BackendChange,
  BackendChoice,
  BackendName,
  BackendReport,
  Calibration,
  DecodeEngineEventMap,
  EngineModel,
  EngineOptions,
  Refusal,
} from './engine/index.js';
export { decodeImageData, type PictureOptions } from './render/picture.js';
export type { RenderJob, RenderJobEventMap, RenderProgress, RenderStats } from './render/render-job.js';
export type { SourceDecoding } from './render/tile-source.js';
export type { Arrival, ArrivingBytes, ArrivingLayout, ArrivingModel } from './render/arriving.js';
export {
  createEngine,
  createRuntime,
  DRAW_WORKER_MIN_PIXELS,
  PAGE_DECODE_MAX_MACS,
  Runtime,
  type LoadedModel,
  type OpeningModel,
  type RuntimeEventMap,
  type RuntimeFallback,
  type RuntimeOptions,
} from './runtime.js';
export { configure, type InrConfig } from './workers/assets.js';
export {
  defineInrImage,
  InrImageElement,
  type InrImageErrorDetail,
  type InrImageEventMap,
  type InrImageLoadDetail,
  type InrImageProgressDetail,
} from './elements/inr-image.js';
export type { InrElementErrorDetail, InrElementEventMap } from './elements/canvas-element.js';

import { defineInrImage } from './elements/inr-image.js';

// One <script> tag is enough: the element is registered as the bundle loads.
defineInrImage();
