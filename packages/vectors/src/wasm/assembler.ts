/**
 * A minimal WebAssembly assembler: opcodes, LEB128 integers, sections and a few loop shapes, so
 * that small SIMD (f32x4) kernels can be written as byte arrays in TypeScript with no toolchain.
 * Used by this package's nearest-neighbour scan (`scan.ts`) and by `@embedkit/word2vec`'s
 * training kernels (which depend on this package; the reverse would import a trainer).
 *
 * Instructions are plain `number[]` byte lists concatenated with spread; locals are numbered as in
 * the binary format (parameters first).
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Core opcodes used by the kernels (WebAssembly core spec, section 5.4). */
export const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, ret: 0x0f,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, i32Load8u: 0x2d, f32Store: 0x38,
  i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32LtU: 0x49, i32GtU: 0x4b, i32GeU: 0x4f,
  f32Lt: 0x5d, f32Gt: 0x5e, f32Le: 0x5f, f32Ge: 0x60,
  i32Add: 0x6a, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74,
  f32Neg: 0x8c, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94,
  i32TruncF32S: 0xa8, f32ConvertI32U: 0xb3,
} as const;
/** The empty block type. */
export const EMPTY = 0x40;
/** Prefix of the SIMD instructions. */
export const SIMD = 0xfd;
/** f32x4 instructions (loads and stores with 16-byte alignment hints and offset 0). */
export const simd = {
  load: [SIMD, 0x00, 4, 0], store: [SIMD, 0x0b, 4, 0], splat: [SIMD, 0x13], add: [SIMD, 0xe4, 0x01], mul: [SIMD, 0xe6, 0x01],
};

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** `f32.const x`. */
export function f32c(x: number): number[] {
  return [op.f32Const, ...new Uint8Array(Float32Array.of(x).buffer)];
}
/** `local.get i`. */
export const get = (i: number): number[] => [op.localGet, i];
/** `local.set i`. */
export const set = (i: number): number[] => [op.localSet, i];
/** `i32.const n`. */
export const i32c = (n: number): number[] => [op.i32Const, ...sleb(n)];
/** A vector (length-prefixed list) of encoded items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A name (UTF-8 bytes, length-prefixed). */
export const str = (s: string): number[] => vec([...new TextEncoder().encode(s)].map((b) => [b]));
/** A section: id, byte size, body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** `for (j = 0; j < bytes; j += 16) body` with locals `j` and `bytes`. */
export function loop16(j: number, bytes: number, body: number[]): number[] {
  return [
    ...i32c(0), ...set(j),
    op.block, EMPTY, op.loop, EMPTY,
    ...get(j), ...get(bytes), op.i32GeU, op.brIf, 1,
    ...body,
    ...get(j), ...i32c(16), op.i32Add, ...set(j),
    op.br, 0, op.end, op.end,
  ];
}

/**
 * `for (j = 0; j + 64 ≤ bytes; j += 64) body4` then `for (; j < bytes; j += 16) body1`: four
 * vectors per iteration (independent accumulators, less loop overhead), then the rest.
 */
export function loop64then16(j: number, bytes: number, body4: number[], body1: number[]): number[] {
  return [
    ...i32c(0), ...set(j),
    op.block, EMPTY, op.loop, EMPTY,
    ...get(j), ...i32c(64), op.i32Add, ...get(bytes), op.i32GtU, op.brIf, 1,
    ...body4,
    ...get(j), ...i32c(64), op.i32Add, ...set(j),
    op.br, 0, op.end, op.end,
    op.block, EMPTY, op.loop, EMPTY,
    ...get(j), ...get(bytes), op.i32GeU, op.brIf, 1,
    ...body1,
    ...get(j), ...i32c(16), op.i32Add, ...set(j),
    op.br, 0, op.end, op.end,
  ];
}

