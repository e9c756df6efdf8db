/**
 * WebAssembly SIMD versions of the kernels' inner loops (f32x4 dot products and updates), which
 * run several times faster than scalar JavaScript: no float64 round trips, no bounds checks, four
 * lanes at a time. The module is assembled here, byte by byte, from a few dozen instructions (with
 * the byte-level helpers `wasmAssembler` of @embedkit/vectors, shared with its nearest-neighbour
 * scan), so the package needs no toolchain; the TypeScript kernel (kernel.ts) stays the readable
 * reference and the tests check that both compute the same updates.
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

import { wasmAssembler } from '@embedkit/vectors';
import type { WasmApi, WasmMemory } from '@embedkit/vectors';

const { I32, F32, V128, op, EMPTY, simd, f32c, get, set, i32c, uleb, vec, loop16, loop64then16, loadAt, storeAt, ZERO_V128, dotInto, moduleBytes } =
  wasmAssembler;

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
  const outputsParams = [I32, I32, I32, I32, I32, F32, I32, I32, I32, I32];
  return moduleBytes({ minPages: 1, maxPages: 65536, shared: true }, [
    { name: 'ns', params: outputsParams, results: [F32], body: outputsBody(false) },
    { name: 'hs', params: outputsParams, results: [F32], body: outputsBody(true) },
    { name: 'add', params: [I32, I32, I32], results: [], body: addBody() },
    { name: 'scale', params: [I32, F32, I32], results: [], body: scaleBody() },
    { name: 'zero', params: [I32, I32], results: [], body: zeroBody() },
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

export type { WasmMemory };
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
