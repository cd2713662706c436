/**
 * A minimal WebAssembly assembler for the CPU kernels (src/kernels) and the coded tensors'
 * range decoder (src/format/range-wasm.ts): opcodes as byte arrays and a module builder. The
 * library ships no .wasm file (nothing for a bundler or a CDN to lose) and needs no toolchain
 * to build: its bundles carry the assembled bytes (rollup.config.mjs). Opcodes: the
 * WebAssembly core and SIMD specifications (relaxed SIMD for the fused multiply-add, only in
 * the module variant a browser validates).
 */

export type Code = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

function leb(value: number, signed = false): Code {
  const out: Code = [];
  for (;;) {
    const byte = value & 0x7f;
    value = signed ? value >> 7 : value >>> 7;
    const done = signed ? (value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40) : value === 0;
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const f32Bytes = (v: number): Code => Array.from(new Uint8Array(Float32Array.of(v).buffer));
const simd = (op: number, ...rest: number[]): Code => [0xfd, ...leb(op), ...rest];
/** Memory argument: 16-byte (or 4-byte) alignment hint and a constant byte offset. */
const memarg = (align: number, offset: number): Code => [align, ...leb(offset)];

export const get = (i: number): Code => [0x20, ...leb(i)];
export const set = (i: number): Code => [0x21, ...leb(i)];
export const tee = (i: number): Code => [0x22, ...leb(i)];
export const i32 = (v: number): Code => [0x41, ...leb(v, true)];
export const i32Add: Code = [0x6a];
export const i32Sub: Code = [0x6b];
export const i32Mul: Code = [0x6c];
export const i32DivU: Code = [0x6e];
export const i32RemU: Code = [0x70];
export const i32Shl: Code = [0x74];
export const i32LtU: Code = [0x49];
export const i32GtU: Code = [0x4b];
export const i32ShrU: Code = [0x76];
export const i32Eqz: Code = [0x45];
export const i32GeU: Code = [0x4f];
export const i32Or: Code = [0x72];
export const i32Load = (offset = 0): Code => [0x28, ...memarg(2, offset)];
export const i32Load8U = (offset = 0): Code => [0x2d, ...memarg(0, offset)];
export const i32Load16U = (offset = 0): Code => [0x2f, ...memarg(1, offset)];
export const i32Store = (offset = 0): Code => [0x36, ...memarg(2, offset)];
export const i32Store16 = (offset = 0): Code => [0x3b, ...memarg(1, offset)];

export const v128Load = (offset = 0): Code => simd(0x00, ...memarg(4, offset));
export const v128Store = (offset = 0): Code => simd(0x0b, ...memarg(4, offset));
export const load32Splat = (offset = 0): Code => simd(0x09, ...memarg(2, offset));
export const f32x4Const = (v: number): Code => simd(0x0c, ...[0, 1, 2, 3].flatMap(() => f32Bytes(v)));
export const f32x4Splat: Code = simd(0x13);
export const f32x4Add: Code = simd(0xe4);
export const f32x4Sub: Code = simd(0xe5);
export const f32x4Mul: Code = simd(0xe6);
export const f32x4Nearest: Code = simd(0x6a);
export const i32x4TruncSatF32x4S: Code = simd(0xf8);
export const i32x4Shl: Code = simd(0xab);
export const v128Xor: Code = simd(0x51);
export const f32x4Pmin: Code = simd(0xea);
export const f32x4Pmax: Code = simd(0xeb);
/** i8x16.shuffle of the two vectors on the stack, picking f32 lanes (0-3 from the first, 4-7 from the second). */
export const shuffleLanes = (...lanes: [number, number, number, number]): Code => [
  0xfd,
  0x0d,
  ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]),
];
/** relaxed-simd: a * b + c, fused where the machine has an FMA. */
const f32x4RelaxedMadd: Code = simd(0x105);

/** `a * b + c` from the code that pushes each operand: relaxed (fused where the machine can), or a multiply then an add. */
export const madd = (relaxed: boolean, a: Code, b: Code, c: Code): Code =>
  relaxed ? [...a, ...b, ...c, ...f32x4RelaxedMadd] : [...a, ...b, ...f32x4Mul, ...c, ...f32x4Add];

/** The structured blocks; `br 1` inside `loop(block(...))` exits, `br 0` in a loop repeats it. */
export const block = (...code: (number | Code)[]): Code => [0x02, 0x40, ...code.flat(), 0x0b];
export const loop = (...code: (number | Code)[]): Code => [0x03, 0x40, ...code.flat(), 0x0b];
export const br = (depth: number): Code => [0x0c, ...leb(depth)];
export const brIf = (depth: number): Code => [0x0d, ...leb(depth)];
export const ifThen = (...code: (number | Code)[]): Code => [0x04, 0x40, ...code.flat(), 0x0b];
/** `if` with an `else`; `type` is the value both arms leave (I32...), or 0x40 for none. */
export const ifElse = (type: number, then: Code, otherwise: Code): Code => [0x04, type, ...then, 0x05, ...otherwise, 0x0b];
export const ret: Code = [0x0f];

/** `local += by` (i32). */
export const advance = (local: number, by: number | Code): Code => [...get(local), ...(typeof by === 'number' ? i32(by) : by), ...i32Add, ...set(local)];

export interface WasmFunction {
  name: string;
  params: number[];
  /** The value the function returns (I32...), if any. */
  result?: number;
  /** Extra locals by type, after the parameters. */
  locals: number[];
  body: Code;
}

function section(id: number, content: Code): Code {
  return [id, ...leb(content.length), ...content];
}

const name = (s: string): Code => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];

function localGroups(locals: number[]): Code {
  const groups: [number, number][] = [];
  for (const t of locals) {
    const last = groups[groups.length - 1];
    if (last && last[1] === t) last[0]++;
    else groups.push([1, t]);
  }
  return [...leb(groups.length), ...groups.flatMap(([n, t]) => [...leb(n), t])];
}

/** A module exporting `functions` and its one memory as `memory`. */
export function assemble(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => [0x60, ...leb(f.params.length), ...f.params, ...(f.result === undefined ? [0] : [1, f.result])]);
  const bodies = functions.flatMap((f) => {
    const fn = [...localGroups(f.locals), ...f.body, 0x0b];
    return [...leb(fn.length), ...fn];
  });
  const exports = [...functions.flatMap((f, i) => [...name(f.name), 0x00, ...leb(i)]), ...name('memory'), 0x02, 0];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...leb(functions.length), ...types]),
    ...section(3, [...leb(functions.length), ...functions.flatMap((_, i) => leb(i))]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [...leb(functions.length + 1), ...exports]),
    ...section(10, [...leb(functions.length), ...bodies]),
  ]);
}
