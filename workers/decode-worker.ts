/**
 * Decode worker: holds models (weights sent once) and decodes regions of them into RGBA8, off
 * the main thread. Driven through comlink; see src/worker-client.ts.
 */
import { expose, transfer } from 'comlink';
import { modelFromInr, readInr } from '../src/format/index.js';
import { decodeShared } from '../src/model/shared.js';
import type { AsmrModel, Region } from '../src/model/types.js';
import { toRgba8 } from '../src/render/rgba.js';

interface Loaded {
  model: AsmrModel;
  outputRange: [number, number];
}

const models = new Map<number, Loaded>();
let nextId = 1;

const api = {
  /** Parses and validates a `.inr` (first segment for video); returns a handle for decode(). */
  load(bytes: Uint8Array): number {
    const file = readInr(bytes);
    const id = nextId++;
    models.set(id, { model: modelFromInr(file), outputRange: file.header.outputRange ?? [0, 1] });
    return id;
  },

  /** RGBA8 of a region whose last two axes are (height, width); the buffer is transferred. */
  decode(id: number, region: Region): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
    const loaded = models.get(id);
    if (!loaded) throw new RangeError(`no model with handle ${id}`);
    const rgba = toRgba8(decodeShared(loaded.model, region), loaded.model.spec.channels, loaded.outputRange);
    const [height, width] = region.size.slice(-2) as [number, number];
    return transfer({ width, height, rgba }, [rgba.buffer]);
  },

  release(id: number): void {
    models.delete(id);
  },
};

export type DecodeWorkerApi = typeof api;

expose(api);
