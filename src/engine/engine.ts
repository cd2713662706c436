/**
 * The decode engine: picks a backend (backend/select.ts), decodes regions tile by tile on it
 * (tile-decoder.ts), and survives device loss: a lost WebGPU device or WebGL context is
 * re-created, or else the next backend takes over, with a `backendchange` event and the same
 * pixels, never a blank canvas.
 */
import { InrBackendError } from '../util/errors.js';
import { TypedEventTarget } from '../util/events.js';
import { chooseBackend } from '../backend/select.js';
import { BACKEND_ORDER } from '../backend/types.js';
import type { BackendChoice, BackendName, BackendReport } from '../backend/types.js';
import { fullRegion, regionSize, validateRegion } from '../model/digits.js';
import { validateSpec } from '../model/spec.js';
import type { AsmrModel, AsmrSpec, Region } from '../model/types.js';
import { planTiles } from '../tiles/tiler.js';
import { createDecoder, recreateBackend } from './decoders.js';
import { checkDecodeMemory, DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES, DEFAULT_MEMORY_BYTES } from './memory.js';
import { prepareModel } from './prepared.js';
import { decodeRgba, decodeValues, type ModelEntry, type TileDecoder } from './tile-decoder.js';
import { engineTrials } from './trials.js';

export interface EngineOptions {
  /** A backend to force, or `auto` (default): see docs/ENGINE.md for the rule. */
  backend?: BackendChoice;
  /** Byte budget of the shared-activation cache (default 64 MiB). */
  cacheBytes?: number;
  /** Largest tile, in samples (default 2^20); tiles are aligned to level blocks. */
  maxTileSamples?: number;
  /**
   * Bytes a model's decode may hold: its tables, the largest tile, the cache and a whole-region
   * output (default 512 MiB). A model or region over it is InrModelError 'too-large', before
   * anything is allocated (see memory.ts).
   */
  memoryBytes?: number;
}

/** A model loaded into an engine. */
export interface EngineModel {
  readonly id: number;
  readonly spec: AsmrSpec;
  readonly outputRange: readonly [number, number];
}

/** Detail of the `backendchange` event. */
export interface BackendChange {
  from: BackendName;
  to: BackendName;
  /** Why: the loss that forced the change. */
  reason: string;
  report: BackendReport;
}

export interface DecodedTile {
  region: Region;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

/**
 * Tiles drawn on a canvas by the engine's GPU, never read back unless `pixels()` is asked
 * (docs/ENGINE.md, "Drawing on the GPU"). Positions are canvas pixels [x, y]; `blockSize` is
 * [y, x] pixels per sample.
 */
export interface EnginePresenter {
  /** Sizes the canvas and a blank picture. */
  begin(width: number, height: number): void;
  /** Puts RGBA8 samples decoded elsewhere (a preview from the CPU, say). */
  put(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, at: [number, number], blockSize: [number, number]): void;
  /** Decodes `region` of `model` (its last two axes height and width) into the picture; resolves once the GPU has done it. */
  draw(model: EngineModel, region: Region, at: [number, number], blockSize: [number, number]): Promise<void>;
  /** Shows the picture on the canvas; resolves when the GPU has done it. */
  present(): Promise<void>;
  /** The picture's pixels, read back from the GPU. */
  pixels(): Promise<ImageData>;
  /** Frees the picture on the GPU. */
  dispose(): void;
}

export { DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES } from './memory.js';

/** DecodeEngine's events. */
export interface DecodeEngineEventMap {
  /** The device was lost and another backend (or the same, re-created) took over. */
  backendchange: CustomEvent<BackendChange>;
}

export class DecodeEngine extends TypedEventTarget<DecodeEngineEventMap> {
  private readonly models = new Map<number, ModelEntry>();
  private nextId = 1;
  private disposed = false;

  private constructor(
    private current: BackendReport,
    private decoder: TileDecoder,
    private readonly options: Required<EngineOptions>,
  ) {
    super();
  }

  static async create(options: EngineOptions = {}): Promise<DecodeEngine> {
    const opts = {
      backend: options.backend ?? 'auto',
      cacheBytes: options.cacheBytes ?? DEFAULT_CACHE_BYTES,
      maxTileSamples: options.maxTileSamples ?? DEFAULT_MAX_TILE_SAMPLES,
      memoryBytes: options.memoryBytes ?? DEFAULT_MEMORY_BYTES,
    };
    const report = await chooseBackend(opts.backend, engineTrials());
    return new DecodeEngine(report, await createDecoder(report.backend, opts), opts);
  }

  /** The backend that runs now. */
  get backend(): BackendName {
    return this.current.backend;
  }

  /** Which backend runs, on what device, why, and why the others did not. */
  get report(): BackendReport {
    return this.current;
  }

