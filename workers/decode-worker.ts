/**
 * Decode worker: runs its own decode engine (its own tfjs backend, chosen by the same rule as
 * on the main thread), holds models (weights sent once) and decodes regions of them to RGBA8.
 * Driven through comlink by src/workers/pool.ts.
 */
import { expose, transfer } from 'comlink';
import type { BackendChoice, BackendReport } from '../src/backend/types.js';
import { createEngine, type DecodeEngine, type EngineModel } from '../src/engine/engine.js';
import { modelFromInr, readInr } from '../src/format/index.js';
import type { Region } from '../src/model/types.js';

export interface WorkerInit {
  backend?: BackendChoice;
  /** Where the tfjs .wasm files are; default: next to this script. */
  wasmPaths?: string;
}

let engine: Promise<DecodeEngine> | undefined;
const models = new Map<number, EngineModel>();
let nextId = 1;

function started(): Promise<DecodeEngine> {
  engine ??= createEngine();
  return engine;
}

const api = {
  /** Starts the engine (once); resolves with which backend runs here and why. */
  async init(options: WorkerInit = {}): Promise<BackendReport> {
    engine ??= createEngine(options);
    return (await engine).report;
  },

  /** Parses and validates a `.inr` (first segment for video); returns a handle for decode(). */
  async load(bytes: Uint8Array): Promise<number> {
    const e = await started();
    const file = readInr(bytes);
    const id = nextId++;
    models.set(id, e.load(modelFromInr(file), { outputRange: file.header.outputRange ?? [0, 1] }));
    return id;
  },

  /**
   * RGBA8 of a region whose last two axes are (height, width); the buffer is transferred.
   * busyMs: the engine's time on it here, without the messaging around it.
   */
  async decode(id: number, region: Region): Promise<{ width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer>; busyMs: number }> {
    const model = models.get(id);
    if (!model) throw new RangeError(`no model with handle ${id}`);
    const e = await started();
    const start = performance.now();
    const rgba = await e.decodeRgba(model, region);
    const busyMs = performance.now() - start;
    const [height, width] = region.size.slice(-2) as [number, number];
    return transfer({ width, height, rgba, busyMs }, [rgba.buffer]);
  },

  async release(id: number): Promise<void> {
    const model = models.get(id);
    models.delete(id);
    if (model) (await started()).release(model);
  },
};

export type DecodeWorkerApi = typeof api;

expose(api);
