/**
 * The last level's inner loop as a WebAssembly SIMD function (assembled by wasm-asm.ts). It
 * computes the angle-addition form of last-level-cpu.ts four units at a time (f32x4): per
 * sample, with the parent row's sin/cos of A and the digit row's sin/cos of B,
 * y_c = sum_j W[c, j] (sin A_j cos B_j + cos A_j sin B_j). One call decodes a run of samples
 * along the innermost axis that share the outer axes, two at a time where two neighbours share
 * a parent: the loads of A's rows and of the weights are then shared (they, not the
 * multiply-adds, bound this loop).
 *
 * Memory layout (bytes, 16-aligned): trig rows are [hidden4][sin x4, cos x4] (32 bytes per
 * group of 4 units); weights are [hidden4][channel 0..3][4 units] (64 bytes per group); the
 * output is 4 f32 per sample, already in the output mapping.
 */
import {
  type Code,
  I32,
  V128,
  type WasmFunction,
  advance,
  block,
  br,
  brIf,
  f32x4Add,
  f32x4Const,
  f32x4Mul,
  f32x4Pmax,
  f32x4Pmin,
  get,
  i32,
  i32Add,
  i32DivU,
  i32Eqz,
  i32GtU,
  i32Mul,
  i32RemU,
  i32Sub,
  ifThen,
  loop,
  madd,
  set,
  shuffleLanes,
  tee,
  v128Load,
  v128Store,
} from '../util/wasm-asm.js';

/**
 * `row(aBase, mBase, x, count, base, lo, stride, hidden4, wBase, out, map, grey)`: see the module
 * comment. Each sample's 4 sums get the output mapping before they are stored: y + bias, then
 * (with `grey`) lanes (0, 0, 0, 1), then y * mul + add clamped to [min, max], per lane, from the
 * 5 vectors at `map` (bias, mul, add, min, max). That covers the raw values and the display
 * mapping alike. `row3` is the same for models of at most 3 channels.
 */
