/**
 * `Embeddings`: labelled vectors (one row-major `Float32Array`, `size × dim`) and the queries
 * every consumer needs: cosine similarity, nearest neighbours of words or of a vector, analogies
 * (3CosAdd and 3CosMul) and the odd one out.
 *
 * Query semantics follow gensim's `KeyedVectors` (4.x), so results can be compared one for one:
 * input words are unit-normalised, weighted +1 (positive) / −1 (negative), averaged and the mean
 * normalised again; every row is scored by its cosine with that mean; the input words are never
 * returned; `restrictTo: N` looks at the first N rows only (rows are in frequency order).
 *
 * Memory layout: the matrix lives in WebAssembly memory for the SIMD scan (scan.ts). The file
 * loaders read it there; a matrix given to the constructor is moved there by the first
 * nearest-neighbour query (one copy, the same size; the given array is then garbage unless its
 * creator still holds it). The "unit-norm rows" are cached as one inverse
 * norm per row (a `Float64Array` of `size`), computed lazily on the first query. The cosine of
 * row i with a unit query q is then `dot(row_i, q) * invNorm[i]`, which is exactly the cosine
 * with the unit row but costs `8 × size` bytes instead of a second `4 × size × dim` matrix (3.6 GB
 * for the 3M × 300 GoogleNews vectors). A zero row has invNorm 0, so its cosine is 0, never NaN.
 * The matrix is never handed out (`get` returns copies), so the cache cannot go stale.
 */
import { vectorsError } from './errors';
import type { LoadOptions, SaveOptions } from './formats/options';
import { resolveLoadOptions, resolveSaveOptions } from './formats/options';
import { readLabelLines, readNpyMatrix } from './formats/npy';
import { readVectors } from './formats/read';
import { writeVectors } from './formats/write';
import { nearestSpelling } from './spelling';
import { ResidentMatrix, StreamedScorer } from './scan';
import type { RowScorer } from './scan';
import { TopK } from './top-k';

/** One result of a nearest-neighbour query. */
export interface Neighbour {
  /** The row's label (word, item id, …). */
  label: string;
  /**
   * The score: the cosine similarity for {@link Embeddings.mostSimilar}, the 3CosMul ratio for
   * `analogy(…, { method: '3CosMul' })`.
   */
  similarity: number;
}

/** Options of {@link Embeddings.mostSimilar}. */
export interface MostSimilarOptions {
  /** Words that contribute positively (weight +1). Default `[]`. */
  positive?: readonly string[];
  /** Words that contribute negatively (weight −1). Default `[]`. */
  negative?: readonly string[];
  /** Number of neighbours returned. Default 10. */
  topN?: number;
  /** Consider only the first N rows (the N most frequent words). Default: all rows. */
  restrictTo?: number;
}

/** Options of {@link Embeddings.mostSimilarToVector}. */
export interface MostSimilarToVectorOptions {
  /** Number of neighbours returned. Default 10. */
  topN?: number;
  /** Consider only the first N rows. Default: all rows. */
  restrictTo?: number;
  /** Labels never returned (for example the words the vector was built from). Default `[]`. */
  exclude?: readonly string[];
}

/** Options of {@link Embeddings.analogy}. */
export interface AnalogyOptions {
  /**
   * `'3CosAdd'` (default): argmax cos(x, b − a + c), i.e. `mostSimilar({ positive: [b, c],
   * negative: [a] })` (Mikolov et al. 2013). `'3CosMul'`: argmax cos'(x,b)·cos'(x,c) /
   * (cos'(x,a) + ε) with cosines shifted to [0, 1] (Levy & Goldberg 2014, eq. 4 and footnote 7).
   */
  method?: '3CosAdd' | '3CosMul';
  /** Number of answers returned. Default 10. */
  topN?: number;
  /** Consider only the first N rows. Default: all rows. */
  restrictTo?: number;
  /**
   * ε of 3CosMul. Default 0.001, Levy & Goldberg's value. gensim 4.2's `most_similar_cosmul`
   * uses 1e-6: pass `epsilon: 1e-6` to reproduce its scores exactly.
   */
  epsilon?: number;
}

