/**
 * In a worker whose script loads the real one with import() (the ESM build's worker entries):
 * the page posts its first calls as soon as the worker exists, and a message that arrives
 * before anything listens is lost (Chromium does not wait for a module worker's top-level
 * await). serveAfter holds every message that arrives while `load` runs and hands them, in
 * order, to the listeners it installed.
 */
export function isWorkerScope(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}

export function serveAfter(load: () => Promise<unknown>): void {
  const held: MessageEvent[] = [];
  const hold = (e: MessageEvent) => {
    held.push(e);
    e.stopImmediatePropagation();
  };
  globalThis.addEventListener('message', hold);
  load().then(
    () => {
      globalThis.removeEventListener('message', hold);
      for (const e of held) globalThis.dispatchEvent(new MessageEvent('message', { data: e.data, ports: [...e.ports] }));
    },
    (e: unknown) => {
      // Uncaught, so that the page's Worker gets an error event with the reason.
      setTimeout(() => {
        throw e;
      });
    },
  );
}
