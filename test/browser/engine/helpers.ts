/** Shared by the engine tests: start an engine per backend, and compare decodes. */
import { createEngine, type DecodeEngine } from '../../../src/engine/index.js';
import { BACKEND_ORDER, type BackendName } from '../../../src/backend/types.js';
import { InrBackendError } from '../../../src/util/errors.js';

export const BACKENDS: BackendName[] = [...BACKEND_ORDER];

/** An engine forced onto `name`, or the reason that backend does not start here. */
export async function engineOn(name: BackendName, opts: { maxTileSamples?: number; cacheBytes?: number } = {}): Promise<DecodeEngine | string> {
  try {
    return await createEngine({ backend: name, ...opts });
  } catch (e) {
    if (e instanceof InrBackendError) return e.message;
    throw e;
  }
}

/** An engine forced onto `name`; skips the calling test, saying why, when that backend does not start here. */
export async function engineOrSkip(ctx: Mocha.Context, name: BackendName, opts: { maxTileSamples?: number; cacheBytes?: number } = {}): Promise<DecodeEngine> {
  const engine = await engineOn(name, opts);
  if (typeof engine === 'string') {
    console.warn(`skipped: ${name} does not start here (${engine})`);
    ctx.skip();
  }
  return engine;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
