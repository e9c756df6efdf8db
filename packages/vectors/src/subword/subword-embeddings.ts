/**
 * `SubwordEmbeddings`: fastText-style vectors. Every word is the mean of its own row and the
 * rows of its character n-grams (see ./ngrams), so any string gets a vector — a misspelling, an
 * inflection never seen in training, a rare compound.
 *
 * It *is* an {@link Embeddings}: its rows are the vocabulary words' final vectors (fastText's
 * `getWordVector` of each word, what `.vec` files hold), so `mostSimilar`, `similarity`,
 * `analogy`, `doesntMatch`, `save(… '.vec')` and every consumer of `Embeddings` work unchanged,
 * with the same lazily computed unit-norm cache over those rows. On top of that it keeps the
 * input matrix — word rows then `buckets` n-gram rows, fastText's `input_`, our trainers' `wIn`
 * — and overrides the queries so that a word outside the vocabulary is accepted wherever a word
 * is: its vector is built from its n-grams (`vectorFor`). Results are only ever vocabulary
 * words.
 *
 * Memory: the input matrix, `(words + buckets) × dim` float32s, plus the `words × dim` final
 * vectors. fastText's default 2,000,000 buckets at dim 100 are 800 MB.
 */
import { Embeddings } from '../embeddings';
import { FOREIGN_SNIFF_BYTES, foreignFormatMessage } from '../formats/foreign';
import type { AnalogyOptions, MostSimilarOptions, Neighbour } from '../embeddings';
import { TopK } from '../top-k';
import { subwordError } from './errors';
import { FASTTEXT_MAGIC, readFastTextBin } from './fasttext-bin';
import type { FastTextBinModel } from './fasttext-bin';
import { FileReader } from './file-reader';
import { readSubwordModel, SUBWORD_MODEL_MAGIC, writeSubwordModel } from './model-file';
import { buildSubwordTable, ngramBucketsOf, ngramsOf, subwordRows } from './ngrams';
import { resolveSubwordSettings } from './settings';
import type { SubwordSettings } from './settings';
import { cosineSimilarity } from '../cosine';

/**
 * Word vectors with character n-gram subwords (Bojanowski et al. 2017).
 *
 * @example
 * ```ts
 * const model = await SubwordEmbeddings.load('cc.en.300.bin');   // fastText .bin or our model file
 * model.vectorFor('unseeable');                                   // any string has a vector
 * model.mostSimilar({ positive: ['unseeable'], topN: 5 });        // out-of-vocabulary query
 * await model.save('words.vec', { format: 'word2vec-text' });     // known words, for any tool
 * await model.saveModel('model.ekft');                            // everything, n-grams included
 * ```
 */
export class SubwordEmbeddings extends Embeddings {
  /** Shortest n-gram, in characters (with the `<` `>` marks). */
  readonly minN: number;
  /** Longest n-gram, in characters; 0 when n-grams are off. */
  readonly maxN: number;
  /** Number of n-gram rows. */
  readonly buckets: number;

  // (size + buckets) × dim, row-major: word rows, then n-gram rows. Owned, never handed out.
  private readonly input: Float32Array;
  // The final word vectors (the rows of the Embeddings), kept for the 3CosMul pass.
  private readonly wordVectors: Float32Array;

