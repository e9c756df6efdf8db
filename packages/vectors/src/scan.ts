/**
 * Dot products of one query with many rows, for the nearest-neighbour scan: a WebAssembly SIMD
 * (f32x4) kernel, several times faster than the scalar JavaScript loop (V8 does not vectorise
 * JavaScript; float32 lanes, no float64 round trips, no bounds checks).
 *
 * The kernel reads WebAssembly memory only. The file loaders allocate their matrix there
 * ({@link allocateMatrix}); any other matrix is moved there on its `Embeddings`' first query
 * ({@link ResidentMatrix}: one copy, after which the `Embeddings` reads the moved matrix and the
 * original array is garbage unless the caller still holds it). When that memory
 * cannot be had (a matrix over 4 GiB, the wasm32 limit, or an allocation failure), rows are
 * copied in one L2-sized chunk at a time instead ({@link StreamedScorer}: no second matrix, but
 * the copy costs about as much as the scan). Without WebAssembly SIMD, `Embeddings` keeps its
 * JavaScript loop.
 *
 * Precision: the kernel computes in float32 (as gensim's BLAS `sgemv` does); the JavaScript
 * loop in float64. Scores differ by float32 rounding (~1e-7), so only near-exact ties can
 * order differently between the two.
 */
import {
  EMPTY,
  F32,
  I32,
  V128,
  dotInto,
  get,
  i32c,
  locals,
  moduleBytes,
  op,
  set,
  webAssembly,
} from './wasm/assembler';
import type { WasmMemory } from './wasm/assembler';

/** Bytes of rows copied per chunk (fits in L2 with room for the kernel's other reads). */
const CHUNK_BYTES = 128 * 1024;
const PAGE_BYTES = 65536;

/**
 * `scan(query, rows, count, dim, out)`: out[r] = Σ_j query[j]·rows[r·dim + j] for r < count,
 * float32, pointers in bytes. f32x4 over the first `dim & ~3` components, then one at a time.
 */
function scanFunctionBody(): number[] {
  const [query, rows, count, dim, out] = [0, 1, 2, 3, 4];
  const r = 5, j = 6, vectorBytes = 7, rowBytes = 8; // i32
  const f = 9; // f32
  const acc = 10; // v128: acc..acc+3
  return [
    ...locals([[4, I32], [1, F32], [4, V128]]),
    ...get(dim), ...i32c(-4), op.i32And, ...i32c(2), op.i32Shl, ...set(vectorBytes),
    ...get(dim), ...i32c(2), op.i32Shl, ...set(rowBytes),
    ...i32c(0), ...set(r),
    op.block, EMPTY, op.loop, EMPTY,
    ...get(r), ...get(count), op.i32GeU, op.brIf, 1,
    ...dotInto(query, rows, j, vectorBytes, acc, f),
    // The last dim % 4 components (j ends the SIMD loop at vectorBytes).
    op.block, EMPTY, op.loop, EMPTY,
    ...get(j), ...get(rowBytes), op.i32GeU, op.brIf, 1,
    ...get(f),
    ...get(query), ...get(j), op.i32Add, op.f32Load, 2, 0,
    ...get(rows), ...get(j), op.i32Add, op.f32Load, 2, 0,
    op.f32Mul, op.f32Add, ...set(f),
    ...get(j), ...i32c(4), op.i32Add, ...set(j),
    op.br, 0, op.end, op.end,
    ...get(out), ...get(r), ...i32c(2), op.i32Shl, op.i32Add, ...get(f), op.f32Store, 2, 0,
    ...get(rows), ...get(rowBytes), op.i32Add, ...set(rows),
    ...get(r), ...i32c(1), op.i32Add, ...set(r),
    op.br, 0, op.end, op.end,
    op.end,
  ];
}

type ScanFunction = (query: number, rows: number, count: number, dim: number, out: number) => void;

/** Where the scan runs: `'auto'` (the default), or one path forced (tests compare them). */
export type ScanMode = 'auto' | 'resident' | 'streamed' | 'javascript';

let scanMode: ScanMode = 'auto';
let compiled: object | null | undefined;

/**
 * Forces a scan path for the `Embeddings` that run their first query afterwards (a matrix once
 * moved stays in WebAssembly memory). Not exported from the package.
 */
