// The video demo: backend and speed pickers, and the player's live statistics. Plain script:
// <inr-video> and the global `inrstream` come from the bundle's script tag.
/** @type {typeof import('../dist/inrstream.mjs')} */
const { InrVideoElement } = /** @type {any} */ (globalThis).inrstream;
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

const video = $('clip', InrVideoElement);
const statusLine = $('status', HTMLElement);
const backend = $('backend', HTMLSelectElement);
const rate = $('rate', HTMLSelectElement);
let shown = { frame: -1, detail: '…' };

backend.addEventListener('change', () => (video.backend = backend.value));
rate.addEventListener('change', () => (video.playbackRate = Number(rate.value)));
video.addEventListener('frame', (e) => (shown = e.detail));
video.addEventListener('waiting', () => (statusLine.textContent = 'waiting for the next segment…'));
video.addEventListener('error', (e) => (statusLine.textContent = e.detail.reason));

function show() {
  const s = video.stats;
  if (s) {
    const due = s.onTime + s.late + s.dropped;
    statusLine.textContent =
      `frame ${shown.frame} (${shown.detail} detail) · ${video.videoWidth}x${video.videoHeight} · ` +
      `on time ${due ? ((100 * s.onTime) / due).toFixed(1) : '-'}% · late ${s.late} · dropped ${s.dropped} · ` +
      `coarser pass ${s.decodedCoarse} of ${s.decoded} · decode p50 ${s.frameMs.p50.toFixed(1)} ms, p95 ${s.frameMs.p95.toFixed(1)} ms`;
  }
  setTimeout(show, 250);
}
show();
