// The browser trainer: dist/inrstream-train.mjs carries tfjs; Chart.js comes as a global.
import { BROWSER_BACKENDS, encodeTrained, modelCost, planModel, rgbaToSignal, trainAsmr, useBrowserBackend } from '../dist/inrstream-train.mjs';

const $ = (id) => document.getElementById(id);
// The build copies tfjs-backend-wasm's .wasm files into dist/.
const WASM_PATH = new URL('../dist/', location.href).href;
let abort = null;

const chart = new Chart($('chart'), {
  type: 'line',
  data: { datasets: [{ label: 'PSNR (dB) over training seconds', data: [], borderColor: '#36c', pointRadius: 0 }] },
  options: { animation: false, maintainAspectRatio: false, scales: { x: { type: 'linear', title: { display: true, text: 's' } }, y: { title: { display: true, text: 'dB' } } } },
});

/** The image, scaled so its longest side is `side` pixels, as RGBA pixels on the input canvas. */
async function loadPixels(file, side) {
  const bitmap = await createImageBitmap(file);
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

function paint(output, shape) {
  const [h, w] = shape;
  const canvas = $('recon');
  canvas.width = w;
  canvas.height = h;
  const img = new ImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) img.data[i * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, output[i * 3 + c])));
    img.data[i * 4 + 3] = 255;
  }
  canvas.getContext('2d').putImageData(img, 0, 0);
}

async function train(file) {
  $('error').textContent = '';
  $('download').hidden = true;
  const num = (id) => Number($(id).value);
  const choice = $('backend').value;
  const { backend, skipped } = await useBrowserBackend(WASM_PATH, choice === 'auto' ? BROWSER_BACKENDS : [choice]);
  const pixels = await loadPixels(file, num('side'));
  const plan = planModel(rgbaToSignal(pixels.data, pixels.width, pixels.height), { levels: num('levels'), hidden: num('hidden') });
  const teacher = $('teacher').value;
  const iterations = num('iters');
  chart.data.datasets[0].data = [];
  abort = new AbortController();
  $('stop').disabled = false;
  let stopped = false;
  const status = (p) => `${backend}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}: ${plan.spec.shape.join('x')}, iteration ${p.iteration}/${iterations}, ${p.psnr.toFixed(2)} dB, ${p.seconds.toFixed(1)} s`;
  const result = await trainAsmr(plan.signal, {
    spec: plan.spec,
    iterations,
    lr: num('lr'),
    teacher,
    evalEvery: 10,
    previews: true,
    abort: abort.signal,
    onProgress: (p) => {
      chart.data.datasets[0].data.push({ x: p.seconds, y: p.psnr });
      chart.update();
      if (p.output) paint(p.output, plan.spec.shape);
      $('status').textContent = status(p);
    },
  }).catch((e) => {
    if (e.code !== 'aborted') throw e;
    stopped = true;
    return null;
  });
  $('stop').disabled = true;
  if (stopped) {
    $('status').textContent += ' (stopped)';
    return;
  }
  const provenance = { method: 'asmr-train', createdBy: 'inrstream demo/train.html', source: file.name, teacher, iterations: result.iterations, seconds: Math.round(result.seconds * 10) / 10, backend: `tfjs-${backend} + cpu last level`, ...(plan.resize ? { resize: plan.resize } : {}) };
  const { bytes, psnr } = encodeTrained(result.model, plan.signal, { kind: 'image' }, provenance, 'f32');
  const link = $('download');
  link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  link.download = `${file.name.replace(/\.[^.]*$/, '')}.inr`;
  link.hidden = false;
  $('status').textContent = `${status(result.curve.at(-1))}; stored model ${psnr.toFixed(2)} dB, ${bytes.length} bytes, ${modelCost(plan.spec).macPerPx.toFixed(0)} MAC/px`;
}

function start(file) {
  if (!file) return;
  abort?.abort();
  train(file).catch((e) => {
    $('error').textContent = e.message;
    $('stop').disabled = true;
  });
}

$('file').addEventListener('change', () => start($('file').files[0]));
$('stop').addEventListener('click', () => abort?.abort());
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  start(e.dataTransfer.files[0]);
});
