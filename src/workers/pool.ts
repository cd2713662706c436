/**
 * A pool of decode workers as a tile source. Each model's weights go to a worker once (copied
 * for that worker on its first tile of the model and transferred: one copy in flight, none
 * kept); a preview of a loaded model goes as its level only, and the worker derives it from
 * the weights it holds. Tiles go to the least busy worker and come back as transferred RGBA8
 * buffers. A worker that fails (an uncaught error, silence past what its tiles can take:
 * liveness.ts, or no answer to a tile within the tile timeout) is terminated and replaced, and
 * its tiles are retried on a worker whose engine runs: every tile resolves exactly once.
 */
import { transfer, wrap, type Remote } from 'comlink';
import { InrBackendError } from '../util/errors.js';
import type { AsmrModel, DenseLayer, Region } from '../model/types.js';
import { regionCost } from '../model/cost.js';
import type { DecodedRgba, TileSource } from '../render/tile-source.js';
import type { BackendReport } from '../backend/types.js';
import type { DecodeWorkerApi, WorkerInit } from './decode-protocol.js';
import { withDeadline } from '../util/deadline.js';
import { scriptAt, workerFailure, type WorkerScript } from './worker-script.js';
import { Pace, Watchdog } from './liveness.js';

export interface WorkerPoolOptions {
  /**
   * URL of the built worker script (dist/inrstream-worker.min.js), started as a module worker
   * (from another origin, through a same-origin bootstrap: worker-script.ts).
   */
  scriptUrl?: string | URL;
  /** The worker script, where it is found asynchronously (a bundler's); overrides scriptUrl. */
  script?: Promise<WorkerScript>;
  /** Makes a worker; overrides both (for CSP, tests). */
  createWorker?: () => Worker;
  /** Workers; default one per logical core, at most 4 (see defaultPoolSize). */
  size?: number;
  /**
   * A worker that holds tiles and answers nothing for this many ms, or for 8 times what its
   * tiles take at its measured speed where that is longer, is hung: it is replaced (default 3 s).
   */
  silenceMs?: number;
  /** A tile not answered in this many ms counts as a lost worker, even one that answers others (default 60 s). */
  tileTimeoutMs?: number;
  /** A worker whose engine has not started in this many ms counts as lost (default 120 s). */
  initTimeoutMs?: number;
  /** Called when a worker is replaced, with the reason. */
  onWorkerReplaced?(index: number, reason: string): void;
  /** How each worker starts its decode engine (backend choice, .wasm location). */
  init?: WorkerInit;
}

export interface PoolHandle {
  readonly id: number;
  /** The model and its output range, or the loaded model this one previews and the level. */
  readonly model: AsmrModel;
  readonly outputRange: readonly [number, number];
  readonly preview?: { of: PoolHandle; level: number };
}

class WorkerLost extends Error {}

interface Slot {
  /** The worker, once its script is known and it was started. */
  worker: Promise<Worker>;
  remote: Promise<Remote<DecodeWorkerApi>>;
  /** The worker's engine has started: which backend runs there. */
  ready: Promise<BackendReport>;
  /** Pool handle id -> the worker's own model id. */
  loaded: Map<number, Promise<number>>;
  busy: number;
  /** Its engine has started. */
  started: boolean;
  /** Finds it hung from its silence; its speed says how long that may last. */
  watchdog: Watchdog;
  pace: Pace;
  /** Rejects every call in flight on this worker when it is lost. */
  lost: Promise<never>;
  loseWith(reason: string): void;
}

/** `model` with weights of its own, to be transferred to a worker. */
function copyModel({ spec, weights }: AsmrModel): AsmrModel {
  const copy = (l: DenseLayer) => ({ weight: l.weight.slice(), bias: l.bias.slice() });
  return {
    spec,
    weights: {
      layers: weights.layers.map(copy),
      modulators: weights.modulators.map((m) => m.slice()),
      ...(weights.heads ? { heads: weights.heads.map(copy) } : {}),
    },
  };
}

const weightArrays = ({ weights }: AsmrModel): Float32Array[] => [
  ...weights.layers.flatMap((l) => [l.weight, l.bias]),
  ...weights.modulators,
  ...(weights.heads ?? []).flatMap((l) => [l.weight, l.bias]),
];
const weightBuffers = (model: AsmrModel): ArrayBuffer[] => weightArrays(model).map((a) => a.buffer as ArrayBuffer);
const weightBytes = (model: AsmrModel): number => weightArrays(model).reduce((n, a) => n + a.byteLength, 0);

/** WorkerPoolOptions.silenceMs's default. */
const DEFAULT_SILENCE_MS = 3000;
const MAX_ATTEMPTS = 3;
/** Replacements in a row with no tile done in between: past this the workers cannot run here. */
const MAX_FAILURES_IN_A_ROW = 4;

