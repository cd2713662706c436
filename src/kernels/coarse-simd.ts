/**
 * The coarse levels' WebAssembly SIMD functions (docs/ENGINE.md, "CPU kernels"):
 *
 * - `dense(h, rows, k, w, n, b, out)`: out = h W + b for `rows` rows (a multiple of 4) of `k`
 *   inputs (even), W packed in column panels (`packPanels`, coarse-cpu.ts), n a multiple of 4.
 *   A block of 4 rows x 8 columns is 8 accumulators; each step splats 4 inputs and loads 2
 *   weight vectors, so 32 multiply-adds cost 6 loads.
 * - `activate(z, width, parent, mod, digit, rows, omega, out)`: the next level's input rows,
 *   h[r] = sin(omega (z[parent[r]] + mod[digit[r]])), `width` units a row (a multiple of 4).
 * - `trig(z, count, omega, out)`: sin and cos of omega z in the last level's blocked layout
 *   ([count / 4][sin x4, cos x4]).
 *
 * Sines are a vector polynomial: x = q pi + r with q = nearest(x / pi) and pi split in three
 * (Cody-Waite), so r is exact to float32 for the phases ASMR produces; sin x = (-1)^q sin r,
 * sin r from its degree-11 Taylor polynomial on [-pi/2, pi/2] (error below 6e-8); cos x is
 * sin(x + pi/2) reduced the same way.
 */
import {
  type Code,
  I32,
  F32,
  V128,
  type WasmFunction,
  advance,
  block,
  br,
  brIf,
  f32x4Add,
  f32x4Const,
  f32x4Mul,
  f32x4Nearest,
  f32x4Splat,
  f32x4Sub,
  get,
  i32,
  i32Add,
  i32Load,
  i32Eqz,
  i32GtU,
  i32LtU,
  i32ShrU,
  i32Mul,
  i32Shl,
  i32Sub,
  i32x4Shl,
  i32x4TruncSatF32x4S,
  ifThen,
  load32Splat,
  loop,
  madd,
  set,
  tee,
  v128Load,
  v128Store,
  v128Xor,
} from '../util/wasm-asm.js';

// pi = PI_A + PI_B + PI_C: PI_A and PI_B have few enough bits that q * PI_A and q * PI_B are exact.
const PI_A = 3.140625;
const PI_B = 9.67502593994140625e-4;
const PI_C = 1.5099579909783765e-7;
const TAYLOR = [-1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800];

interface SinLocals {
  x: number;
  q: number;
  r: number;
  r2: number;
}

/** sin (or cos) of the f32x4 in local `x`, left on the stack. */
function sinOf(t: SinLocals, cos: boolean, relaxed: boolean): Code {
  const [s3, s5, s7, s9, s11] = TAYLOR as [number, number, number, number, number];
  let horner = madd(relaxed, f32x4Const(s11), get(t.r2), f32x4Const(s9));
  for (const s of [s7, s5, s3]) horner = madd(relaxed, horner, get(t.r2), f32x4Const(s));
  return [
    ...get(t.x),
    ...f32x4Const(1 / Math.PI),
    ...f32x4Mul,
    ...(cos ? [...f32x4Const(0.5), ...f32x4Add] : []),
    ...f32x4Nearest,
    ...set(t.q),
    ...get(t.x),
    ...[PI_A, PI_B, PI_C].flatMap((p) => [...get(t.q), ...f32x4Const(p), ...f32x4Mul, ...f32x4Sub]),
    ...(cos ? [...f32x4Const(Math.PI / 2), ...f32x4Add] : []),
    ...set(t.r),
    ...get(t.r),
    ...get(t.r),
    ...f32x4Mul,
    ...set(t.r2),
    // r + (r r^2) P(r^2), then the sign of (-1)^q.
    ...madd(relaxed, [...get(t.r), ...get(t.r2), ...f32x4Mul], horner, get(t.r)),
    ...get(t.q),
    ...i32x4TruncSatF32x4S,
    ...i32(31),
    ...i32x4Shl,
    ...v128Xor,
  ];
}

/** Repeats `body` while local `counter`, decremented after each pass, is non-zero (counter > 0 on entry). */
const countDown = (counter: number, ...body: Code[]): Code => loop(...body, [...get(counter), ...i32(1), ...i32Sub, ...tee(counter), ...brIf(0)]);

