import { InrBackendError } from '../util/errors.js';
import type { DecodeEngine, EngineModel, EnginePresenter } from '../engine/engine.js';
import type { AsmrModel, Region } from '../model/types.js';
import type { DirectDraw, TileDrawer } from './tile-drawer.js';
import type { DecodedRgba, TileSource } from './tile-source.js';

interface EngineHandle {
  loaded: Promise<{ engine: DecodeEngine; model: EngineModel }>;
}

/** The decode engine on this thread as a tile source; the engine starts on first use. */
export class EngineTileSource implements TileSource<EngineHandle> {
  private engine: Promise<DecodeEngine> | undefined;
  /** The engine once it has started. */
  running: DecodeEngine | undefined;

  constructor(private readonly start: () => Promise<DecodeEngine>) {}

  /** The engine, started now if it was not yet. */
  started(): Promise<DecodeEngine> {
    this.engine ??= this.start().then((engine) => (this.running = engine));
    return this.engine;
  }

  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] }): EngineHandle {
    const loaded = this.started().then((engine) => ({ engine, model: engine.load(model, opts) }));
    loaded.catch(() => undefined);
    return { loaded };
  }

  async decodeRgba(handle: EngineHandle, region: Region): Promise<DecodedRgba> {
    const { engine, model } = await handle.loaded;
    const start = performance.now();
    const rgba = await engine.decodeRgba(model, region);
    return { rgba, busyMs: performance.now() - start };
  }

  release(handle: EngineHandle): void {
    handle.loaded.then(
      ({ engine, model }) => engine.release(model),
      () => undefined,
    );
  }

  /**
   * A drawer for `canvas` (on this thread, no context yet) drawn by the engine's GPU, its tiles
   * never read back; or the reason there is none (a CPU backend, or a canvas that cannot take
   * the GPU's context).
   */
  async gpuDrawer(canvas: HTMLCanvasElement | OffscreenCanvas): Promise<TileDrawer | string> {
    const engine = await this.started();
    try {
      return new GpuDrawer(await engine.presenter(canvas), this, engine.backend);
    } catch (e) {
      if (e instanceof InrBackendError) return e.message;
      throw e;
    }
  }
}

/** Shows the picture at most once an animation frame while tiles arrive (and at every flush). */
const nextFrame: (show: () => void) => void =
  typeof requestAnimationFrame === 'function' ? (show) => requestAnimationFrame(show) : (show) => setTimeout(show, 16);

/** Tiles drawn on a canvas by this thread's GPU decoder (EnginePresenter): decoded tiles stay on the GPU. */
class GpuDrawer implements TileDrawer {
  readonly where = 'main-thread';
  readonly reason: string;
  readonly direct: DirectDraw;
  private origin: [number, number] = [0, 0];
  private showing = false;

  constructor(
    private readonly presenter: EnginePresenter,
    source: EngineTileSource,
    backend: string,
  ) {
    this.reason = `drawn on the GPU by this thread's ${backend} decoder, its tiles never read back`;
    this.direct = {
      source,
      draw: async (handle, region, block, blockSize) => {
        const { model } = await (handle as EngineHandle).loaded;
        const start = performance.now();
        await this.presenter.draw(model, region, this.at(block, blockSize), blockSize);
        this.show();
        return { busyMs: performance.now() - start };
      },
    };
  }

  begin(width: number, height: number, origin: [number, number]): void {
    this.origin = origin;
    this.presenter.begin(width, height);
  }

  draw(rgba: Uint8ClampedArray<ArrayBuffer>, width: number, height: number, block: [number, number], blockSize: [number, number]): void {
    this.presenter.put(rgba, width, height, this.at(block, blockSize), blockSize);
    this.show();
  }

  async flush(): Promise<void> {
    this.presenter.present();
  }

  pixels(): Promise<ImageData> {
    return this.presenter.pixels();
  }

  /** Canvas pixel [x, y] of block `block` ([y, x]) of a grid of `blockSize` pixels. */
  private at(block: [number, number], blockSize: [number, number]): [number, number] {
    return [block[1] * blockSize[1] - this.origin[1], block[0] * blockSize[0] - this.origin[0]];
  }

  private show(): void {
    if (this.showing) return;
    this.showing = true;
    nextFrame(() => {
      this.showing = false;
      this.presenter.present();
    });
  }
}
