import { expect } from 'chai';
import { isSoftwareName } from '../../../src/backend/device-probe.js';
import { STOP_DEADLINE_MS } from '../../../src/train/worker-client.js';

/** demo/train.html in an iframe, as a visitor opens it (the build's dist/ is served beside it). */
async function openPage(): Promise<Document> {
  const frame = document.createElement('iframe');
  frame.style.width = '900px';
  frame.style.height = '900px';
  frame.src = '/demo/train.html';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return frame.contentDocument!;
}

function set(doc: Document, id: string, value: string): void {
  (doc.getElementById(id) as HTMLInputElement | HTMLSelectElement).value = value;
}

async function until(what: string, ms: number, test: () => boolean): Promise<void> {
  const end = performance.now() + ms;
  while (!test()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the train page (demo/train.html)', () => {
  let doc: Document;
  const state = () => doc.getElementById('status')!.dataset.state;
  const previews = () => Number(doc.getElementById('recon')!.dataset.previews ?? 0);

  before(async () => {
    doc = await openPage();
  });

  it('trains the sample picture on auto to a model, painting previews while it trains', async function () {
    this.timeout(180000);
    set(doc, 'side', '32');
    set(doc, 'levels', '3');
    set(doc, 'hidden', '16');
    set(doc, 'iters', '60');
    set(doc, 'backend', 'auto');
    const seen: number[] = [];
    const watch = setInterval(() => seen.push(previews()), 10);
    doc.getElementById('sample')!.click();
    await until('the run to finish', 170000, () => state() === 'done' || state() === 'failed');
    clearInterval(watch);
    expect(state(), doc.getElementById('error')!.textContent!).to.equal('done');
    // One preview at iteration 0 and every 10 after: 7, painted one by one while it ran.
    expect(previews()).to.equal(7);
    expect(new Set(seen.filter((n) => n > 0 && n < 7)).size).to.be.greaterThan(1);
    const line = doc.getElementById('backend-line')!;
    const { backend, device } = line.dataset;
    expect(['webgpu', 'webgl', 'wasm', 'cpu']).to.include(backend);
    // The engine's rule: never a software GPU where WASM is faster (always so on a small machine).
    if (backend === 'webgpu' || backend === 'webgl') expect(isSoftwareName(device!) || device!.includes('fallback')).to.equal(false);
    const link = doc.getElementById('download') as HTMLAnchorElement;
    expect(link.hidden).to.equal(false);
    const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    expect(Array.from(bytes.subarray(0, 4))).to.deep.equal([0x89, 0x49, 0x4e, 0x52]);
    expect(doc.getElementById('status')!.textContent).to.match(/stored model [\d.]+ dB/);
  });

  it('Stop ends a long run within a second and the page can train again', async function () {
    this.timeout(180000);
    set(doc, 'iters', '1000000');
    doc.getElementById('sample')!.click();
    await until('a preview of the long run', 120000, () => state() === undefined && previews() >= 2);
    const asked = performance.now();
    (doc.getElementById('stop') as HTMLButtonElement).click();
    await until('the run to stop', 5000, () => state() === 'stopped');
    expect(performance.now() - asked).to.be.below(STOP_DEADLINE_MS + 250);
    expect(doc.getElementById('status')!.textContent).to.match(/\(stopped\)$/);
    set(doc, 'iters', '20');
    doc.getElementById('sample')!.click();
    await until('the next run to finish', 120000, () => state() === 'done' || state() === 'failed');
    expect(state()).to.equal('done');
  });
});
