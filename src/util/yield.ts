/**
 * Lets the event loop run (input, rendering, other tasks) before going on: main-thread work
 * split at these points shows up as several short tasks instead of one long one.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `steps` to the end, letting the event loop run each time `sliceMs` have passed since it
 * last did: long work made of short steps becomes a few short tasks.
 */
export async function runInSlices<T>(steps: Generator<void, T>, sliceMs: number): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - since > sliceMs) {
      await yieldToEventLoop();
      since = performance.now();
    }
  }
}