  /**
   * Wraps an input matrix as a trainer (or fastText) leaves it: `words.length + buckets` rows of
   * `dim`, word `w`'s own row at `w`, n-gram bucket `b` at `words.length + b`. Takes ownership
   * of `input`. The word vectors (each the mean of its rows) are computed here, once.
   *
   * @throws RangeError for invalid settings (`minN > maxN`, zero buckets with n-grams on, …) or
   *   when `input.length !== (words.length + buckets) × dim`.
   * @throws EmbedkitError `NON_FINITE_VALUE` / `DUPLICATE_LABEL` as {@link Embeddings}.
   */
  constructor(
    words: readonly string[],
    dim: number,
    input: Float32Array,
    settings: Partial<SubwordSettings> = {},
  ) {
    const resolved = resolveSubwordSettings(settings);
    if (!Array.isArray(words)) throw new TypeError('SubwordEmbeddings: words must be an array of strings');
    if (!Number.isInteger(dim) || dim < 1) {
      throw new RangeError(`SubwordEmbeddings: dim must be a positive integer, got ${String(dim)}`);
    }
    if (!(input instanceof Float32Array)) {
      throw new TypeError('SubwordEmbeddings: input must be a Float32Array ((words + buckets) × dim, row-major)');
    }
    const rowCount = words.length + resolved.buckets;
    if (input.length !== rowCount * dim) {
      throw new RangeError(
        `SubwordEmbeddings: input has ${input.length} values but (${words.length} words + ${resolved.buckets} ` +
          `buckets) × dim ${dim} = ${rowCount * dim} were expected`,
      );
    }
    checkFinite(input, words.length, dim);
    const wordVectors = composeWordVectors(words, dim, input, resolved);
    super(words, dim, wordVectors);
    this.minN = resolved.minN;
    this.maxN = resolved.maxN;
    this.buckets = resolved.buckets;
    this.input = input;
    this.wordVectors = wordVectors;
  }

  /** The settings as one object (for a trainer or a file). */
  get settings(): SubwordSettings {
    return { minN: this.minN, maxN: this.maxN, buckets: this.buckets };
  }

