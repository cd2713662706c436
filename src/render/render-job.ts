/**
 * A progressive render of one picture onto a canvas: the passes of progressive-plan.ts, their
 * tiles run by the frame scheduler under the per-frame MAC budget, drawn by CanvasDrawer.
 * Ends with the full-detail pixels, identical to a one-shot decode from the same source.
 */
import { frameRegion } from './canvas.js';
import { CanvasDrawer } from './canvas-drawer.js';
import { planProgressive } from './progressive-plan.js';
import { CpuTileSource, type TileSource } from './tile-source.js';
import { FrameScheduler, type FrameClock, type FrameReport } from '../scheduler/frame-scheduler.js';
import type { AsmrModel } from '../model/types.js';

export interface RenderOptions {
  /** Where tiles come from; the plain-TypeScript decoder by default. */
  source?: TileSource;
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
}

export interface RenderProgress {
  level: number;
  /** Index of the pass (0 = coarsest preview). */
  pass: number;
  passes: number;
  tilesDone: number;
  tilesTotal: number;
}

export interface RenderStats {
  frames: FrameReport[];
  /** ms from start until the first pass was complete. */
  firstPassMs: number;
  totalMs: number;
  macs: number;
}

/** Auto budgets start from this throughput guess (MAC/ms) until work has been measured. */
const INITIAL_MAC_PER_MS = 2e5;

export class RenderJob extends EventTarget {
  readonly done: Promise<RenderStats>;

  constructor(model: AsmrModel, canvas: HTMLCanvasElement | OffscreenCanvas, options: RenderOptions = {}) {
    super();
    this.done = this.run(model, canvas, options);
    this.done.catch(() => undefined);
  }

  private async run(model: AsmrModel, canvas: HTMLCanvasElement | OffscreenCanvas, options: RenderOptions): Promise<RenderStats> {
    const { signal, clock } = options;
    signal?.throwIfAborted();
    const source = options.source ?? new CpuTileSource();
    const frames: FrameReport[] = [];
    const scheduler = new FrameScheduler({
      budget: options.budget ?? 'auto',
      initialMacPerMs: INITIAL_MAC_PER_MS,
      ...(options.targetFrameMs === undefined ? {} : { targetFrameMs: options.targetFrameMs }),
      ...(clock ? { clock } : {}),
      onFrame: (r) => frames.push(r),
    });
    const now = () => (clock ?? performance).now();
    const start = now();
    const region = frameRegion(model.spec, options.frame);
    const [height, width] = region.size.slice(-2) as [number, number];
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const passes = planProgressive(model, region, {
      maxTileCost: scheduler.budget.macs,
      ...(options.progressive === false ? { previewLevels: [] } : {}),
    });
    const drawer = new CanvasDrawer(canvas, region.start.slice(-2) as [number, number]);
    const handles = passes.map((p) => source.load(p.model, { outputRange: options.outputRange ?? [0, 1] }));
    let firstPassMs = 0;
    let macs = 0;
    try {
      // Tiles of one frame run in parallel and may finish in any order: a tile waits for the
      // whole previous pass to be drawn, so a coarser block never covers a finer one.
      const passDone: Promise<void>[] = [];
      passes.forEach((pass, k) => {
        const previous = passDone[k - 1];
        let tilesDone = 0;
        const tiles = pass.tiles.map((tile) =>
          scheduler.schedule(
            {
              cost: tile.cost,
              // Whole passes in order (coarse to fine), centre-out within a pass.
              priority: k * 1e12 + tile.distance,
              run: async () => {
                const rgba = await source.decodeRgba(handles[k], tile.region);
                await previous;
                if (signal?.aborted) return;
                const [h, w] = tile.region.size.slice(-2) as [number, number];
                drawer.draw(rgba, w, h, tile.region.start.slice(-2) as [number, number], pass.blockSize);
                macs += tile.cost;
                tilesDone++;
                this.dispatchEvent(new CustomEvent<RenderProgress>('progress', {
                  detail: { level: pass.level, pass: k, passes: passes.length, tilesDone, tilesTotal: pass.tiles.length },
                }));
              },
            },
            signal,
          ),
        );
        passDone.push(
          Promise.all(tiles).then(() => {
            if (k === 0) firstPassMs = now() - start;
          }),
        );
      });
      await Promise.all(passDone);
      signal?.throwIfAborted();
    } finally {
      handles.forEach((h) => source.release(h));
    }
    return { frames, firstPassMs, totalMs: now() - start, macs };
  }
}

/** Renders `model` progressively onto `canvas`; `job.done` settles when full detail is drawn. */
export function renderProgressive(model: AsmrModel, canvas: HTMLCanvasElement | OffscreenCanvas, options: RenderOptions = {}): RenderJob {
  return new RenderJob(model, canvas, options);
}
