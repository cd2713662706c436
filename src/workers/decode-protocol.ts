/**
 * The decode worker's wire types (workers/decode-worker.ts implements them, pool.ts and
 * client.ts call them through comlink): one file both sides import, so a change to either
 * side that breaks the other fails to compile.
 */
import type { BackendChoice, BackendReport } from '../backend/types.js';
import type { AsmrModel, Region } from '../model/types.js';

export interface WorkerInit {
  backend?: BackendChoice;
}

export interface DecodedRegion {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** The engine's time on it in the worker, without the messaging around it. */
  busyMs: number;
}

export interface DecodeWorkerApi {
  /** Starts the engine (once); resolves with which backend runs there and why. */
  init(options?: WorkerInit): Promise<BackendReport>;
  /** Parses and validates a `.inr` (first segment for video); returns a handle for decode(). */
  load(bytes: Uint8Array): Promise<number>;
  /** A model already checked by the page (its weights transferred); returns a handle for decode(). */
  loadModel(model: AsmrModel, outputRange: [number, number]): Promise<number>;
  /** The centre-value preview of a loaded model at `level` (docs/RUNTIME.md), sharing its weights; returns its handle. */
  preview(id: number, level: number): Promise<number>;
  /** RGBA8 of a region whose last two axes are (height, width); the buffer is transferred. */
  decode(id: number, region: Region): Promise<DecodedRegion>;
  release(id: number): Promise<void>;
}
