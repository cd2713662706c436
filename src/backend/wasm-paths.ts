/**
 * Where the tfjs WASM backend fetches its .wasm files. The built bundles ship them next to the
 * script (rollup copies them into dist/), so by default they are resolved relative to the
 * script's own URL; pages that serve them elsewhere pass `wasmPaths`.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let configured: string | undefined;

/** The directory of the running script (rollup rewrites import.meta.url in the IIFE bundles). */
function scriptDirectory(): string {
  try {
    return new URL('./', import.meta.url).href;
  } catch {
    // The IIFE bundle's rewrite reads `document`, which a worker does not have.
    return new URL('./', self.location.href).href;
  }
}

/** Sets the .wasm prefix; the module loads once per page, so the first prefix wins. */
export function configureWasmPaths(prefix?: string): string {
  const wanted = prefix ?? scriptDirectory();
  if (configured === undefined) {
    setWasmPaths(wanted.endsWith('/') ? wanted : `${wanted}/`);
    configured = wanted;
  }
  return configured;
}