function dense(relaxed: boolean): WasmFunction {
  const [H, ROWS, K, W, N, B, OUT] = [0, 1, 2, 3, 4, 5, 6];
  const [R, JB, KK, WP, NS, KS, OP] = [7, 8, 9, 10, 11, 12, 13];
  const HP = [14, 15, 16, 17];
  const ACC = [18, 19, 20, 21, 22, 23, 24, 25];
  const [W0, W1, W2, W3] = [26, 27, 28, 29];
  const acc = (row: number, col: number): number => ACC[row * 2 + col]!;
  const rows4 = [0, 1, 2, 3];
  /** One block of 4 rows x (4 * cols) columns at column byte JB. */
  const columnBlock = (cols: 1 | 2): Code => {
    const colsList = cols === 2 ? [0, 1] : [0];
    const stepBytes = 16 * cols;
    // k two at a time: the panel's next row is stepBytes further, the inputs 4 bytes further.
    const step = [
      ...get(WP),
      ...v128Load(0),
      ...set(W0),
      ...get(WP),
      ...v128Load(stepBytes),
      ...set(W2),
      ...(cols === 2 ? [...get(WP), ...v128Load(16), ...set(W1), ...get(WP), ...v128Load(48), ...set(W3)] : []),
      ...rows4.flatMap((r) =>
        [0, 1].flatMap((kk) =>
          colsList.flatMap((c) => [
            ...madd(relaxed, [...get(HP[r]!), ...load32Splat(4 * kk)], get([W0, W1, W2, W3][kk * 2 + c]!), get(acc(r, c))),
            ...set(acc(r, c)),
          ]),
        ),
      ),
      ...rows4.flatMap((r) => advance(HP[r]!, 8)),
      ...advance(WP, 2 * stepBytes),
    ];
    return [
      ...rows4.flatMap((r) => colsList.flatMap((c) => [...get(B), ...get(JB), ...i32Add, ...v128Load(16 * c), ...set(acc(r, c))])),
      ...get(H),
      ...get(R),
      ...get(KS),
      ...i32Mul,
      ...i32Add,
      ...set(HP[0]!),
      ...[1, 2, 3].flatMap((r) => [...get(HP[r - 1]!), ...get(KS), ...i32Add, ...set(HP[r]!)]),
      // Panels before this one are 8 wide: the panel starts at byte JB * K.
      ...get(W),
      ...get(JB),
      ...get(K),
      ...i32Mul,
      ...i32Add,
      ...set(WP),
      ...get(K),
      ...i32(1),
      ...i32ShrU, // k / 2 double steps
      ...set(KK),
      ...countDown(KK, step),
      ...get(OUT),
      ...get(R),
      ...get(NS),
      ...i32Mul,
      ...i32Add,
      ...get(JB),
      ...i32Add,
      ...set(OP),
      ...rows4.flatMap((r) => [...colsList.flatMap((c) => [...get(OP), ...get(acc(r, c)), ...v128Store(16 * c)]), ...advance(OP, get(NS))]),
    ];
  };
  const body = [
    ...get(N),
    ...i32(2),
    ...i32Shl,
    ...set(NS),
    ...get(K),
    ...i32(2),
    ...i32Shl,
    ...set(KS),
    ...block(
      loop(
        ...get(R),
        ...get(ROWS),
        ...i32LtU,
        ...i32Eqz,
        ...brIf(1),
        ...i32(0),
        ...set(JB),
        ...block(loop(...get(JB), ...i32(32), ...i32Add, ...get(NS), ...i32GtU, ...brIf(1), ...columnBlock(2), ...advance(JB, 32), ...br(0))),
        ...get(JB),
        ...get(NS),
        ...i32LtU,
        ...ifThen(columnBlock(1)),
        ...advance(R, 4),
        ...br(0),
      ),
    ),
  ];
  return {
    name: 'dense',
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [...new Array<number>(11).fill(I32), ...new Array<number>(12).fill(V128)],
    body,
  };
}

function activate(relaxed: boolean): WasmFunction {
  const [Z, WIDTH, PARENT, MOD, DIGIT, ROWS, OMEGA, OUT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [ZP, MP, J, RS] = [8, 9, 10, 11];
  const [OM, X, Q, R, R2] = [12, 13, 14, 15, 16];
  const t = { x: X, q: Q, r: R, r2: R2 };
  const row = (table: number, index: number): Code => [...get(table), ...get(index), ...i32Load(0), ...get(RS), ...i32Mul, ...i32Add];
  const body = [
    ...get(OMEGA),
    ...f32x4Splat,
    ...set(OM),
    ...get(WIDTH),
    ...i32(2),
    ...i32Shl,
    ...set(RS),
    ...countDown(ROWS, [
      ...row(Z, PARENT),
      ...set(ZP),
      ...row(MOD, DIGIT),
      ...set(MP),
      ...get(WIDTH),
      ...i32(2),
      ...i32ShrU, // groups of 4 units
      ...set(J),
      ...countDown(J, [
        ...get(ZP),
        ...v128Load(0),
        ...get(MP),
        ...v128Load(0),
        ...f32x4Add,
        ...get(OM),
        ...f32x4Mul,
        ...set(X),
        ...get(OUT),
        ...sinOf(t, false, relaxed),
        ...v128Store(0),
        ...advance(ZP, 16),
        ...advance(MP, 16),
        ...advance(OUT, 16),
      ]),
      ...advance(PARENT, 4),
      ...advance(DIGIT, 4),
    ]),
  ];
  return { name: 'activate', params: [I32, I32, I32, I32, I32, I32, F32, I32], locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128], body };
}

function trig(relaxed: boolean): WasmFunction {
  const [Z, COUNT, OMEGA, OUT] = [0, 1, 2, 3];
  const [OM, X, Q, R, R2] = [4, 5, 6, 7, 8];
  const t = { x: X, q: Q, r: R, r2: R2 };
  const body = [
    ...get(OMEGA),
    ...f32x4Splat,
    ...set(OM),
    ...get(COUNT),
    ...i32(2),
    ...i32ShrU,
    ...set(COUNT),
    ...countDown(COUNT, [
      ...get(Z),
      ...v128Load(0),
      ...get(OM),
      ...f32x4Mul,
      ...set(X),
      ...get(OUT),
      ...sinOf(t, false, relaxed),
      ...v128Store(0),
      ...get(OUT),
      ...sinOf(t, true, relaxed),
      ...v128Store(16),
      ...advance(Z, 16),
      ...advance(OUT, 32),
    ]),
  ];
  return { name: 'trig', params: [I32, I32, F32, I32], locals: [V128, V128, V128, V128, V128], body };
}

export const coarseFunctions = (relaxed: boolean): WasmFunction[] => [dense(relaxed), activate(relaxed), trig(relaxed)];
