import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importReferenceAsmr } from '../../src/import/asmr-reference.js';
import { fillUniform, layerShapes, mulberry32, type AsmrModel } from '../../src/model/index.js';
import { parseSample } from '../shared/reference-sample.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
/** The full reference fixtures (multi-megabyte decodes); present on developer machines and in CI. */
export const SHARED_FIXTURES = join(ROOT, '../shared/fixtures/reference-asmr');
export const hasSharedFixtures = existsSync(SHARED_FIXTURES);

export function fixtureDir(name: string): string {
  return join(ROOT, 'test/fixtures/reference-asmr', name);
}

export function loadReferenceFixture(name: string) {
  const dir = fixtureDir(name);
  const weights = new Uint8Array(readFileSync(join(dir, 'model.safetensors')));
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const sample = parseSample(new Uint8Array(readFileSync(join(dir, 'sample.bin'))));
  return { weights, config, sample, ...importReferenceAsmr(weights, config) };
}

export function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** `model` with random level heads (uniform in +-0.5, seeded), as the format and trainer tests need. */
export function withHeads(model: AsmrModel, seed: number): AsmrModel {
  const rng = mulberry32(seed);
  const heads = layerShapes(model.spec).heads.map(([out, inp]) => ({
    weight: fillUniform(rng, new Float32Array(out * inp), 0.5),
    bias: fillUniform(rng, new Float32Array(out), 0.5),
  }));
  return { spec: model.spec, weights: { ...model.weights, heads } };
}
