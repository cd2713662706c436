/**
 * The CPU decode kernels (WebAssembly SIMD, src/kernels) on this thread as a tile source, with
 * no decode engine around them: no backend choice, no tfjs, nothing to fetch. The runtime
 * decodes small pictures with it (docs/RUNTIME.md, "Small pictures on the page"): for them a
 * decode worker takes longer to start than the whole decode takes here.
 */
import { CpuTileDecoder } from '../engine/cpu-decoder.js';
import { DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES } from '../engine/memory.js';
import { prepareModel } from '../engine/prepared.js';
import { decodeRgba, type ModelEntry } from '../engine/tile-decoder.js';
import type { AsmrModel, Region } from '../model/types.js';
import { yieldToEventLoop } from '../util/yield.js';
import type { DecodedRgba, SourceDecoding, TileSource } from './tile-source.js';

/**
 * Activations the page's kernels may cache: a small picture's coarse levels are a few MB, and
 * this thread's memory is the page's.
 */
const PAGE_CACHE_BYTES = Math.min(DEFAULT_CACHE_BYTES, 16 * 2 ** 20);

export class KernelTileSource implements TileSource<ModelEntry> {
  /**
   * An 'auto' budget starts at the rate the kernels decode a small picture's full detail in
   * large tiles (about 6e6 MAC/ms on the project's 2-core VM, docs/RUNTIME.md). They are a
   * third as fast in tiles of a few million MACs (each tile pays its coarse levels and tables
   * again), so a budget that started low stayed low, its tiles too small to show the kernels'
   * speed. A tile is half a frame's budget, so on a CPU five times slower each is a task of
   * about 20 ms, not a long task, until the budget has measured that CPU.
   */
  readonly initialMacPerMs = 6e6;
  private nextKey = 1;

  private constructor(
    private readonly decoder: CpuTileDecoder,
    readonly decoding: SourceDecoding,
  ) {}

  /** Throws InrBackendError 'backend-unavailable' where WebAssembly SIMD cannot be compiled. */
  static create(reason: string): KernelTileSource {
    const decoder = CpuTileDecoder.create('wasm', { cacheBytes: PAGE_CACHE_BYTES, maxTileSamples: DEFAULT_MAX_TILE_SAMPLES });
    return new KernelTileSource(decoder, { where: 'main-thread', backend: 'wasm', device: decoder.device, reason });
  }

  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] } = {}): ModelEntry {
    const [lo, hi] = opts.outputRange ?? [0, 1];
    const prepared = prepareModel(model);
    this.decoder.prepare(prepared);
    return { key: `page${this.nextKey++}`, prepared, outputRange: [lo, hi] };
  }

  async decodeRgba(entry: ModelEntry, region: Region): Promise<DecodedRgba> {
    // Each tile in a task of its own, as CpuTileSource: a frame's work is never one long task.
    await yieldToEventLoop();
    const start = performance.now();
    const rgba = await decodeRgba(this.decoder, entry, region, DEFAULT_MAX_TILE_SAMPLES);
    return { rgba, busyMs: performance.now() - start };
  }

  release(entry: ModelEntry): void {
    this.decoder.release(entry);
  }
}
