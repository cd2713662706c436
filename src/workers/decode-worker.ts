/**
 * The decode worker (dist/inrstream-worker.min.js, a module worker; the ESM build's entry,
 * decode-entry.ts, loads it): runs its own decode engine (its own tfjs backend, chosen by the
 * same rule as on the main thread), holds models (weights sent once) and decodes regions of them
 * to RGBA8. Driven through comlink by pool.ts (wire types: decode-protocol.ts).
 */
import { expose, transfer } from 'comlink';
import { createEngine, type DecodeEngine, type EngineModel } from '../engine/engine.js';
import { modelFromInr, readInr } from '../format/index.js';
import { levelPicture } from '../model/preview.js';
import type { AsmrModel, Region } from '../model/types.js';
import { InrBackendError } from '../util/errors.js';
import type { DecodedRegion, DecodeWorkerApi, WorkerInit } from './decode-protocol.js';

let engine: Promise<DecodeEngine> | undefined;
/** Each handle's engine model, and the model and output range its previews derive from. */
const models = new Map<number, { loaded: EngineModel; model: AsmrModel; outputRange: [number, number] }>();
let nextId = 1;

function started(): Promise<DecodeEngine> {
  engine ??= createEngine();
  return engine;
}

function add(e: DecodeEngine, model: AsmrModel, outputRange: [number, number]): number {
  const id = nextId++;
  models.set(id, { loaded: e.load(model, { outputRange }), model, outputRange });
  return id;
}

const api: DecodeWorkerApi = {
  async init(options: WorkerInit = {}) {
    engine ??= createEngine(options);
    return (await engine).report;
  },

  async load(bytes: Uint8Array) {
    const e = await started();
    const file = readInr(bytes);
    return add(e, modelFromInr(file), file.header.outputRange ?? [0, 1]);
  },

  async loadModel(model: AsmrModel, outputRange: [number, number]) {
    // The engine checks the spec and every weight again: a worker trusts no message.
    return add(await started(), model, outputRange);
  },

  async preview(id: number, level: number) {
    const base = models.get(id);
    if (!base) throw new InrBackendError('released', `model ${id} was released or never loaded in this worker`, 'handle');
    const e = await started();
    return add(e, levelPicture(base.model, level).model, base.outputRange);
  },

  async decode(id: number, region: Region): Promise<DecodedRegion> {
    const model = models.get(id);
    // As the engine says of a released model (the pool released this one, or never loaded it here).
    if (!model) throw new InrBackendError('released', `model ${id} was released or never loaded in this worker`, 'handle');
    const e = await started();
    const start = performance.now();
    const rgba = await e.decodeRgba(model.loaded, region);
    const busyMs = performance.now() - start;
    const [height, width] = region.size.slice(-2) as [number, number];
    return transfer({ width, height, rgba, busyMs }, [rgba.buffer]);
  },

  async release(id: number): Promise<void> {
    const model = models.get(id);
    models.delete(id);
    if (model) (await started()).release(model.loaded);
  },
};

expose(api);
