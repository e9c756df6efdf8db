/**
 * WebAssembly SIMD versions of the kernels' inner loops (f32x4 dot products and updates), which
 * run several times faster than scalar JavaScript: no float64 round trips, no bounds checks, four
 * lanes at a time. The module is assembled here, byte by byte, from a few dozen instructions, so
 * the package needs no toolchain; the TypeScript kernel (kernel.ts) stays the readable reference
 * and the tests check that both compute the same updates.
 *
 * All pointers are byte offsets into one `WebAssembly.Memory` (shared between workers) that holds
 * the weights, the Huffman codes, the σ tables and per-thread scratch. Rows are `dim` floats with
 * `dim % 4 === 0` (otherwise the trainer uses the TypeScript kernel).
 *
 * Exports:
 * - `ns(h, outBase, targets, count, alpha, dim, neu1e, sig, nls) → loss`: negative sampling for one
 *   hidden vector; `targets[0]` is the positive output, the rest negatives.
 * - `hs(h, outBase, points, codes, count, alpha, dim, neu1e, sig, nls) → loss`: hierarchical softmax
 *   over `count` inner nodes.
 * - `add(dst, src, dim)`: dst += src.   `scale(dst, s, dim)`: dst *= s.   `zero(dst, dim)`.
 */

// Value types and opcodes (WebAssembly core spec + SIMD).
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, ret: 0x0f,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, i32Load8u: 0x2d,
  i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32LtU: 0x49, i32GtU: 0x4b, i32GeU: 0x4f,
  f32Lt: 0x5d, f32Gt: 0x5e, f32Le: 0x5f, f32Ge: 0x60,
  i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74,
  f32Neg: 0x8c, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94,
  i32TruncF32S: 0xa8, f32ConvertI32U: 0xb3,
} as const;
const EMPTY = 0x40;
const SIMD = 0xfd;
const simd = { load: [SIMD, 0x00, 4, 0], store: [SIMD, 0x0b, 4, 0], splat: [SIMD, 0x13], add: [SIMD, 0xe4, 0x01], mul: [SIMD, 0xe6, 0x01] };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
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
function f32c(x: number): number[] {
  return [op.f32Const, ...new Uint8Array(Float32Array.of(x).buffer)];
}
const get = (i: number): number[] => [op.localGet, i];
const set = (i: number): number[] => [op.localSet, i];
const i32c = (n: number): number[] => [op.i32Const, ...sleb(n)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** `for (j = 0; j < bytes; j += 16) body` with locals `j` and `bytes`. */
function loop16(j: number, bytes: number, body: number[]): number[] {
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
function loop64then16(j: number, bytes: number, body4: number[], body1: number[]): number[] {
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
const loadAt = (base: number, j: number, offset: number): number[] => [...get(base), ...get(j), op.i32Add, SIMD, 0x00, 4, ...uleb(offset)];
/** v128.store of the value on the stack to `base + j + offset` (address pushed first by the caller). */
const storeAt = (offset: number): number[] => [SIMD, 0x0b, 4, ...uleb(offset)];
const ZERO_V128 = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];

/**
 * f = Σ h[j]·row[j]: four f32x4 accumulators `acc..acc+3` (one would make every add wait for
 * the previous one), summed at the end.
 */
function dotInto(h: number, row: number, j: number, bytes: number, acc: number, f: number): number[] {
  const mulAdd = (a: number, offset: number): number[] => [
    ...get(a), ...loadAt(h, j, offset), ...loadAt(row, j, offset), ...simd.mul, ...simd.add, ...set(a),
  ];
  const lane = (i: number): number[] => [...get(acc), SIMD, 0x1f, i];
  return [
    ...ZERO_V128, ...set(acc), ...ZERO_V128, ...set(acc + 1), ...ZERO_V128, ...set(acc + 2), ...ZERO_V128, ...set(acc + 3),
    ...loop64then16(j, bytes, [...mulAdd(acc, 0), ...mulAdd(acc + 1, 16), ...mulAdd(acc + 2, 32), ...mulAdd(acc + 3, 48)], mulAdd(acc, 0)),
    ...get(acc), ...get(acc + 1), ...simd.add, ...get(acc + 2), ...get(acc + 3), ...simd.add, ...simd.add, ...set(acc),
    ...lane(0), ...lane(1), op.f32Add, ...lane(2), ...lane(3), op.f32Add, op.f32Add, ...set(f),
  ];
}

/** neu1e += g·row; row += g·h (one pass, both read the old row); `o` is scratch. */
function update(h: number, row: number, neu1e: number, j: number, bytes: number, gv: number, o: number): number[] {
  const step = (offset: number): number[] => [
    ...loadAt(row, j, offset), ...set(o),
    ...get(neu1e), ...get(j), op.i32Add,
    ...loadAt(neu1e, j, offset), ...get(gv), ...get(o), ...simd.mul, ...simd.add,
    ...storeAt(offset),
    ...get(row), ...get(j), op.i32Add,
    ...get(o), ...get(gv), ...loadAt(h, j, offset), ...simd.mul, ...simd.add,
    ...storeAt(offset),
  ];
  return loop64then16(j, bytes, [...step(0), ...step(16), ...step(32), ...step(48)], step(0));
}

/**
 * Body shared by `ns` and `hs`. Params: 0 h, 1 outBase, 2 targets/points, 3 codes (hs only; ns
 * ignores), 4 count, 5 alpha, 6 dim, 7 neu1e, 8 sig, 9 nls.
 */
function outputsBody(hsMode: boolean): number[] {
  const [h, outBase, targets, codes, count, alpha, dim, neu1e, sig, nls] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  // Locals.
  const k = 10, row = 11, j = 12, bytes = 13, idx = 14; // i32
  const f = 15, g = 16, loss = 17, label = 18; // f32
  const acc = 19, gv = 23, o = 24; // v128; acc..acc+3 are dotInto's four accumulators
  const locals = [[5, I32], [4, F32], [6, V128]];
  const sigmoidUpdate = [
    // idx = trunc((f + 6) * 83.333…); g = (label − σ) · alpha; loss += −log σ(f) + (1 − label)·f
    ...get(f), ...f32c(6), op.f32Add, ...f32c(1000 / 12), op.f32Mul, op.i32TruncF32S, ...i32c(2), op.i32Shl, ...set(idx),
    ...get(label), ...get(sig), ...get(idx), op.i32Add, op.f32Load, 2, 0, op.f32Sub, ...get(alpha), op.f32Mul, ...set(g),
    ...get(loss), ...get(nls), ...get(idx), op.i32Add, op.f32Load, 2, 0, op.f32Add,
    ...f32c(1), ...get(label), op.f32Sub, ...get(f), op.f32Mul, op.f32Add, ...set(loss),
  ];
  const body = [
    ...get(dim), ...i32c(2), op.i32Shl, ...set(bytes),
    ...i32c(0), ...set(k),
    op.block, EMPTY, op.loop, EMPTY,
    ...get(k), ...get(count), op.i32GeU, op.brIf, 1,
    // row = outBase + (targets[k] · bytes)
    ...get(outBase), ...get(targets), ...get(k), ...i32c(2), op.i32Shl, op.i32Add, op.i32Load, 2, 0, ...get(bytes), op.i32Mul, op.i32Add, ...set(row),
    // label
    ...(hsMode
      ? [...f32c(1), ...get(codes), ...get(k), op.i32Add, op.i32Load8u, 0, 0, op.f32ConvertI32U, op.f32Sub, ...set(label)]
      : [...get(k), op.i32Eqz, op.f32ConvertI32U, ...set(label)]),
    ...dotInto(h, row, j, bytes, acc, f),
    ...(hsMode
      ? [
          // Saturated nodes are skipped (the C tool), their loss counted. Written so that a NaN
          // (diverged weights) takes a branch without the table lookup, which would trap.
          ...get(f), ...f32c(-6), op.f32Gt, op.if, EMPTY,
          ...get(f), ...f32c(6), op.f32Lt, op.if, EMPTY,
          ...sigmoidUpdate,
          ...get(g), ...simd.splat, ...set(gv),
          ...update(h, row, neu1e, j, bytes, gv, o),
          op.else,
          ...get(loss), ...f32c(1), ...get(label), op.f32Sub, ...get(f), op.f32Mul, op.f32Add, ...set(loss),
          op.end,
          op.else,
          ...get(loss), ...get(label), ...get(f), op.f32Neg, op.f32Mul, op.f32Add, ...set(loss),
          op.end,
        ]
      : [
          ...get(f), ...f32c(6), op.f32Gt, op.if, EMPTY,
          ...get(label), ...f32c(1), op.f32Sub, ...get(alpha), op.f32Mul, ...set(g),
          ...get(loss), ...f32c(1), ...get(label), op.f32Sub, ...get(f), op.f32Mul, op.f32Add, ...set(loss),
          op.else,
          // f ≥ −6 is false for NaN too, which then avoids the table lookup (it would trap).
          ...get(f), ...f32c(-6), op.f32Ge, op.if, EMPTY,
          ...sigmoidUpdate,
          op.else,
          ...get(label), ...get(alpha), op.f32Mul, ...set(g),
          ...get(loss), ...get(label), ...get(f), op.f32Neg, op.f32Mul, op.f32Add, ...set(loss),
          op.end, op.end,
          ...get(g), ...simd.splat, ...set(gv),
          ...update(h, row, neu1e, j, bytes, gv, o),
        ]),
    ...get(k), ...i32c(1), op.i32Add, ...set(k),
    op.br, 0, op.end, op.end,
    ...get(loss),
    op.end,
  ];
  return [...vec(locals.map(([n, t]) => [...uleb(n!), t!])), ...body];
}

function addBody(): number[] {
  // params: 0 dst, 1 src, 2 dim; locals 3 j, 4 bytes
  return [
    ...vec([[2, I32]].map(([n, t]) => [n!, t!])),
    ...get(2), ...i32c(2), op.i32Shl, ...set(4),
    ...loop16(3, 4, [
      ...get(0), ...get(3), op.i32Add,
      ...get(0), ...get(3), op.i32Add, ...simd.load, ...get(1), ...get(3), op.i32Add, ...simd.load, ...simd.add,
      ...simd.store,
    ]),
    op.end,
  ];
}

function scaleBody(): number[] {
  // params: 0 dst, 1 s (f32), 2 dim; locals 3 j, 4 bytes, 5 sv
  return [
    ...vec([[2, I32], [1, V128]].map(([n, t]) => [n!, t!])),
    ...get(2), ...i32c(2), op.i32Shl, ...set(4),
    ...get(1), ...simd.splat, ...set(5),
    ...loop16(3, 4, [
      ...get(0), ...get(3), op.i32Add,
      ...get(0), ...get(3), op.i32Add, ...simd.load, ...get(5), ...simd.mul,
      ...simd.store,
    ]),
    op.end,
  ];
}

function zeroBody(): number[] {
  // params: 0 dst, 1 dim; locals 2 j, 3 bytes
  return [
    ...vec([[2, I32]].map(([n, t]) => [n!, t!])),
    ...get(1), ...i32c(2), op.i32Shl, ...set(3),
    ...loop16(2, 3, [...get(0), ...get(2), op.i32Add, ...ZERO_V128, ...simd.store]),
    op.end,
  ];
}

/** The assembled module (imports `env.memory`, shared). */
export function wasmModuleBytes(): Uint8Array {
  const types = [
    [0x60, ...vec([I32, I32, I32, I32, I32, F32, I32, I32, I32, I32].map((t) => [t])), ...vec([[F32]])], // ns, hs
    [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])], // add
    [0x60, ...vec([[I32], [F32], [I32]]), ...vec([])], // scale
    [0x60, ...vec([[I32], [I32]]), ...vec([])], // zero
  ];
  const imports = [[...str('env'), ...str('memory'), 0x02, 0x03, ...uleb(1), ...uleb(65536)]];
  const funcs = [[0], [0], [1], [2], [3]];
  const exports = ['ns', 'hs', 'add', 'scale', 'zero'].map((name, i) => [...str(name), 0x00, ...uleb(i)]);
  const bodies = [outputsBody(false), outputsBody(true), addBody(), scaleBody(), zeroBody()].map((b) => [...uleb(b.length), ...b]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}

/** The exported functions; see the module comment. */
export interface WasmKernels {
  ns(h: number, outBase: number, targets: number, unused: number, count: number, alpha: number, dim: number, neu1e: number, sig: number, nls: number): number;
  hs(h: number, outBase: number, points: number, codes: number, count: number, alpha: number, dim: number, neu1e: number, sig: number, nls: number): number;
  add(dst: number, src: number, dim: number): void;
  scale(dst: number, s: number, dim: number): void;
  zero(dst: number, dim: number): void;
}

/** A `WebAssembly.Memory` (typed here: the project's `lib` settings do not include the WebAssembly API). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null when this runtime lacks WebAssembly SIMD or shared memory. */
export function wasmModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new WA.Module(wasmModuleBytes());
      new WA.Memory({ initial: 1, maximum: 1, shared: true });
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** A shared memory of `pages` 64 KiB pages for the kernels. */
export function createSharedMemory(pages: number): WasmMemory {
  return new WA.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Instantiates the kernels over `memory`. */
export function instantiateKernels(memory: WasmMemory): WasmKernels {
  const module = wasmModule();
  if (module === null) throw new Error('WebAssembly SIMD is not available in this runtime');
  return new WA.Instance(module, { env: { memory } }).exports as WasmKernels;
}