/**
 * One decode worker per logical core, up to 4: decoding is nearly all of a render's work and the
 * page's thread and the draw worker need little, so on 2 cores two workers finish a render in
 * about two thirds of one worker's time (docs/RUNTIME.md, figures).
 */
export function defaultPoolSize(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, Math.min(4, cores));
}

export class WorkerPool implements TileSource<PoolHandle> {
  private readonly slots: Slot[];
  private readonly script: Promise<WorkerScript>;
  private readonly timeoutMs: number;
  private readonly silenceMs: number;
  private nextHandle = 1;
  private closed = false;
  private failuresInARow = 0;
  /** Set when workers keep failing (a script that does not load, say): why. */
  private brokenReason: string | undefined;

  constructor(private readonly options: WorkerPoolOptions) {
    const { scriptUrl, script, createWorker } = options;
    if (createWorker) this.script = Promise.resolve({ what: 'the decode worker', url: undefined, start: createWorker });
    else if (script) this.script = script;
    else if (scriptUrl !== undefined) this.script = Promise.resolve(scriptAt('the decode worker', scriptUrl));
    else throw new TypeError('WorkerPool needs scriptUrl, script or createWorker');
    // Nothing to wait for when it is found: a script that is not is a reason to give up.
    this.script.catch(() => undefined);
    this.timeoutMs = options.tileTimeoutMs ?? 60_000;
    this.silenceMs = options.silenceMs ?? DEFAULT_SILENCE_MS;
    // The first worker starts alone; the others once its engine has started, it failed, or
    // silenceMs passed (a first worker hung in its start does not hold them back): started
    // together they share the link for their scripts and the cores for their engines' start,
    // and the first picture waits for all of them (docs/RUNTIME.md, "Workers").
    const first = this.spawn(0);
    const settled = () => undefined;
    const firstSettled = withDeadline(first.ready, first.lost, this.silenceMs, () => new WorkerLost('slow to start')).then(settled, settled);
    this.slots = [first, ...Array.from({ length: (options.size ?? defaultPoolSize()) - 1 }, (_, i) => this.spawn(i + 1, firstSettled))];
  }

  get size(): number {
    return this.slots.length;
  }

  get parallelism(): number {
    return this.slots.length;
  }

  /** Tiles are decoded in the workers, off the page's thread. */
  readonly offThread = true;

  /** Which backend the first worker's engine runs, and why (rejects if that worker is lost). */
  report(): Promise<BackendReport> {
    const slot = this.slots[0]!;
    return Promise.race([slot.ready, slot.lost]);
  }

  load(model: AsmrModel, opts: { outputRange?: readonly [number, number] } = {}): PoolHandle {
    const outputRange: [number, number] = [opts.outputRange?.[0] ?? 0, opts.outputRange?.[1] ?? 1];
    return { id: this.nextHandle++, model, outputRange };
  }

  /** The preview of `base` at `level` (src/model/preview.ts), made in each worker from the weights it holds. */
  loadPreview(base: PoolHandle, level: number, model: AsmrModel): PoolHandle {
    return { id: this.nextHandle++, model, outputRange: base.outputRange, preview: { of: base, level } };
  }

  async decodeRgba(handle: PoolHandle, region: Region): Promise<DecodedRgba> {
    for (let attempt = 1; ; attempt++) {
      if (this.brokenReason !== undefined) throw new InrBackendError('workers-unavailable', this.brokenReason, 'pool');
      if (this.closed) throw new InrBackendError('released', 'the worker pool was terminated', 'pool');
      const index = this.leastBusy();
      const slot = this.slots[index]!;
      slot.busy++;
      try {
        const tile = await this.onSlot(slot, handle, region);
        this.failuresInARow = 0;
        return tile;
      } catch (e) {
        if (!(e instanceof WorkerLost)) throw e;
        if (this.slots[index] === slot) this.replace(index, e.message);
        if (attempt === MAX_ATTEMPTS) this.giveUp(`a tile failed on ${attempt} workers in a row (last: ${e.message})`);
      } finally {
        slot.busy--;
      }
    }
  }

  release(handle: PoolHandle): void {
    for (const slot of this.slots) {
      const id = slot.loaded.get(handle.id);
      if (!id) continue;
      slot.loaded.delete(handle.id);
      Promise.all([slot.remote, id])
        .then(([remote, workerId]) => remote.release(workerId))
        .catch(() => undefined);
    }
  }

  /** Workers cannot run here: stop them; every tile from now on reports why. */
  private giveUp(reason: string): void {
    this.brokenReason ??= reason;
    this.terminate();
  }

  terminate(): void {
    this.closed = true;
    for (const slot of this.slots) {
      slot.watchdog.stop();
      slot.loseWith('the pool was terminated');
      slot.worker.then(
        (w) => w.terminate(),
        () => undefined,
      );
    }
  }

