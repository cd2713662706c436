import type { DecodeEngine, EngineModel } from '../engine/engine.js';
import type { AsmrModel, Region } from '../model/types.js';
import type { DecodedRgba, TileSource } from './tile-source.js';

interface EngineHandle {
  loaded: Promise<{ engine: DecodeEngine; model: EngineModel }>;
}

/** The decode engine on this thread as a tile source; the engine starts on first use. */
export class EngineTileSource implements TileSource<EngineHandle> {
  private engine: Promise<DecodeEngine> | undefined;

  constructor(private readonly start: () => Promise<DecodeEngine>) {}

  /** The engine, started now if it was not yet. */
  started(): Promise<DecodeEngine> {
    this.engine ??= this.start();
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
}
