/**
 * The decode worker (dist/inrstream-worker.min.js, a module worker; the ESM build's entry,
 * decode-entry.ts, loads it): runs its own decode engine (its own tfjs backend, chosen by the
 * same rule as on the main thread), holds models (weights sent once) and decodes regions of them
 * to RGBA8. Driven through comlink by pool.ts (wire types: decode-protocol.ts).
 */
import { expose, transfer } from 'comlink';
import { createEngine, type DecodeEngine, type EngineModel } from '../engine/engine.js';
import { modelFromInr, readInr } from '../format/index.js';
import type { Region } from '../model/types.js';
import { InrBackendError } from '../util/errors.js';
import type { DecodedRegion, DecodeWorkerApi, WorkerInit } from './decode-protocol.js';

let engine: Promise<DecodeEngine> | undefined;
const models = new Map<number, EngineModel>();
let nextId = 1;

function started(): Promise<DecodeEngine> {
  engine ??= createEngine();
  return engine;
}

const api: DecodeWorkerApi = {
  async init(options: WorkerInit = {}) {
    engine ??= createEngine(options);
    return (await engine).report;
  },

  async load(bytes: Uint8Array) {
    const e = await started();
    const file = readInr(bytes);
    const id = nextId++;
    models.set(id, e.load(modelFromInr(file), { outputRange: file.header.outputRange ?? [0, 1] }));
    return id;
  },

  async decode(id: number, region: Region): Promise<DecodedRegion> {
    const model = models.get(id);
    // As the engine says of a released model (the pool released this one, or never loaded it here).
    if (!model) throw new InrBackendError('released', `model ${id} was released or never loaded in this worker`, 'handle');
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

expose(api);