  // ─── files ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Loads a fastText `.bin` model (non-quantized, format version 11 or 12, as written by
   * fastText 0.9.x) or an embedkit subword model file (written by {@link saveModel}); the kind
   * is told by the file's first bytes. For `.vec` / word2vec files (no n-grams) use
   * `Embeddings.load`.
   *
   * @throws EmbedkitError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT` (not a model file), `UNSUPPORTED_FORMAT`
   *   (a Python pickle such as a gensim `.model`: the message gives gensim's export), `NOT_SUPPORTED`
   *   (quantized fastText model), `UNSUPPORTED_VERSION`, `TRUNCATED_FILE` or `CORRUPT_MODEL`
   *   (naming the byte offset).
   */
  static override async load(path: string): Promise<SubwordEmbeddings> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('load: path must be a non-empty string');
    const reader = await FileReader.open(path);
    let magic: number;
    try {
      if (reader.size < 4) {
        throw subwordError('UNKNOWN_FORMAT', `${path} (${reader.size} bytes) is too short to be a model file`);
      }
      const head = await reader.bytes(Math.min(reader.size, FOREIGN_SNIFF_BYTES), 'the first bytes');
      const foreign = foreignFormatMessage(path, head, 'subword-model');
      if (foreign !== undefined) throw subwordError('UNSUPPORTED_FORMAT', foreign);
      magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
    } finally {
      await reader.close();
    }
    if (magic === FASTTEXT_MAGIC) return SubwordEmbeddings.loadFastText(path);
    if (magic === SUBWORD_MODEL_MAGIC) return SubwordEmbeddings.loadModel(path);
    throw subwordError(
      'UNKNOWN_FORMAT',
      `${path} is neither a fastText .bin model nor an embedkit subword model (magic number ` +
        `0x${magic.toString(16).padStart(8, '0')}); for .vec / word2vec / GloVe files use Embeddings.load`,
    );
  }

  /**
   * Loads a fastText `.bin` model. Vectors equal fastText's `print-word-vectors` on the same
   * model (to float32 rounding), in and out of the vocabulary. Only the input matrix is kept
   * (the output matrix is checked for size, not read). For the training settings, counts and
   * token total use {@link readFastTextBin}.
   */
  static async loadFastText(path: string): Promise<SubwordEmbeddings> {
    return SubwordEmbeddings.fromFastText(await readFastTextBin(path));
  }

  /** The model in a {@link readFastTextBin} result (labels of supervised models are not words here). */
  static fromFastText(model: FastTextBinModel): SubwordEmbeddings {
    return new SubwordEmbeddings(model.words, model.dim, model.input, model.settings);
  }

  /**
   * Loads a file written by {@link saveModel}: identical words, rows and settings.
   *
   * @throws EmbedkitError `FILE_NOT_FOUND`, `UNKNOWN_FORMAT`, `UNSUPPORTED_VERSION`,
   *   `TRUNCATED_FILE`, `CORRUPT_MODEL`.
   */
  static async loadModel(path: string): Promise<SubwordEmbeddings> {
    const model = await readSubwordModel(path);
    return new SubwordEmbeddings(model.words, model.dim, model.input, model.settings);
  }

  /**
   * Saves the whole model — words, word rows, n-gram rows and settings — in embedkit's subword
   * model format (see the README), through a temporary file in the same folder renamed at the
   * end. `save(path, { format })` (inherited) writes the known words' vectors as `.vec` etc.
   */
  async saveModel(path: string): Promise<void> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('saveModel: path must be a non-empty string');
    await writeSubwordModel(path, { words: this.labels, dim: this.dim, input: this.input, settings: this.settings });
  }

  // ─── vectors for any string ─────────────────────────────────────────────────────────────────

  /**
   * The vector of any string, as fastText's `getWordVector`: the mean of the word's own row
   * (when it is in the vocabulary) and the rows of its n-grams. A known word gets its row of
   * the Embeddings; a word with no n-gram (shorter than `minN`, or n-grams off) and no row gets
   * the zero vector, as in fastText. A fresh copy.
   *
   * @throws RangeError for a string longer than 1,048,576 code units.
   */
  vectorFor(word: string): Float32Array {
    const row = this.indexOf(word);
    if (row >= 0) return this.vectorAt(row);
    const buckets = ngramBucketsOf(word, this.settings);
    const dim = this.dim;
    const out = new Float32Array(dim);
    const count = buckets.length;
    if (count === 0) return out;
    const input = this.input;
    const base = this.size;
    // Float32 accumulation in fastText's order, then one multiply by float(1 / count), so the
    // result is fastText's to the last bit in practice.
    for (let k = 0; k < count; k++) {
      const offset = (base + (buckets[k] as number)) * dim;
      for (let j = 0; j < dim; j++) out[j] = (out[j] as number) + (input[offset + j] as number);
    }
    const scale = Math.fround(1 / count);
    for (let j = 0; j < dim; j++) out[j] = (out[j] as number) * scale;
    return out;
  }

  /** True when {@link vectorFor} gives `word` a non-zero vector (a known word, or one with n-grams). */
  hasVectorFor(word: string): boolean {
    if (this.has(word)) return true;
    const v = this.vectorFor(word);
    for (let j = 0; j < v.length; j++) if (v[j] !== 0) return true;
    return false;
  }

  /** The n-grams of `word` (what fastText's `print-ngrams` lists), in row order. */
  ngrams(word: string): string[] {
    return ngramsOf(word, this.settings);
  }

  /**
   * Rows of the input matrix averaged into `word`'s vector: its own row first when known, then
   * `size + bucket` per n-gram (fastText's `getSubwords`).
   */
  subwordRows(word: string): Int32Array {
    return subwordRows(word, this.indexOf(word), this.size, this.settings);
  }

  /** A copy of input row `row` (word rows first, then n-gram rows). */
  inputRow(row: number): Float32Array {
    if (!Number.isInteger(row) || row < 0 || row >= this.size + this.buckets) {
      throw new RangeError(`inputRow: row ${row} is out of range [0, ${this.size + this.buckets})`);
    }
    return this.input.slice(row * this.dim, (row + 1) * this.dim);
  }

  /** A copy of the whole input matrix, `(size + buckets) × dim` (e.g. to continue training). */
  toInputMatrix(): Float32Array {
    return this.input.slice();
  }

  // ─── queries accepting any string ───────────────────────────────────────────────────────────

  /** Cosine similarity of two strings, in or out of the vocabulary (0 when either vector is zero). */
  override similarity(a: string, b: string): number {
    if (this.has(a) && this.has(b)) return super.similarity(a, b);
    return cosineSimilarity(this.vectorFor(a), this.vectorFor(b));
  }

  /**
   * As {@link Embeddings.mostSimilar}, where words outside the vocabulary get their subword
   * vectors. With only known words the result is exactly the parent's.
   */
  override mostSimilar(options: MostSimilarOptions): Neighbour[] {
    const valid = options !== null && typeof options === 'object' && isWordList(options.positive) && isWordList(options.negative);
    // Malformed arguments, or only known words: the parent (its checks, its exact results).
    if (valid && (!this.allKnown(options.positive) || !this.allKnown(options.negative))) {
      const positive = options.positive ?? [];
      const negative = options.negative ?? [];
      // gensim's semantics: mean of the ±unit vectors, normalised again by the search.
      const mean = new Float64Array(this.dim);
      for (const word of positive) addUnit(mean, this.vectorFor(word), 1);
      for (const word of negative) addUnit(mean, this.vectorFor(word), -1);
      const search: { topN?: number; restrictTo?: number; exclude: string[] } = { exclude: [...positive, ...negative] };
      if (options.topN !== undefined) search.topN = options.topN;
      if (options.restrictTo !== undefined) search.restrictTo = options.restrictTo;
      return this.mostSimilarToVector(mean, search);
    }
    return super.mostSimilar(options);
  }

  /**
   * As {@link Embeddings.analogy} ("a is to b as c is to ?"), any of a, b, c may be outside
   * the vocabulary.
   */
  override analogy(a: string, b: string, c: string, options: AnalogyOptions = {}): Neighbour[] {
    // 3CosAdd goes through mostSimilar, which handles unknown words.
    if ((options.method ?? '3CosAdd') !== '3CosMul' || (this.has(a) && this.has(b) && this.has(c))) {
      return super.analogy(a, b, c, options);
    }
    const epsilon = options.epsilon ?? 0.001;
    if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
      throw new RangeError(`analogy: epsilon must be a positive number, got ${String(epsilon)}`);
    }
    const topN = options.topN ?? 10;
    if (!Number.isInteger(topN) || topN < 0) throw new RangeError(`analogy: topN must be a non-negative integer, got ${topN}`);
    let end = this.size;
    if (options.restrictTo !== undefined) {
      if (!Number.isInteger(options.restrictTo) || options.restrictTo < 1) {
        throw new RangeError(`analogy: restrictTo must be a positive integer, got ${options.restrictTo}`);
      }
      end = Math.min(end, options.restrictTo);
    }
    const dim = this.dim;
    // Unit term vectors: b, c (numerator), a (denominator).
    const terms = new Float64Array(3 * dim);
    const inputs = [b, c, a];
    for (let t = 0; t < 3; t++) {
      const unit = new Float64Array(dim);
      addUnit(unit, this.vectorFor(inputs[t] as string), 1);
      terms.set(unit, t * dim);
    }
    const excluded = new Int32Array([this.indexOf(a), this.indexOf(b), this.indexOf(c)]);
    if (topN === 0) return [];
    const data = this.wordVectors;
    const heap = new TopK(Math.min(topN, end));
    let threshold = -Infinity;
    for (let row = 0; row < end; row++) {
      const offset = row * dim;
      let norm = 0;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      for (let j = 0; j < dim; j++) {
        const x = data[offset + j] as number;
        norm += x * x;
        d0 += x * (terms[j] as number);
        d1 += x * (terms[dim + j] as number);
        d2 += x * (terms[2 * dim + j] as number);
      }
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      const score = (((1 + d0 * inv) / 2) * ((1 + d1 * inv) / 2)) / ((1 + d2 * inv) / 2 + epsilon);
      if (score > threshold && row !== excluded[0] && row !== excluded[1] && row !== excluded[2]) {
        heap.push(score, row);
        threshold = heap.threshold;
      }
    }
    return this.drain(heap);
  }

  /** As {@link Embeddings.doesntMatch}, any of the words may be outside the vocabulary. */
  override doesntMatch(words: readonly string[]): string {
    if (this.allKnown(words) || !Array.isArray(words) || words.length < 2) return super.doesntMatch(words);
    const units = words.map((word) => {
      const unit = new Float64Array(this.dim);
      addUnit(unit, this.vectorFor(word), 1);
      return unit;
    });
    const mean = new Float64Array(this.dim);
    for (const unit of units) for (let j = 0; j < this.dim; j++) mean[j] = (mean[j] as number) + (unit[j] as number);
    let worst = 0;
    let worstScore = Infinity;
    for (let i = 0; i < units.length; i++) {
      const unit = units[i] as Float64Array;
      let dot = 0;
      for (let j = 0; j < this.dim; j++) dot += (unit[j] as number) * (mean[j] as number);
      const word = words[i] as string;
      if (dot < worstScore || (dot === worstScore && word < (words[worst] as string))) {
        worstScore = dot;
        worst = i;
      }
    }
    return words[worst] as string;
  }

  /** False when a valid word list holds a word outside the vocabulary (true for malformed lists: the parent reports them). */
  private allKnown(words: readonly string[] | undefined): boolean {
    if (!isWordList(words) || words === undefined) return true;
    for (const word of words) if (!this.has(word)) return false;
    return true;
  }
}

function isWordList(value: unknown): value is readonly string[] | undefined {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** Each word's vector: the float32 mean of its own row and its n-gram rows (fastText's order). */
function composeWordVectors(
  words: readonly string[],
  dim: number,
  input: Float32Array,
  settings: SubwordSettings,
): Float32Array {
  const size = words.length;
  for (let w = 0; w < size; w++) {
    if (typeof words[w] !== 'string') throw new TypeError(`SubwordEmbeddings: words[${w}] is ${typeof words[w]}, expected a string`);
  }
  // Each word's bag: its own row first, then its n-gram rows (what the trainers average too).
  const { offsets, rows } = buildSubwordTable(words, settings);
  const out = new Float32Array(size * dim);
  for (let w = 0; w < size; w++) {
    const target = w * dim;
    const start = offsets[w] as number;
    const end = offsets[w + 1] as number;
    // The bag starts with the word's own row: copy it, then add the n-gram rows.
    out.set(input.subarray((rows[start] as number) * dim, (rows[start] as number) * dim + dim), target);
    for (let b = start + 1; b < end; b++) {
      const offset = (rows[b] as number) * dim;
      for (let j = 0; j < dim; j++) out[target + j] = (out[target + j] as number) + (input[offset + j] as number);
    }
    const scale = Math.fround(1 / (end - start));
    for (let j = 0; j < dim; j++) out[target + j] = (out[target + j] as number) * scale;
  }
  return out;
}

function checkFinite(input: Float32Array, wordCount: number, dim: number): void {
  for (let i = 0; i < input.length; i++) {
    const v = input[i] as number;
    if (v - v !== 0) {
      const row = Math.floor(i / dim);
      const where = row < wordCount ? `word row ${row}` : `n-gram row ${row - wordCount} (input row ${row})`;
      throw subwordError(
        'NON_FINITE_VALUE',
        `SubwordEmbeddings: ${where} has ${v} at component ${i - row * dim}; all values must be finite`,
      );
    }
  }
}

/** target += sign · v / ‖v‖ (nothing for a zero vector). */
function addUnit(target: Float64Array, v: Float32Array, sign: number): void {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += (v[j] as number) * (v[j] as number);
  if (!(norm > 0)) return;
  const scale = sign / Math.sqrt(norm);
  for (let j = 0; j < v.length; j++) target[j] = (target[j] as number) + (v[j] as number) * scale;
}
