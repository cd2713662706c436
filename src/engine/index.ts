/** The GPU decode engine: backend choice, tiled decode with cached shared activations, fused kernels. */
export { createEngine, DecodeEngine, DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES } from './engine.js';
export type { BackendChange, DecodeEngineEventMap, DecodedTile, EngineModel, EngineOptions, EnginePresenter } from './engine.js';
export type { BackendChoice, BackendName, BackendReport, Calibration, Refusal } from '../backend/types.js';
