/**
 * A progressive render of one picture onto a canvas: the passes of progressive-plan.ts, their
 * tiles run by the frame scheduler under the per-frame MAC budget, drawn by a TileDrawer (on
 * this thread, or in the draw worker). Ends with the full-detail pixels, identical to a
 * one-shot decode from the same source.
 */
import { checkDecodeMemory, DEFAULT_CACHE_BYTES, DEFAULT_MAX_TILE_SAMPLES, DEFAULT_MEMORY_BYTES } from '../engine/memory.js';
import { checkCanvasSize, frameRegion } from './canvas.js';
import { CanvasDrawer } from './canvas-drawer.js';
import type { TileDrawer } from './tile-drawer.js';
import { ArrivingModel } from './arriving.js';
import { type PlannedPass, planPasses, planPassTileSteps, planPicturePass } from './progressive-plan.js';
import { type CpuHandle, CpuTileSource, type SourceDecoding, type TileSource } from './tile-source.js';
import { FrameScheduler, type FrameClock, type FrameReport } from '../scheduler/frame-scheduler.js';
import { runInSlices, yieldToEventLoop } from '../util/yield.js';
import type { AsmrModel, Region } from '../model/types.js';
import { TypedEventTarget } from '../util/events.js';

export interface RenderOptions {
  /**
   * Where tiles come from; the plain-TypeScript decoder by default. A promise: chosen once the
   * picture's layout is known (the runtime picks by its size and cost), before any pass but the
   * ones this thread decodes at once.
   */
  source?: TileSource | Promise<TileSource>;
  /** MACs per animation frame, or 'auto' (calibrated from measured throughput). */
  budget?: number | 'auto';
  /** For 'auto': decode time per frame to aim at, ms (default half the display frame). */
  targetFrameMs?: number;
  /** Paint centre-value previews level by level first (default true). */
  progressive?: boolean;
  frame?: number;
  outputRange?: readonly [number, number];
  signal?: AbortSignal;
  /** Frames from requestAnimationFrame unless given (tests). */
  clock?: FrameClock;
  /**
   * For 'auto': this device's throughput (MAC/ms) as calibrated earlier, when known; it resolves
   * late (once the decoder has started) and is used only until the render has measured its own.
   */
  calibratedMacPerMs?: Promise<number | undefined>;
  /**
   * Bytes a decoder may hold for this model (default 512 MiB; docs/ENGINE.md, "Memory budget"):
   * a model over it fails with InrModelError 'too-large' before any tile is decoded.
   */
  memoryBytes?: number;
}

export interface RenderProgress {
  /** The level being painted (L-1: full detail). */
  level: number;
  /** Index of the pass (0 = coarsest preview); while the model arrives, of the pictures painted so far. */
  pass: number;
  /** Passes planned (while the model arrives: so far). */
  passes: number;
  /** Rendering a model as it arrives: the model bytes that had arrived when this level could be painted. */
  bytes?: number;
  tilesDone: number;
  tilesTotal: number;
}

/** What to draw on: a canvas (drawn on this thread), or a drawer (src/workers/draw-client.ts). */
export type DrawTarget = HTMLCanvasElement | OffscreenCanvas | TileDrawer | Promise<TileDrawer>;

export interface RenderStats {
  frames: FrameReport[];
  /** Where the tiles were drawn, and why there. */
  drawing: { where: TileDrawer['where']; reason: string };
  /** Where and how the tiles were decoded, where the render's source says (TileSource.decoding). */
  decoding: SourceDecoding | undefined;
  /** ms from start until the first pass was complete. */
  firstPassMs: number;
  totalMs: number;
  macs: number;
}

/**
 * Auto budgets start from these throughput guesses (MAC/ms) until work has been measured: low on
 * the page's thread, where a long frame is a long task; ten times that for decode workers, where
 * a guess too high only delays the first batch, and one too low cut a picture's full detail
 * into tiles so small that their overhead, not decoding, set its time (docs/RUNTIME.md).
 */
const INITIAL_MAC_PER_MS = 2e5;
const INITIAL_MAC_PER_MS_OFF_THREAD = 2e6;
/**
 * Tiles are planned at this share of the frame budget, so that a budget that shrinks a little
 * after planning (measurements are noisy) still holds a whole tile.
 */