export function rowFunction(relaxed: boolean, channels: 3 | 4): WasmFunction {
  const [A_BASE, M_BASE, X, COUNT, BASE, LO, STRIDE, HIDDEN4, W_BASE, OUT, MAP, GREY] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [A, M, W, K] = [12, 13, 14, 15];
  const ACC = [16, 17, 18, 19];
  const [V, Y] = [20, 21];
  const M2 = 22;
  const ACC2 = [23, 24, 25, 26];
  const [V2, AS, AC, WC] = [27, 28, 29, 30];
  const lanes = [0, 1, 2, 3].slice(0, channels);
  const decrementTo = (local: number): Code => [...get(local), ...i32(1), ...i32Sub, ...tee(local), ...brIf(0)];
  // [sum acc0, sum acc1, sum acc2, sum acc3] by pairwise shuffles and adds.
  const pairSums = (acc: number[], a: number, b: number): Code => [
    ...get(acc[a]!),
    ...get(acc[b]!),
    ...shuffleLanes(0, 1, 4, 5),
    ...get(acc[a]!),
    ...get(acc[b]!),
    ...shuffleLanes(2, 3, 6, 7),
    ...f32x4Add,
  ];
  const sums = (acc: number[]): Code => [
    ...pairSums(acc, 0, 1),
    ...set(V),
    ...pairSums(acc, 2, 3),
    ...set(Y),
    ...get(V),
    ...get(Y),
    ...shuffleLanes(0, 2, 4, 6),
    ...get(V),
    ...get(Y),
    ...shuffleLanes(1, 3, 5, 7),
    ...f32x4Add,
  ];
  const mapVector = (i: number): Code => [...get(MAP), ...v128Load(16 * i)];
  /** One sample's sums, mapped, stored `at` bytes past OUT. */
  const finish = (acc: number[], at: number): Code => [
    ...sums(acc),
    ...mapVector(0),
    ...f32x4Add,
    ...set(Y),
    ...get(GREY),
    ...ifThen([...get(Y), ...get(Y), ...shuffleLanes(0, 0, 0, 1), ...set(Y)]),
    ...get(OUT),
    ...madd(relaxed, get(Y), mapVector(1), mapVector(2)),
    ...mapVector(3),
    ...f32x4Pmax,
    ...mapVector(4),
    ...f32x4Pmin,
    ...v128Store(at),
  ];
  // v = sin A cos B + cos A sin B, B's row at `m`, A's sin and cos in AS and AC.
  const angleSum = (m: number): Code => madd(relaxed, get(AS), [...get(m), ...v128Load(16)], [...get(AC), ...get(m), ...v128Load(0), ...f32x4Mul]);
  const zero = (acc: number[]): Code => acc.flatMap((a) => [...f32x4Const(0), ...set(a)]);
  const step = (local: number, by: number): Code => [...get(local), ...i32(by), ...i32Sub, ...set(local)];
  /**
   * One pass over the hidden units for the samples given (one, or two neighbours of one
   * parent), summing into their accumulators: A's rows and each weight vector are loaded once
   * for all of them.
   */
  const hiddenPass = (samples: { m: number; v: number; acc: number[] }[]): Code =>
    loop(
      [...get(A), ...v128Load(0), ...set(AS), ...get(A), ...v128Load(16), ...set(AC)],
      samples.flatMap(({ m, v }) => [...angleSum(m), ...set(v)]),
      // Channel 3 of an RGB model has zero weights: `row3` skips its sums (a sixth of the work).
      lanes.flatMap((c) => [
        ...get(W),
        ...v128Load(16 * c),
        ...set(WC),
        ...samples.flatMap(({ v, acc }) => [...madd(relaxed, get(v), get(WC), get(acc[c]!)), ...set(acc[c]!)]),
      ]),
      advance(A, 32),
      samples.flatMap(({ m }) => advance(m, 32)),
      advance(W, 64),
      decrementTo(K),
    );
  const first = { m: M, v: V, acc: ACC };
  // Two neighbouring samples of one parent (x and x + 1 in the same block): one pass for both.
  const pair = ifThen(
    [...get(M), ...get(STRIDE), ...i32Add, ...set(M2)],
    zero(ACC),
    zero(ACC2),
    hiddenPass([first, { m: M2, v: V2, acc: ACC2 }]),
    finish(ACC, 0),
    finish(ACC2, 16),
    advance(OUT, 32),
    advance(X, 2),
    step(COUNT, 2),
    br(1),
  );
  const body = block(
    loop(
      [...get(COUNT), ...i32Eqz, ...brIf(1)],
      // a = aBase + (x / base - lo) * stride; m = mBase + (x % base) * stride
      [...get(A_BASE), ...get(X), ...get(BASE), ...i32DivU, ...get(LO), ...i32Sub, ...get(STRIDE), ...i32Mul, ...i32Add, ...set(A)],
      [...get(M_BASE), ...get(X), ...get(BASE), ...i32RemU, ...get(STRIDE), ...i32Mul, ...i32Add, ...set(M)],
      [...get(W_BASE), ...set(W), ...get(HIDDEN4), ...set(K)],
      // A pair when two samples are left and x + 1 is in x's block.
      [...get(COUNT), ...i32(1), ...i32GtU, ...get(X), ...i32(1), ...i32Add, ...get(BASE), ...i32RemU, ...i32Eqz, ...i32Eqz, ...i32Mul],
      pair,
      zero(ACC),
      hiddenPass([first]),
      finish(ACC, 0),
      advance(OUT, 16),
      advance(X, 1),
      step(COUNT, 1),
      br(0),
    ),
  );
  return {
    name: channels === 4 ? 'row' : 'row3',
    params: new Array<number>(12).fill(I32),
    locals: [I32, I32, I32, I32, ...new Array<number>(6).fill(V128), I32, ...new Array<number>(8).fill(V128)],
    body,
  };
}
