/**
 * The runtime: one object a page creates once. It loads models (streamed, validated), renders
 * pictures progressively under a per-frame MAC budget and plays videos, through one tile source
 * (a decode worker pool where the browser allows, else the main thread; it says which and why;
 * small pictures are decoded on this thread by the CPU kernels, PAGE_DECODE_MAX_MACS) and one
 * way to draw (the draw worker, or this thread).
 */
import { modelFromInr, specFromHeader } from './format/asmr-codec.js';
import { checkDecodeMemory, DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES, DEFAULT_MEMORY_BYTES } from './engine/memory.js';
import type { InrFile, InrHeader } from './format/types.js';
import { loadInr, type InrSource, type LoadOptions } from './loader/load.js';
import type { AsmrModel, AsmrSpec } from './model/types.js';
import { RenderJob, type RenderOptions } from './render/render-job.js';
import { KernelTileSource } from './render/kernel-source.js';
import { frameRegion } from './render/canvas.js';
import { regionCost } from './model/cost.js';
import { ArrivingModel } from './render/arriving.js';
import { LevelAssembler } from './format/levels.js';
import type { BackendChoice, BackendReport } from './backend/types.js';
import { cachedMacPerMs } from './backend/calibration-store.js';
import type { DecodeEngine, EngineOptions } from './engine/engine.js';
import { EngineTileSource } from './render/engine-source.js';
import { FallbackTileSource } from './render/fallback-source.js';
import type { TileSource } from './render/tile-source.js';
import type { TileDrawer } from './render/tile-drawer.js';
import { assets } from './workers/assets.js';
import { defaultPoolSize, type WorkerPoolOptions } from './workers/pool.js';
import { LazyWorkerPool } from './workers/lazy-pool.js';
import { drawerForCanvas, type DrawWorkerSource } from './workers/draw-client.js';
import { scriptAt } from './workers/worker-script.js';
import { TypedEventTarget } from './util/events.js';
import type { VideoPlayer } from './video/player.js';
import type { PlayerOptions } from './video/player-types.js';
import type { VideoSource } from './video/source.js';

export interface RuntimeOptions {
  /** Decode backend for the engine in each worker (and on the main thread): default 'auto'. */
  backend?: BackendChoice;
  /** Decode workers: 'auto' (default: a pool where the browser supports it), a count, or 0/false. */
  workers?: 'auto' | number | false;
  /**
   * The built decode worker script (a module worker); default: `inrstream-worker.min.js` in
   * the assets folder (`configure({ assetsUrl })`), or the one the app's bundler built.
   */
  workerUrl?: string | URL;
  /** Passed to the worker pool (timeouts, replacement callback). */
  pool?: Omit<WorkerPoolOptions, 'scriptUrl' | 'script' | 'size'>;
  /**
   * The built draw worker script, which takes over a page canvas and draws the tiles off the
   * main thread (default: `inrstream-draw-worker.min.js` found as the decode worker is); false
   * draws on the main thread.
   */
  drawWorkerUrl?: string | URL | false;
  /**
   * Pictures of fewer pixels are drawn on this thread, larger ones by the draw worker (default
   * DRAW_WORKER_MIN_PIXELS); 0 hands every page canvas to the draw worker. Videos always go to
   * the draw worker, which then starts on first use.
   */
  drawWorkerMinPixels?: number;
  /**
   * A picture drawn on this thread (under `drawWorkerMinPixels`) whose full detail costs at most
   * this many MACs is decoded on it too, by the CPU kernels (default PAGE_DECODE_MAX_MACS); 0
   * sends every picture to the decode workers. Only with `backend` 'auto' or 'wasm'.
   */
  pageDecodeMaxMacs?: number;
}

/**
 * A picture under 2^19 pixels (1024 x 512) is drawn on the page's thread: its whole-canvas copy
 * after each displayed frame is small there, and the draw worker it does without is a script
 * fetched one round trip after the page's, before its first paint (docs/RUNTIME.md, "Drawing").
 */
export const DRAW_WORKER_MIN_PIXELS = 2 ** 19;

/**
 * A small picture's full detail, at most 2.5x10^8 MACs, is decoded on the page's thread by the
 * CPU kernels (WebAssembly SIMD), under the page's per-frame budget: about 40 ms of the kernels
 * on the project's 2-core VM, where a decode worker starts only after its script
 * (fetched one round trip after the page's) and its engine (docs/RUNTIME.md, "Small pictures
 * on the page").
 */
export const PAGE_DECODE_MAX_MACS = 2.5e8;

/** A loaded model: its file header and, for video, one model per time segment. */
export interface LoadedModel {
  header: InrHeader;
  file: InrFile;
  model: AsmrModel;
  bytes: number;
}

