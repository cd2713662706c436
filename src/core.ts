/**
 * `inrstream/core`: the primitives under the curated API (src/index.ts), for tools, tests and
 * users who build their own pipeline: the container's parts, the model maths (oracle, shared
 * evaluator, costs, previews, seeded random models), the reference importer, and the render
 * pipeline's pieces (tile sources, drawers, the progressive render, the scheduler, the worker
 * pool). Everything here is also what the library itself is made of; nothing here registers
 * elements.
 */
export * from './format/index.js';
export * from './model/index.js';
export { importReferenceAsmr, type ImportedMeta } from './import/asmr-reference.js';
export { readSafetensors, type SafeTensor } from './import/safetensors.js';
export { DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES, type DecodedTile, type EnginePresenter } from './engine/index.js';
export { toRgba8 } from './render/rgba.js';
export { decodeToImageData, frameRegion, type FrameOptions } from './render/canvas.js';
export { FrameScheduler, type FrameClock, type FrameReport, type WorkItem } from './scheduler/frame-scheduler.js';
export { FrameBudget, type BudgetOptions } from './scheduler/budget.js';
export { renderProgressive, RenderJob, type DrawTarget, type RenderOptions } from './render/render-job.js';
export { CanvasDrawer } from './render/canvas-drawer.js';
export { ArrivingModel, type Arrival, type ArrivingBytes, type ArrivingLayout } from './render/arriving.js';
export type { DirectDraw, TileDrawer } from './render/tile-drawer.js';
export { CpuTileSource, type SourceDecoding, type TileSource } from './render/tile-source.js';
export { EngineTileSource } from './render/engine-source.js';
export { openDecodeWorker, type DecodeWorker } from './workers/client.js';
export { WorkerPool, defaultPoolSize, type PoolHandle, type WorkerPoolOptions } from './workers/pool.js';
export type { WorkerScript } from './workers/worker-script.js';
