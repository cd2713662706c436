import { expect } from 'chai';
import { chooseBackend, type BackendTrials } from '../../../src/backend/select.js';
import { BACKEND_ORDER, type BackendName } from '../../../src/backend/types.js';
import { createEngine } from '../../../src/engine/index.js';
import { InrBackendError } from '../../../src/util/errors.js';

/** Trials with scripted outcomes: which start, which pass the known answer, how fast. */
function fakeTrials(
  spec: Partial<Record<BackendName, { start?: string; verify?: string; software?: boolean; ms?: number }>>,
): BackendTrials & { timed: BackendName[]; verified: BackendName[] } {
  const timed: BackendName[] = [];
  const verified: BackendName[] = [];
  return {
    timed,
    verified,
    async start(name) {
      const s = spec[name];
      if (!s || s.start) throw new Error(s?.start ?? 'absent');
      return { device: `${name}-device`, software: s.software ?? true };
    },
    async verify(name) {
      verified.push(name);
      if (spec[name]?.verify) throw new Error(spec[name]!.verify);
    },
    async time(name) {
      timed.push(name);
      return spec[name]!.ms ?? 1;
    },
  };
}

describe('backend choice', () => {
  it('auto in this browser: every backend is accounted for, and a calibration picks the fastest when the GPU is software', async () => {
    const engine = await createEngine({});
    try {
      const { report } = engine;
      console.log(
        `auto chose ${report.backend} (${report.reason}); calibration: ${report.calibration.map((c) => `${c.backend} ${c.ms.toFixed(2)} ms`).join(', ')}; refused: ${report.refused.map((r) => `${r.backend}: ${r.reason}`).join('; ')}`,
      );
      const named = new Set([report.backend, ...report.refused.map((r) => r.backend)]);
      if (report.calibration.length > 0) {
        for (const name of BACKEND_ORDER) expect(named.has(name), name).to.equal(true);
        const fastest = Math.min(...report.calibration.map((c) => c.ms));
        expect(report.calibration.find((c) => c.backend === report.backend)!.ms).to.equal(fastest);
      } else {
        expect(['webgpu', 'webgl']).to.include(report.backend);
      }
    } finally {
      engine.dispose();
    }
  });

  it('a backend that starts but fails the known-answer decode is refused, with its reason', async () => {
    const trials = fakeTrials({ webgpu: { verify: 'known-answer decode is off by 0.5', software: false }, webgl: { software: false } });
    const report = await chooseBackend('auto', trials);
    expect(report.backend).to.equal('webgl');
    expect(report.refused).to.deep.equal([{ backend: 'webgpu', reason: 'known-answer decode is off by 0.5' }]);
    expect(trials.timed).to.deep.equal([]);
  });

  it('software GPUs do not win on their name: the calibration decides', async () => {
    const trials = fakeTrials({ webgpu: { ms: 40 }, webgl: { ms: 12 }, wasm: { ms: 3 }, cpu: { ms: 9 } });
    const report = await chooseBackend('auto', trials, { cores: 8 });
    expect(report.backend).to.equal('wasm');
    expect(trials.timed).to.deep.equal(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(report.refused.map((r) => r.backend)).to.deep.equal(['webgpu', 'webgl', 'cpu']);
    expect(report.refused[0]!.reason).to.match(/slower in calibration: 40\.00 ms against 3\.00 ms on wasm/);
  });

  it('a later candidate wins the calibration only when clearly faster (noise does not flip the order)', async () => {
    const close = await chooseBackend('auto', fakeTrials({ wasm: { ms: 10 }, cpu: { ms: 9 } }), { cores: 2 });
    expect(close.backend).to.equal('wasm');
    expect(close.refused.at(-1)!.reason).to.match(/not 1\.2x faster in calibration \(9\.00 ms against 10\.00 ms on wasm\)/);
    const clear = await chooseBackend('auto', fakeTrials({ wasm: { ms: 10 }, cpu: { ms: 8 } }), { cores: 2 });
    expect(clear.backend).to.equal('cpu');
  });

  it('on a machine with few cores software GPUs are refused before any decode; a hardware GPU still wins', async () => {
    const small = fakeTrials({ webgpu: { ms: 1 }, webgl: { ms: 1 }, wasm: { ms: 3 }, cpu: { ms: 9 } });
    const report = await chooseBackend('auto', small, { cores: 2 });
    expect(report.backend).to.equal('wasm');
    expect(small.verified).to.deep.equal(['wasm', 'cpu']);
    expect(small.timed).to.deep.equal(['wasm', 'cpu']);
    expect(report.refused.slice(0, 2).map((r) => r.backend)).to.deep.equal(['webgpu', 'webgl']);
    expect(report.refused[0]!.reason).to.match(/software GPU \(webgpu-device\) on a 4-core-or-smaller machine/);
    const hardware = await chooseBackend('auto', fakeTrials({ webgpu: { software: false }, wasm: {} }), { cores: 2 });
    expect(hardware.backend).to.equal('webgpu');
  });

  it('a forced backend that is refused is a typed error; so is having none', async () => {
    const forced = await chooseBackend('webgpu', fakeTrials({ webgpu: { start: 'navigator.gpu gave no adapter' } })).catch((e: unknown) => e);
    expect(forced).to.be.instanceOf(InrBackendError);
    expect((forced as InrBackendError).code).to.equal('backend-unavailable');
    expect((forced as InrBackendError).message).to.contain('navigator.gpu gave no adapter');
    const none = await chooseBackend('auto', fakeTrials({})).catch((e: unknown) => e);
    expect((none as InrBackendError).code).to.equal('no-backend');
  });
});
