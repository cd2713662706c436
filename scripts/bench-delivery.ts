/**
 * `npm run bench:delivery [-- --json] [--runs 3]`: what a visitor waits for on a slow link
 * (docs/BENCH.md "Delivery"). For each picture of the demo page, in headless Chromium on an
 * emulated 1.6 Mbit/s, 150 ms link with the cache off, against a gzip-ing static server on
 * 127.0.0.1: the bytes by kind, the time to first pixels and to full detail of the README's
 * embed, the time the model file alone takes, and the same for a JPEG of equal PSNR. Each
 * figure is the median over the runs. `--json`: `{ pictures: [{ name, firstPixelsMs, firstFrameMs, fullMs,
 * modelAloneMs, jpegMs, jpegBytes, modelBytes, levels: [{ level, bytes, needs, ms }], streaming:
 * { levels, fullMs }, bytes: { script, worker, backend, wasm, model } }], ... }`; `levels`: when
 * each level was first painted in full, how many of the model's bytes the page had read then,
 * and how many it needed; `streaming`: the same for the picture added to a page whose runtime is
 * already running (the second picture of a page), from its insertion.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInr } from '../src/format/index.js';
import { BYTE_KINDS, bytesByKind, type ByteKind } from './bench-delivery/bytes.js';
import { matchJpeg } from './bench-delivery/jpeg-match.js';
import { Chromium, LINK } from './bench-delivery/measure.js';
import {
  demoPictures,
  jpegPage,
  levelPaints,
  type LevelPaint,
  median,
  modelAlonePage,
  picturePage,
  readmeEmbed,
  streamingPage,
} from './bench-delivery/pages.js';
import { startStaticServer } from './lib/static-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Sources of the demo's models that were not trained here: the reference's photo (demo/models/README.md). */
const IMPORTED_SOURCES: Record<string, string> = { 'astronaut512.inr': join(ROOT, '../shared/data/astronaut.png') };