// Set by the file loaders (which validate values and labels while parsing, with line numbers)
// to skip the constructor's second validation pass; consumed by the next construction.
let trustedIndex: Map<string, number> | undefined;

/** Builds Embeddings from data a loader has already validated. */
function createTrusted(
  labels: string[],
  dim: number,
  data: Float32Array,
  index: Map<string, number>,
): Embeddings {
  trustedIndex = index;
  try {
    return new Embeddings(labels, dim, data);
  } finally {
    trustedIndex = undefined;
  }
}

/**
 * The row-major matrix itself, not a copy, for this package's own loops (sentence pooling reads
 * rows in place instead of copying a matrix that may be gigabytes). Not exported from the package.
 */
export let matrixOf: (embeddings: Embeddings) => Float32Array;

/**
 * Labelled vectors with nearest-neighbour and analogy queries.
 *
 * @example
 * ```ts
 * const vectors = await Embeddings.load('GoogleNews-vectors-negative300.bin', { limit: 200_000 });
 * vectors.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topN: 1 });
 * // [{ label: 'queen', similarity: 0.71… }]
 * ```
 */
export class Embeddings {
  /** Row labels, in row order (usually frequency order, most frequent first). */
  readonly labels: readonly string[];
  /** Number of components per vector. */
  readonly dim: number;
  /** Number of rows (labels). */
  readonly size: number;

  // Row-major `size × dim`; owned, never handed out. Replaced once, by its copy in WebAssembly
  // memory, on the first nearest-neighbour query (see scan.ts).
  private data: Float32Array;
  // The matrix in WebAssembly memory (null: not possible here; undefined: no query yet).
  private resident: ResidentMatrix | null | undefined;
  private readonly index: Map<string, number>;
  // 1 / ‖row‖ (0 for a zero row), computed on first use.
  private invNorms: Float64Array | undefined;

  static {
    matrixOf = (embeddings) => embeddings.data;
  }

