/**
 * A worker pool that starts on first use: its workers (and their script's download) wait until
 * a tile, a load or the backend's report asks for them. A page whose pictures are all decoded on
 * its own thread (docs/RUNTIME.md, "Small pictures on the page") never fetches the decode worker.
 */
import type { BackendReport } from '../backend/types.js';
import type { AsmrModel, Region } from '../model/types.js';
import type { DecodedRgba, TileSource } from '../render/tile-source.js';
import { WorkerPool, type PoolHandle, type WorkerPoolOptions } from './pool.js';

export class LazyWorkerPool implements TileSource<PoolHandle> {
  private pool: WorkerPool | undefined;
  readonly offThread = true;

  /**
   * `size` workers (known before they start: the scheduler sizes its batches by it), made with
   * `options()` when first needed (so that finding their script waits too).
   */
  constructor(
    readonly size: number,
    private readonly options: () => Omit<WorkerPoolOptions, 'size'>,
  ) {}

  get parallelism(): number {
    return this.size;
  }

  private workers(): WorkerPool {
    this.pool ??= new WorkerPool({ ...this.options(), size: this.size });
    return this.pool;
  }

  report(): Promise<BackendReport> {
    return this.workers().report();
  }

  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] } = {}): PoolHandle {
    return this.workers().load(model, opts);
  }

  loadPreview(base: PoolHandle, level: number, model: AsmrModel): PoolHandle {
    return this.workers().loadPreview(base, level, model);
  }

  decodeRgba(handle: PoolHandle, region: Region): Promise<DecodedRgba> {
    return this.workers().decodeRgba(handle, region);
  }

  release(handle: PoolHandle): void {
    this.pool?.release(handle);
  }

  terminate(): void {
    this.pool?.terminate();
  }
}