  private async onSlot(slot: Slot, handle: PoolHandle, region: Region): Promise<DecodedRgba> {
    const initMs = this.options.initTimeoutMs ?? 120_000;
    await withDeadline(
      slot.ready.catch((e: unknown) => {
        throw new WorkerLost(`its decode engine could not start: ${(e as Error)?.message ?? String(e)}`);
      }),
      slot.lost,
      initMs,
      () => new WorkerLost(`its decode engine did not start in ${initMs} ms`),
    );
    const remote = await slot.remote;
    const id = this.loadOn(slot, remote, handle);
    const { macs } = regionCost(handle.model.spec, region);
    const tile = await withDeadline(
      slot.watchdog.watch(
        id.then((workerId) => remote.decode(workerId, region)),
        slot.pace.tileMs(macs),
      ),
      slot.lost,
      this.timeoutMs,
      () => new WorkerLost(`no answer to a tile in ${this.timeoutMs} ms`),
    );
    slot.pace.record(macs, tile.busyMs);
    return tile;
  }

  /** The worker's id for `handle`, loading it there first. */
  private loadOn(slot: Slot, remote: Remote<DecodeWorkerApi>, handle: PoolHandle): Promise<number> {
    let id = slot.loaded.get(handle.id);
    if (!id) {
      const { preview } = handle;
      const loadMs = slot.pace.loadMs(weightBytes(handle.model));
      if (preview) {
        id = this.loadOn(slot, remote, preview.of).then((base) => slot.watchdog.watch(remote.preview(base, preview.level), loadMs));
      } else {
        const model = copyModel(handle.model);
        id = slot.watchdog.watch(remote.loadModel(transfer(model, weightBuffers(model)), [handle.outputRange[0], handle.outputRange[1]]), loadMs);
      }
      slot.loaded.set(handle.id, id);
    }
    return id;
  }

  /**
   * The least busy worker, of those whose engine runs where any does (a replacement starts its
   * engine meanwhile); before any does, the first, which starts before the others.
   */
  private leastBusy(): number {
    let best = -1;
    this.slots.forEach((s, i) => {
      if (s.started && (best < 0 || s.busy < this.slots[best]!.busy)) best = i;
    });
    return Math.max(best, 0);
  }

  /** A worker for slot `index`, started once `after` settles. */
  private spawn(index: number, after: Promise<void> = Promise.resolve()): Slot {
    let loseWith!: (reason: string) => void;
    const lost = new Promise<never>((_, reject) => {
      loseWith = (reason) => reject(new WorkerLost(reason));
    });
    lost.catch(() => undefined);
    const worker = Promise.all([this.script, after]).then(
      ([script]) => {
        if (this.closed) throw new WorkerLost('the pool was terminated');
        return this.start(script, index, () => slot);
      },
      (e: unknown) => this.cannotStart(slot, (e as Error)?.message ?? String(e)),
    );
    const remote = worker.then((w) => wrap<DecodeWorkerApi>(w));
    const ready = remote.then((r) => r.init(this.options.init ?? {}));
    // Each is awaited where it is used; a worker that never started is reported through `lost`.
    for (const p of [worker, remote, ready]) p.catch(() => undefined);
    const watchdog = new Watchdog(this.silenceMs, (silentMs, limitMs) => {
      if (this.slots[index] === slot) this.replace(index, `no answer for ${silentMs} ms while it held tiles (allowed: ${limitMs} ms)`);
    });
    const slot: Slot = { worker, remote, ready, loaded: new Map(), busy: 0, started: false, watchdog, pace: new Pace(), lost, loseWith };
    ready.then(
      () => (slot.started = true),
      () => undefined,
    );
    return slot;
  }

  /** Starts one worker from `script` for the slot `current()` at `index`; its failures replace it, or end the pool. */
  private start(script: WorkerScript, index: number, current: () => Slot): Worker {
    let worker: Worker;
    try {
      worker = script.start();
    } catch (e) {
      // The page refuses the worker itself (Trusted Types without our policy, a CSP).
      return this.cannotStart(current(), `workers cannot start on this page: ${(e as Error).message}`);
    }
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      if (this.slots[index] !== current() || this.closed) return;
      const failure = workerFailure(script, e);
      // A script that did not load will not load on the next try either.
      if (failure.loaded) this.replace(index, failure.reason);
      else this.giveUp(failure.reason);
    });
    return worker;
  }

  private cannotStart(slot: Slot, reason: string): never {
    if (this.slots.includes(slot)) this.giveUp(reason);
    throw new WorkerLost(reason);
  }

  private replace(index: number, reason: string): void {
    if (this.closed) return;
    const old = this.slots[index]!;
    old.watchdog.stop();
    old.loseWith(reason);
    old.worker.then(
      (w) => w.terminate(),
      () => undefined,
    );
    if (++this.failuresInARow > MAX_FAILURES_IN_A_ROW) {
      this.giveUp(`decode workers keep failing (last: ${reason})`);
      return;
    }
    this.slots[index] = this.spawn(index);
    this.options.onWorkerReplaced?.(index, reason);
  }
}