const TILE_SHARE = 0.5;
/** Picture pixels one tile may paint: a scaled draw of this many costs a few ms on a CPU canvas. */
const MAX_TILE_PIXELS = 512 * 512;
/** Tiles queued per task: queuing a few thousand at once was a long task of its own. */
const QUEUE_SLICE = 256;
/** Planning a pass goes on for at most about this long before it lets the page run, ms. */
const PLAN_SLICE_MS = 5;
/**
 * Previews cheaper than this are decoded here with the plain-TypeScript decoder (well under a
 * frame's time): the first picture does not wait for decode workers to start their engines.
 */
const QUICK_PASS_MACS = 1e6;
/**
 * Passes cheaper than this (about a millisecond of the plain-TypeScript decoder; a level-1
 * picture is a few times 1e4) are decoded and drawn at once, in the task that made them
 * paintable: no task hop, no animation frame. A level's picture then shows before the page
 * reads the model's next packet (docs/RUNTIME.md, "Progressive passes").
 */
const INSTANT_PASS_MACS = 2e5;
/**
 * A level's picture that full detail would replace within this many ms waits that long for
 * full detail instead (while another picture is on the canvas), and is painted only if full
 * detail has not come: shown for under a quarter of a second it adds little, and its setup, a
 * frame and its tiles delay full detail (docs/RUNTIME.md, "Rendering while the model arrives").
 */
const OVERTAKEN_MS = 250;

/** RenderJob's events. */
export interface RenderJobEventMap {
  /** A tile was drawn. */
  progress: CustomEvent<RenderProgress>;
}

export class RenderJob extends TypedEventTarget<RenderJobEventMap> {
  readonly done: Promise<RenderStats>;
  /** How the tiles are drawn. */
  readonly drawer: Promise<TileDrawer>;

  /** `model` may still be arriving: then each level's picture is painted as its bytes land (ArrivingModel). */
  constructor(model: AsmrModel | ArrivingModel, target: DrawTarget, options: RenderOptions = {}) {
    super();
    this.drawer = target instanceof Promise || 'flush' in target ? Promise.resolve(target) : Promise.resolve().then(() => new CanvasDrawer(target));
    this.drawer.catch(() => undefined);
    this.done = this.run(model, options);
    this.done.catch(() => undefined);
  }

  /** The canvas's pixels once every tile drawn so far is on it (the picture, after `done`). */
  async pixels(): Promise<ImageData> {
    return (await this.drawer).pixels();
  }

