/**
 * The trials a backend must pass before it runs (see backend/select.ts): start it, decode a
 * small random model whose answer the plain-TypeScript evaluator gives, and (for auto on
 * software devices) time a short decode.
 */
import { probeDevice } from '../backend/device-probe.js';
import type { BackendTrials } from '../backend/select.js';
import type { BackendName } from '../backend/types.js';
import { fullRegion } from '../model/digits.js';
import { randomModel } from '../model/random.js';
import { decodeShared } from '../model/shared.js';
import type { AsmrModel } from '../model/types.js';
import { yieldToEventLoop } from '../util/yield.js';
import { InrBackendError } from '../util/errors.js';
import { createDecoder, startBackend } from './decoders.js';
import { prepareModel } from './prepared.js';
import { decodeRgba, decodeValues, type ModelEntry, type TileDecoder } from './tile-decoder.js';

/** Known-answer tolerance: the accuracy the engine promises against the oracle. */
const KNOWN_ANSWER_TOLERANCE = 2e-3;

const KNOWN = randomModel(
  {
    shape: [8, 12],
    bases: [
      [2, 2, 2],
      [2, 3, 2],
    ],
    channels: 3,
    widths: [8, 8],
    omegas: [30, 30],
    modScales: [30, 30],
  },
  1234,
);
const CALIBRATION = randomModel(
  {
    shape: [128, 128],
    bases: [
      [4, 4, 8],
      [4, 4, 8],
    ],
    channels: 3,
    widths: [64, 64],
    omegas: [30, 30],
    modScales: [30, 30],
  },
  99,
);

function entryOf(model: AsmrModel, key: string): ModelEntry {
  return { key, prepared: prepareModel(model), outputRange: [0, 1] };
}

/** Runs `f` with a throwaway decoder on `name`, freeing everything it made. */
async function withDecoder<T>(name: BackendName, model: AsmrModel, maxTileSamples: number, f: (d: TileDecoder, e: ModelEntry) => Promise<T>): Promise<T> {
  const decoder = await createDecoder(name, { cacheBytes: 1 << 20, maxTileSamples });
  const entry = entryOf(model, `trial-${name}`);
  await decoder.activate();
  try {
    return await f(decoder, entry);
  } finally {
    decoder.release(entry);
  }
}

/** A trial that failed: the backend cannot be used here (chooseBackend lists it as refused, with this reason). */
const unavailable = (reason: string) => new InrBackendError('backend-unavailable', reason);

export function engineTrials(): BackendTrials {
  return {
    start: startBackend,
    probe: probeDevice,
    // The CPU decoder is the WASM decoder's kernels in plain JavaScript, for pages where
    // WebAssembly cannot run; it is many times slower than WASM (docs/ENGINE.md).
    standsInFor: { cpu: 'wasm' },
    async verify(name) {
      await yieldToEventLoop();
      const expected = decodeShared(KNOWN);
      // Tiles of 24 samples (4 of them): the known answer also goes through the tiler and the
      // shared-activation cache.
      const got = await withDecoder(name, KNOWN, 32, (d, e) => decodeValues(d, e, fullRegion(KNOWN.spec), 32));
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
      if (!(worst <= KNOWN_ANSWER_TOLERANCE)) throw unavailable(`known-answer decode is off by ${worst} (allowed ${KNOWN_ANSWER_TOLERANCE})`);
    },
    async time(name) {
      return withDecoder(name, CALIBRATION, 16 * 1024, async (d, e) => {
        // Bands of a level-0 block's rows, each decoded in a task of its own and their times
        // summed: on the main thread a whole run on the tfjs CPU backend was a long task.
        const [height, width] = CALIBRATION.spec.shape as [number, number];
        const rows = height / CALIBRATION.spec.bases[0]![0]!;
        const bands = Array.from({ length: height / rows }, (_, k) => ({ start: [k * rows, 0], size: [rows, width] }));
        let best = Infinity;
        // Three timed runs: a worker calibrates while the page starts up, and with two a
        // single descheduled run let the CPU backend beat WASM here.
        for (let run = 0; run < 4; run++) {
          d.forget();
          let ms = 0;
          for (const band of bands) {
            await yieldToEventLoop();
            const t0 = performance.now();
            await decodeRgba(d, e, band, 16 * 1024);
            ms += performance.now() - t0;
          }
          // The first run compiles shaders and fills pools: not counted.
          if (run > 0) best = Math.min(best, ms);
        }
        return best;
      });
    },
  };
}
