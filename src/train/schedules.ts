/**
 * The teacher's schedules, after the public reference (stevolopolis/nmt_inr, scheduler.py and
 * strategy.py): how large a share of the samples to train on at step t of T, and at which
 * steps to re-select them. Plus the cosine learning-rate schedule.
 */
export const RATIO_SCHEDULES = ['constant', 'linear', 'step', 'cosine'] as const;
export type RatioSchedule = (typeof RATIO_SCHEDULES)[number];

export const INTERVALS = ['dense', 'dense2', 'incremental', 'reverse-incremental'] as const;
export type IntervalStrategy = (typeof INTERVALS)[number];

/** Share of the samples (0..1] to train on at `step` of `total`, starting from `start`. */
export function ratioAt(schedule: RatioSchedule, step: number, total: number, start: number): number {
  switch (schedule) {
    case 'constant':
      return start;
    case 'linear':
      return start + (step / total) * (1 - start);
    case 'step': {
      // Ten equal stages, each adding a tenth of the way to 1.
      const stages = 10;
      const stage = Math.floor(step / (total / stages));
      return Math.min(start + (stage * (1 - start)) / stages, 1);
    }
    case 'cosine':
      return 1 - 0.5 * (1 - start) * (1 + Math.cos((step / total) * Math.PI));
  }
}

/** Whether the teacher re-selects at `step` of `total`. */
export function selectsAt(strategy: IntervalStrategy, step: number, total: number): boolean {
  switch (strategy) {
    case 'dense':
      return true;
    case 'dense2':
      return step % 2 === 0;
    case 'incremental': {
      // Every step for the first 25%, then intervals of 10, 20, .., 50 in five equal bands.
      const startup = Math.floor(total * 0.25);
      const band = Math.max(1, Math.floor((total - startup) / 5));
      if (step < startup || Math.floor(step / band) === 0) return true;
      const interval = 10 * (Math.floor(Math.max(1, step - startup) / band) + 1);
      return step % interval === 0;
    }
    case 'reverse-incremental': {
      // Long intervals first (90, 80, ..), every step in the last tenth.
      const band = Math.max(1, Math.floor(total / 10));
      const increment = 10 - Math.floor(step / band) - 1;
      if (increment <= 0) return true;
      return step % (10 * increment) === 0;
    }
  }
}

/**
 * Cosine annealing from `lr` at step 0 to `minLr` at step `total` (PyTorch's
 * CosineAnnealingLR, which the reference runs with eta_min = 1e-5).
 */
export function cosineLr(lr: number, step: number, total: number, minLr = 0): number {
  return minLr + 0.5 * (lr - minLr) * (1 + Math.cos((Math.PI * step) / total));
}