  /** Bytes and entries held by the shared-activation cache. */
  get cacheStats(): { bytes: number; entries: number; budget: number } {
    return this.decoder.cacheStats;
  }

  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] } = {}): EngineModel {
    this.ensureOpen();
    const id = this.nextId++;
    validateSpec(model.spec);
    checkDecodeMemory(model.spec, this.options);
    const outputRange: [number, number] = [opts.outputRange?.[0] ?? 0, opts.outputRange?.[1] ?? 1];
    this.models.set(id, { key: `m${id}`, prepared: prepareModel(model), outputRange });
    return { id, spec: model.spec, outputRange };
  }

  /** Unclamped values, [samples, channels], row-major over the region (decodeShared's layout). */
  async decodeValues(model: EngineModel, region?: Region): Promise<Float32Array> {
    const entry = this.entry(model);
    const box = this.box(entry, region);
    checkDecodeMemory(entry.prepared.model.spec, this.options, regionSize(box) * entry.prepared.model.spec.channels * 4);
    return this.guarded(() => decodeValues(this.decoder, entry, box, this.options.maxTileSamples));
  }

  /** RGBA8, [samples, 4], with toRgba8's mapping of the model's output range. */
  async decodeRgba(model: EngineModel, region?: Region): Promise<Uint8ClampedArray<ArrayBuffer>> {
    const entry = this.entry(model);
    const box = this.box(entry, region);
    checkDecodeMemory(entry.prepared.model.spec, this.options, regionSize(box) * 4);
    return this.guarded(() => decodeRgba(this.decoder, entry, box, this.options.maxTileSamples));
  }

  /** The region tile by tile (aligned to level blocks), for callers that never hold the whole. */
  async *tiles(model: EngineModel, region?: Region): AsyncGenerator<DecodedTile> {
    const entry = this.entry(model);
    const box = this.box(entry, region);
    for (const tile of planTiles(entry.prepared.model.spec, box, this.options.maxTileSamples).tiles) {
      const values = await this.guarded(() => this.decoder.decodeTile(entry, tile, 'display'));
      const rgba = new Uint8ClampedArray(values.length);
      rgba.set(values);
      this.decoder.recycle?.(values);
      yield { region: tile, rgba };
    }
  }

  /**
   * Draws this engine's tiles on `canvas` (on this thread, with no context yet) from the GPU
   * that decodes them; InrBackendError 'backend-unavailable' with the reason where it cannot
   * (a CPU backend, a canvas with another context). A device lost while drawing fails the draw
   * ('device-lost'): the picture was on that device.
   */
  async presenter(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<EnginePresenter> {
    this.ensureOpen();
    const decoder = this.decoder;
    if (!decoder.presenter) throw new InrBackendError('backend-unavailable', `the ${this.backend} backend decodes on the CPU: its tiles are drawn from RGBA8`);
    await decoder.activate();
    const presenter = await decoder.presenter(canvas);
    return {
      begin: (width, height) => presenter.begin(width, height),
      put: (rgba, width, height, at, blockSize) => presenter.put(rgba, width, height, at, blockSize),
      draw: async (model, region, at, blockSize) => {
        const entry = this.entry(model);
        validateRegion(entry.prepared.model.spec, region);
        if (this.decoder !== decoder || decoder.watch.lost)
          throw new InrBackendError('device-lost', `${decoder.backend} was lost: the picture was on it`, 'backend');
        await decoder.activate();
        await presenter.decode(entry, region, at, blockSize);
      },
      present: () => presenter.present(),
      pixels: () => presenter.pixels(),
      dispose: () => presenter.dispose(),
    };
  }

  /** Drops every cached coarse activation (they are recomputed on demand). */
  clearCache(): void {
    this.decoder.forget();
  }

  /** Frees the model's tensors and cached activations. */
  release(model: EngineModel): void {
    const entry = this.models.get(model.id);
    if (!entry) return;
    this.decoder.release(entry);
    this.models.delete(model.id);
  }

  /** Releases every model; the engine cannot be used afterwards. */
  dispose(): void {
    for (const id of [...this.models.keys()]) this.release({ id } as EngineModel);
    this.decoder.forget();
    this.disposed = true;
  }

  private ensureOpen(): void {
    if (this.disposed) throw new InrBackendError('released', 'the engine was disposed', 'engine');
  }

  private entry(model: EngineModel): ModelEntry {
    this.ensureOpen();
    const entry = this.models.get(model.id);
    if (!entry) throw new InrBackendError('released', `model ${model.id} was released or never loaded`, 'model');
    return entry;
  }

  private box(entry: ModelEntry, region?: Region): Region {
    const box = region ?? fullRegion(entry.prepared.model.spec);
    validateRegion(entry.prepared.model.spec, box);
    return box;
  }

  /** Runs a decode; if the device is lost before or during it, recovers and runs it again once. */
  private async guarded<T>(decode: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.decoder.watch.lost) await this.recover();
      await this.decoder.activate();
      try {
        const result = await decode();
        if (!this.decoder.watch.lost) return result;
      } catch (e) {
        if (!this.decoder.watch.lost) throw e;
      }
      if (attempt > 0) throw new InrBackendError('device-lost', `${this.backend} was lost again during a retried decode`, 'backend');
    }
  }

  /** Re-creates the lost backend, or else takes the next one that passes its trials. */
  private async recover(): Promise<void> {
    const from = this.backend;
    const reason = this.decoder.watch.reason;
    this.decoder.forget();
    for (const entry of this.models.values()) this.decoder.release(entry);
    await recreateBackend(from);
    const trials = engineTrials();
    const order = [from, ...BACKEND_ORDER.filter((n) => n !== from && BACKEND_ORDER.indexOf(n) > BACKEND_ORDER.indexOf(from))];
    let report: BackendReport | undefined;
    for (const name of order) {
      try {
        report = await chooseBackend(name, trials);
        break;
      } catch {
        // Try the next one; the report of the one that works lists the change.
      }
    }
    if (!report) throw new InrBackendError('device-lost', `${from} was lost (${reason}) and no backend could take over`, 'backend');
    report = { ...report, reason: report.backend === from ? `re-created after: ${reason}` : `fell back after: ${reason}` };
    this.current = report;
    this.decoder = await createDecoder(report.backend, this.options);
    this.emit('backendchange', { from, to: report.backend, reason, report });
  }
}

/** Starts an engine: chooses (or forces) a backend, checked by a known-answer decode. */
export function createEngine(options: EngineOptions = {}): Promise<DecodeEngine> {
  return DecodeEngine.create(options);
}
