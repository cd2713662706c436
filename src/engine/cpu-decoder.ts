/**
 * Tiles on the CPU without tfjs: `wasm` runs the coarse levels and the last level in the
 * WebAssembly SIMD module (kernels/simd-module.ts); `cpu` runs the same maths in plain
 * JavaScript, for pages where WebAssembly cannot be compiled. Coarse activations Z_l are
 * cached as Float32Arrays under their level and grid (tiles beneath one prefix share them).
 */
import { InrBackendError } from '../util/errors.js';
import type { LossWatch } from '../backend/loss.js';
import { packPanels, transitionJs, transitionSimd, type CpuLayer, type Transition } from '../kernels/coarse-cpu.js';
import { lastLevelJs, lastLevelSimd } from '../kernels/last-level-cpu.js';
import type { OutputMode } from '../kernels/params.js';
import { instantiateSimd, type SimdKernels } from '../kernels/simd-module.js';
import type { PrefixRange } from '../model/digits.js';
import type { Region } from '../model/types.js';
import { gridKey, gridSize, levelGrids, levelZeroCoords, transitionIndices } from '../tiles/grids.js';
import { FloatPool } from '../tiles/float-pool.js';
import { ByteLru } from '../tiles/lru.js';
import type { PreparedLayer, PreparedModel } from './prepared.js';
import { lastLevelParams, singleLevel, type ModelEntry, type TileDecoder, type TileDecoderOptions } from './tile-decoder.js';

/**
 * The SIMD kernels' panels per stored weight array, packed once: a progressive render's preview
 * models share their layers' weights with the full model, and so their panels too.
 */
const panelsOf = new WeakMap<Float32Array, Float32Array>();
const NONE = new Float32Array(0);

function simdLayer(l: PreparedLayer): CpuLayer {
  let panels = panelsOf.get(l.weight);
  if (panels?.length !== (l.fanIn + (l.fanIn & 1)) * l.out) {
    panels = packPanels(l.weight, l.outStored, l.fanInStored, l.fanIn, l.out);
    panelsOf.set(l.weight, panels);
  }
  return { weightT: NONE, panels, bias: l.bias, k: l.fanIn, n: l.out };
}

/** A CPU backend is never lost. */
const NEVER_LOST: LossWatch = { lost: false, reason: '', whenLost: new Promise<void>(() => undefined) };

export class CpuTileDecoder implements TileDecoder {
  readonly watch = NEVER_LOST;
  private readonly cache: ByteLru<Float32Array>;
  /** Activations the cache drops and outputs handed back (`recycle`), for the next decodes. */
  private readonly pool: FloatPool;
  private readonly layers = new WeakMap<PreparedModel, CpuLayer[]>();

  private constructor(
    readonly backend: 'wasm' | 'cpu',
    private readonly kernels: SimdKernels | null,
    options: TileDecoderOptions,
  ) {
    this.pool = new FloatPool(options.maxTileSamples * 16);
    this.cache = new ByteLru<Float32Array>(options.cacheBytes, (z) => this.pool.give(z));
  }

  /** `wasm` needs WebAssembly SIMD (and a page that lets it compile); throws with the reason otherwise. */
  static create(backend: 'wasm' | 'cpu', options: TileDecoderOptions): CpuTileDecoder {
    if (backend === 'cpu') return new CpuTileDecoder('cpu', null, options);
    const kernels = instantiateSimd();
    if (!kernels) {
      throw new InrBackendError(
        'backend-unavailable',
        'WebAssembly SIMD could not be compiled here (no WebAssembly SIMD, or a Content-Security-Policy without wasm-unsafe-eval)',
      );
    }
    return new CpuTileDecoder('wasm', kernels, options);
  }

  /** How the kernels run, for the backend report. */
  get device(): string {
    if (!this.kernels) return 'JavaScript on the CPU';
    return `WebAssembly SIMD on the CPU${this.kernels.relaxed ? ' (relaxed-SIMD fused multiply-add)' : ''}`;
  }