export function setScanMode(mode: ScanMode): void {
  scanMode = mode;
}

/** The compiled module, or null when the runtime lacks WebAssembly SIMD. */
function scanModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = moduleBytes({ minPages: 1 }, [
        { name: 'scan', params: [I32, I32, I32, I32, I32], results: [], body: scanFunctionBody() },
      ]);
      compiled = webAssembly === undefined ? null : new webAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function instantiate(module: object, memory: WasmMemory): ScanFunction {
  return (new webAssembly!.Instance(module, { env: { memory } }).exports as { scan: ScanFunction }).scan;
}

/** Scores a query against rows [first, first + count) of a matrix, a chunk of rows per call. */
export interface RowScorer {
  /** Rows scored per {@link score} call at most. */
  readonly rowsPerChunk: number;
  /**
   * The dot products of the query with rows [first, first + count) of `data` (count ≤
   * rowsPerChunk), in a view that the next call overwrites.
   */
  score(data: Float32Array, first: number, count: number): Float32Array;
}

/** Rows per call of a resident scan: the scores stay in L1 for the JavaScript heap pass. */
const RESIDENT_CHUNK_ROWS = 2048;
/** wasm32 memories hold at most 65,536 pages of 64 KiB (4 GiB). */
const MAX_PAGES = 65536;

/** Byte offsets of the query and of the scores after a matrix of `floats` values at byte 0. */
function residentLayout(floats: number, dim: number): { queryPointer: number; outPointer: number; pages: number } {
  const queryPointer = alignTo16(floats * 4);
  const outPointer = queryPointer + alignTo16(dim * 4);
  return { queryPointer, outPointer, pages: Math.ceil((outPointer + RESIDENT_CHUNK_ROWS * 4) / PAGE_BYTES) };
}

/** A WebAssembly memory sized for a resident matrix, or null when SIMD or the memory is unavailable. */
function residentMemory(floats: number, dim: number): { memory: WasmMemory; module: object } | null {
  if (scanMode === 'javascript' || scanMode === 'streamed') return null;
  const module = scanModule();
  if (module === null) return null;
  const { pages } = residentLayout(floats, dim);
  if (pages > MAX_PAGES) return null;
  try {
    return { memory: new webAssembly!.Memory({ initial: pages, maximum: pages }), module };
  } catch {
    return null; // RangeError: the runtime could not reserve that much.
  }
}

// Matrices allocated by {@link allocateMatrix}, by buffer: adopted by the scan without a copy.
const allocated = new WeakMap<ArrayBuffer | SharedArrayBuffer, WasmMemory>();

/**
 * A zeroed `rows × dim` matrix for a file loader, in WebAssembly memory already laid out for the
 * scan, so an `Embeddings` built on it queries with no move (and no second set of page faults);
 * a plain `Float32Array` when that memory is unavailable.
 */
export function allocateMatrix(rows: number, dim: number): Float32Array {
  const floats = rows * dim;
  const resident = floats > 0 ? residentMemory(floats, dim) : null;
  if (resident === null) return new Float32Array(floats);
  allocated.set(resident.memory.buffer, resident.memory);
  return new Float32Array(resident.memory.buffer, 0, floats);
}

/**
 * A matrix in its own WebAssembly memory: `matrix` at byte 0, then the query and a chunk of
 * scores. One per `Embeddings` that ran a query.
 */
export class ResidentMatrix implements RowScorer {
  readonly rowsPerChunk = RESIDENT_CHUNK_ROWS;
  /** The matrix (a view of the WebAssembly memory). */
  readonly matrix: Float32Array;
  private readonly scan: ScanFunction;
  private readonly dim: number;
  private readonly queryPointer: number;
  private readonly outPointer: number;
  private readonly memoryFloats: Float32Array;
  private readonly scores: Float32Array;

  private constructor(memory: WasmMemory, module: object, matrix: Float32Array, dim: number) {
    const { queryPointer, outPointer } = residentLayout(matrix.length, dim);
    this.scan = instantiate(module, memory);
    this.dim = dim;
    this.queryPointer = queryPointer;
    this.outPointer = outPointer;
    this.memoryFloats = new Float32Array(memory.buffer);
    this.matrix = matrix;
    this.scores = this.memoryFloats.subarray(outPointer / 4, outPointer / 4 + RESIDENT_CHUNK_ROWS);
  }

