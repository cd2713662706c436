/**
 * The pages the delivery benchmark loads: a picture embedded the README's way, the model
 * fetched alone, and the matching JPEG in an <img>. Each leaves its result in
 * `window.benchResult`; times are `performance.now()`, from the navigation's start.
 */
import { percentile } from '../../packages/inrstream-cli/src/bench/stats.js';

/** The demo page's pictures: each `<inr-image src>` of demo/index.html, in order. */
export function demoPictures(indexHtml: string): string[] {
  return [...indexHtml.matchAll(/<inr-image\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * The README's embed (its first html block: the script tag and an `<inr-image>` of
 * `photo.inr`, and anything else it names `photo.inr` in, its preload), with the script's
 * `dist/` and the picture's URL rewritten for the bench server.
 */
export function readmeEmbed(readme: string, pictureUrl: string): { html: string; scriptSrc: string } {
  const block = readme.match(/```html\n([\s\S]*?)```/)?.[1];
  const src = block?.match(/<script\b[^>]*\ssrc="dist\/([^"]+)"/)?.[1];
  if (!block || !src || !block.includes('src="photo.inr"'))
    throw new Error('README.md: no html block with a <script src="dist/..."> and an <inr-image src="photo.inr">');
  return { html: block.replaceAll('src="dist/', 'src="/dist/').replaceAll('="photo.inr"', `="${pictureUrl}"`), scriptSrc: `/dist/${src}` };
}

const HEAD = '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>bench:delivery</title></head>\n<body>\n';

/**
 * Records, into `out.levels`, each level's first complete paint of `el` (the `progress` event of
 * its pass's last tile): when (ms from `t0`), the model bytes the page had read by then
 * (`bytes`, the last download `progress`), and the bytes that level needed (`needs`: the
 * render's `bytes`, or the whole file for a pass of the loaded model, filled in at `load`).
 */
const RECORD_LEVELS = `function recordLevels(el, out, t0) {
    let arrived = 0;
    el.addEventListener('progress', (e) => {
      if (e.detail.phase === 'download') arrived = e.detail.bytes;
      if (e.detail.phase !== 'render') return;
      const { level, bytes, tilesDone, tilesTotal } = e.detail;
      if (tilesDone === tilesTotal && !out.levels.some((l) => l.level === level)) out.levels.push({ level, bytes: arrived, needs: bytes, ms: performance.now() - t0 });
    });
    el.addEventListener('load', (e) => {
      out.modelBytes = e.detail.bytes;
      for (const l of out.levels) l.needs ??= e.detail.bytes;
    });
  }`;

/**
 * The picture the README's way. First pixels: the element's first render `progress` (its
 * first tile drawn), checked by reading the picture back (some pixel opaque); full detail: `load`.
 * `levels`: each level's first complete paint (RECORD_LEVELS), from the navigation's start.
 */
export function picturePage(embed: string): string {
  return `${HEAD}${embed}
<script>
  ${RECORD_LEVELS}
  const el = document.querySelector('inr-image');
  const out = { levels: [] };
  let checked;
  recordLevels(el, out, 0);
  el.addEventListener('progress', (e) => {
    if (e.detail.phase !== 'render' || checked) return;
    out.firstPixelsMs = performance.now();
    // The frame that can show them: it starts once the task that drew them has ended.
    requestAnimationFrame(() => (out.firstFrameMs = performance.now()));
    // The picture as it was then, counted once full detail is in: the count is the bench's
    // work, not the runtime's, and would otherwise run on the page's thread in between.
    checked = el.pixels();
  });
  el.addEventListener('load', async (e) => {
    out.fullMs = performance.now();
    out.load = e.detail;
    const p = await checked;
    out.opaquePixels = 0;
    for (let i = 3; i < p.data.length; i += 4) if (p.data[i] > 0) out.opaquePixels++;
    window.benchResult = out;
  });
  el.addEventListener('error', (e) => (window.benchResult = { error: e.detail.reason }));
</script>
</body>
</html>
`;
}

/**
 * The second picture of a page (the README's script tag, then the picture once another has
 * loaded): the runtime and its workers are running, so what the visitor waits for is the model
 * alone, and each level shows as its bytes arrive. `levels` from the picture's insertion.
 */
export function streamingPage(embed: string, modelUrl: string): string {
  const script = embed.split('\n').filter((line) => line.includes('<script'));
  if (script.length !== 1) throw new Error("the README's embed has no single script tag line");
  return `${HEAD}${script[0]}
<script>
  ${RECORD_LEVELS}
  const picture = (src) => {
    const el = document.createElement('inr-image');
    el.setAttribute('src', src);
    el.addEventListener('error', (e) => (window.benchResult = { error: e.detail.reason }));
    document.body.append(el);
    return el;
  };
  addEventListener('DOMContentLoaded', () => {
    const warm = picture(${JSON.stringify(`${modelUrl}?warm`)});
    warm.addEventListener('load', () => {
      const out = { levels: [] };
      const t0 = performance.now();
      const el = picture(${JSON.stringify(modelUrl)});
      recordLevels(el, out, t0);
      el.addEventListener('load', () => {
        out.fullMs = performance.now() - t0;
        window.benchResult = out;
      });
    });
  });
</script>
</body>
</html>
`;
}

/** A level's first complete paint: when (ms), the model bytes read by then, and the bytes it needed. */
export interface LevelPaint {
  level: number;
  bytes: number;
  needs: number;
  ms: number;
}

/** The bench's figure of several runs: their median, rounded. */
export const median = (values: number[]): number => Math.round(percentile(values, 50));

/** The levels painted in every run, each with the median of its bytes and times. */
export function levelPaints(runs: LevelPaint[][]): LevelPaint[] {
  const levels = [...new Set(runs.flat().map((l) => l.level))].sort((a, b) => a - b);
  const of = (level: number) => runs.map((r) => r.find((l) => l.level === level));
  return levels
    .filter((level) => of(level).every((l) => l !== undefined))
    .map((level) => {
      const paints = of(level) as LevelPaint[];
      return { level, bytes: median(paints.map((l) => l.bytes)), needs: median(paints.map((l) => l.needs)), ms: median(paints.map((l) => l.ms)) };
    });
}

/** The model file alone: fetched and read to its end, as early as the page can. */
export function modelAlonePage(modelUrl: string): string {
  return `${HEAD}<script>
  fetch(${JSON.stringify(modelUrl)})
    .then((r) => r.arrayBuffer())
    .then((b) => (window.benchResult = { ms: performance.now(), bytes: b.byteLength }), (e) => (window.benchResult = { error: String(e) }));
</script>
</body>
</html>
`;
}

/** The JPEG in an <img>: complete at its load event. */
export function jpegPage(jpegUrl: string): string {
  return `${HEAD}<img src=${JSON.stringify(jpegUrl)} alt="" onload="window.benchResult = { ms: performance.now() }" onerror="window.benchResult = { error: 'the JPEG did not load' }" />
</body>
</html>
`;
}