  get cacheStats(): { bytes: number; entries: number; budget: number } {
    return { bytes: this.cache.bytes, entries: this.cache.size, budget: this.cache.budgetBytes };
  }

  async activate(): Promise<void> {}

  async decodeTile(entry: ModelEntry, tile: Region, mode: OutputMode): Promise<Float32Array> {
    const { prepared } = entry;
    if (prepared.levels === 1) return singleLevel(entry, tile, mode);
    const grids = levelGrids(prepared.strides, tile, prepared.levels);
    const z = this.parentTable(entry, grids);
    const params = lastLevelParams(entry, tile, grids, mode);
    const out = this.pool.take(params.samples * 4);
    if (this.kernels) lastLevelSimd(this.kernels, z, prepared.lastModTrig, prepared.lastGrouped, params, out);
    else lastLevelJs(z, prepared.lastModTrig, prepared.lastT, params, out);
    return out;
  }

  recycle(values: Float32Array): void {
    this.pool.give(values);
  }

  forget(key?: string): void {
    if (key === undefined) this.cache.clear();
    else this.cache.deleteWhere((k) => k.startsWith(`${key}|`));
  }

  release(entry: ModelEntry): void {
    this.forget(entry.key);
  }

  /** Packs the model's layers for the kernels now, not in its first tile (whose time then measures decoding alone). */
  prepare(prepared: PreparedModel): void {
    this.cpuLayers(prepared);
  }

  /** Z_{L-2} over the tile's level-(L-2) grid, from the deepest cached level down. */
  private parentTable(entry: ModelEntry, grids: PrefixRange[][]): Float32Array {
    const { prepared } = entry;
    const top = prepared.levels - 2;
    const key = (l: number): string => `${entry.key}|${gridKey(l, grids[l]!)}`;
    let level = top;
    let z = this.cache.get(key(level));
    while (!z && level > 0) z = this.cache.get(key(--level));
    if (!z) {
      z = levelZero(prepared, grids[0]!);
      this.cache.put(key(0), z, z.buffer.byteLength);
    }
    const layers = this.cpuLayers(prepared);
    while (level < top) {
      level++;
      const { parent, digit } = transitionIndices(prepared.model.spec.bases, grids[level - 1]!, grids[level]!, level);
      const t: Transition = {
        z,
        parent,
        digit,
        mod: prepared.mods[level - 1]!,
        omega: prepared.model.spec.omegas[level - 1]!,
        layer: layers[level]!,
        take: (n) => this.pool.take(n),
      };
      z = this.kernels ? transitionSimd(this.kernels, t) : transitionJs(t);
      // A pooled array may be a view of a larger buffer: the cache counts what it holds.
      this.cache.put(key(level), z, z.buffer.byteLength);
    }
    return z;
  }

  private cpuLayers(prepared: PreparedModel): CpuLayer[] {
    let layers = this.layers.get(prepared);
    if (!layers) {
      layers = prepared.layers.map((l, i) => (this.kernels && i > 0 ? simdLayer(l) : { weightT: l.weightT, panels: NONE, bias: l.bias, k: l.fanIn, n: l.out }));
      this.layers.set(prepared, layers);
    }
    return layers;
  }
}

/** Z_0 = W_0 c_0 + b_0 over the level-0 grid (D inputs a row: cheap in plain JavaScript). */
function levelZero(prepared: PreparedModel, grid: readonly PrefixRange[]): Float32Array {
  const { weightT, bias, fanIn, out: n } = prepared.layers[0]!;
  const coords = levelZeroCoords(prepared.model.spec.bases, grid);
  const rows = gridSize(grid);
  const z = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      let v = bias[c]!;
      for (let a = 0; a < fanIn; a++) v += coords[r * fanIn + a]! * weightT[a * n + c]!;
      z[r * n + c] = v;
    }
  }
  return z;
}