/**
 * A model being loaded (Runtime.open): `loaded` settles as `load` would; `arriving` is what a
 * render paints from while it arrives (each level's picture as its bytes land).
 */
export interface OpeningModel {
  loaded: Promise<LoadedModel>;
  arriving: ArrivingModel;
}

/** Detail of the `fallback` event. */
export interface RuntimeFallback {
  where: 'main-thread';
  /** Why the decode workers could not be used. */
  reason: string;
}

/** Runtime's events. */
export interface RuntimeEventMap {
  /** The decode workers cannot run here: tiles are decoded on the main thread from now on. */
  fallback: CustomEvent<RuntimeFallback>;
}

/**
 * Starts a decode engine on this thread (docs/ENGINE.md). Its code, with tfjs, is not in the
 * main script: it is loaded on the first call (the ESM build's chunk, or the script build's
 * `inrstream-engine.min.js` from the assets folder).
 */
export async function createEngine(options: EngineOptions = {}): Promise<DecodeEngine> {
  return (await assets().engine()).createEngine(options);
}

export class Runtime extends TypedEventTarget<RuntimeEventMap> {
  /** Where tiles are decoded: 'workers' or 'main-thread'. */
  where: 'workers' | 'main-thread';
  /** Why decoding runs where it does. */
  reason: string;
  private readonly source: TileSource;
  private readonly pool: LazyWorkerPool | undefined;
  private readonly mainThread: EngineTileSource;
  private calibration: Promise<number | undefined> | undefined;
  private readonly drawWorker: DrawWorkerSource | undefined;
  private readonly drawWorkerMinPixels: number;
  /** Canvases drawn by this thread's GPU decoder, or as drawerForCanvas says where it cannot. */
  private readonly backendChoice: BackendChoice;
  private readonly pageDecodeMaxMacs: number;
  /** The CPU kernels on this thread, once a small picture has asked; null where they cannot run. */
  private pageKernels: KernelTileSource | null | undefined;
  /** Renders decoding with `pageKernels` now (0 or 1). */
  private pageRenders = 0;
  private readonly gpuCanvases = new WeakMap<HTMLCanvasElement | OffscreenCanvas, Promise<TileDrawer>>();

  constructor(options: RuntimeOptions = {}) {
    super();
    const engineOptions = { backend: options.backend ?? 'auto' };
    this.backendChoice = engineOptions.backend;
    this.mainThread = new EngineTileSource(() => createEngine(engineOptions));
    const wanted = options.workers ?? 'auto';
    const why = wanted === false || wanted === 0 ? 'workers were turned off' : typeof Worker === 'undefined' ? 'this browser has no Web Workers' : undefined;
    if (why === undefined) {
      const script = () => (options.workerUrl === undefined ? assets().decodeWorker() : Promise.resolve(scriptAt('the decode worker', options.workerUrl)));
      // Started by the first picture or video that needs it: small pictures are decoded here.
      this.pool = new LazyWorkerPool(typeof wanted === 'number' ? wanted : defaultPoolSize(), () => ({
        ...options.pool,
        init: engineOptions,
        script: script(),
      }));
      // Workers that cannot run here (a script that does not load, a page that refuses them,
      // no engine in workers...) hand over to the main thread.
      this.source = new FallbackTileSource(this.pool, this.mainThread, (reason) => {
        this.where = 'main-thread';
        this.reason = reason;
        this.emit('fallback', { where: 'main-thread', reason });
      });
      this.where = 'workers';
      this.reason = `${this.pool.size} decode worker${this.pool.size === 1 ? '' : 's'}`;
    } else {
      this.source = this.mainThread;
      this.where = 'main-thread';
      this.reason = why;
    }
    const draw = options.drawWorkerUrl;
    if (draw === undefined) {
      const found = assets().drawWorker();
      // Not found is a reason to draw here, given when a canvas asks.
      found.catch(() => undefined);
      this.drawWorker = found;
    } else {
      this.drawWorker = draw === false ? undefined : String(draw);
    }
    this.drawWorkerMinPixels = options.drawWorkerMinPixels ?? DRAW_WORKER_MIN_PIXELS;
    this.pageDecodeMaxMacs = this.backendChoice === 'auto' || this.backendChoice === 'wasm' ? (options.pageDecodeMaxMacs ?? PAGE_DECODE_MAX_MACS) : 0;
  }

