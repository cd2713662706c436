/**
 * One main-thread decode engine per backend choice for every <inr-video> on the page, made on
 * first use. Video frames are decoded on the main thread: a frame is one small region whose
 * pixels go straight to a canvas, and a worker round trip per frame would add latency to
 * every frame for no saving at this size (docs/VIDEO.md).
 */
import type { BackendChoice } from '../backend/types.js';
import { createEngine, type DecodeEngine } from '../engine/index.js';

const engines = new Map<BackendChoice, Promise<DecodeEngine>>();

export function sharedEngine(backend: BackendChoice): Promise<DecodeEngine> {
  let engine = engines.get(backend);
  if (!engine) {
    engine = createEngine({ backend });
    // A backend that failed to start may start next time (e.g. after a device reset).
    engine.catch(() => engines.delete(backend));
    engines.set(backend, engine);
  }
  return engine;
}