/** A trained model's header names its source, kept in `sources/` beside it (demo/models/README.md). */
function sourceOf(modelPath: string): string {
  const provenance = readInr(new Uint8Array(readFileSync(modelPath))).header.provenance;
  if (provenance?.method === 'asmr-train' && typeof provenance.source === 'string') return join(dirname(modelPath), 'sources', provenance.source);
  const source = IMPORTED_SOURCES[basename(modelPath)];
  if (!source) throw new Error(`${modelPath}: no source picture known to compare a JPEG with`);
  return source;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

const json = process.argv.includes('--json');
const runs = Number(option('--runs', '3'));
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be a positive integer`);
const log = (line: string) => process.stderr.write(`${line}\n`);

const pictures = demoPictures(readFileSync(join(ROOT, 'demo/index.html'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'inrstream-bench-delivery-'));
let sent = new Map<string, number>();
const server = await startStaticServer({
  gzip: true,
  routes: [
    { url: '/dist/', path: join(ROOT, 'dist') },
    { url: '/demo/', path: join(ROOT, 'demo') },
    { url: '/bench/', path: work },
  ],
  onSent: (path, bytes) => sent.set(path, (sent.get(path) ?? 0) + bytes),
});
const chromium = await Chromium.launch();

const paints = (levels: LevelPaint[]) => levels.map((l) => `${l.level} at ${l.ms.toFixed(0)} ms (${l.bytes} B read, ${l.needs} needed)`).join(', ');

interface Sample {
  firstPixelsMs: number;
  firstFrameMs: number;
  levels: LevelPaint[];
  modelBytes: number;
  streaming: { levels: LevelPaint[]; fullMs: number };
  fullMs: number;
  modelAloneMs: number;
  jpegMs: number;
  bytes: Record<ByteKind, number>;
  backend: string;
}

try {
  const setups = [];
  for (const src of pictures) {
    const name = basename(src);
    const model = join(ROOT, 'demo', src);
    const jpeg = await matchJpeg(model, sourceOf(model));
    const embed = readmeEmbed(readme, `/demo/${src}`);
    if (!existsSync(join(ROOT, embed.scriptSrc))) throw new Error(`${embed.scriptSrc} is missing: npm run build first`);
    mkdirSync(join(work, name));
    writeFileSync(join(work, name, 'picture.html'), picturePage(embed.html));
    writeFileSync(join(work, name, 'model.html'), modelAlonePage(`/demo/${src}`));
    writeFileSync(join(work, name, 'stream.html'), streamingPage(embed.html, `/demo/${src}`));
    writeFileSync(join(work, name, 'picture.jpg'), jpeg.bytes);
    writeFileSync(join(work, name, 'jpeg.html'), jpegPage('picture.jpg'));
    setups.push({ name, jpeg, scriptSrc: `${server.origin}${embed.scriptSrc}`, samples: [] as Sample[] });
    log(`${name}: ${jpeg.modelPsnr.toFixed(2)} dB; JPEG quality ${jpeg.quality}: ${jpeg.psnr.toFixed(2)} dB, ${jpeg.bytes.length} bytes`);
  }
  // Runs interleave the pictures, so a slow spell of the machine spreads over all of them.
  for (let run = 1; run <= runs; run++) {
    for (const s of setups) {
      const page = (file: string) => `${server.origin}/bench/${s.name}/${file}`;
      sent = new Map();
      const picture = await chromium.load<{
        firstPixelsMs: number;
        firstFrameMs: number;
        fullMs: number;
        opaquePixels: number;
        levels: LevelPaint[];
        load: { backend: string; where: string; bytes: number };
      }>(page('picture.html'));
      if (!(picture.result.opaquePixels > 0)) throw new Error(`${s.name}: nothing drawn at the first render progress event`);
      const bytes = bytesByKind(picture.requests, sent, { mainScript: s.scriptSrc, workerScripts: picture.workerScripts });
      const streaming = await chromium.load<{ levels: LevelPaint[]; fullMs: number }>(page('stream.html'));
      const alone = await chromium.load<{ ms: number }>(page('model.html'));
      const jpeg = await chromium.load<{ ms: number }>(page('jpeg.html'));
      const { firstPixelsMs, firstFrameMs, fullMs, load, levels } = picture.result;
      s.samples.push({
        firstPixelsMs,
        firstFrameMs,
        fullMs,
        levels,
        modelBytes: load.bytes,
        streaming: streaming.result,
        modelAloneMs: alone.result.ms,
        jpegMs: jpeg.result.ms,
        bytes,
        backend: `${load.backend} (${load.where})`,
      });
      log(
        `run ${run}/${runs} ${s.name}: first pixels ${firstPixelsMs.toFixed(0)} ms (their frame ${firstFrameMs.toFixed(0)} ms), full ${fullMs.toFixed(0)} ms, model alone ${alone.result.ms.toFixed(0)} ms, JPEG ${jpeg.result.ms.toFixed(0)} ms; levels ${paints(levels)}; second picture: ${paints(streaming.result.levels)}, full ${streaming.result.fullMs.toFixed(0)} ms`,
      );
    }
  }
  const report = {
    pictures: setups.map((s) => ({
      name: s.name,
      firstPixelsMs: median(s.samples.map((x) => x.firstPixelsMs)),
      firstFrameMs: median(s.samples.map((x) => x.firstFrameMs)),
      fullMs: median(s.samples.map((x) => x.fullMs)),
      modelAloneMs: median(s.samples.map((x) => x.modelAloneMs)),
      jpegMs: median(s.samples.map((x) => x.jpegMs)),
      jpegBytes: s.jpeg.bytes.length,
      modelBytes: median(s.samples.map((x) => x.modelBytes)),
      levels: levelPaints(s.samples.map((x) => x.levels)),
      streaming: { levels: levelPaints(s.samples.map((x) => x.streaming.levels)), fullMs: median(s.samples.map((x) => x.streaming.fullMs)) },
      bytes: Object.fromEntries(BYTE_KINDS.map((k) => [k, median(s.samples.map((x) => x.bytes[k]))])) as Record<ByteKind, number>,
    })),
    details: setups.map((s) => ({
      name: s.name,
      psnr: s.jpeg.modelPsnr,
      jpegQuality: s.jpeg.quality,
      jpegPsnr: s.jpeg.psnr,
      backends: [...new Set(s.samples.map((x) => x.backend))],
    })),
    link: { downMbitPerS: (LINK.download * 8) / 1e6, upMbitPerS: (LINK.upload * 8) / 1e6, latencyMs: LINK.latency, cache: 'disabled', gzip: true },
    runs,
    userAgent: await chromium.userAgent(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model },
  };
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    const kb = (b: number) => Number((b / 1000).toFixed(1));
    console.log(
      `${report.userAgent.match(/Chrome\/[\d.]+/)?.[0]}, ${report.machine.cpus} cores; link ${report.link.downMbitPerS} Mbit/s, ${LINK.latency} ms, cache off, gzip; median of ${runs} runs`,
    );
    console.table(
      report.pictures.map((p) => ({
        picture: p.name,
        'script KB': kb(p.bytes.script),
        'worker KB': kb(p.bytes.worker),
        'backend KB': kb(p.bytes.backend),
        'wasm KB': kb(p.bytes.wasm),
        'model KB': kb(p.bytes.model),
        'first px ms': p.firstPixelsMs,
        'their frame ms': p.firstFrameMs,
        'full ms': p.fullMs,
        'model alone ms': p.modelAloneMs,
        'full - alone ms': p.fullMs - p.modelAloneMs,
        'JPEG ms': p.jpegMs,
        'JPEG bytes': p.jpegBytes,
        'full / JPEG': Number((p.fullMs / p.jpegMs).toFixed(1)),
        'first / JPEG': Number((p.firstPixelsMs / p.jpegMs).toFixed(1)),
      })),
    );
    const share = (p: { modelBytes: number }, l: LevelPaint) =>
      `${l.bytes} B read (${((100 * l.bytes) / p.modelBytes).toFixed(1)}%; needs ${l.needs} B, ${((100 * l.needs) / p.modelBytes).toFixed(1)}%)`;
    for (const p of report.pictures) {
      console.log(
        `${p.name} (${p.modelBytes} B), first paint of each level, from the navigation: ${p.levels.map((l) => `level ${l.level} at ${l.ms} ms, ${share(p, l)}`).join('; ')}`,
      );
      console.log(
        `  as a page's second picture, from its insertion: ${p.streaming.levels.map((l) => `level ${l.level} at ${l.ms} ms, ${share(p, l)}`).join('; ')}; full ${p.streaming.fullMs} ms`,
      );
    }
  }
} finally {
  await chromium.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
