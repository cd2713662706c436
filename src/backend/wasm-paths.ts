/**
 * Where tfjs's WASM backend fetches its .wasm files: the trainer's CPU backend (decoding runs
 * the project's own WebAssembly kernels and needs no file). The trainer's bundle ships them
 * next to the script (rollup copies them into dist/), so by default they are resolved relative
 * to the script's own URL; pages that serve them elsewhere pass the trainer's `wasmPath`.
 */

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

/** Loads tfjs's WASM backend and sets its .wasm prefix; the module loads once per page, so the first prefix wins. */
export async function configureWasmPaths(prefix?: string): Promise<string> {
  const wanted = prefix ?? scriptDirectory();
  if (configured === undefined) {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(wanted.endsWith('/') ? wanted : `${wanted}/`);
    configured = wanted;
  }
  return configured;
}
