// The budget meter page: runs the meter from the form, or from the bench-budget CLI through
// window.benchPage, and shows the table and charts.
import * as bench from '../dist/inrstream-bench.mjs';

const $ = (id) => document.getElementById(id);
let models;
let charts = [];
let exported;

const loadModels = () =>
  (models ??= Promise.all([bench.SHIPPED_MODELS.image, bench.SHIPPED_MODELS.video].map((f) => bench.loadBenchModel(bench.shippedModelUrl(f)))));

function status(message) {
  $('status').textContent = message;
  console.log(`bench: ${message}`);
}

/** entries: [{throttle, run}] with run a BackendRun. */
function show(entries) {
  const rows = entries.map((e) => bench.summaryRow(e.run, e.throttle));
  $('results').tHead.replaceChildren(row('th', bench.TABLE_COLUMNS));
  $('results').tBodies[0].replaceChildren(...rows.map((r) => row('td', bench.tableCells(r))));
  charts.forEach((c) => c.destroy());
  charts = bench.drawCharts(
    $('charts'),
    entries.map((e) => ({ label: `${e.run.backend} ${e.throttle}x`, run: e.run })),
  );
  exported = { runs: rows, details: entries };
  $('export').disabled = false;
  return rows;
}

function row(cell, values) {
  const tr = document.createElement('tr');
  for (const v of values) tr.append(Object.assign(document.createElement(cell), { textContent: v }));
  return tr;
}

async function run({ backends, quick = false, throttle = 1, save = true }) {
  const [image, video] = await loadModels();
  const report = await bench.runMeter({ backends, image, video, canvas: $('stage'), quick, save, onProgress: status });
  status(`Done: ${report.runs.map((r) => `${r.backend} on ${r.device}`).join('; ')}.`);
  show(report.runs.map((run) => ({ throttle, run })));
  return report;
}

$('controls').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData($('controls'));
  const backends = form.getAll('backend');
  if (backends.length === 0) return status('Choose at least one backend.');
  $('run').disabled = true;
  try {
    await run({ backends, quick: form.has('quick') });
  } catch (err) {
    status(`Failed: ${err?.message ?? err}`);
  } finally {
    $('run').disabled = false;
  }
});

$('export').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([JSON.stringify(exported, null, 2)], { type: 'application/json' }));
  Object.assign(document.createElement('a'), { href: url, download: 'inrstream-bench.json' }).click();
  URL.revokeObjectURL(url);
});

window.benchPage = { run, show };
