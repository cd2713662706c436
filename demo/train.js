/* global Chart -- chart.js comes from its script tag in train.html */
// The browser trainer: training runs in a module worker (dist/inrstream-train-worker.mjs), so the
// page stays responsive, previews paint as it learns and Stop ends a run within a second.
// Chart.js comes as a global.
import { TrainWorker } from '../dist/inrstream-train.mjs';

const $ = (id) => document.getElementById(id);
// The build copies tfjs-backend-wasm's .wasm files into dist/.
const WASM_PATH = new URL('../dist/', location.href).href;
const SAMPLE = new URL('models/sources/astronaut128.png', location.href).href;
const trainer = new TrainWorker(new URL('../dist/inrstream-train-worker.mjs', location.href));
let previews = 0;

const chart = new Chart($('chart'), {
  type: 'line',
  data: { datasets: [{ label: 'PSNR (dB) over training seconds', data: [], borderColor: '#36c', pointRadius: 0 }] },
  options: {
    animation: false,
    maintainAspectRatio: false,
    scales: { x: { type: 'linear', title: { display: true, text: 's' } }, y: { title: { display: true, text: 'dB' } } },
  },
});

/** The image, scaled so its longest side is `side` pixels, as RGBA pixels on the input canvas. */
async function loadPixels(blob, side) {
  const bitmap = await createImageBitmap(blob);
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = $('target');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

function paint(rgba, [h, w]) {
  const canvas = $('recon');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d').putImageData(new ImageData(rgba, w, h), 0, 0);
  canvas.dataset.previews = String(++previews);
}

function describeBackend({ backend, device, reason, refused }) {
  const others = refused.map((r) => `${r.backend}: ${r.reason}`).join('; ');
  return `Backend ${backend} (${device}): ${reason}.${others ? ` Not taken: ${others}.` : ''}`;
}

async function train(blob, name) {
  $('error').textContent = '';
  $('download').hidden = true;
  $('backend-line').textContent = '';
  const num = (id) => Number($(id).value);
  const pixels = await loadPixels(blob, num('side'));
  const iterations = num('iters');
  chart.data.datasets[0].data = [];
  chart.update();
  $('stop').disabled = false;
  $('status').textContent = 'choosing a backend...';
  let plan = null;
  const outcome = await trainer.train(
    {
      pixels: { data: pixels.data, width: pixels.width, height: pixels.height },
      levels: num('levels'),
      hidden: num('hidden'),
      iterations,
      lr: num('lr'),
      teacher: $('teacher').value,
      evalEvery: 10,
      backend: $('backend').value,
      wasmPath: WASM_PATH,
      source: name,
    },
    (e) => {
      if (e.type === 'backend') {
        const line = $('backend-line');
        line.textContent = describeBackend(e.report);
        line.dataset.backend = e.report.backend;
        line.dataset.device = e.report.device;
      } else if (e.type === 'plan') plan = e;
      else {
        chart.data.datasets[0].data.push({ x: e.seconds, y: e.psnr });
        chart.update();
        paint(e.preview, plan.shape);
        $('status').textContent = `${plan.shape.join('x')}, iteration ${e.iteration}/${iterations}, ${e.psnr.toFixed(2)} dB, ${e.seconds.toFixed(1)} s`;
      }
    },
  );
  $('stop').disabled = true;
  if (outcome.stopped) {
    $('status').textContent += ' (stopped)';
    $('status').dataset.state = 'stopped';
    return;
  }
  const link = $('download');
  link.href = URL.createObjectURL(new Blob([outcome.bytes], { type: 'application/octet-stream' }));
  link.download = `${name.replace(/\.[^.]*$/, '')}.inr`;
  link.hidden = false;
  $('status').textContent =
    `${plan.shape.join('x')}: ${outcome.iterations} iterations in ${outcome.seconds.toFixed(1)} s on ${outcome.backend}; stored model ${outcome.psnr.toFixed(2)} dB, ${outcome.bytes.length} bytes, ${plan.macPerPx.toFixed(0)} MAC/px`;
  $('status').dataset.state = 'done';
}

async function start(blob, name) {
  if (!blob) return;
  await trainer.stop();
  delete $('status').dataset.state;
  previews = 0;
  $('recon').dataset.previews = '0';
  train(blob, name).catch((e) => {
    $('error').textContent = e.message;
    $('stop').disabled = true;
    $('status').dataset.state = 'failed';
  });
}

$('file').addEventListener('change', () => start($('file').files[0], $('file').files[0]?.name));
$('sample').addEventListener('click', async () => start(await (await fetch(SAMPLE)).blob(), 'astronaut128.png'));
$('stop').addEventListener('click', () => trainer.stop());
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  start(e.dataTransfer.files[0], e.dataTransfer.files[0]?.name);
});