  /**
   * Where a picture of `spec` is decoded: on this thread by the CPU kernels when it is drawn here
   * and its full detail costs at most `pageDecodeMaxMacs` (and WebAssembly SIMD compiles here),
   * else by the runtime's source (the decode workers).
   */
  private sourceFor(spec: AsmrSpec, frame: number | undefined): TileSource {
    // One picture at a time: each render's budget is half of every frame, so two at once on
    // this thread would take all of it. The next ones go to the workers.
    if (this.pageDecodeMaxMacs <= 0 || this.pageRenders > 0 || this.drawsInWorker(spec.shape)) return this.source;
    const macs = regionCost(spec, frameRegion(spec, frame)).macs;
    if (macs > this.pageDecodeMaxMacs) return this.source;
    if (this.pageKernels === undefined) {
      try {
        const limit = `${(this.pageDecodeMaxMacs / 1e6).toFixed(0)} M MAC`;
        this.pageKernels = KernelTileSource.create(`a picture drawn here of at most ${limit} is decoded here too, sooner than a decode worker starts`);
      } catch {
        // No WebAssembly SIMD here (or a CSP without wasm-unsafe-eval): the workers decode it.
        this.pageKernels = null;
      }
    }
    if (!this.pageKernels) return this.source;
    this.pageRenders++;
    return this.pageKernels;
  }

  /**
   * Whether a picture of `shape` (its last two axes: height, width) is big enough for the draw
   * worker (RuntimeOptions.drawWorkerMinPixels); a smaller one is drawn on the page's thread.
   */
  drawsInWorker(shape: readonly number[]): boolean {
    const [h, w] = shape.slice(-2) as [number, number];
    return w * h >= this.drawWorkerMinPixels;
  }

  /** Which decode backend runs (in the workers, or on the main thread) and why. */
  async backend(): Promise<BackendReport> {
    if (this.pool && this.where === 'workers') {
      try {
        return await this.pool.report();
      } catch {
        // The workers' engine could not start: tiles go to the main thread's.
      }
    }
    return (await this.mainThread.started()).report;
  }

  /**
   * Streams, parses and validates a model (first segment of a segmented video). A model whose
   * decode would not fit `memoryBytes` (default DEFAULT_MEMORY_BYTES, as RenderOptions) is
   * InrModelError 'too-large' as soon as its header arrives, before its weights are fetched.
   */
  async load(source: InrSource, options: LoadOptions & { memoryBytes?: number } = {}): Promise<LoadedModel> {
    const { memoryBytes = DEFAULT_MEMORY_BYTES, onEvent, ...rest } = options;
    const budget = { memoryBytes, cacheBytes: DEFAULT_CACHE_BYTES, maxTileSamples: DEFAULT_MAX_TILE_SAMPLES };
    const file = await loadInr(source, {
      ...rest,
      onEvent(event) {
        if (event.type === 'header') checkDecodeMemory(specFromHeader(event.header, event.header.segments ? 0 : undefined), budget);
        onEvent?.(event);
      },
    });
    return { header: file.header, file, model: modelFromInr(file), bytes: file.byteLength };
  }

  /**
   * Starts loading a model, to be rendered while it arrives: `runtime.render(opening, canvas)`
   * paints each level's picture as soon as the bytes it needs are in (files with level heads,
   * docs/RUNTIME.md "Rendering while the model arrives"; other files show their previews once
   * loaded, as with `load`). `opening.loaded` settles as `load(source, options)` does.
   */
  open(source: InrSource, options: LoadOptions & { memoryBytes?: number } = {}): OpeningModel {
    const arriving = new ArrivingModel();
    let assembler: LevelAssembler | undefined;
    const loaded = this.load(source, {
      ...options,
      onEvent(event) {
        if (event.type === 'header') {
          assembler = LevelAssembler.for(event.header, event.dataStart);
          arriving.header(
            { spec: specFromHeader(event.header, event.header.segments ? 0 : undefined), outputRange: event.header.outputRange ?? [0, 1] },
            assembler && { read: event.dataStart, model: assembler.modelBytes },
          );
        } else if (event.type === 'tensor') {
          const level = assembler?.add(event.index, event.values);
          if (level) arriving.level(level.picture, level.bytes);
        }
        options.onEvent?.(event);
      },
    }).then(
      (model) => {
        arriving.complete(model.model, model.bytes);
        return model;
      },
      (error: unknown) => {
        arriving.fail(error);
        throw error;
      },
    );
    loaded.catch(() => undefined);
    return { loaded, arriving };
  }