  private async run(input: AsmrModel | ArrivingModel, options: RenderOptions): Promise<RenderStats> {
    const { signal, clock } = options;
    signal?.throwIfAborted();
    const now = () => (clock ?? performance).now();
    // Waiting for the drawer (a draw worker starting) counts towards the times to first preview.
    const start = now();
    const quick = new CpuTileSource();
    const frames: FrameReport[] = [];
    const arriving = input instanceof ArrivingModel ? input : undefined;
    const layout = arriving ? await untilAborted(arriving.layout, signal) : { spec: (input as AsmrModel).spec, outputRange: options.outputRange ?? [0, 1] };
    const region = frameRegion(layout.spec, options.frame);
    const [height, width] = region.size.slice(-2) as [number, number];
    checkCanvasSize(width, height);
    checkDecodeMemory(layout.spec, {
      memoryBytes: options.memoryBytes ?? DEFAULT_MEMORY_BYTES,
      cacheBytes: DEFAULT_CACHE_BYTES,
      maxTileSamples: DEFAULT_MAX_TILE_SAMPLES,
    });
    const source: TileSource = (await untilAborted(Promise.resolve(options.source), signal)) ?? quick;
    const scheduler = new FrameScheduler({
      budget: options.budget ?? 'auto',
      initialMacPerMs: source.initialMacPerMs ?? (source.offThread ? INITIAL_MAC_PER_MS_OFF_THREAD : INITIAL_MAC_PER_MS),
      ...(options.targetFrameMs === undefined ? {} : { targetFrameMs: options.targetFrameMs }),
      ...(clock ? { clock } : {}),
      parallelism: () => source.parallelism ?? 1,
      // Workers: a whole frame of decoding each, two frames' tiles queued, so they never idle.
      frameShare: source.offThread ? 1 : 0.5,
      framesInFlight: () => (source.offThread ? 2 : 1),
      onFrame: (r) => frames.push(r),
    });
    // A calibration is per decoder: the pool's workers run in parallel.
    options.calibratedMacPerMs?.then(
      (v) => v !== undefined && scheduler.budget.suggest(v * (source.parallelism ?? 1)),
      () => undefined,
    );
    // The drawer is awaited where a tile is drawn, not before the render starts: while a draw
    // worker starts (its script fetched on a slow link), the first passes decode on this thread,
    // so the first pixels wait for the later of the two, not for both one after the other.
    let drawer: TileDrawer | undefined;
    const began = this.drawer.then((d) => {
      d.begin(width, height, region.start.slice(-2) as [number, number]);
      drawer = d;
      return d;
    });
    began.catch(() => undefined);
    const opts = { outputRange: layout.outputRange } as const;
    let firstPassMs = 0;
    let macs = 0;

    /**
     * Runs one pass's tiles from `from` (the model `handle`) under the budget, and draws them.
     * `until` ends it early, its queued tiles dropped (a finer picture has arrived).
     */
    const runPass = async (
      pass: PlannedPass,
      from: TileSource,
      handle: unknown,
      progress: Omit<RenderProgress, 'tilesDone' | 'tilesTotal' | 'level'>,
      until?: AbortSignal,
    ): Promise<void> => {
      if (from === quick && pass.cost <= INSTANT_PASS_MACS) {
        const { rgba } = quick.decodeNow(handle as CpuHandle, pass.region);
        const to = drawer ?? (await untilAborted(began, signal));
        signal?.throwIfAborted();
        drawRegion(to, rgba, pass.region, pass.blockSize);
        macs += pass.cost;
        this.emit('progress', { ...progress, level: pass.level, tilesDone: 1, tilesTotal: 1 });
        firstPassMs ||= now() - start;
        return;
      }
      // Passes whose source is the drawer's own GPU decoder go straight to it.
      const gpu = from === quick ? undefined : (drawer ?? (await untilAborted(began, signal))).direct;
      const direct = gpu?.source === from ? gpu : undefined;
      // A tile that fails takes the tiles still queued with it: they would decode released models.
      const failed = new AbortController();
      const queued = AbortSignal.any([failed.signal, ...(signal ? [signal] : []), ...(until ? [until] : [])]);
      // Planning a pass a few rows at a time, and queuing its tiles a slice at a time, in tasks
      // of their own: with thousands of tiles, planning and queuing after the last tile of the
      // previous pass made one long task.
      await yieldToEventLoop();
      const tiles = await runInSlices(planPassTileSteps(pass, scheduler.budget.macs * TILE_SHARE, MAX_TILE_PIXELS), PLAN_SLICE_MS);
      let tilesDone = 0;
      let failure: unknown;
      const ran: Promise<void>[] = [];
      for (let i = 0; i < tiles.length && !queued.aborted; i += QUEUE_SLICE) {
        await yieldToEventLoop();
        for (const tile of tiles.slice(i, i + QUEUE_SLICE)) {
          const item = {
            cost: tile.cost,
            priority: tile.distance,
            run: async () => {
              let busyMs: number;
              if (direct) {
                // The drawer's GPU decoder draws the tile itself: no pixels come back here.
                if (signal?.aborted) return { busyMs: 0 };
                ({ busyMs } = await direct.draw(handle, tile.region, tile.region.start.slice(-2) as [number, number], pass.blockSize));
              } else {
                const decoded = await from.decodeRgba(handle, tile.region);
                busyMs = decoded.busyMs;
                const to = drawer ?? (await untilAborted(began, signal));
                if (signal?.aborted) return { busyMs };
                drawRegion(to, decoded.rgba, tile.region, pass.blockSize);
              }
              macs += tile.cost;
              tilesDone++;
              this.emit('progress', { ...progress, level: pass.level, tilesDone, tilesTotal: tiles.length });
              return { busyMs };
            },
          };
          ran.push(
            scheduler.schedule(item, queued).catch((e: unknown) => {
              if (until?.aborted && e === until.reason) return;
              failure ??= e;
              failed.abort(e);
            }),
          );
        }
      }
      await Promise.all(ran);
      if (failure !== undefined) throw failure;
      signal?.throwIfAborted();
      if (until?.aborted) return;
      firstPassMs ||= now() - start;
    };

    // While the model arrives: each level's picture as soon as its bytes are in, the finest
    // there is (levels that landed while a pass ran are skipped), until the whole model is here.
    // A pass cut short by a finer arrival counts as painted here: the finer picture paints over it.
    let painted = -1;
    let bytes: number | undefined;
    const paintWhileArriving = async (from: ArrivingModel): Promise<AsmrModel> => {
      for (let k = 0; ; k++) {
        const arrival = await untilAborted(from.next(painted), signal);
        bytes = arrival.bytes;
        if (arrival.kind === 'model') return arrival.model;
        const pass = planPicturePass(arrival.picture, region);
        // With a picture on the canvas, a level whose pass needs setting up waits for the whole
        // model instead when that is due before the level would have been on show for long; it
        // is painted if nothing finer has come by then after all (a link that stalls).
        const soon = painted >= 0 && pass.cost > INSTANT_PASS_MACS && (from.remainingMs(arrival) ?? Infinity) < OVERTAKEN_MS;
        if (soon && (await untilAborted(finerWithin(from, arrival.level, OVERTAKEN_MS), signal))) {
          // As a pass cut short: the finer picture paints over it (no preview of this level after).
          painted = arrival.level;
          continue;
        }
        const decoder = pass.cost <= QUICK_PASS_MACS ? quick : source;
        const handle = decoder.load(pass.model, opts);
        // A finer arrival (the whole model, at the end of a fast download) ends this pass, once
        // a picture is on the canvas: the rest of its tiles would be painted over at once.
        const finer = new AbortController();
        if (painted >= 0) {
          from.next(arrival.level).then(
            () => finer.abort(new DOMException('a finer picture arrived', 'AbortError')),
            () => undefined,
          );
        }
        try {
          await runPass(pass, decoder, handle, { pass: k, passes: k + 1, bytes }, finer.signal);
        } finally {
          decoder.release(handle);
        }
        painted = arrival.level;
      }
    };
    const model = arriving ? await paintWhileArriving(arriving) : (input as AsmrModel);

    // Setting up (a large canvas, the preview models, their encoding for workers) is split
    // into tasks of their own: together they made a long task on a 2048^2 picture.
    await yieldToEventLoop();
    const passes = planPasses(model, region, options.progressive === false ? { previewLevels: [] } : { after: painted });
    await yieldToEventLoop();
    signal?.throwIfAborted();
    const last = passes.length - 1;
    const sources: TileSource[] = passes.map((p, k) => (k < last && p.cost <= QUICK_PASS_MACS ? quick : source));
    // Every pass is loaded at once; previews share the full model's weights (workers derive them).
    const full = source.load(model, opts);
    const handles = passes.map((p, k) => {
      if (k === last) return full;
      const from = sources[k]!;
      return from === source && from.loadPreview ? from.loadPreview(full, p.level, p.model) : from.load(p.model, opts);
    });
    try {
      // Passes run one after the other, so a coarser block never covers a finer one, and each
      // pass's tiles are cut to the budget measured on the passes before it.
      for (const [k, pass] of passes.entries()) {
        await runPass(pass, sources[k]!, handles[k], { pass: k, passes: passes.length, ...(bytes === undefined ? {} : { bytes }) });
      }
      signal?.throwIfAborted();
    } finally {
      handles.forEach((h, k) => sources[k]!.release(h));
    }
    const drawn = await began;
    await drawn.flush();
    return { frames, drawing: { where: drawn.where, reason: drawn.reason }, decoding: source.decoding, firstPassMs, totalMs: now() - start, macs };
  }
}

/** Draws a decoded region of a pass's model (RGBA8, its last two axes height and width) at its place. */
function drawRegion(to: TileDrawer, rgba: Uint8ClampedArray<ArrayBuffer>, region: Region, blockSize: [number, number]): void {
  const [h, w] = region.size.slice(-2) as [number, number];
  to.draw(rgba, w, h, region.start.slice(-2) as [number, number], blockSize);
}

/** Whether an arrival finer than `level` (or the load's failure) comes within `ms`. */
async function finerWithin(from: ArrivingModel, level: number, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      from.next(level).then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Renders `model` progressively onto `target`; `job.done` settles when full detail is drawn. */
export function renderProgressive(model: AsmrModel, target: DrawTarget, options: RenderOptions = {}): RenderJob {
  return new RenderJob(model, target, options);
}
