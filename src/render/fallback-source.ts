import { InrBackendError, type InrBackendErrorCode } from '../util/errors.js';
import type { AsmrModel, Region } from '../model/types.js';
import type { DecodedRgba, TileSource } from './tile-source.js';

interface FallbackHandle {
  model: AsmrModel;
  opts: { outputRange?: readonly [number, number] };
  primary: unknown;
  secondary: unknown;
}

/**
 * A tile source that uses `primary` until it reports that it cannot run here (an
 * InrBackendError with one of `fatalCodes`), then `secondary` for good, retrying the tile that
 * failed. `onFallback` hears the reason once.
 */
export class FallbackTileSource implements TileSource<FallbackHandle> {
  private failed: string | undefined;

  constructor(
    private readonly primary: TileSource,
    private readonly secondary: TileSource,
    private readonly onFallback: (reason: string) => void,
    private readonly fatalCodes: readonly InrBackendErrorCode[] = ['workers-unavailable'],
  ) {}

  get parallelism(): number {
    return (this.failed === undefined ? this.primary : this.secondary).parallelism ?? 1;
  }

  get offThread(): boolean {
    return (this.failed === undefined ? this.primary : this.secondary).offThread ?? false;
  }

  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] }): FallbackHandle {
    return { model, opts, primary: this.failed === undefined ? this.primary.load(model, opts) : undefined, secondary: undefined };
  }

  /** The primary's preview where it makes them (the secondary loads the preview's model, which shares the weights). */
  loadPreview(base: FallbackHandle, level: number, model: AsmrModel): FallbackHandle {
    const { primary } = this;
    const made = this.failed === undefined && base.primary !== undefined && primary.loadPreview ? primary.loadPreview(base.primary, level, model) : undefined;
    return { model, opts: base.opts, primary: made ?? (this.failed === undefined ? primary.load(model, base.opts) : undefined), secondary: undefined };
  }

  async decodeRgba(handle: FallbackHandle, region: Region): Promise<DecodedRgba> {
    if (this.failed === undefined && handle.primary !== undefined) {
      try {
        return await this.primary.decodeRgba(handle.primary, region);
      } catch (e) {
        if (!(e instanceof InrBackendError && this.fatalCodes.includes(e.code))) throw e;
        if (this.failed === undefined) {
          this.failed = e.message;
          this.onFallback(e.message);
        }
      }
    }
    handle.secondary ??= this.secondary.load(handle.model, handle.opts);
    return this.secondary.decodeRgba(handle.secondary, region);
  }

  release(handle: FallbackHandle): void {
    if (handle.primary !== undefined) this.primary.release(handle.primary);
    if (handle.secondary !== undefined) this.secondary.release(handle.secondary);
  }
}