/** v128.load from `base + j + offset`. */
export const loadAt = (base: number, j: number, offset: number): number[] => [...get(base), ...get(j), op.i32Add, SIMD, 0x00, 4, ...uleb(offset)];
/** v128.store of the value on the stack to `base + j + offset` (address pushed first by the caller). */
export const storeAt = (offset: number): number[] => [SIMD, 0x0b, 4, ...uleb(offset)];
/** `v128.const 0`. */
export const ZERO_V128 = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];

/**
 * f = Σ a[j]·b[j] over `bytes` bytes (a multiple of 16) at pointers `a` and `b`: four f32x4
 * accumulators `acc..acc+3` (one would make every add wait for the previous one), summed at the
 * end (lanes 0 + 1, 2 + 3, then the two). `j` is an i32 scratch local, `f` an f32 local.
 */
export function dotInto(a: number, b: number, j: number, bytes: number, acc: number, f: number): number[] {
  const mulAdd = (accumulator: number, offset: number): number[] => [
    ...get(accumulator), ...loadAt(a, j, offset), ...loadAt(b, j, offset), ...simd.mul, ...simd.add, ...set(accumulator),
  ];
  const lane = (i: number): number[] => [...get(acc), SIMD, 0x1f, i];
  return [
    ...ZERO_V128, ...set(acc), ...ZERO_V128, ...set(acc + 1), ...ZERO_V128, ...set(acc + 2), ...ZERO_V128, ...set(acc + 3),
    ...loop64then16(j, bytes, [...mulAdd(acc, 0), ...mulAdd(acc + 1, 16), ...mulAdd(acc + 2, 32), ...mulAdd(acc + 3, 48)], mulAdd(acc, 0)),
    ...get(acc), ...get(acc + 1), ...simd.add, ...get(acc + 2), ...get(acc + 3), ...simd.add, ...simd.add, ...set(acc),
    ...lane(0), ...lane(1), op.f32Add, ...lane(2), ...lane(3), op.f32Add, op.f32Add, ...set(f),
  ];
}

/** A function's local declarations: runs of (count, type). */
export const locals = (runs: ReadonlyArray<readonly [number, number]>): number[] => vec(runs.map(([count, type]) => [...uleb(count), type]));

/** One function of {@link moduleBytes}. */
export interface WasmFunction {
  /** Exported name. */
  name: string;
  /** Parameter types. */
  params: number[];
  /** Result types (empty or one). */
  results: number[];
  /** Local declarations ({@link locals}) followed by the instructions and the final `end`. */
  body: number[];
}

/**
 * A module importing one memory as `env.memory` (at least `minPages` pages; `shared` memories
 * need a maximum, given as `maxPages`) and exporting `functions`, one type per function.
 */
export function moduleBytes(
  memory: { minPages: number; maxPages?: number; shared?: boolean },
  functions: readonly WasmFunction[],
): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const limits =
    memory.maxPages === undefined
      ? [0x00, ...uleb(memory.minPages)]
      : [memory.shared === true ? 0x03 : 0x01, ...uleb(memory.minPages), ...uleb(memory.maxPages)];
  const imports = [[...str('env'), ...str('memory'), 0x02, ...limits]];
  const funcs = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => [...uleb(f.body.length), ...f.body]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}

/** A `WebAssembly.Memory` (typed here: the project's `lib` settings do not include the WebAssembly API). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** The parts of the `WebAssembly` namespace the kernels use. */
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The runtime's `WebAssembly` namespace, or undefined when it has none. */
export const webAssembly = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * The helpers above as one object, the form the package exports them in (their short names
 * would crowd the package's exports): `const { op, get, set } = wasmAssembler;`.
 */
export const wasmAssembler = {
  I32, F32, V128, op, EMPTY, SIMD, simd,
  uleb, sleb, f32c, get, set, i32c, vec, str, section,
  loop16, loop64then16, loadAt, storeAt, ZERO_V128, dotInto, locals, moduleBytes, webAssembly,
} as const;
