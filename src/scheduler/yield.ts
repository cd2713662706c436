/**
 * Lets the event loop run (input, rendering, other tasks) before going on: main-thread work
 * split at these points shows up as several short tasks instead of one long one.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
