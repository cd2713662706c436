/**
 * decodeSymbols (range-coder.ts) as a WebAssembly function, the same decisions in the same
 * order on 32-bit integers. Run once per file on the page, the plain-JS loop stays in V8's
 * interpreter for most of it and boxes every 32-bit value it makes; this one runs compiled
 * from the first call (docs/FORMAT.md, "Why this coder").
 *
 * `decode(counts, payload, length, count, bits, maxSymbol, out)`: `counts` points at 4 << bits
 * zeroed bytes (a u16 pair per tree node), `payload` at the `length` payload bytes, `out` at
 * room for `count` i32 symbols. Returns 0, 1 (a symbol above maxSymbol: decoding stops there)
 * or 2 (payload bytes the symbols never read).
 */
import {
  I32,
  type Code,
  type WasmFunction,
  block,
  br,
  brIf,
  get,
  i32,
  i32Add,
  i32DivU,
  i32Eqz,
  i32GeU,
  i32GtU,
  i32Load16U,
  i32Load8U,
  i32LtU,
  i32Mul,
  i32Or,
  i32Shl,
  i32ShrU,
  i32Store,
  i32Store16,
  i32Sub,
  ifElse,
  ifThen,
  loop,
  ret,
  set,
  tee,
} from '../util/wasm-asm.js';

const [COUNTS, PAYLOAD, LENGTH, COUNT, BITS, MAX_SYMBOL, OUT] = [0, 1, 2, 3, 4, 5, 6];
const [POS, CODE, RANGE, I, NODE, C0, C1, BOUND, BIT, AT, TOP] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

/** The next payload byte (0 past the end, as the plain decoder reads), `pos` advanced either way. */
const nextByte: Code = [
  ...get(POS),
  ...get(LENGTH),
  ...i32LtU,
  ...ifElse(I32, [...get(PAYLOAD), ...get(POS), ...i32Add, ...i32Load8U()], i32(0)),
  ...get(POS),
  ...i32(1),
  ...i32Add,
  ...set(POS),
];
/** code = (code << 8 | next byte) mod 2^32. */
const shiftIn: Code = [...get(CODE), ...i32(8), ...i32Shl, ...nextByte, ...i32Or, ...set(CODE)];
/** A count at AT (+2 for c1) halved, rounding up: (c + 1) >> 1. */
const halve = (offset: number): Code => [...get(AT), ...get(AT), ...i32Load16U(offset), ...i32(1), ...i32Add, ...i32(1), ...i32ShrU, ...i32Store16(offset)];

/** One decision at tree node NODE: BIT, with RANGE, CODE and the node's counts updated. */
const decision: Code = [
  // AT = &counts[2 node]; C0, C1 its counts.
  ...get(COUNTS),
  ...get(NODE),
  ...i32(2),
  ...i32Shl,
  ...i32Add,
  ...tee(AT),
  ...i32Load16U(0),
  ...set(C0),
  ...get(AT),
  ...i32Load16U(2),
  ...set(C1),
  // bound = (range >>> 16) * floor((2 c0 + 1) 2^15 / (c0 + c1 + 1)): below 2^32, so exact in u32.
  ...get(RANGE),
  ...i32(16),
  ...i32ShrU,
  ...get(C0),
  ...i32(1),
  ...i32Shl,
  ...i32(1),
  ...i32Add,
  ...i32(15),
  ...i32Shl,
  ...get(C0),
  ...get(C1),
  ...i32Add,
  ...i32(1),
  ...i32Add,
  ...i32DivU,
  ...i32Mul,
  ...set(BOUND),
  ...get(CODE),
  ...get(BOUND),
  ...i32LtU,
  ...ifElse(
    0x40,
    [...get(BOUND), ...set(RANGE), ...i32(0), ...set(BIT)],
    [...get(CODE), ...get(BOUND), ...i32Sub, ...set(CODE), ...get(RANGE), ...get(BOUND), ...i32Sub, ...set(RANGE), ...i32(1), ...set(BIT)],
  ),
  // Renormalise: while range < 2^24, shift a byte in.
  ...block(...loop(...get(RANGE), ...i32(2 ** 24), ...i32GeU, ...brIf(1), ...get(RANGE), ...i32(8), ...i32Shl, ...set(RANGE), ...shiftIn, ...br(0))),
  // counts[2 node + bit]++, both halved once their sum reaches 1024.
  ...get(AT),
  ...get(BIT),
  ...i32(1),
  ...i32Shl,
  ...i32Add,
  ...tee(BOUND),
  ...get(BOUND),
  ...i32Load16U(0),
  ...i32(1),
  ...i32Add,
  ...i32Store16(0),
  ...get(C0),
  ...get(C1),
  ...i32Add,
  ...i32(1),
  ...i32Add,
  ...i32(1024),
  ...i32GeU,
  ...ifThen(...halve(0), ...halve(2)),
];

export const decodeFunction: WasmFunction = {
  name: 'decode',
  params: [I32, I32, I32, I32, I32, I32, I32],
  result: I32,
  locals: Array<number>(11).fill(I32),
  body: [
    ...shiftIn,
    ...shiftIn,
    ...shiftIn,
    ...shiftIn,
    ...i32(-1),
    ...set(RANGE),
    ...i32(1),
    ...get(BITS),
    ...i32Shl,
    ...set(TOP),
    ...block(
      ...get(COUNT),
      ...i32Eqz,
      ...brIf(0),
      ...loop(
        // One symbol: `bits` decisions down the tree from node 1.
        ...i32(1),
        ...set(NODE),
        ...loop(...decision, ...get(NODE), ...i32(1), ...i32Shl, ...get(BIT), ...i32Add, ...tee(NODE), ...get(TOP), ...i32LtU, ...brIf(0)),
        ...get(NODE),
        ...get(TOP),
        ...i32Sub,
        ...tee(NODE),
        ...get(MAX_SYMBOL),
        ...i32GtU,
        ...ifThen(...i32(1), ...ret),
        ...get(OUT),
        ...get(I),
        ...i32(2),
        ...i32Shl,
        ...i32Add,
        ...get(NODE),
        ...i32Store(),
        ...get(I),
        ...i32(1),
        ...i32Add,
        ...tee(I),
        ...get(COUNT),
        ...i32LtU,
        ...brIf(0),
      ),
    ),
    // 2 where bytes were left over, else 0.
    ...get(POS),
    ...get(LENGTH),
    ...i32LtU,
    ...i32(1),
    ...i32Shl,
  ],
};
