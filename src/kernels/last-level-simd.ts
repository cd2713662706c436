/**
 * The last level's inner loop as a tiny WebAssembly SIMD module, assembled here from its
 * bytecode (no toolchain, no extra file to serve). It computes the angle-addition form of
 * last-level-cpu.ts four units at a time (f32x4): per sample, with the parent row's sin/cos of
 * A and the digit row's sin/cos of B, y_c = sum_j W[c, j] (sin A_j cos B_j + cos A_j sin B_j).
 * One call decodes a run of samples along the innermost axis that share the outer axes.
 *
 * Memory layout (bytes, 16-aligned): trig rows are [hidden4][sin x4, cos x4] (32 bytes per
 * group of 4 units); weights are [hidden4][channel 0..3][4 units] (64 bytes per group); the
 * output is 4 f32 per sample (bias not added).
 */

// Parameters (i32) of `row`, then its locals.
const [A_BASE, M_BASE, X, COUNT, BASE, LO, STRIDE, HIDDEN4, W_BASE, OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [A, M, W, K] = [10, 11, 12, 13];
const ACC = [14, 15, 16, 17];
const V = 18;

function leb(value: number, signed = false): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value = signed ? value >> 7 : value >>> 7;
    const done = signed ? (value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40) : value === 0;
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (v: number) => [0x41, ...leb(v, true)];
const simd = (op: number, ...rest: number[]) => [0xfd, ...leb(op), ...rest];
const load = (offset: number) => simd(0x00, 4, ...leb(offset));
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const [I32_ADD, I32_SUB, I32_MUL, I32_DIV_U, I32_REM_U, I32_EQZ, F32_ADD] = [[0x6a], [0x6b], [0x6c], [0x6e], [0x70], [0x45], [0x92]];
const advance = (local: number, by: number) => [...get(local), ...i32(by), ...I32_ADD, ...set(local)];

function body(): number[] {
  const zero = simd(0x0c, ...new Array<number>(16).fill(0));
  const accumulate = (c: number) => [...get(ACC[c]!), ...get(V), ...get(W), ...load(16 * c), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC[c]!)];
  const hsum = (c: number) => [0, 1, 2, 3].flatMap((lane) => [...get(ACC[c]!), ...simd(0x1f, lane), ...(lane > 0 ? F32_ADD : [])]);
  const code = [
    0x02,
    0x40,
    ...get(COUNT),
    ...I32_EQZ,
    0x0d,
    0,
    0x03,
    0x40,
    // a = aBase + (x / base - lo) * stride; m = mBase + (x % base) * stride
    ...get(A_BASE),
    ...get(X),
    ...get(BASE),
    ...I32_DIV_U,
    ...get(LO),
    ...I32_SUB,
    ...get(STRIDE),
    ...I32_MUL,
    ...I32_ADD,
    ...set(A),
    ...get(M_BASE),
    ...get(X),
    ...get(BASE),
    ...I32_REM_U,
    ...get(STRIDE),
    ...I32_MUL,
    ...I32_ADD,
    ...set(M),
    ...get(W_BASE),
    ...set(W),
    ...get(HIDDEN4),
    ...set(K),
    ...ACC.flatMap((acc) => [...zero, ...set(acc)]),
    0x03,
    0x40,
    ...get(A),
    ...load(0),
    ...get(M),
    ...load(16),
    ...F32X4_MUL,
    ...get(A),
    ...load(16),
    ...get(M),
    ...load(0),
    ...F32X4_MUL,
    ...F32X4_ADD,
    ...set(V),
    ...[0, 1, 2, 3].flatMap(accumulate),
    ...advance(A, 32),
    ...advance(M, 32),
    ...advance(W, 64),
    ...get(K),
    ...i32(1),
    ...I32_SUB,
    0x22,
    K,
    0x0d,
    0,
    0x0b,
    ...[0, 1, 2, 3].flatMap((c) => [...get(OUT), ...hsum(c), 0x38, 2, ...leb(4 * c)]),
    ...advance(OUT, 16),
    ...advance(X, 1),
    ...get(COUNT),
    ...i32(1),
    ...I32_SUB,
    0x22,
    COUNT,
    0x0d,
    0,
    0x0b,
    0x0b,
  ];
  const locals = [2, 4, 0x7f, 5, 0x7b];
  const fn = [...locals, ...code, 0x0b];
  return [...leb(fn.length), ...fn];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 10, ...new Array<number>(10).fill(0x7f), 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('row'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

export interface SimdRow {
  memory: WebAssembly.Memory;
  /** Decodes `count` samples at innermost coordinates x, x + 1, ...: see the module comment. */
  row(aBase: number, mBase: number, x: number, count: number, base: number, lo: number, stride: number, hidden4: number, wBase: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A fresh instance (own memory), or null where WebAssembly SIMD is unavailable: no SIMD, or a
 * page whose Content-Security-Policy forbids compiling WebAssembly (no 'wasm-unsafe-eval'),
 * where the plain-JS loop does the same work.
 */
export function instantiateSimdRow(): SimdRow | null {
  try {
    if (compiled === undefined) {
      const bytes = moduleBytes();
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    }
    if (!compiled) return null;
    const exports = new WebAssembly.Instance(compiled).exports as unknown as SimdRow;
    return { memory: exports.memory, row: exports.row };
  } catch {
    compiled = null;
    return null;
  }
}
