/**
 * The wire types of the train worker (workers/train-worker.ts), imported by both sides: the
 * worker and its client (worker-client.ts). Pixels cross as RGBA8; previews come back as RGBA8
 * of the signal's size, transferred.
 */
import type { BackendChoice, BackendReport } from '../backend/types.js';
import type { Teacher } from './trainer.js';

export interface TrainRequest {
  /** The picture to fit, RGBA8 row-major (a canvas's ImageData). */
  pixels: { data: Uint8ClampedArray; width: number; height: number };
  /** Levels and width of the model; the bases are chosen (and the picture cropped to fit). */
  levels: number;
  hidden: number;
  iterations: number;
  lr: number;
  teacher: Teacher;
  /** A preview and a PSNR point every this many iterations. */
  evalEvery: number;
  backend: BackendChoice;
  /** The folder with tfjs-backend-wasm's .wasm files. */
  wasmPath: string;
  /** Names the picture in the .inr's provenance. */
  source: string;
}

export type TrainEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'plan'; shape: number[]; bases: number[][]; resize: string | null; macPerPx: number }
  | {
      type: 'progress';
      iteration: number;
      iterations: number;
      psnr: number;
      seconds: number;
      /** The current reconstruction, RGBA8 of the planned shape. */
      preview: Uint8ClampedArray<ArrayBuffer>;
    };

export type TrainOutcome =
  { stopped: false; bytes: Uint8Array<ArrayBuffer>; psnr: number; iterations: number; seconds: number; backend: string } | { stopped: true };

export interface TrainWorkerApi {
  /** Plans, trains and encodes; events go to `onEvent` as they happen. One run at a time. */
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainOutcome>;
  /** Ends the current run at its next step; its train() resolves with `{ stopped: true }`. */
  stop(): void;
}
