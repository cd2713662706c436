// Plain script, no build: everything comes from the `inrstream` global of the bundle.
const { readInrStream, modelFromInr, drawModel, modelCost } = inrstream;
const $ = (id) => document.getElementById(id);
let current;

function show(facts) {
  $('facts').replaceChildren(...Object.entries(facts).flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = v;
    return [dt, dd];
  }));
}

function draw() {
  const { file, model, bytes } = current;
  const frame = Number($('frame').value);
  const t0 = performance.now();
  drawModel($('view'), model, { frame, outputRange: file.header.outputRange });
  const ms = performance.now() - t0;
  const cost = modelCost(model.spec);
  const fmt = (v) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  show({
    shape: file.header.shape.join(' x '),
    levels: model.spec.bases[0].length,
    widths: model.spec.widths.join(', '),
    bytes: fmt(bytes),
    'MAC/px': `${fmt(cost.macPerPx)} (SIREN of equal size: ${fmt(cost.sirenMacPerPx)})`,
    'sines/px': fmt(cost.sinesPerPx),
    decoder: 'plain TypeScript (CPU, main thread)',
    'decode time': `${fmt(ms)} ms`,
    provenance: Object.entries(file.header.provenance ?? {}).map(([k, v]) => `${k}: ${v}`).join('; '),
  });
}

async function load(url) {
  $('error').textContent = '';
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const file = await readInrStream(res.body);
    current = { file, model: modelFromInr(file), bytes: file.byteLength };
    const video = file.header.shape.length === 3;
    $('frame-label').hidden = !video;
    $('frame').max = video ? file.header.shape[0] - 1 : 0;
    $('frame').value = 0;
    draw();
  } catch (e) {
    $('error').textContent = `Could not show ${url}: ${e.message}`;
  }
}

$('model').addEventListener('change', (e) => load(e.target.value));
$('frame').addEventListener('input', draw);
load($('model').value);
