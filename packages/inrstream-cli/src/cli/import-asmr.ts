import { encodeInr } from '../../../../src/format/index.js';
import { importReferenceAsmr } from '../../../../src/import/asmr-reference.js';
import { FileError, readInput, UsageError, writeOutput } from './io.js';

export interface ImportOptions {
  weights: string;
  config: string;
  output: string;
  dtype: string;
}

const DTYPES = ['f32', 'f16', 'int8'] as const;

export async function importAsmrCommand(opts: ImportOptions): Promise<string> {
  const dtype = DTYPES.find((d) => d === opts.dtype);
  if (!dtype) throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, not "${opts.dtype}"`);
  const [weights, configBytes] = await Promise.all([readInput(opts.weights), readInput(opts.config)]);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch {
    throw new FileError(`${opts.config}: not valid JSON`);
  }
  const { model, meta } = importReferenceAsmr(weights, config);
  const bytes = encodeInr(model, meta, { dtype });
  await writeOutput(opts.output, bytes);
  return `${opts.output}: ${meta.kind} ${model.spec.shape.join('x')}, ${model.spec.bases[0]!.length} levels, ${dtype}, ${bytes.length} bytes`;
}