  /**
   * Wraps a row-major `labels.length × dim` matrix. Takes ownership of `data` (do not modify it
   * afterwards: pass a copy if you must keep writing to yours).
   *
   * @throws TypeError / RangeError when the arguments' shapes disagree.
   * @throws EmbedkitError `DUPLICATE_LABEL` (naming the label and both rows) or
   *   `NON_FINITE_VALUE` (naming the label, row and component).
   */
  constructor(labels: readonly string[], dim: number, data: Float32Array) {
    if (!Array.isArray(labels)) throw new TypeError('Embeddings: labels must be an array of strings');
    if (!Number.isInteger(dim) || dim < 1) {
      throw new RangeError(`Embeddings: dim must be a positive integer, got ${String(dim)}`);
    }
    if (!(data instanceof Float32Array)) {
      throw new TypeError('Embeddings: data must be a Float32Array (row-major labels.length × dim)');
    }
    if (data.length !== labels.length * dim) {
      throw new RangeError(
        `Embeddings: data has ${data.length} values but ${labels.length} labels × dim ${dim} ` +
          `= ${labels.length * dim} were expected`,
      );
    }
    const trusted = trustedIndex;
    trustedIndex = undefined;
    let index: Map<string, number>;
    if (trusted !== undefined) {
      index = trusted;
    } else {
      index = new Map();
      for (let row = 0; row < labels.length; row++) {
        const label = labels[row];
        if (typeof label !== 'string') {
          throw new TypeError(`Embeddings: labels[${row}] is ${typeof label}, expected a string`);
        }
        const first = index.get(label);
        if (first !== undefined) {
          throw vectorsError(
            'DUPLICATE_LABEL',
            `Embeddings: label ${JSON.stringify(label)} appears twice (rows ${first} and ${row}); ` +
              'labels must be unique',
          );
        }
        index.set(label, row);
      }
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number;
        if (v - v !== 0) {
          const row = Math.floor(i / dim);
          throw vectorsError(
            'NON_FINITE_VALUE',
            `Embeddings: row ${row} (${JSON.stringify(labels[row])}) has ${v} at component ` +
              `${i - row * dim}; all values must be finite`,
          );
        }
      }
    }
    this.labels = Object.isFrozen(labels) ? labels : Object.freeze(labels.slice());
    this.dim = dim;
    this.size = labels.length;
    this.data = data;
    this.index = index;
  }

  // ─── files ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Loads a word2vec text / binary, GloVe or fastText `.vec` file (gzipped when the name ends in
   * `.gz`), or a Spark MLlib `Word2VecModel` directory (its Parquet files one row group at a
   * time), streaming, with bounded memory.
   *
   * @throws EmbedkitError with a {@link VectorsErrorCode} naming the file, the line or byte offset
   *   and what was expected: `FILE_NOT_FOUND`, `EMPTY_FILE`, `UNKNOWN_FORMAT`, `PARSE_ERROR`,
   *   `HEADER_MISMATCH`, `WRONG_DIMENSION`, `TRUNCATED_FILE`, `NON_FINITE_VALUE`,
   *   `DUPLICATE_LABEL`, `INVALID_UTF8`; a damaged Parquet file in a Spark directory throws the
   *   `ParquetErrorCode` of `@embedkit/parquet` (`CORRUPT_FILE`, `UNSUPPORTED`).
   */
  static async load(path: string, options: LoadOptions = {}): Promise<Embeddings> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('load: path must be a non-empty string');
    const loaded = await readVectors(path, resolveLoadOptions(options));
    return createTrusted(loaded.labels, loaded.dim, loaded.data, loaded.index);
  }

  /**
   * Loads a NumPy `.npy` matrix (`np.save`, or gensim's `*.wv.vectors.npy` side file of a large
   * model) with its row labels from `wordsPath`, one word per line in row order (from gensim:
   * `open('words.txt', 'w').write('\n'.join(model.wv.index_to_key))`). 2-D C-order float32 or
   * float64 (rounded to float32) arrays, format versions 1.0 to 3.0.
   *
   * @throws EmbedkitError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT` (not a `.npy` file), `PARSE_ERROR`
   *   (another shape, dtype or order, naming the numpy call that fixes it), `TRUNCATED_FILE`,
   *   `NON_FINITE_VALUE`, `HEADER_MISMATCH` (words and rows differ in number), `DUPLICATE_LABEL`.
   */
  static async loadNpy(npyPath: string, wordsPath: string): Promise<Embeddings> {
    for (const [name, value] of [['npyPath', npyPath], ['wordsPath', wordsPath]] as const) {
      if (typeof value !== 'string' || value.length === 0) throw new TypeError(`loadNpy: ${name} must be a non-empty string`);
    }
    const matrix = await readNpyMatrix(npyPath);
    const labels = await readLabelLines(wordsPath);
    if (labels.length !== matrix.rows) {
      throw vectorsError(
        'HEADER_MISMATCH',
        `${wordsPath} has ${labels.length} words but ${npyPath} has ${matrix.rows} rows; give one word per row, in row order`,
      );
    }
    return new Embeddings(labels, matrix.columns, matrix.data);
  }

  /**
   * Saves to `path` in `options.format` (gzipped when the name ends in `.gz`), through a
   * temporary file in the same folder renamed at the end. `format: 'spark'` writes a Spark
   * `Word2VecModel` directory the same way (a temporary directory renamed; an existing Spark model
   * there is replaced only once the new one is complete).
   *
   * @throws EmbedkitError `INVALID_LABEL` for a label the format cannot hold (empty, or with a
   *   space / line break; tabs too in text formats); `OUTPUT_EXISTS` when `path` holds something
   *   a Spark directory would replace that is not a Spark model.
   */
  async save(path: string, options: SaveOptions): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('save: path must be a non-empty string');
    await writeVectors(path, this.labels, this.dim, this.data, resolveSaveOptions(options));
  }

  // ─── lookups ────────────────────────────────────────────────────────────────────────────────

  /** True when `label` has a row. */
  has(label: string): boolean {
    return this.index.has(label);
  }

  /** The row of `label`, or -1 when absent. */
  indexOf(label: string): number {
    const row = this.index.get(label);
    return row === undefined ? -1 : row;
  }

  /** A copy of the (raw, not normalised) vector of `label`, or undefined when absent. */
  get(label: string): Float32Array | undefined {
    const row = this.index.get(label);
    return row === undefined ? undefined : this.vectorAt(row);
  }

  /**
   * A copy of the vector of `label`.
   *
   * @throws EmbedkitError `UNKNOWN_KEY` naming the word and, when one is within 2 edits, the
   *   closest spelling among the 50,000 first (most frequent) labels.
   */
  getOrThrow(label: string): Float32Array {
    return this.vectorAt(this.rowOrThrow(label));
  }

  /** A copy of the vector in row `row` (0 ≤ row < size). */
  vectorAt(row: number): Float32Array {
    this.checkRow(row);
    const start = row * this.dim;
    return this.data.slice(start, start + this.dim);
  }

  /** A copy of the unit-normalised vector of `label` (all zeros for a zero vector). */
  unitVector(label: string): Float32Array {
    const row = this.rowOrThrow(label);
    const invNorms = this.norms();
    const out = this.vectorAt(row);
    const s = invNorms[row] as number;
    for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) * s;
    return out;
  }

  /** A copy of the whole row-major `size × dim` matrix. */
  toMatrix(): Float32Array {
    return this.data.slice();
  }

  // ─── queries ────────────────────────────────────────────────────────────────────────────────

  /** Cosine similarity of two words (0 when either vector is zero). */
  similarity(a: string, b: string): number {
    const ra = this.rowOrThrow(a);
    const rb = this.rowOrThrow(b);
    const invNorms = this.norms();
    const data = this.data;
    const dim = this.dim;
    const oa = ra * dim;
    const ob = rb * dim;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += (data[oa + j] as number) * (data[ob + j] as number);
    return dot * (invNorms[ra] as number) * (invNorms[rb] as number);
  }

  /**
   * The `topN` rows closest (by cosine) to the normalised mean of the unit vectors of `positive`
   * minus those of `negative`, excluding the input words (gensim's `most_similar`).
   *
   * @throws RangeError when both lists are empty or an option is out of range.
   * @throws EmbedkitError `UNKNOWN_KEY` for a word that has no row.
   */
  mostSimilar(options: MostSimilarOptions): Neighbour[] {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('mostSimilar: expected an options object { positive, negative, topN }');
    }
    const positive = stringList(options.positive, 'mostSimilar: positive');
    const negative = stringList(options.negative, 'mostSimilar: negative');
    if (positive.length + negative.length === 0) {
      throw new RangeError('mostSimilar: give at least one word in positive or negative');
    }
    const topN = resolveTopN(options.topN, 'mostSimilar');
    const end = this.resolveRestrict(options.restrictTo, 'mostSimilar');
    const rows = new Int32Array(positive.length + negative.length);
    for (let i = 0; i < positive.length; i++) rows[i] = this.rowOrThrow(positive[i] as string);
    for (let i = 0; i < negative.length; i++) {
      rows[positive.length + i] = this.rowOrThrow(negative[i] as string);
    }
    const query = this.meanOfUnitRows(rows, positive.length);
    return this.search(query, topN, end, rows);
  }

  /**
   * The `topN` rows closest (by cosine) to `vector` (gensim's `similar_by_vector`).
   *
   * @throws RangeError when `vector.length !== dim`, a component is not finite, or an option is
   *   out of range.
   */
  mostSimilarToVector(
    vector: ArrayLike<number>,
    options: MostSimilarToVectorOptions = {},
  ): Neighbour[] {
    if (vector === null || typeof vector !== 'object' || typeof vector.length !== 'number') {
      throw new TypeError('mostSimilarToVector: vector must be an array or typed array');
    }
    if (vector.length !== this.dim) {
      throw new RangeError(
        `mostSimilarToVector: vector has ${vector.length} components, expected dim ${this.dim}`,
      );
    }
    const topN = resolveTopN(options.topN, 'mostSimilarToVector');
    const end = this.resolveRestrict(options.restrictTo, 'mostSimilarToVector');
    const exclude = stringList(options.exclude, 'mostSimilarToVector: exclude');
    const query = new Float64Array(this.dim);
    let norm = 0;
    for (let j = 0; j < this.dim; j++) {
      const v = Number(vector[j]);
      if (!Number.isFinite(v)) {
        throw new RangeError(`mostSimilarToVector: component ${j} is ${v}; expected a finite number`);
      }
      query[j] = v;
      norm += v * v;
    }
    normalise(query, norm);
    // Excluded labels that are not in the vocabulary are simply never returned.
    const excluded: number[] = [];
    for (const label of exclude) {
      const row = this.index.get(label);
      if (row !== undefined) excluded.push(row);
    }
    return this.search(query, topN, end, Int32Array.from(excluded));
  }

  /**
   * Answers "a is to b as c is to ?", excluding a, b and c from the answers.
   *
   * @throws EmbedkitError `UNKNOWN_KEY` for a word that has no row.
   */
  analogy(a: string, b: string, c: string, options: AnalogyOptions = {}): Neighbour[] {
    const method = options.method ?? '3CosAdd';
    if (method === '3CosAdd') {
      const neighbourOptions: MostSimilarOptions = { positive: [b, c], negative: [a] };
      if (options.topN !== undefined) neighbourOptions.topN = options.topN;
      if (options.restrictTo !== undefined) neighbourOptions.restrictTo = options.restrictTo;
      return this.mostSimilar(neighbourOptions);
    }
    if (method !== '3CosMul') {
      throw new RangeError(`analogy: method must be '3CosAdd' or '3CosMul', got ${String(method)}`);
    }
    const epsilon = options.epsilon ?? 0.001;
    if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
      throw new RangeError(`analogy: epsilon must be a positive number, got ${String(epsilon)}`);
    }
    const topN = resolveTopN(options.topN, 'analogy');
    const end = this.resolveRestrict(options.restrictTo, 'analogy');
    const rows = Int32Array.of(this.rowOrThrow(b), this.rowOrThrow(c), this.rowOrThrow(a));
    return this.searchCosMul(rows, 2, topN, end, epsilon);
  }

  /**
   * The word that fits least with the others: the one whose unit vector has the lowest cosine
   * with the normalised mean of all of them (gensim's `doesnt_match`).
   *
   * @throws RangeError with fewer than 2 words.
   * @throws EmbedkitError `UNKNOWN_KEY` for a word that has no row (gensim ignores unknown words
   *   with a warning; here the caller decides, e.g. by filtering with {@link has}).
   */
  doesntMatch(words: readonly string[]): string {
    const list = stringList(words, 'doesntMatch: words');
    if (list.length < 2) throw new RangeError('doesntMatch: give at least 2 words');
    const rows = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) rows[i] = this.rowOrThrow(list[i] as string);
    const mean = this.meanOfUnitRows(rows, rows.length);
    const invNorms = this.norms();
    const data = this.data;
    const dim = this.dim;
    let worst = 0;
    let worstScore = Infinity;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      const offset = row * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += (data[offset + j] as number) * (mean[j] as number);
      const score = dot * (invNorms[row] as number);
      // gensim sorts (score, word) pairs: ties go to the smaller word.
      const word = list[i] as string;
      if (score < worstScore || (score === worstScore && word < (list[worst] as string))) {
        worstScore = score;
        worst = i;
      }
    }
    return list[worst] as string;
  }

  // ─── internals ──────────────────────────────────────────────────────────────────────────────

  /** The inverse norms, computed on first use. */
  private norms(): Float64Array {
    let invNorms = this.invNorms;
    if (invNorms === undefined) {
      const data = this.data;
      const dim = this.dim;
      const size = this.size;
      invNorms = new Float64Array(size);
      for (let row = 0; row < size; row++) {
        const offset = row * dim;
        let s0 = 0;
        let s1 = 0;
        let j = 0;
        for (; j + 1 < dim; j += 2) {
          const a = data[offset + j] as number;
          const b = data[offset + j + 1] as number;
          s0 += a * a;
          s1 += b * b;
        }
        if (j < dim) {
          const a = data[offset + j] as number;
          s0 += a * a;
        }
        const sum = s0 + s1;
        invNorms[row] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
      }
      this.invNorms = invNorms;
    }
    return invNorms;
  }

  private rowOrThrow(label: string): number {
    const row = this.index.get(label);
    if (row !== undefined) return row;
    if (typeof label !== 'string') {
      throw new TypeError(`Embeddings: expected a word (string), got ${typeof label}`);
    }
    const suggestion = nearestSpelling(label, this.labels);
    throw vectorsError(
      'UNKNOWN_KEY',
      `Word ${JSON.stringify(label)} is not in the vocabulary (${this.size} words)` +
        (suggestion === undefined ? '' : `; did you mean ${JSON.stringify(suggestion)}?`),
    );
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.size) {
      throw new RangeError(`Embeddings: row ${row} is out of range [0, ${this.size})`);
    }
  }

  private resolveRestrict(restrictTo: number | undefined, caller: string): number {
    if (restrictTo === undefined) return this.size;
    if (!Number.isInteger(restrictTo) || restrictTo < 1) {
      throw new RangeError(`${caller}: restrictTo must be a positive integer, got ${restrictTo}`);
    }
    return Math.min(restrictTo, this.size);
  }

  /** Σ weight·unit(row) / count, normalised (weights +1 for the first `positiveCount` rows). */
  private meanOfUnitRows(rows: Int32Array, positiveCount: number): Float64Array {
    const invNorms = this.norms();
    const data = this.data;
    const dim = this.dim;
    const mean = new Float64Array(dim);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      const offset = row * dim;
      const scale = (i < positiveCount ? 1 : -1) * (invNorms[row] as number);
      for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (data[offset + j] as number) * scale;
    }
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (mean[j] as number) * (mean[j] as number);
    normalise(mean, norm);
    return mean;
  }

  /**
   * One pass over rows [0, end) scoring cos(row, query) for a unit `query`: the WebAssembly SIMD
   * kernel when the runtime has it, else the JavaScript loop. Rows are offered to the heap in
   * increasing order either way, so ties keep the lower row.
   */
  private search(query: Float64Array, topN: number, end: number, excluded: Int32Array): Neighbour[] {
    if (topN === 0) return [];
    const invNorms = this.norms();
    const heap = new TopK(Math.min(topN, end));
    const scorer = this.simdScorer(query);
    if (scorer === null) this.scanScalar(query, end, excluded, invNorms, heap);
    else this.scanSimd(scorer, end, excluded, invNorms, heap);
    return this.drain(heap);
  }

  /**
   * A SIMD scorer for `query`: over the matrix moved into WebAssembly memory (moved on the first
   * call), else streaming rows from `data`; null without WebAssembly SIMD.
   */
  private simdScorer(query: Float64Array): RowScorer | null {
    if (this.resident === undefined) {
      this.resident = ResidentMatrix.tryMove(this.data, this.dim);
      if (this.resident !== null) this.data = this.resident.matrix;
    }
    return this.resident !== null ? this.resident.scorerFor(query) : StreamedScorer.create(query);
  }

  /** The SIMD scan: float32 dot products a chunk of rows at a time, then the heap in JavaScript. */
  private scanSimd(scorer: RowScorer, end: number, excluded: Int32Array, invNorms: Float64Array, heap: TopK): void {
    const data = this.data;
    const excludedCount = excluded.length;
    const chunk = scorer.rowsPerChunk;
    let threshold = -Infinity;
    for (let first = 0; first < end; first += chunk) {
      const count = Math.min(chunk, end - first);
      const dots = scorer.score(data, first, count);
      for (let i = 0; i < count; i++) {
        const row = first + i;
        const score = (dots[i] as number) * (invNorms[row] as number);
        // `threshold` is -Infinity until the heap is full, so one comparison covers both cases.
        if (score > threshold) {
          if (!contains(excluded, excludedCount, row)) {
            heap.push(score, row);
            threshold = heap.threshold;
          }
        }
      }
    }
  }

  /** The JavaScript scan (no WebAssembly SIMD): float64 dot products fused with the heap. */
  private scanScalar(query: Float64Array, end: number, excluded: Int32Array, invNorms: Float64Array, heap: TopK): void {
    const data = this.data;
    const dim = this.dim;
    let threshold = -Infinity;
    const excludedCount = excluded.length;
    for (let row = 0; row < end; row++) {
      const offset = row * dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      // Four accumulators: independent dependency chains let the CPU overlap the multiplies.
      for (; j + 3 < dim; j += 4) {
        s0 += (data[offset + j] as number) * (query[j] as number);
        s1 += (data[offset + j + 1] as number) * (query[j + 1] as number);
        s2 += (data[offset + j + 2] as number) * (query[j + 2] as number);
        s3 += (data[offset + j + 3] as number) * (query[j + 3] as number);
      }
      for (; j < dim; j++) s0 += (data[offset + j] as number) * (query[j] as number);
      const score = (s0 + s1 + s2 + s3) * (invNorms[row] as number);
      // `threshold` is -Infinity until the heap is full, so one comparison covers both cases.
      if (score > threshold) {
        if (!contains(excluded, excludedCount, row)) {
          heap.push(score, row);
          threshold = heap.threshold;
        }
      }
    }
  }

  /**
   * 3CosMul over rows [0, end): Π_pos cos'(x, p) / (Π_neg cos'(x, n) + ε) with
   * cos' = (1 + cos) / 2. `rows` lists the positive terms first (`positiveCount` of them).
   */
  private searchCosMul(
    rows: Int32Array,
    positiveCount: number,
    topN: number,
    end: number,
    epsilon: number,
  ): Neighbour[] {
    const invNorms = this.norms();
    const data = this.data;
    const dim = this.dim;
    const termCount = rows.length;
    // The unit term vectors, stacked row-major.
    const terms = new Float64Array(termCount * dim);
    for (let t = 0; t < termCount; t++) {
      const row = rows[t] as number;
      const scale = invNorms[row] as number;
      for (let j = 0; j < dim; j++) terms[t * dim + j] = (data[row * dim + j] as number) * scale;
    }
    if (topN === 0) return [];
    const heap = new TopK(Math.min(topN, end));
    let threshold = -Infinity;
    for (let row = 0; row < end; row++) {
      const offset = row * dim;
      const invNorm = invNorms[row] as number;
      let numerator = 1;
      let denominator = 1;
      for (let t = 0; t < termCount; t++) {
        const termOffset = t * dim;
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += (data[offset + j] as number) * (terms[termOffset + j] as number);
        const shifted = (1 + dot * invNorm) / 2;
        if (t < positiveCount) numerator *= shifted;
        else denominator *= shifted;
      }
      // An empty product is 1 (as numpy's prod of an empty list in gensim).
      const score = numerator / (denominator + epsilon);
      // `threshold` is -Infinity until the heap is full, so one comparison covers both cases.
      if (score > threshold) {
        if (!contains(rows, termCount, row)) {
          heap.push(score, row);
          threshold = heap.threshold;
        }
      }
    }
    return this.drain(heap);
  }

  /** The heap's rows as labelled neighbours, best first (for subclasses' own searches too). */
  protected drain(heap: TopK): Neighbour[] {
    const count = heap.size;
    const rows = new Int32Array(count);
    const scores = new Float64Array(count);
    heap.drain(rows, scores);
    const result: Neighbour[] = new Array(count);
    for (let i = 0; i < count; i++) {
      result[i] = { label: this.labels[rows[i] as number] as string, similarity: scores[i] as number };
    }
    return result;
  }
}

function normalise(vector: Float64Array, squaredNorm: number): void {
  // A zero vector stays zero (gensim's unitvec does the same): every cosine is then 0.
  if (!(squaredNorm > 0)) return;
  const scale = 1 / Math.sqrt(squaredNorm);
  for (let j = 0; j < vector.length; j++) vector[j] = (vector[j] as number) * scale;
}

function resolveTopN(topN: number | undefined, caller: string): number {
  if (topN === undefined) return 10;
  if (!Number.isInteger(topN) || topN < 0) {
    throw new RangeError(`${caller}: topN must be a non-negative integer, got ${topN}`);
  }
  return topN;
}

function stringList(value: readonly string[] | undefined, what: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new TypeError(
      `${what} must be an array of words, got ${typeof value === 'string' ? `the string ${JSON.stringify(value)} (wrap it in [ ])` : typeof value}`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') throw new TypeError(`${what}[${i}] is ${typeof value[i]}, expected a string`);
  }
  return value;
}

/** True when `value` is among the first `count` entries of `list` (a handful of query rows). */
function contains(list: ArrayLike<number>, count: number, value: number): boolean {
  for (let i = 0; i < count; i++) if (list[i] === value) return true;
  return false;
}
