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

/**
 * The picture is shown at most this often while tiles arrive, and at most a fifth of the time
 * (PRESENT_SHARE times what the last showing took the GPU): each showing redraws the whole
 * canvas on the GPU that decodes, in the same queue as the tiles (tens of ms at 2048 x 2048 on
 * a software GPU, where showing after every tile slowed a render several times over).
 */
const PRESENT_EVERY_MS = 50;
const PRESENT_SHARE = 5;

/** Tiles drawn on a canvas by this thread's GPU decoder (EnginePresenter): decoded tiles stay on the GPU. */
class GpuDrawer implements TileDrawer {
  readonly where = 'main-thread';
  readonly reason: string;
  readonly direct: DirectDraw;
  private origin: [number, number] = [0, 0];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the picture was last shown, and the interval before the next showing, ms. */
  private shown = -Infinity;
  private every = PRESENT_EVERY_MS;

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
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.present();
  }

  pixels(): Promise<ImageData> {
    return this.presenter.pixels();
  }

  /** Canvas pixel [x, y] of block `block` ([y, x]) of a grid of `blockSize` pixels. */
  private at(block: [number, number], blockSize: [number, number]): [number, number] {
    return [block[1] * blockSize[1] - this.origin[1], block[0] * blockSize[0] - this.origin[0]];
  }

  /** Shows what was drawn, once the interval since the last showing has passed. */
  private show(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.present().catch(() => undefined);
      },
      Math.max(0, this.shown + this.every - performance.now()),
    );
  }

  private async present(): Promise<void> {
    const start = performance.now();
    await this.presenter.present();
    this.shown = performance.now();
    this.every = Math.max(PRESENT_EVERY_MS, PRESENT_SHARE * (this.shown - start));
  }
}
