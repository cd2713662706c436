/**
 * Worker script URLs as Trusted Types want them. A page that requires Trusted Types
 * (`require-trusted-types-for 'script'`) refuses a plain string in `new Worker(url)`. The
 * library makes one policy, named `inrstream`, that turns the worker URLs the page configured
 * (`workerUrl`, `drawWorkerUrl`, or the defaults beside the script) into TrustedScriptURLs; a
 * page allows it by listing `inrstream` in its `trusted-types` directive. Where the page does
 * not, the plain URL is used, the Worker refuses it, and the library falls back as it does for
 * any worker that cannot start.
 */
interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

let policy: ReturnType<TrustedTypesFactory['createPolicy']> | null | undefined;

export function workerScriptUrl(url: string | URL): string | URL {
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!factory) return url;
  if (policy === undefined) {
    try {
      policy = factory.createPolicy('inrstream', { createScriptURL: (u) => u });
    } catch {
      policy = null;
    }
  }
  // new Worker() takes the TrustedScriptURL wherever it takes a string.
  return policy ? (policy.createScriptURL(String(url)) as string) : url;
}
