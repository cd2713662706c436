// The video demo: backend and speed pickers, and the player's live statistics.
const video = document.getElementById('clip');
const status = document.getElementById('status');
const backend = document.getElementById('backend');
const rate = document.getElementById('rate');
let shown = { frame: -1, detail: '…' };

backend.addEventListener('change', () => (video.backend = backend.value));
rate.addEventListener('change', () => (video.playbackRate = Number(rate.value)));
video.addEventListener('frame', (e) => (shown = e.detail));
video.addEventListener('waiting', () => (status.textContent = 'waiting for the next segment…'));
video.addEventListener('error', (e) => (status.textContent = e.detail.reason));

function show() {
  const s = video.stats;
  if (s) {
    const due = s.onTime + s.late + s.dropped;
    status.textContent =
      `frame ${shown.frame} (${shown.detail} detail) · ${video.videoWidth}x${video.videoHeight} · ` +
      `on time ${due ? ((100 * s.onTime) / due).toFixed(1) : '-'}% · late ${s.late} · dropped ${s.dropped} · ` +
      `coarser pass ${s.decodedCoarse} of ${s.decoded} · decode p50 ${s.frameMs.p50.toFixed(1)} ms, p95 ${s.frameMs.p95.toFixed(1)} ms`;
  }
  setTimeout(show, 250);
}
show();
