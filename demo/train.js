// The browser trainer: training runs in a module worker (dist/inrstream-train-worker.mjs), so the
// page stays responsive, previews paint as it learns and Stop ends a run within a second.
// Chart.js comes as a global.
import { TrainWorker } from '../dist/inrstream-train.mjs';

/** @type {typeof import('chart.js').Chart} chart.js comes from its script tag in train.html. */
const Chart = /** @type {any} */ (globalThis).Chart;
/** @typedef {import('../dist/inrstream-train.mjs').TrainRequest} TrainRequest */

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
// The build copies tfjs-backend-wasm's .wasm files into dist/.
const WASM_PATH = new URL('../dist/', location.href).href;
const SAMPLE = new URL('models/sources/astronaut128.png', location.href).href;
const trainer = new TrainWorker(new URL('../dist/inrstream-train-worker.mjs', location.href));
let previews = 0;

/** @type {import('chart.js').Chart<'line', { x: number; y: number }[]>} */
const chart = new Chart($('chart', HTMLCanvasElement), {
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
  const canvas = $('target', HTMLCanvasElement);
  canvas.width = w;
  canvas.height = h;
  const ctx = context2d(canvas);
  ctx.drawImage(bitmap, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** @param {HTMLCanvasElement} canvas */
function context2d(canvas) {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives the canvas no 2d context');
  return ctx;
}

/**
 * @param {Uint8ClampedArray<ArrayBuffer>} rgba
 * @param {number[]} shape
 */
function paint(rgba, shape) {
  const [h, w] = shape;
  const canvas = $('recon', HTMLCanvasElement);
  canvas.width = w;
  canvas.height = h;
  context2d(canvas).putImageData(new ImageData(rgba, w, h), 0, 0);
  canvas.dataset.previews = String(++previews);
}

function describeBackend({ backend, device, reason, refused }) {
  const others = refused.map((r) => `${r.backend}: ${r.reason}`).join('; ');
  return `Backend ${backend} (${device}): ${reason}.${others ? ` Not taken: ${others}.` : ''}`;
}

async function train(blob, name) {
  $('error', HTMLElement).textContent = '';
  $('download', HTMLAnchorElement).hidden = true;
  $('backend-line', HTMLElement).textContent = '';
  const num = (/** @type {string} */ id) => Number($(id, HTMLInputElement).value);
  const pixels = await loadPixels(blob, num('side'));
  const iterations = num('iters');
  chart.data.datasets[0].data = [];
  chart.update();
  $('stop', HTMLButtonElement).disabled = false;
  $('status', HTMLElement).textContent = 'choosing a backend...';
  /** @type {{ plan: Extract<import('../dist/inrstream-train.mjs').TrainEvent, { type: 'plan' }> | null }} */
  const run = { plan: null };
  const outcome = await trainer.train(
    {
      pixels: { data: pixels.data, width: pixels.width, height: pixels.height },
      levels: num('levels'),
      hidden: num('hidden'),
      iterations,
      lr: num('lr'),
      teacher: /** @type {TrainRequest['teacher']} */ ($('teacher', HTMLSelectElement).value),
      evalEvery: 10,
      backend: /** @type {TrainRequest['backend']} */ ($('backend', HTMLSelectElement).value),
      wasmPath: WASM_PATH,
      source: name,
    },
    (e) => {
      if (e.type === 'backend') {
        const line = $('backend-line', HTMLElement);
        line.textContent = describeBackend(e.report);
        line.dataset.backend = e.report.backend;
        line.dataset.device = e.report.device;
      } else if (e.type === 'plan') run.plan = e;
      else if (run.plan) {
        const { plan } = run;
        chart.data.datasets[0].data.push({ x: e.seconds, y: e.psnr });
        chart.update();
        paint(e.preview, plan.shape);
        $('status', HTMLElement).textContent =
          `${plan.shape.join('x')}, iteration ${e.iteration}/${iterations}, ${e.psnr.toFixed(2)} dB, ${e.seconds.toFixed(1)} s`;
      }
    },
  );
  $('stop', HTMLButtonElement).disabled = true;
  if (outcome.stopped) {
    $('status', HTMLElement).textContent += ' (stopped)';
    $('status', HTMLElement).dataset.state = 'stopped';
    return;
  }
  const { plan } = run;
  if (!plan) throw new Error('the trainer finished without saying its plan');
  const link = $('download', HTMLAnchorElement);
  link.href = URL.createObjectURL(new Blob([outcome.bytes], { type: 'application/octet-stream' }));
  link.download = `${name.replace(/\.[^.]*$/, '')}.inr`;
  link.hidden = false;
  $('status', HTMLElement).textContent =
    `${plan.shape.join('x')}: ${outcome.iterations} iterations in ${outcome.seconds.toFixed(1)} s on ${outcome.backend}; stored model ${outcome.psnr.toFixed(2)} dB, ${outcome.bytes.length} bytes, ${plan.macPerPx.toFixed(0)} MAC/px`;
  $('status', HTMLElement).dataset.state = 'done';
}

async function start(blob, name) {
  if (!blob) return;
  await trainer.stop();
  delete $('status', HTMLElement).dataset.state;
  previews = 0;
  $('recon', HTMLElement).dataset.previews = '0';
  train(blob, name).catch((e) => {
    $('error', HTMLElement).textContent = e.message;
    $('stop', HTMLButtonElement).disabled = true;
    $('status', HTMLElement).dataset.state = 'failed';
  });
}

$('file', HTMLInputElement).addEventListener('change', () => start($('file', HTMLInputElement).files?.[0], $('file', HTMLInputElement).files?.[0]?.name));
$('sample', HTMLButtonElement).addEventListener('click', async () => start(await (await fetch(SAMPLE)).blob(), 'astronaut128.png'));
$('stop', HTMLButtonElement).addEventListener('click', () => trainer.stop());
const drop = $('drop', HTMLElement);
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  start(e.dataTransfer?.files[0], e.dataTransfer?.files[0]?.name);
});