  /**
   * Renders a model progressively onto a canvas, a loaded one or one still arriving (`open`); see RenderJob. A 'auto' budget starts
   * from the budget meter's calibration for this backend and device when one is cached
   * (src/backend/calibration-store.ts), else from a guess, and follows measured throughput after.
   * A page canvas with no context yet, for a picture of at least `drawWorkerMinPixels`, is
   * handed to the draw worker for good (read its pixels with `job.pixels()`); a smaller picture,
   * or a canvas that has a context, is drawn on the main thread.
   */
  render(
    loaded: LoadedModel | OpeningModel,
    canvas: HTMLCanvasElement | OffscreenCanvas,
    options: Omit<RenderOptions, 'source' | 'outputRange' | 'calibratedMacPerMs'> = {},
  ): RenderJob {
    const opening = 'arriving' in loaded;
    const spec = opening ? loaded.arriving.layout.then((l) => l.spec) : Promise.resolve(loaded.model.spec);
    const source = spec.then((s) => this.sourceFor(s, options.frame));
    // A layout that never comes fails the render through its own wait for it.
    source.catch(() => undefined);
    const job = new RenderJob(
      opening ? loaded.arriving : loaded.model,
      this.drawerFor(
        canvas,
        spec.then((s) => s.shape),
      ),
      {
        ...options,
        source,
        ...(opening ? {} : { outputRange: loaded.header.outputRange ?? [0, 1] }),
        // The calibration is the runtime's backend's; the page's kernels measure their own.
        calibratedMacPerMs: source.then((s) => (s === this.source ? this.calibrated() : undefined)),
      },
    );
    const ended = () => void this.pageRenders--;
    source.then(
      (s) => s === this.pageKernels && job.done.then(ended, ended),
      () => undefined,
    );
    return job;
  }

  /** The budget meter's cached calibration for the runtime's backend on this device, if any. */
  private calibrated(): Promise<number | undefined> {
    this.calibration ??= this.backend().then(
      (r) => cachedMacPerMs(r.backend, r.device),
      () => undefined,
    );
    return this.calibration;
  }

  /**
   * How a render draws on `canvas`. Decoding on this thread on a GPU backend, the engine draws
   * its tiles on the canvas itself, never reading them back (docs/ENGINE.md, "Drawing on the
   * GPU"); otherwise, and where that cannot be, the draw worker or this thread put RGBA8 tiles
   * on it. Chosen once per canvas.
   */
  private drawerFor(canvas: HTMLCanvasElement | OffscreenCanvas, shape: Promise<readonly number[]>): Promise<TileDrawer> {
    const other = () =>
      shape.then((s) => {
        if (this.drawsInWorker(s)) return drawerForCanvas(canvas, this.drawWorker, 'drawing in a worker was turned off');
        const [h, w] = s.slice(-2) as [number, number];
        return drawerForCanvas(canvas, undefined, `a ${w}x${h} picture (under ${this.drawWorkerMinPixels} pixels) is drawn on this thread`);
      });
    // With 'auto', a canvas rendered before the engine has chosen its backend is drawn as
    // before: waiting for the choice (the calibration) would hold its first preview back.
    const gpu = (name: string | undefined) => name === 'webgl' || name === 'webgpu';
    if (this.source !== this.mainThread || !(gpu(this.backendChoice) || gpu(this.mainThread.running?.backend))) return other();
    let drawer = this.gpuCanvases.get(canvas);
    if (!drawer) {
      drawer = this.mainThread.gpuDrawer(canvas).then(
        (d) => (typeof d === 'string' ? other() : d),
        // The engine did not start: the render reports that, from its source.
        () => other(),
      );
      this.gpuCanvases.set(canvas, drawer);
    }
    return drawer;
  }

  /**
   * Plays a video (`openVideo`) onto a canvas; see VideoPlayer. Frames come from the same tile
   * source as pictures (the decode workers, or the main thread after a fallback) and are drawn
   * the same way (a page canvas with no context yet goes to the draw worker for good: read its
   * pixels with `player.pixels()`).
   */
  play(source: VideoSource, canvas: HTMLCanvasElement | OffscreenCanvas, options: PlayerOptions = {}): VideoPlayer {
    if (!videoPlayer)
      throw new TypeError("this build has no video player: play video with inrstream.min.js (or the 'inrstream' module), not inrstream-image.min.js");
    return new videoPlayer(this.source, source, drawerForCanvas(canvas, this.drawWorker, 'drawing in a worker was turned off'), options);
  }

  dispose(): void {
    this.pool?.terminate();
  }
}

type PlayerConstructor = new (...args: ConstructorParameters<typeof VideoPlayer>) => VideoPlayer;
let videoPlayer: PlayerConstructor | undefined;

/**
 * Gives `Runtime.play` its player. The builds that play video register it (src/elements/inr-video.ts,
 * which the 'inrstream' module and inrstream.min.js load); the pictures' script does not, and
 * is the player's size smaller for it (docs/RUNTIME.md, "Assets").
 */
export function registerVideoPlayer(player: PlayerConstructor): void {
  videoPlayer = player;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}
