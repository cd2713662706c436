/**
 * `npm run bench:decode [-- --json] [-- --memory] [-- --memory-only]`: serves the benchmark page
 * (scripts/bench-decode/) on 127.0.0.1, runs it in headless Chromium (Debian's, SwiftShader for
 * WebGL2/WebGPU, as the tests do) and prints this machine's WASM SIMD multiply-add peak and the
 * frame's floor (its MACs at that peak), then per backend the fused engine (also as a multiple
 * of the floor) against a plain tfjs-ops decoder of the same model, and auto's choice. --memory adds the
 * 8192 x 8192 tile-by-tile decode (minutes on a 2-core machine).
 */
import { runBenchPage } from './lib/headless-page.js';

interface Run {
  backend: string;
  model: string;
  engine: 'fused' | 'tfjs-ops';
  msPerDecode: number;
  mpixPerSec: number;
  macPerPx: number;
}

interface Result {
  error?: string;
  userAgent: string;
  cores: number;
  runs?: Run[];
  skipped?: string[];
  auto?: { backend: string; reason: string; msPerDecode: number; fastestBackend: string; fastestMs: number; slowerThanFastestPct: number };
  peakGmacPerS?: number;
  peakRelaxed?: boolean;
  frameMacs?: number;
  floorMs?: number;
  memory?: { backend: string; model: string; tiles: number; seconds: number; peakTensorMB: number; peakCacheMB: number; gpuTexturePoolMB: number }[];
}

const args = new Set(process.argv.slice(2));
const json = args.has('--json');

const result = await runBenchPage<Result>('scripts/bench-decode/index.html', json, {
  query: { memory: args.has('--memory') || args.has('--memory-only') ? '1' : '0', speed: args.has('--memory-only') ? '0' : '1' },
  echoConsole: true,
});

if (!json) {
  console.log(`${result.userAgent} (${result.cores} logical cores)`);
  const runs = result.runs ?? [];
  const floor = result.floorMs;
  if (floor !== undefined) {
    console.log(
      `WASM SIMD peak on one thread: ${result.peakGmacPerS!.toFixed(1)} GMAC/s (${result.peakRelaxed ? 'relaxed-SIMD FMA' : 'multiply + add'}); floor for the frame's ${(result.frameMacs! / 1e6).toFixed(0)} M MAC: ${floor.toFixed(1)} ms`,
    );
  }
  if (runs.length > 0) {
    console.log(`model ${runs[0]!.model}, ${runs[0]!.macPerPx.toFixed(1)} MAC/px`);
    console.log('backend  engine     ms/decode   Mpix/s   MAC/px    x floor   tfjs-ops/fused');
    for (const r of runs) {
      const fusedMs = runs.find((f) => f.backend === r.backend && f.engine === 'fused')!.msPerDecode;
      const ratio = r.engine === 'tfjs-ops' ? `${(r.msPerDecode / fusedMs).toFixed(2)}x` : '';
      console.log(
        `${r.backend.padEnd(8)} ${r.engine.padEnd(9)} ${r.msPerDecode.toFixed(1).padStart(10)} ${r.mpixPerSec.toFixed(3).padStart(8)} ${r.macPerPx.toFixed(1).padStart(8)} ${(floor ? `${(r.msPerDecode / floor).toFixed(1)}x` : '').padStart(9)}   ${ratio}`,
      );
    }
  }
  for (const s of result.skipped ?? []) console.log(`skipped ${s}`);
  const a = result.auto;
  if (a)
    console.log(
      `auto: ${a.backend} (${a.reason}), ${a.msPerDecode.toFixed(1)} ms; fastest fused: ${a.fastestBackend} ${a.fastestMs.toFixed(1)} ms; auto is ${a.slowerThanFastestPct.toFixed(1)}% slower`,
    );
  for (const m of result.memory ?? []) {
    console.log(
      `${m.model} on ${m.backend}: ${m.tiles} tiles, ${m.seconds.toFixed(1)} s, peak tensor memory ${m.peakTensorMB.toFixed(1)} MiB, peak activation cache ${m.peakCacheMB.toFixed(1)} MiB${m.gpuTexturePoolMB ? `, GPU texture pool ${m.gpuTexturePoolMB.toFixed(1)} MiB` : ''}`,
    );
  }
}
