// Plain script, no build: <inr-image> comes from the bundle's script tag.
const fmt = (v, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });

for (const el of document.querySelectorAll('inr-image')) {
  const caption = el.nextElementSibling;
  const name = el.getAttribute('src').split('/').pop();
  caption.textContent = `${name}: loading…`;
  el.addEventListener('progress', (e) => {
    const p = e.detail;
    caption.textContent =
      p.phase === 'download'
        ? `${name}: ${fmt(p.bytes)} bytes, ${p.tensorsReady}/${p.tensorsTotal} tensors`
        : `${name}: pass ${p.pass + 1}/${p.passes} (${p.level === p.passes - 1 ? 'full detail' : `level ${p.level} preview`}), ${p.tilesDone}/${p.tilesTotal} tiles`;
  });
  el.addEventListener('load', (e) => {
    const d = e.detail;
    caption.textContent =
      `${name}: ${d.width}x${d.height}, ${fmt(d.macPerPx)} MAC/px, ${fmt(d.bytes)} bytes; ` +
      `first preview ${fmt(d.firstPreviewMs)} ms, full detail ${fmt(d.totalMs)} ms`;
    document.getElementById('backend').textContent = `${d.backend} (${d.where})`;
    document.getElementById('backend').title = d.reason;
    document.getElementById('drawing').textContent = d.drawing.where === 'worker' ? 'the draw worker' : 'the main thread';
    document.getElementById('drawing').title = d.drawing.reason;
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
    document.getElementById('frame-time').textContent = `${fmt(worst, 1)} ms (worst in the last second)`;
    worst = 0;
    windowStart = now;
  }
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
