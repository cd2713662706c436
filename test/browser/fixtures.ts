import { importReferenceAsmr } from '../../src/import/asmr-reference.js';
import { parseSample, type ReferenceSample } from '../shared/reference-sample.js';

async function bytesOf(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The project's copy of a reference fixture, served by the test runner from the repo root. */
export async function loadReferenceFixture(name: string) {
  const dir = `/test/fixtures/reference-asmr/${name}`;
  const [weights, config, sample] = await Promise.all([
    bytesOf(`${dir}/model.safetensors`),
    fetch(`${dir}/config.json`).then((r) => r.json()),
    bytesOf(`${dir}/sample.bin`),
  ]);
  return { ...importReferenceAsmr(weights, config), sample: parseSample(sample) as ReferenceSample };
}

/** A ReadableStream that hands out `bytes` in small chunks of varying size. */
export function chunkedStream(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let offset = 0;
  let k = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const n = sizes[k++ % sizes.length]!;
      controller.enqueue(bytes.slice(offset, offset + n));
      offset += n;
    },
  });
}

/** Loads a classic script (the IIFE bundle) into the test page. */
export function loadScript(src: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`${src} failed to load`));
    document.head.append(s);
  });
}
