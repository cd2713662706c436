/**
 * What quantising each tensor of a trained model costs on its own (docs/FORMAT.md, "Coded
 * tensors"): the model's PSNR against its picture with one tensor at a time replaced by its
 * quantised values (phase wrapping first, unless --no-wrap), for each bit depth; and the whole
 * model as a `q{bits}` file stores it after training (`codedModel`), with that file's bytes.
 *
 *   node --import tsx scripts/quant-sensitivity.ts MODEL.inr PICTURE.png [--bits 4,6,8,10] [--no-wrap]
 */
import { readFileSync } from 'node:fs';
import { readTrainInput } from '../packages/inrstream-cli/src/media/node-input.js';
import { fakeQuantise } from '../src/format/coded.js';
import { codedModel, encodeInr, modelFromInr, readInr, type InrDtype } from '../src/format/index.js';
import { wrapPhases } from '../src/model/phases.js';
import { decodeShared } from '../src/model/shared.js';
import { layerShapes } from '../src/model/spec.js';
import type { AsmrModel } from '../src/model/types.js';
import { psnrOf } from '../src/train/encode.js';

const args = process.argv.slice(2);
const bitsAt = args.indexOf('--bits');
const bitsList = (bitsAt < 0 ? '4,6,8,10' : args.splice(bitsAt, 2)[1]!).split(',').map(Number);
const wrap = !args.includes('--no-wrap');
const [modelPath, picture] = args.filter((a) => !a.startsWith('--'));
const loaded = modelFromInr(readInr(new Uint8Array(readFileSync(modelPath!))));
const model = wrap ? wrapPhases(loaded) : loaded;
const target = (await readTrainInput(picture!)).signal.data;
const shapes = layerShapes(model.spec);

/** The model with tensor `name` (w0, b0, m0, ...) quantised at `bits`. */
function withOne(name: string, bits: number): AsmrModel {
  const q = (v: Float32Array, shape: number[], n: string) => (n === name ? fakeQuantise(v, shape, bits) : v);
  return {
    spec: model.spec,
    weights: {
      layers: model.weights.layers.map((l, i) => ({ weight: q(l.weight, shapes.layers[i]!, `w${i}`), bias: q(l.bias, [l.bias.length], `b${i}`) })),
      modulators: model.weights.modulators.map((m, i) => q(m, shapes.modulators[i]!, `m${i}`)),
    },
  };
}

const names = model.weights.layers.flatMap((_, i) => [`w${i}`, `b${i}`, ...(model.weights.modulators[i] ? [`m${i}`] : [])]);
const base = psnrOf(decodeShared(model), target);
console.log(`float ${base.toFixed(3)} dB; dB lost per tensor quantised alone${wrap ? ' (phases wrapped)' : ''}:`);
console.log(['bits', ...names, 'q{bits} file: dB lost', 'bytes'].join('\t'));
for (const bits of bitsList) {
  const whole = base - psnrOf(decodeShared(codedModel(loaded, bits)), target);
  const bytes = encodeInr(loaded, {}, { dtype: `q${bits}` as InrDtype }).length;
  console.log([bits, ...names.map((n) => (base - psnrOf(decodeShared(withOne(n, bits)), target)).toFixed(2)), whole.toFixed(2), bytes].join('\t'));
}
