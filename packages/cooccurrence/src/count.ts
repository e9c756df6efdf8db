/**
 * Window co-occurrence counting over a `Corpus` (or, batch after batch, any `CorpusSource`,
 * such as a `StreamingCorpus`), accumulated sparsely and returned as a CSR
 * matrix. Memory is bounded by the number of distinct (word, context) pairs: each row is an
 * open-addressing hash table of int keys → float64 counts, except the few most frequent rows,
 * which are dense (they touch nearly every context anyway, and a direct index beats hashing on
 * the pairs that make up most of the traffic; their total is capped at 64 MB).
 */
import type { Corpus, CorpusSource, Vocabulary } from '@embedkit/tokenizer';
import { EmbedkitError } from '@embedkit/errors';
import type { CsrMatrix } from './csr';
import type { CooccurrenceErrorCode } from './errors';

/** Which neighbours of a word count as its contexts. */
export type WindowDirection = 'symmetric' | 'left' | 'right';

/** Labels of the sentence boundary markers added by `sentenceMarkers`. */
export interface SentenceMarkers {
  readonly start: string;
  readonly end: string;
}

/** Options of {@link countCooccurrences}. */
export interface CooccurrenceOptions {
  /** Contexts are the words at distance 1 … window. Default 5. */
  window?: number;
  /** Both sides (default), only the words before (`left`) or after (`right`) the centre word. */
  direction?: WindowDirection;
  /** Add 1/d for a context at distance d instead of 1, as GloVe's `cooccur`. Default false. */
  distanceWeighting?: boolean;
  /**
   * Wrap each sentence in start/end markers that become rows and contexts of their own, as in the
   * textbook example ("START all that glitters … END"). `true` uses the labels `START` and `END`.
   * Default false.
   */
  sentenceMarkers?: boolean | SentenceMarkers;
  /** Keep only the `maxVocab` most frequent words as rows and contexts. Default: all. */
  maxVocab?: number;
  /** Keep only words with at least this count (on top of the corpus's own). Default 1. */
  minCount?: number;
}

/** Options of {@link countCooccurrences} after defaults. */
export interface ResolvedCooccurrenceOptions {
  readonly window: number;
  readonly direction: WindowDirection;
  readonly distanceWeighting: boolean;
  readonly sentenceMarkers: SentenceMarkers | null;
  readonly maxVocab: number;
  readonly minCount: number;
}

/**
 * Co-occurrence counts: a square CSR matrix whose row i holds the contexts of `labels[i]`, whose
 * column j is the context `labels[j]`. Words keep the corpus vocabulary's frequency order; the
 * sentence markers, when asked for, are the last two labels.
 */
export interface CooccurrenceCounts {
  /** Row and column labels. */
  readonly labels: readonly string[];
  /** Corpus frequency of each label (a marker's frequency is the number of sentences). */
  readonly frequencies: Float64Array;
  /** The counts (float: distance weighting makes them fractional). */
  readonly matrix: CsrMatrix;
  /** The options the counts were made with. */
  readonly options: ResolvedCooccurrenceOptions;
  /** Tokens read (kept words only, markers excluded). */
  readonly tokenCount: number;
}

/** Applies defaults and validates {@link CooccurrenceOptions} once. */
export function resolveCooccurrenceOptions(options: CooccurrenceOptions = {}): ResolvedCooccurrenceOptions {
  const window = options.window ?? 5;
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`window must be an integer ≥ 1, got ${window}`);
  }
  const direction = options.direction ?? 'symmetric';
  if (direction !== 'symmetric' && direction !== 'left' && direction !== 'right') {
    throw new RangeError(`direction must be 'symmetric', 'left' or 'right', got ${String(direction)}`);
  }
  const markers = options.sentenceMarkers ?? false;
  let sentenceMarkers: SentenceMarkers | null = null;
  if (markers === true) sentenceMarkers = { start: 'START', end: 'END' };
  else if (typeof markers === 'object' && markers !== null) {
    if (typeof markers.start !== 'string' || typeof markers.end !== 'string' || markers.start === markers.end) {
      throw new TypeError('sentenceMarkers must be { start, end } with two different strings');
    }
    sentenceMarkers = { start: markers.start, end: markers.end };
  } else if (markers !== false) {
    throw new TypeError(`sentenceMarkers must be a boolean or { start, end }, got ${String(markers)}`);
  }
  const maxVocab = options.maxVocab ?? Infinity;
  if (!(maxVocab === Infinity || (Number.isInteger(maxVocab) && maxVocab >= 1))) {
    throw new RangeError(`maxVocab must be a positive integer (or Infinity), got ${maxVocab}`);
  }
  const minCount = options.minCount ?? 1;
  if (!Number.isFinite(minCount) || minCount < 0) throw new RangeError(`minCount must be a finite number ≥ 0, got ${minCount}`);
  return {
    window,
    direction,
    distanceWeighting: options.distanceWeighting ?? false,
    sentenceMarkers,
    maxVocab,
    minCount,
  };
}

