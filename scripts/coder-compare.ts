/**
 * The coded dtypes' entropy coder against the alternatives, on the codes of real models
 * (docs/FORMAT.md, "Why this coder"): for each tensor of each file, coded at `--bits`, the
 * bytes of its codes stored raw (packed at `bits` bits), deflated and brotli-compressed
 * (Node's zlib, best settings; one byte a code, and packed), under two static models whose
 * description the decoder would need (the empirical order-0 entropy with a table of 16-bit
 * counts; a two-sided geometric law fitted per tensor, one float32), and with this project's
 * adaptive range coder (the bytes the file stores). Scales are left out: every option stores
 * them alike.
 *
 *   node --import tsx scripts/coder-compare.ts [--bits 4,6,8] [--json] FILE.inr...
 */
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import { encodeInr, modelFromInr, readInr, type InrDtype } from '../src/format/index.js';
import { codedBits, codedLengthRange, scaleCount } from '../src/format/coded.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const bitsList = (flag('--bits') ?? '4,6,8').split(',').map(Number);
const json = args.includes('--json');
const files = args.filter((a) => a !== '--json');

/** The integer codes of a coded tensor from its decoded values (each group's scale is its max over the largest code). */
function codesOf(values: Float32Array, shape: number[], bits: number): Int32Array {
  const groups = scaleCount(shape);
  const size = values.length / groups;
  const top = 2 ** (bits - 1) - 1;
  const codes = new Int32Array(values.length);
  for (let g = 0; g < groups; g++) {
    let max = 0;
    for (let i = g * size; i < (g + 1) * size; i++) max = Math.max(max, Math.abs(values[i]!));
    const scale = max / top;
    for (let i = g * size; i < (g + 1) * size; i++) codes[i] = scale === 0 ? 0 : Math.round(values[i]! / scale);
  }
  return codes;
}

function packed(symbols: Int32Array, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((symbols.length * bits) / 8));
  let bit = 0;
  for (const s of symbols) {
    for (let b = bits - 1; b >= 0; b--, bit++) if ((s >> b) & 1) out[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return out;
}

const zigzag = (c: number) => (c >= 0 ? 2 * c : -2 * c - 1);
const methods = ['raw', 'deflate', 'deflate-packed', 'brotli', 'brotli-packed', 'static-order0', 'static-laplace', 'range-coder'] as const;
const rows: { file: string; bits: number; values: number; bytes: Record<(typeof methods)[number], number> }[] = [];

for (const file of files) {
  const model = modelFromInr(readInr(new Uint8Array(readFileSync(file))));
  for (const bits of bitsList) {
    // The file as the writer codes it: each tensor's dtype, values and stored bytes.
    const coded = readInr(encodeInr(model, {}, { dtype: `q${bits}` as InrDtype }));
    const bytes = Object.fromEntries(methods.map((m) => [m, 0])) as Record<(typeof methods)[number], number>;
    let values = 0;
    for (const entry of coded.header.tensors) {
      const b = codedBits(entry.dtype)!;
      const symbols = codesOf(coded.tensors.get(entry.name)!, entry.shape, b).map(zigzag);
      values += symbols.length;
      const wide = b > 8 ? new Uint8Array(new Uint16Array(symbols).buffer) : Uint8Array.from(symbols);
      const pack = packed(symbols, b);
      const brotli = (d: Uint8Array) => brotliCompressSync(d, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      bytes.raw += pack.length;
      bytes.deflate += deflateRawSync(wide, { level: 9 }).length;
      bytes['deflate-packed'] += deflateRawSync(pack, { level: 9 }).length;
      bytes.brotli += brotli(wide);
      bytes['brotli-packed'] += brotli(pack);
      const counts = new Map<number, number>();
      for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
      const entropy = [...counts.values()].reduce((sum, c) => sum - c * Math.log2(c / symbols.length), 0);
      // The decoder needs the table: a 16-bit count for each symbol up to the largest used.
      bytes['static-order0'] += Math.ceil(entropy / 8) + 2 * (Math.max(...symbols) + 1);
      // A two-sided geometric law P(c) ~ t^|c| fitted to the tensor (t by maximum likelihood) and sent as one float32.
      const codes = symbols.map((u) => (u & 1 ? -(u + 1) / 2 : u / 2));
      const meanAbs = codes.reduce((sum, c) => sum + Math.abs(c), 0) / codes.length;
      const t = meanAbs === 0 ? 0 : (Math.sqrt(1 + meanAbs * meanAbs) - 1) / meanAbs;
      const top = 2 ** (b - 1) - 1;
      let norm = 0;
      for (let c = -top; c <= top; c++) norm += t ** Math.abs(c);
      bytes['static-laplace'] += 4 + Math.ceil(codes.reduce((sum, c) => sum - Math.log2(t ** Math.abs(c) / norm), 0) / 8);
      // What the file stores after the scales.
      bytes['range-coder'] += entry.length - codedLengthRange(b, entry.shape).min;
    }
    rows.push({ file, bits, values, bytes });
  }
}

if (json) {
  console.log(JSON.stringify({ rows }, null, 1));
} else {
  console.log(['file', 'bits', 'values', ...methods].join('\t'));
  for (const r of rows) console.log([r.file, r.bits, r.values, ...methods.map((m) => r.bytes[m])].join('\t'));
}
