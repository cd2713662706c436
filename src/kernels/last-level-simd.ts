/**
 * The last level's inner loop as a WebAssembly SIMD function (assembled by wasm-asm.ts). It
 * computes the angle-addition form of last-level-cpu.ts four units at a time (f32x4): per
 * sample, with the parent row's sin/cos of A and the digit row's sin/cos of B,
 * y_c = sum_j W[c, j] (sin A_j cos B_j + cos A_j sin B_j). One call decodes a run of samples
 * along the innermost axis that share the outer axes.
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
} from './wasm-asm.js';

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
  const accumulate = (c: number): Code => [...madd(relaxed, get(V), [...get(W), ...v128Load(16 * c)], get(ACC[c]!)), ...set(ACC[c]!)];
  const decrementTo = (local: number): Code => [...get(local), ...i32(1), ...i32Sub, ...tee(local), ...brIf(0)];
  // [sum ACC0, sum ACC1, sum ACC2, sum ACC3] by pairwise shuffles and adds.
  const pairSums = (a: number, b: number): Code => [
    ...get(ACC[a]!),
    ...get(ACC[b]!),
    ...shuffleLanes(0, 1, 4, 5),
    ...get(ACC[a]!),
    ...get(ACC[b]!),
    ...shuffleLanes(2, 3, 6, 7),
    ...f32x4Add,
  ];
  const sums: Code = [
    ...pairSums(0, 1),
    ...set(V),
    ...pairSums(2, 3),
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
  const body = block(
    get(COUNT),
    i32Eqz,
    brIf(0),
    loop(
      // a = aBase + (x / base - lo) * stride; m = mBase + (x % base) * stride
      [...get(A_BASE), ...get(X), ...get(BASE), ...i32DivU, ...get(LO), ...i32Sub, ...get(STRIDE), ...i32Mul, ...i32Add, ...set(A)],
      [...get(M_BASE), ...get(X), ...get(BASE), ...i32RemU, ...get(STRIDE), ...i32Mul, ...i32Add, ...set(M)],
      [...get(W_BASE), ...set(W), ...get(HIDDEN4), ...set(K)],
      ACC.flatMap((acc) => [...f32x4Const(0), ...set(acc)]),
      loop(
        // v = sin A cos B + cos A sin B
        [
          ...madd(relaxed, [...get(A), ...v128Load(0)], [...get(M), ...v128Load(16)], [...get(A), ...v128Load(16), ...get(M), ...v128Load(0), ...f32x4Mul]),
          ...set(V),
        ],
        // Channel 3 of an RGB model has zero weights: `row3` skips its sums (a sixth of the work).
        [0, 1, 2, 3].slice(0, channels).flatMap(accumulate),
        advance(A, 32),
        advance(M, 32),
        advance(W, 64),
        decrementTo(K),
      ),
      [...sums, ...mapVector(0), ...f32x4Add, ...set(Y)],
      [...get(GREY), ...ifThen([...get(Y), ...get(Y), ...shuffleLanes(0, 0, 0, 1), ...set(Y)])],
      [...get(OUT), ...madd(relaxed, get(Y), mapVector(1), mapVector(2)), ...mapVector(3), ...f32x4Pmax, ...mapVector(4), ...f32x4Pmin, ...v128Store(0)],
      advance(OUT, 16),
      advance(X, 1),
      decrementTo(COUNT),
    ),
  );
  return {
    name: channels === 4 ? 'row' : 'row3',
    params: new Array<number>(12).fill(I32),
    locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128, V128],
    body,
  };
}
