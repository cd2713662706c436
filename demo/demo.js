// Plain script, no build: <inr-image> comes from the bundle's script tag, and with it the
// global `inrstream`.
/** @type {typeof import('../dist/inrstream.mjs')} */
const { InrImageElement } = /** @type {any} */ (globalThis).inrstream;
/**
 * The element with this id, checked to be a `type`, so that this script and the page's markup
 * agree (and the type checker knows what it holds).
 * @template {Element} T
 * @param {string} id
 * @param {abstract new (...args: any[]) => T} type
 * @returns {T}
 */
function $(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return el;
}
const fmt = (v, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });

/**
 * The JPEG of the same bytes for each picture (`npm run demo:jpeg`, made ahead of time):
 * `{ "<model src>": { src, bytes, bpp, psnr, quality } }`.
 * @typedef {{ src: string, bytes: number, bpp: number, psnr: number, quality: number }} SameBytesJpeg
 */
/** @type {Promise<Record<string, SameBytesJpeg>>} */
const jpegs = fetch('models/jpeg.json')
  .then((r) => (r.ok ? r.json() : {}))
  .catch(() => ({}));

/**
 * A toggle under the caption that lays the JPEG of the same bytes over the picture, and says
 * what it is while shown.
 * @param {HTMLElement} figure
 * @param {SameBytesJpeg} jpeg
 */
function addJpegToggle(figure, jpeg) {
  const img = document.createElement('img');
  img.src = jpeg.src;
  img.alt = `The same picture as a JPEG of ${fmt(jpeg.bytes)} bytes`;
  img.hidden = true;
  figure.querySelector('.frame')?.append(img);
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  const text = document.createElement('span');
  const describe = () =>
    (text.textContent = box.checked
      ? ` showing the JPEG (libjpeg-turbo, quality ${jpeg.quality}): ${fmt(jpeg.bytes)} bytes, ${fmt(jpeg.bpp, 3)} bpp, ${fmt(jpeg.psnr, 2)} dB`
      : ' show the JPEG of the same bytes');
  box.addEventListener('change', () => {
    img.hidden = !box.checked;
    describe();
  });
  describe();
  label.append(box, text);
  figure.append(label);
}

for (const el of document.querySelectorAll('inr-image')) {
  if (!(el instanceof InrImageElement)) continue;
  const figure = /** @type {HTMLElement} */ (el.closest('figure'));
  const caption = /** @type {HTMLElement} */ (figure.querySelector('figcaption'));
  const name = el.src.split('/').pop();
  caption.textContent = `${name}: loading…`;
  void jpegs.then((all) => {
    const jpeg = all[el.getAttribute('src') ?? ''];
    if (jpeg) addJpegToggle(figure, jpeg);
  });
  el.addEventListener('progress', (e) => {
    const p = e.detail;
    caption.textContent =
      p.phase === 'download'
        ? `${name}: ${fmt(p.bytes)} bytes, ${p.tensorsReady}/${p.tensorsTotal} tensors`
        : `${name}: pass ${p.pass + 1}/${p.passes} (${p.level === p.passes - 1 ? 'full detail' : `level ${p.level} preview`}), ${p.tilesDone}/${p.tilesTotal} tiles`;
  });
  el.addEventListener('load', (e) => {
    const d = e.detail;
    const bpp = (d.bytes * 8) / (d.width * d.height);
    caption.textContent =
      `${name}: ${d.width}x${d.height}, ${fmt(d.bytes)} bytes, ${fmt(bpp, 3)} bpp, ` +
      `${d.psnr === undefined ? 'PSNR not stated' : `${fmt(d.psnr, 2)} dB`}, ${fmt(d.macPerPx)} MAC/px; ` +
      `first preview ${fmt(d.firstPreviewMs)} ms, full detail ${fmt(d.totalMs)} ms`;
    $('backend', HTMLElement).textContent = `${d.backend} (${d.where})`;
    $('backend', HTMLElement).title = d.reason;
    $('drawing', HTMLElement).textContent = d.drawing.where === 'worker' ? 'the draw worker' : 'the main thread';
    $('drawing', HTMLElement).title = d.drawing.reason;
  });
  el.addEventListener('error', (e) => {
    caption.textContent = `${name}: ${e.detail.reason}`;
  });
}

// Live frame time: the longest frame interval over the last second, as a user would feel it.
let last = performance.now();
let worst = 0;
let windowStart = last;
function tick(now) {
  worst = Math.max(worst, now - last);
  last = now;
  if (now - windowStart > 1000) {
    $('frame-time', HTMLElement).textContent = `${fmt(worst, 1)} ms (worst in the last second)`;
    worst = 0;
    windowStart = now;
  }
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
