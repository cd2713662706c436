import { expect } from 'chai';
import { chooseBackend, type BackendTrials } from '../../../src/backend/select.js';
import { probeDevice } from '../../../src/backend/device-probe.js';
import { BACKEND_ORDER, type BackendName, type BackendStart } from '../../../src/backend/types.js';
import { startBackend } from '../../../src/engine/decoders.js';
import { createEngine } from '../../../src/engine/index.js';
import { InrBackendError } from '../../../src/util/errors.js';

/** Trials with scripted outcomes: which start, which pass the known answer, how fast. */
function fakeTrials(
  spec: Partial<Record<BackendName, { start?: string; verify?: string; software?: boolean; ms?: number; probe?: boolean }>>,
): BackendTrials & { timed: BackendName[]; verified: BackendName[]; started: BackendName[] } {
  const timed: BackendName[] = [];
  const verified: BackendName[] = [];
  const started: BackendName[] = [];
  return {
    timed,
    verified,
    started,
    // `probe: true`: the device can be read before the start (as it is started).
    async probe(name) {
      const s = spec[name];
      return s?.probe ? { device: `${name}-probed`, software: s.software ?? true } : undefined;
    },
    async start(name) {
      started.push(name);
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
  it('auto in this browser: every backend is accounted for, and a calibration (or the one candidate left) decides when the GPU is software', async () => {
    const engine = await createEngine({});
    try {
      const { report } = engine;
      console.log(
        `auto chose ${report.backend} (${report.reason}); calibration: ${report.calibration.map((c) => `${c.backend} ${c.ms.toFixed(2)} ms`).join(', ')}; refused: ${report.refused.map((r) => `${r.backend}: ${r.reason}`).join('; ')}`,
      );
      if (report.reason.startsWith('first hardware GPU')) {
        expect(['webgpu', 'webgl']).to.include(report.backend);
        return;
      }
      const named = new Set([report.backend, ...report.refused.map((r) => r.backend)]);
      for (const name of BACKEND_ORDER) expect(named.has(name), name).to.equal(true);
      if (report.calibration.length > 0) {
        const fastest = Math.min(...report.calibration.map((c) => c.ms));
        expect(report.calibration.find((c) => c.backend === report.backend)!.ms).to.equal(fastest);
      } else {
        expect(report.reason).to.match(/^the only candidate that passed/);
      }
      // The CPU decoder stands in for WASM: with WASM accepted it is not tried.
      if (report.backend === 'wasm') expect(report.refused.find((r) => r.backend === 'cpu')!.reason).to.match(/^not tried: it stands in for wasm/);
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

  it('on a machine with few cores a software GPU that its probe names is refused without starting it (its code never loads)', async () => {
    const trials = fakeTrials({ webgpu: { probe: true }, webgl: { probe: true }, wasm: {}, cpu: {} });
    const report = await chooseBackend('auto', trials, { cores: 2 });
    expect(report.backend).to.equal('wasm');
    expect(trials.started).to.deep.equal(['wasm', 'cpu']);
    expect(report.refused.slice(0, 2)).to.deep.equal(
      (['webgpu', 'webgl'] as const).map((backend) => ({
        backend,
        reason: `software GPU (${backend}-probed) on a 4-core-or-smaller machine: it shares the cores WASM runs on and is slower there, so it is not calibrated`,
      })),
    );
    // A probed hardware GPU starts and wins; on a bigger machine a probed software GPU is started and calibrated.
    const hardware = fakeTrials({ webgpu: { probe: true, software: false }, wasm: {} });
    expect((await chooseBackend('auto', hardware, { cores: 2 })).backend).to.equal('webgpu');
    const big = fakeTrials({ webgpu: { probe: true, ms: 1 }, wasm: { ms: 3 } });
    expect((await chooseBackend('auto', big, { cores: 8 })).backend).to.equal('webgpu');
    expect(big.started).to.deep.equal(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('a stand-in is not tried once what it stands in for passed, and is tried where that was refused; a lone candidate is taken untimed', async () => {
    const both = { ...fakeTrials({ wasm: {}, cpu: {} }), standsInFor: { cpu: 'wasm' } } as const;
    const report = await chooseBackend('auto', both, { cores: 2 });
    expect(report).to.deep.include({ backend: 'wasm', device: 'wasm-device', reason: 'the only candidate that passed', calibration: [] });
    expect(report.refused.at(-1)).to.deep.equal({ backend: 'cpu', reason: 'not tried: it stands in for wasm where that cannot run, and wasm passed' });
    expect(both.started).to.deep.equal(['webgpu', 'webgl', 'wasm']);
    expect(both.timed).to.deep.equal([]);
    const noWasm = { ...fakeTrials({ wasm: { start: 'WebAssembly SIMD is not available' }, cpu: {} }), standsInFor: { cpu: 'wasm' } } as const;
    const fallback = await chooseBackend('auto', noWasm, { cores: 2 });
    expect(fallback.backend).to.equal('cpu');
    expect(fallback.refused.at(-1)).to.deep.equal({ backend: 'wasm', reason: 'WebAssembly SIMD is not available' });
    // A software GPU refused on a small machine is noted beside the lone candidate.
    const gpu = await chooseBackend('auto', fakeTrials({ webgl: {}, wasm: {} }), { cores: 2 });
    expect(gpu.reason).to.equal('the only candidate that passed (the GPU is a software rasteriser)');
  });

  it('the probe reads the device a started GPU backend reports, without tfjs', async () => {
    for (const name of ['webgpu', 'webgl'] as const) {
      const probed = await probeDevice(name);
      let start: BackendStart | undefined;
      try {
        start = await startBackend(name);
      } catch (e) {
        // Where the backend cannot start here, the probe has nothing to read either, or only names a device.
        console.log(`${name} does not start here (${(e as Error).message}); probe: ${JSON.stringify(probed)}`);
        continue;
      }
      console.log(`${name}: probe ${JSON.stringify(probed)}, started ${JSON.stringify(start)}`);
      expect(probed, name).to.deep.equal(start);
    }
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
