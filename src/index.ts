/** inrstream: play neural (ASMR) images and video in the browser. */
export { InrBackendError, InrDrawError, InrError, InrFormatError, InrImportError, InrLoadError, InrModelError, InrTrainError } from './util/errors.js';
export * from './format/index.js';
export * from './model/index.js';
export { importReferenceAsmr, type ImportedMeta } from './import/asmr-reference.js';
export { readSafetensors, type SafeTensor } from './import/safetensors.js';
export { toRgba8 } from './render/rgba.js';
export { decodeToImageData, drawModel, frameRegion, type FrameOptions } from './render/canvas.js';
export { openDecodeWorker, type DecodeWorker } from './workers/client.js';
export { WorkerPool, defaultPoolSize, type PoolHandle, type WorkerPoolOptions } from './workers/pool.js';
export { loadInr, type InrSource, type LoadOptions, type LoadProgress } from './loader/load.js';
export { FrameScheduler, type FrameClock, type FrameReport, type WorkItem } from './scheduler/frame-scheduler.js';
export { FrameBudget, type BudgetOptions } from './scheduler/budget.js';
export { renderProgressive, RenderJob, type DrawTarget, type RenderOptions, type RenderProgress, type RenderStats } from './render/render-job.js';
export { CanvasDrawer } from './render/canvas-drawer.js';
export type { TileDrawer } from './render/tile-drawer.js';
export { CpuTileSource, type TileSource } from './render/tile-source.js';
export {
  createEngine,
  DecodeEngine,
  DEFAULT_CACHE_BYTES,
  DEFAULT_MAX_TILE_SAMPLES,
  type BackendChange,
  type BackendChoice,
  type BackendName,
  type BackendReport,
  type Calibration,
  type DecodedTile,
  type EngineModel,
  type EngineOptions,
  type Refusal,
} from './engine/index.js';
export { decodeImageBitmap, decodeImageData, drawWithEngine, type PictureOptions } from './render/picture.js';
export { EngineTileSource } from './render/engine-source.js';
export { createRuntime, Runtime, type LoadedModel, type RuntimeOptions } from './runtime.js';
export { defineInrImage, InrImageElement, type InrImageErrorDetail, type InrImageLoadDetail, type InrImageProgressDetail } from './elements/inr-image.js';
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
