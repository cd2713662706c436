import { InrImportError } from '../util/errors.js';
import { layerShapes, validateSpec, validateWeights } from '../model/spec.js';
import type { AsmrModel, AsmrSpec } from '../model/types.js';
import { readSafetensors, type SafeTensor } from './safetensors.js';

/** What the importer knows about the file besides the model: goes into the `.inr` header. */
export interface ImportedMeta {
  kind: 'image' | 'video' | 'signal';
  axes: string[];
  provenance: Record<string, string | number | boolean>;
}

/** The reference's `config.json` (see docs/IMPORT.md); only the fields the model needs. */
interface ReferenceConfig {
  dim_in: number;
  dim_out: number;
  data_size: number[];
  config: {
    num_layers: number;
    dim_hidden: number | number[];
    w0: number;
    w0_initial: number;
    use_bias?: boolean;
    dimensions: number[][];
    modulator?: string;
  };
  [key: string]: unknown;
}

function fail(field: string, msg: string): never {
  throw new InrImportError('invalid-config', msg, field ? `config.${field}` : 'config');
}

function parseConfig(json: unknown): ReferenceConfig {
  if (typeof json !== 'object' || json === null) fail('', 'is not a JSON object');
  const c = json as ReferenceConfig;
  if (!Number.isInteger(c.dim_in) || c.dim_in < 1) fail('dim_in', 'must be a positive integer');
  if (!Number.isInteger(c.dim_out) || c.dim_out < 1) fail('dim_out', 'must be a positive integer');
  if (!Array.isArray(c.data_size) || c.data_size.length !== c.dim_in) fail('data_size', `must list dim_in = ${c.dim_in} sizes`);
  const net = c.config;
  if (typeof net !== 'object' || net === null) fail('config', 'missing the NET config object');
  if ((net.modulator ?? 'linear') !== 'linear') fail('config.modulator', `"${net.modulator}" is not supported (linear only)`);
  for (const k of ['w0', 'w0_initial'] as const) {
    if (typeof net[k] !== 'number') fail(`config.${k}`, 'must be a number');
  }
  if (!Number.isInteger(net.num_layers)) fail('config.num_layers', 'must be an integer');
  if (!Array.isArray(net.dimensions) || net.dimensions.length !== c.dim_in) {
    fail('config.dimensions', `must list bases for each of the ${c.dim_in} axes`);
  }
  if (net.dimensions[0]!.length !== net.num_layers) {
    fail('config.dimensions', `has ${net.dimensions[0]!.length} levels but num_layers is ${net.num_layers}`);
  }
  return c;
}

function specFromConfig(c: ReferenceConfig): AsmrSpec {
  const net = c.config;
  const hidden = net.num_layers - 1;
  const widths = Array.isArray(net.dim_hidden) ? net.dim_hidden : new Array<number>(hidden).fill(net.dim_hidden);
  const spec: AsmrSpec = {
    shape: c.data_size,
    bases: net.dimensions,
    channels: c.dim_out,
    widths,
    // The reference's first sine uses w0_initial, the others w0; its linear modulator
    // multiplies by w0 before the sine multiplies again (DESIGN.md).
    omegas: widths.map((_, i) => (i === 0 ? net.w0_initial : net.w0)),
    modScales: widths.map(() => net.w0),
  };
  try {
    validateSpec(spec);
  } catch (e) {
    throw new InrImportError('invalid-config', (e as Error).message, `config.${(e as { field?: string }).field ?? ''}`);
  }
  return spec;
}

function takeTensor(tensors: Map<string, SafeTensor>, name: string, shape: number[]): Float32Array {
  const t = tensors.get(name);
  if (!t) throw new InrImportError('missing-tensor', 'not in the safetensors file', name);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new InrImportError('wrong-shape', `is [${t.shape}], the config implies [${shape}]`, name);
  }
  return t.data;
}

/** PyTorch tensor names of layer i (0..L-1) in the reference's state_dict. */
function referenceLayerName(i: number, levels: number): string {
  return i === levels - 1 ? 'last_layer.linear' : `net.${i}.linear`;
}

/**
 * Converts a model trained by the public PyTorch ASMR reference (stevolopolis/asmr, linear
 * modulators) into an AsmrModel. Its weights are `[out, in]`, which is our layout too.
 */
export function importReferenceAsmr(safetensors: Uint8Array, configJson: unknown): { model: AsmrModel; meta: ImportedMeta } {
  const config = parseConfig(configJson);
  const spec = specFromConfig(config);
  const tensors = readSafetensors(safetensors);
  const shapes = layerShapes(spec);
  const useBias = config.config.use_bias !== false;
  const levels = shapes.layers.length;
  const model: AsmrModel = {
    spec,
    weights: {
      layers: shapes.layers.map(([out, inp], i) => {
        const name = referenceLayerName(i, levels);
        return {
          weight: takeTensor(tensors, `${name}.weight`, [out, inp]),
          bias: useBias ? takeTensor(tensors, `${name}.bias`, [out]) : new Float32Array(out),
        };
      }),
      modulators: shapes.modulators.map(([out, inp], i) => takeTensor(tensors, `modulators.${i}.linear.weight`, [out, inp])),
    },
  };
  validateWeights(model);
  const axes = spec.shape.length === 3 ? ['t', 'y', 'x'] : spec.shape.length === 2 ? ['y', 'x'] : ['t'];
  const provenance: Record<string, string | number | boolean> = { method: 'asmr-reference-import' };
  const copy = {
    reference: 'source',
    iterations: 'iterations',
    lr: 'lr',
    optimizer: 'optimizer',
    psnr_db_clamped: 'psnr',
    trained_with: 'trainedWith',
  } as const;
  for (const [from, to] of Object.entries(copy)) {
    const v = config[from];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') provenance[to] = v;
  }
  return { model, meta: { kind: axes.length === 3 ? 'video' : axes.length === 2 ? 'image' : 'signal', axes, provenance } };
}
