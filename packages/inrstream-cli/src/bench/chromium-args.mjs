// Plain JavaScript so that the Node configs (test runner, bundler) load it without a compiler,
// and the bench-budget CLI ships it: the one list of Chromium flags in the project.

/**
 * Debian's Chromium, headless, as root, on machines with no GPU and no network: SwiftShader
 * stands in for the GPU so WebGL2 and WebGPU work (see docs/TESTING.md).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
