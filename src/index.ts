/**
 * inrstream: play neural (ASMR) images and video in the browser. The curated surface: the
 * runtime, the elements, loading, the container's read and write, the engine and its one-shot
 * decode, the video player, errors and types. Maths and format primitives are on the secondary
 * entry `inrstream/core` (src/core.ts). docs/ARCHITECTURE.md says what belongs where.
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
export { encodeInr, modelFromInr, readInr, readInrStream, writeInr } from './format/index.js';
export type {
  InrEncodeOptions,
  InrFile,
  InrHeader,
  InrLimits,
  InrMeta,
  InrProgress,
  InrStreamOptions,
  InrTensorInput,
  InrWriteOptions,
} from './format/index.js';
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
export type { ArrivingModel } from './render/arriving.js';
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
export { openVideo, type OpenVideoOptions } from './video/open.js';
export { VideoSource, type VideoSegment, type VideoSourceEventMap } from './video/source.js';
export { VideoPlayer } from './video/player.js';
export type { PlayerOptions, PresentedFrame, SegmentProgress, VideoPlayerEventMap } from './video/player-types.js';
export type { PlayerState } from './video/player-state.js';
export type { Detail, DecodedFrame } from './video/frame-decoder.js';
export type { PlaybackStats } from './video/stats.js';
export { defineInrVideo, InrVideoElement, type InrVideoErrorDetail, type InrVideoEventMap } from './elements/inr-video.js';

import { defineInrImage } from './elements/inr-image.js';
import { defineInrVideo } from './elements/inr-video.js';

// One <script> tag is enough: the elements are registered as the bundle loads.
defineInrImage();
defineInrVideo();