const EMPTY = -1;
const INITIAL_CAPACITY = 8;
/** Budget of the dense rows, in float64 cells (64 MB). */
const DENSE_BUDGET = 8_000_000;

/**
 * Rows of counts: dense for rows `< denseRows`, open-addressing hash tables (linear probing,
 * Fibonacci hashing, load ≤ 0.5) for the others.
 */
class RowAccumulator {
  readonly dense: Float64Array;
  readonly keys: Int32Array[] = [];
  readonly values: Float64Array[] = [];
  /** Distinct columns per row. */
  readonly sizes: Int32Array;
  /** log2 of each hash row's capacity. */
  readonly bits: Int32Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly denseRows: number,
  ) {
    this.dense = new Float64Array(denseRows * cols);
    this.sizes = new Int32Array(rows);
    this.bits = new Int32Array(rows);
    const emptyKeys = new Int32Array(0);
    const emptyValues = new Float64Array(0);
    for (let r = 0; r < rows; r++) {
      this.keys.push(emptyKeys);
      this.values.push(emptyValues);
    }
  }

  add(row: number, col: number, value: number): void {
    if (row < this.denseRows) {
      const cell = row * this.cols + col;
      if (this.dense[cell] === 0) this.sizes[row]!++;
      this.dense[cell]! += value;
      return;
    }
    let keys = this.keys[row]!;
    if (this.sizes[row]! * 2 >= keys.length) keys = this.grow(row);
    const shift = 32 - this.bits[row]!;
    const mask = keys.length - 1;
    let slot = Math.imul(col, 0x9e3779b1) >>> shift;
    for (;;) {
      const key = keys[slot]!;
      if (key === col) {
        this.values[row]![slot]! += value;
        return;
      }
      if (key === EMPTY) {
        keys[slot] = col;
        this.values[row]![slot] = value;
        this.sizes[row]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(row: number): Int32Array {
    const oldKeys = this.keys[row]!;
    const oldValues = this.values[row]!;
    const capacity = oldKeys.length === 0 ? INITIAL_CAPACITY : oldKeys.length * 2;
    const bits = Math.round(Math.log2(capacity));
    const keys = new Int32Array(capacity).fill(EMPTY);
    const values = new Float64Array(capacity);
    const shift = 32 - bits;
    const mask = capacity - 1;
    for (let p = 0; p < oldKeys.length; p++) {
      const col = oldKeys[p]!;
      if (col === EMPTY) continue;
      let slot = Math.imul(col, 0x9e3779b1) >>> shift;
      while (keys[slot] !== EMPTY) slot = (slot + 1) & mask;
      keys[slot] = col;
      values[slot] = oldValues[p]!;
    }
    this.keys[row] = keys;
    this.values[row] = values;
    this.bits[row] = bits;
    return keys;
  }

  /** Moves the counts into a CSR matrix (columns ascending), releasing the tables row by row. */
  toCsr(): CsrMatrix {
    const { rows, cols } = this;
    let total = 0;
    for (let r = 0; r < rows; r++) total += this.sizes[r]!;
    if (total > 0x7fffffff) {
      throw new EmbedkitError<CooccurrenceErrorCode>(
        'TOO_MANY_PAIRS',
        `${total} distinct pairs exceed 2^31 − 1; lower maxVocab or the window`,
      );
    }
    const indptr = new Float64Array(rows + 1);
    const indices = new Int32Array(total);
    const data = new Float64Array(total);
    const emptyKeys = new Int32Array(0);
    const emptyValues = new Float64Array(0);
    let q = 0;
    for (let r = 0; r < rows; r++) {
      if (r < this.denseRows) {
        const offset = r * cols;
        for (let c = 0; c < cols; c++) {
          const v = this.dense[offset + c]!;
          if (v !== 0) {
            indices[q] = c;
            data[q] = v;
            q++;
          }
        }
      } else {
        const keys = this.keys[r]!;
        const values = this.values[r]!;
        const start = q;
        for (let p = 0; p < keys.length; p++) {
          if (keys[p] !== EMPTY) indices[q++] = keys[p]!;
        }
        const rowIndices = indices.subarray(start, q);
        rowIndices.sort();
        const shift = 32 - this.bits[r]!;
        const mask = keys.length - 1;
        for (let p = start; p < q; p++) {
          const col = indices[p]!;
          let slot = Math.imul(col, 0x9e3779b1) >>> shift;
          while (keys[slot] !== col) slot = (slot + 1) & mask;
          data[p] = values[slot]!;
        }
        this.keys[r] = emptyKeys;
        this.values[r] = emptyValues;
      }
      indptr[r + 1] = q;
    }
    return { rows, cols, indptr, indices, data };
  }
}

/**
 * Counts batch after batch of sentences (see {@link countCooccurrences}): the rows, labels and
 * weights set up once from the vocabulary, then each batch's windows added.
 */
class CooccurrenceCounter {
  private readonly kept: number;
  private readonly labels: string[];
  private readonly frequencies: Float64Array;
  private readonly accumulator: RowAccumulator;
  private readonly weights: Float64Array;
  private buffer = new Int32Array(64);
  private tokenCount = 0;
  private sentences = 0;

  constructor(
    vocabulary: Vocabulary,
    private readonly resolved: ResolvedCooccurrenceOptions,
  ) {
    const { window, distanceWeighting, sentenceMarkers, maxVocab, minCount } = resolved;
    // Ids are in descending frequency, so the kept words are a prefix of the vocabulary.
    let kept = Math.min(vocabulary.size, maxVocab);
    while (kept > 0 && vocabulary.countOf(kept - 1) < minCount) kept--;
    const size = kept + (sentenceMarkers === null ? 0 : 2);
    if (kept === 0) {
      throw new EmbedkitError<CooccurrenceErrorCode>(
        'EMPTY_MATRIX',
        `no word of the vocabulary reaches minCount ${minCount}; lower minCount`,
      );
    }
    this.kept = kept;
    this.labels = vocabulary.words.slice(0, kept);
    this.frequencies = new Float64Array(size);
    for (let id = 0; id < kept; id++) this.frequencies[id] = vocabulary.countOf(id);
    if (sentenceMarkers !== null) this.labels.push(sentenceMarkers.start, sentenceMarkers.end);
    const denseRows = Math.min(size, Math.floor(DENSE_BUDGET / size));
    this.accumulator = new RowAccumulator(size, size, denseRows);
    this.weights = new Float64Array(window + 1);
    for (let d = 1; d <= window; d++) this.weights[d] = distanceWeighting ? 1 / d : 1;
  }

  /** Adds the windows of sentences `ids[offsets[s] .. offsets[s + 1])`. */
  add(ids: Int32Array, offsets: Int32Array): void {
    const { window, direction, sentenceMarkers } = this.resolved;
    const kept = this.kept;
    const startId = kept;
    const endId = kept + 1;
    const accumulator = this.accumulator;
    const weights = this.weights;
    const sentenceCount = offsets.length - 1;
    let longest = 0;
    for (let s = 0; s < sentenceCount; s++) longest = Math.max(longest, offsets[s + 1]! - offsets[s]!);
    if (this.buffer.length < longest + 2) this.buffer = new Int32Array(longest + 2);
    const buffer = this.buffer;
    const symmetric = direction === 'symmetric';
    const addForward = direction === 'right'; // (centre i, context i + d); else (centre i + d, context i)
    for (let s = 0; s < sentenceCount; s++) {
      let length = 0;
      if (sentenceMarkers !== null) buffer[length++] = startId;
      const end = offsets[s + 1]!;
      for (let p = offsets[s]!; p < end; p++) {
        const id = ids[p]!;
        if (id < kept) buffer[length++] = id;
      }
      const words = sentenceMarkers === null ? length : length - 1;
      if (words === 0) continue;
      this.tokenCount += words;
      this.sentences++;
      if (sentenceMarkers !== null) buffer[length++] = endId;
      for (let i = 0; i < length; i++) {
        const centre = buffer[i]!;
        const last = Math.min(length - 1, i + window);
        for (let j = i + 1; j <= last; j++) {
          const w = weights[j - i]!;
          const context = buffer[j]!;
          if (symmetric) {
            // Only the upper triangle is accumulated (half the hash work and memory); the pair
            // (a, a) counts for both directions at once.
            if (centre < context) accumulator.add(centre, context, w);
            else if (context < centre) accumulator.add(context, centre, w);
            else accumulator.add(centre, centre, 2 * w);
          } else if (addForward) accumulator.add(centre, context, w);
          else accumulator.add(context, centre, w);
        }
      }
    }
  }

  /** The counts (the accumulator's tables are released into the CSR matrix). */
  finish(): CooccurrenceCounts {
    const resolved = this.resolved;
    if (resolved.sentenceMarkers !== null) {
      this.frequencies[this.kept] = this.sentences;
      this.frequencies[this.kept + 1] = this.sentences;
    }
    const upper = this.accumulator.toCsr();
    const matrix = resolved.direction === 'symmetric' ? mirrorUpperTriangle(upper) : upper;
    return { labels: this.labels, frequencies: this.frequencies, matrix, options: resolved, tokenCount: this.tokenCount };
  }
}

/**
 * Counts how often each word has each other word within `window` positions, sentence by sentence
 * (windows never cross a sentence boundary). Words outside `maxVocab` / `minCount` are removed
 * before the windows are laid (as out-of-vocabulary words in GloVe's `cooccur`).
 *
 * @example
 * ```ts
 * const corpus = Corpus.fromSentences(['all that glitters is not gold', 'all is well that ends well']
 *   .map((s) => s.split(' ')), { minCount: 1 });
 * const counts = countCooccurrences(corpus, { window: 1, sentenceMarkers: true });
 * counts.labels; // ['all', 'that', 'is', 'well', 'glitters', 'not', 'gold', 'ends', 'START', 'END']
 * ```
 */
export function countCooccurrences(corpus: Corpus, options: CooccurrenceOptions = {}): CooccurrenceCounts {
  const counter = new CooccurrenceCounter(corpus.vocabulary, resolveCooccurrenceOptions(options));
  counter.add(corpus.ids, corpus.sentenceOffsets);
  return counter.finish();
}

/**
 * {@link countCooccurrences} over any corpus source, batch after batch: an in-memory `Corpus`
 * (one batch) or a `StreamingCorpus` read from its file in flat memory (the counts are the same).
 *
 * @example
 * ```ts
 * const corpus = await StreamingCorpus.open('enwiki.txt.gz', { minCount: 5 });
 * const counts = await countCooccurrencesFrom(corpus, { window: 5, maxVocab: 30000 });
 * ```
 * @throws the reader's errors; the signal's reason when aborted.
 */
export async function countCooccurrencesFrom(
  source: CorpusSource,
  options: CooccurrenceOptions & { signal?: AbortSignal } = {},
): Promise<CooccurrenceCounts> {
  const counter = new CooccurrenceCounter(source.vocabulary, resolveCooccurrenceOptions(options));
  const reader = source.read(options.signal);
  try {
    for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) {
      options.signal?.throwIfAborted();
      counter.add(batch.ids, batch.sentenceOffsets);
    }
  } finally {
    await reader.close();
  }
  return counter.finish();
}

/**
 * The full symmetric matrix from its upper triangle (columns ≥ row), in one pass: row j of the
 * result is its lower part (the upper rows i < j holding column j, met in ascending i, so already
 * sorted) followed by its own upper part.
 */
function mirrorUpperTriangle(upper: CsrMatrix): CsrMatrix {
  const { rows, indptr, indices, data } = upper;
  const lowerCount = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const end = indptr[i + 1]!;
    for (let p = indptr[i]!; p < end; p++) {
      const j = indices[p]!;
      if (j > i) lowerCount[j]!++;
    }
  }
  const fullIndptr = new Float64Array(rows + 1);
  for (let i = 0; i < rows; i++) fullIndptr[i + 1] = fullIndptr[i]! + lowerCount[i]! + (indptr[i + 1]! - indptr[i]!);
  const total = fullIndptr[rows]!;
  if (total > 0x7fffffff) {
    throw new EmbedkitError<CooccurrenceErrorCode>(
      'TOO_MANY_PAIRS',
      `${total} distinct pairs exceed 2^31 − 1; lower maxVocab or the window`,
    );
  }
  const fullIndices = new Int32Array(total);
  const fullData = new Float64Array(total);
  const lowerNext = fullIndptr.slice(0, rows); // next free slot of each row's lower part
  for (let i = 0; i < rows; i++) {
    let q = fullIndptr[i]! + lowerCount[i]!;
    const end = indptr[i + 1]!;
    for (let p = indptr[i]!; p < end; p++) {
      const j = indices[p]!;
      const v = data[p]!;
      fullIndices[q] = j;
      fullData[q] = v;
      q++;
      if (j > i) {
        const slot = lowerNext[j]!;
        lowerNext[j] = slot + 1;
        fullIndices[slot] = i;
        fullData[slot] = v;
      }
    }
  }
  return { rows, cols: upper.cols, indptr: fullIndptr, indices: fullIndices, data: fullData };
}