  /**
   * `data` itself when {@link allocateMatrix} made it, else a copy of it in a new WebAssembly
   * memory; null when SIMD or the memory is unavailable.
   */
  static tryMove(data: Float32Array, dim: number): ResidentMatrix | null {
    const own = allocated.get(data.buffer);
    if (own !== undefined && data.byteOffset === 0) {
      const { outPointer } = residentLayout(data.length, dim);
      const module = scanModule();
      if (module !== null && outPointer + RESIDENT_CHUNK_ROWS * 4 <= own.buffer.byteLength) {
        return new ResidentMatrix(own, module, data, dim);
      }
    }
    const resident = residentMemory(data.length, dim);
    if (resident === null) return null;
    const matrix = new Float32Array(resident.memory.buffer, 0, data.length);
    matrix.set(data);
    return new ResidentMatrix(resident.memory, resident.module, matrix, dim);
  }

  /** Sets the query (rounded to float32) and returns this scorer. */
  scorerFor(query: Float64Array): RowScorer {
    const base = this.queryPointer / 4;
    for (let j = 0; j < this.dim; j++) this.memoryFloats[base + j] = query[j] as number;
    return this;
  }

  score(_data: Float32Array, first: number, count: number): Float32Array {
    this.scan(this.queryPointer, first * this.dim * 4, count, this.dim, this.outPointer);
    return this.scores;
  }
}

let streamingMemory: { memory: WasmMemory; scan: ScanFunction } | undefined;

/**
 * Scores rows left in a JavaScript array by copying a chunk of them at a time into one memory
 * shared by all streamed scans. Valid until the next scorer is created.
 */
export class StreamedScorer implements RowScorer {
  readonly rowsPerChunk: number;
  private readonly scan: ScanFunction;
  private readonly dim: number;
  private readonly memoryFloats: Float32Array;
  private readonly scores: Float32Array;
  private readonly outPointer: number;
  private readonly rowsPointer: number;

  private constructor(module: object, query: Float64Array) {
    const dim = query.length;
    const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (dim * 4)));
    // Layout: query (dim floats) | scores (rowsPerChunk floats) | rows; 16-byte aligned parts.
    const outPointer = alignTo16(dim * 4);
    const rowsPointer = outPointer + alignTo16(rowsPerChunk * 4);
    const needed = rowsPointer + rowsPerChunk * dim * 4;
    if (streamingMemory === undefined) {
      const memory = new webAssembly!.Memory({ initial: 1 });
      streamingMemory = { memory, scan: instantiate(module, memory) };
    }
    const memory = streamingMemory.memory;
    const have = memory.buffer.byteLength;
    if (needed > have) memory.grow(Math.ceil((needed - have) / PAGE_BYTES));
    const memoryFloats = new Float32Array(memory.buffer);
    for (let j = 0; j < dim; j++) memoryFloats[j] = query[j] as number;
    this.scan = streamingMemory.scan;
    this.dim = dim;
    this.rowsPerChunk = rowsPerChunk;
    this.memoryFloats = memoryFloats;
    this.outPointer = outPointer;
    this.rowsPointer = rowsPointer;
    this.scores = memoryFloats.subarray(outPointer / 4, outPointer / 4 + rowsPerChunk);
  }

  /** A scorer for `query` (rounded to float32), or null without WebAssembly SIMD. */
  static create(query: Float64Array): StreamedScorer | null {
    if (scanMode === 'javascript') return null;
    const module = scanModule();
    return module === null ? null : new StreamedScorer(module, query);
  }

  score(data: Float32Array, first: number, count: number): Float32Array {
    const dim = this.dim;
    this.memoryFloats.set(data.subarray(first * dim, (first + count) * dim), this.rowsPointer / 4);
    this.scan(0, this.rowsPointer, count, dim, this.outPointer);
    return this.scores;
  }
}

/** `bytes` rounded up to a multiple of 16 (arithmetic, not bitwise: sizes may pass 2^31). */
function alignTo16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
