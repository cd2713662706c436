/**
 * The pages the delivery benchmark loads: a picture embedded the README's way, the model
 * fetched alone, and the matching JPEG in an <img>. Each leaves its result in
 * `window.benchResult`; times are `performance.now()`, from the navigation's start.
 */

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
 * The picture the README's way. First pixels: the element's first render `progress` (its
 * first tile drawn), checked by reading the picture back (some pixel opaque); full detail: `load`.
 */
export function picturePage(embed: string): string {
  return `${HEAD}${embed}
<script>
  const el = document.querySelector('inr-image');
  const out = {};
  let checked;
  el.addEventListener('progress', (e) => {
    if (e.detail.phase !== 'render' || checked) return;
    out.firstPixelsMs = performance.now();
    checked = el.pixels().then((p) => {
      out.opaquePixels = 0;
      for (let i = 3; i < p.data.length; i += 4) if (p.data[i] > 0) out.opaquePixels++;
    });
  });
  el.addEventListener('load', async (e) => {
    out.fullMs = performance.now();
    out.load = e.detail;
    await checked;
    window.benchResult = out;
  });
  el.addEventListener('error', (e) => (window.benchResult = { error: e.detail.reason }));
</script>
</body>
</html>
`;
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
