/**
 * Sentence vectors from word vectors: the plain mean of a sentence's word vectors, or SIF
 * (Arora, Liang & Ma 2017, "A simple but tough-to-beat baseline for sentence embeddings"): each
 * word weighted a / (a + p(w)), the weighted vectors averaged, then the projection on the first
 * principal direction of a reference set removed.
 *
 * Pooling reads token lists, not text: tokenizing is the caller's (@embedkit/encoders uses
 * @embedkit/tokenizer), so this package still depends on nothing. The principal direction is
 * fitted once, on a reference set, and kept: a single query is then embedded exactly as it would
 * be inside the set (fit, then pool).
 */
import { Embeddings, matrixOf } from './embeddings';
import { vectorsError } from './errors';
import { SubwordEmbeddings } from './subword/subword-embeddings';

/** How a pooler weights the words of a sentence. */
export type PoolingWeighting = 'mean' | 'sif';

/** Word counts as a `Vocabulary` (from @embedkit/tokenizer) or `readFastTextBin` hold them. */
export interface WordCounts {
  readonly words: readonly string[];
  readonly counts: ArrayLike<number>;
}

/** Options of {@link SentencePooler.mean}. */
export interface MeanPoolingOptions {
  /**
   * Fold tokens to lower case before looking them up. `'auto'` (default): when no label of the
   * vectors has an upper-case letter (a model trained on lower-cased text). With `false` a token
   * not found as written is looked up again in lower case.
   */
  readonly lowercase?: boolean | 'auto';
}

/** Options of {@link SentencePooler.sif}. */
export interface SifPoolingOptions extends MeanPoolingOptions {
  /**
   * Where p(w) comes from: the training counts (a `Vocabulary`, `readFastTextBin`'s words and
   * counts, or a map), or `'zipf'` to estimate p from the row order alone (p ∝ 1 / rank, for
   * files without counts whose rows are in frequency order, as word2vec and GloVe files are).
   * Words without a count get p = 0, that is weight 1.
   */
  readonly counts: WordCounts | ReadonlyMap<string, number> | 'zipf';
  /** The smoothing `a` of a / (a + p(w)). Default 1e-3 (the paper's recommended range is 1e-4 to 1e-3). */
  readonly a?: number;
  /** Token lists the principal directions are fitted on. Required unless `principalComponents` is given or `components` is 0. */
  readonly reference?: readonly (readonly string[])[];
  /** Principal directions to remove. Default 1 (the paper); 0 keeps the weighted average only. */
  readonly components?: number;
  /** Directions fitted before (`components × dim`, from {@link SentencePooler.principalComponents}), instead of `reference`. */
  readonly principalComponents?: Float32Array;
}

/** Sentence vectors: `count` rows of `dim` floats, row-major. */
export interface PooledSentences {
  readonly vectors: Float32Array;
  readonly count: number;
  readonly dim: number;
  /** Sentences with no token that has a vector: their rows are all zeros. */
  readonly missing: number[];
  /** Tokens read, over all sentences. */
  readonly tokens: number;
}

/** Each token's own vector (rows of zeros for tokens without one, listed in `missing`). */
export interface PooledTokens {
  readonly vectors: Float32Array;
  readonly missing: number[];
}

const DEFAULT_SIF_A = 1e-3;
const NO_COMPONENTS = new Float32Array(0);
// Power iteration stops when a step moves the unit direction by less than 1e-6 (squared 1e-12),
// when the captured variance grows by less than 1e-6 of itself, or after 1,000 steps.
const POWER_ITERATION_LIMIT = 1000;
const POWER_ITERATION_TOLERANCE = 1e-12;
const EIGENVALUE_TOLERANCE = 1e-6;

/**
 * Turns token lists into sentence vectors over any {@link Embeddings}; over
 * {@link SubwordEmbeddings} a token outside the vocabulary gets its n-gram vector.
 *
 * @example
 * ```ts
 * const pooler = SentencePooler.sif(vectors, { counts: vocabulary, reference: trainingSentences });
 * const { vectors: rows, missing } = pooler.pool([['the', 'river', 'bank'], ['a', 'loan']]);
 * const restored = SentencePooler.sif(vectors, { counts: vocabulary, principalComponents: pooler.principalComponents });
 * ```
 */
export class SentencePooler {
  readonly embeddings: Embeddings;
  readonly weighting: PoolingWeighting;
  /** SIF's `a`; undefined for mean pooling. */
  readonly a: number | undefined;
  /** True when tokens are folded to lower case before lookup. */
  readonly lowercase: boolean;
  /** The removed directions, `components × dim` unit rows (empty for mean pooling or `components: 0`). */
  readonly principalComponents: Float32Array;

  // Per-row weight (SIF) or undefined (every word weighs 1).
  private readonly rowWeights: Float32Array | undefined;
  private readonly subwords: SubwordEmbeddings | undefined;

  private constructor(
    embeddings: Embeddings,
    weighting: PoolingWeighting,
    a: number | undefined,
    lowercase: boolean,
    rowWeights: Float32Array | undefined,
    principalComponents: Float32Array,
  ) {
    this.embeddings = embeddings;
    this.weighting = weighting;
    this.a = a;
    this.lowercase = lowercase;
    this.rowWeights = rowWeights;
    this.subwords = embeddings instanceof SubwordEmbeddings ? embeddings : undefined;
    this.principalComponents = principalComponents;
  }

  /** Every word weighs the same: a sentence is the mean of its words' vectors. */
  static mean(embeddings: Embeddings, options: MeanPoolingOptions = {}): SentencePooler {
    checkEmbeddings(embeddings);
    return new SentencePooler(embeddings, 'mean', undefined, resolveLowercase(embeddings, options.lowercase), undefined, NO_COMPONENTS);
  }

  /**
   * SIF: weights a / (a + p(w)), then the first `components` principal directions of the
   * reference set removed. As in the authors' code, the directions are the reference matrix's
   * top right singular vectors (no centring) and a sentence is Σ weight·vector / word count.
   *
   * @throws RangeError / TypeError for malformed options (a ≤ 0, counts of the wrong length…).
   * @throws EmbedkitError `EMPTY_REFERENCE` when no reference sentence has a word with a vector.
   */
  static sif(embeddings: Embeddings, options: SifPoolingOptions): SentencePooler {
    checkEmbeddings(embeddings);
    if (options === null || typeof options !== 'object') throw new TypeError('SentencePooler.sif: options must be an object');
    const a = options.a ?? DEFAULT_SIF_A;
    if (typeof a !== 'number' || !(a > 0) || !Number.isFinite(a)) {
      throw new RangeError(`SentencePooler.sif: a must be a positive number (default 1e-3), got ${String(a)}`);
    }
    const components = options.components ?? (options.principalComponents === undefined ? 1 : options.principalComponents.length / embeddings.dim);
    if (!Number.isInteger(components) || components < 0 || components > embeddings.dim) {
      throw new RangeError(
        `SentencePooler.sif: components must be an integer from 0 to dim ${embeddings.dim}, got ${String(components)}`,
      );
    }
    const weights = sifWeights(embeddings, options.counts, a);
    const lowercase = resolveLowercase(embeddings, options.lowercase);
    const weighted = new SentencePooler(embeddings, 'sif', a, lowercase, weights, NO_COMPONENTS);
    if (components === 0) return weighted;
    let directions: Float32Array;
    if (options.principalComponents !== undefined) {
      directions = checkComponents(options.principalComponents, components, embeddings.dim);
    } else {
      if (!Array.isArray(options.reference)) {
        throw new TypeError(
          'SentencePooler.sif: pass reference (token lists to fit the principal direction on) or principalComponents ' +
            '(fitted before), or components: 0 to skip the removal',
        );
      }
      const fitted = weighted.pool(options.reference);
      directions = topSingularVectors(fitted.vectors, fitted.count, embeddings.dim, fitted.missing.length, components);
    }
    return new SentencePooler(embeddings, 'sif', a, lowercase, weights, directions);
  }

  /**
   * Sentence vectors for token lists. Tokens without a vector are skipped; a sentence with none
   * is listed in `missing` and gets a row of zeros (never NaN).
   */
  pool(sentences: readonly (readonly string[])[]): PooledSentences {
    if (!Array.isArray(sentences)) throw new TypeError('pool: sentences must be an array of token arrays');
    const dim = this.embeddings.dim;
    const count = sentences.length;
    const out = new Float32Array(count * dim);
    const sum = new Float64Array(dim);
    const missing: number[] = [];
    let tokens = 0;
    for (let s = 0; s < count; s++) {
      const sentence = sentences[s];
      if (!Array.isArray(sentence)) throw new TypeError(`pool: sentences[${s}] must be an array of tokens`);
      tokens += sentence.length;
      sum.fill(0);
      const used = this.accumulate(sentence, sum);
      if (used === 0) {
        missing.push(s);
        continue;
      }
      const scale = 1 / used;
      const target = s * dim;
      for (let j = 0; j < dim; j++) out[target + j] = (sum[j] as number) * scale;
    }
    this.removeComponents(out, count);
    return { vectors: out, count, dim, missing, tokens };
  }

  /** Each token's own vector, unweighted and context-free (a static model's "token embeddings"). */
  tokenVectors(tokens: readonly string[]): PooledTokens {
    if (!Array.isArray(tokens)) throw new TypeError('tokenVectors: tokens must be an array of strings');
    const dim = this.embeddings.dim;
    const data = matrixOf(this.embeddings);
    const out = new Float32Array(tokens.length * dim);
    const missing: number[] = [];
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as string;
      const row = this.rowOf(token);
      if (row >= 0) {
        out.set(data.subarray(row * dim, row * dim + dim), t * dim);
        continue;
      }
      const vector = this.subwordVector(token);
      if (vector === undefined) missing.push(t);
      else out.set(vector, t * dim);
    }
    return { vectors: out, missing };
  }

  /** The row `token` is read from (after case folding), or -1. */
  rowOf(token: string): number {
    const embeddings = this.embeddings;
    if (this.lowercase) return embeddings.indexOf(token.toLowerCase());
    const row = embeddings.indexOf(token);
    if (row >= 0) return row;
    const lower = token.toLowerCase();
    return lower === token ? -1 : embeddings.indexOf(lower);
  }

  /** True when `token` gets a vector (a vocabulary word, or one with n-grams in a subword model). */
  hasVector(token: string): boolean {
    return this.rowOf(token) >= 0 || this.subwordVector(token) !== undefined;
  }

  // sum += Σ weight · vector over the sentence's tokens; returns how many tokens had a vector.
  private accumulate(sentence: readonly string[], sum: Float64Array): number {
    const dim = this.embeddings.dim;
    const data = matrixOf(this.embeddings);
    const weights = this.rowWeights;
    let used = 0;
    for (let t = 0; t < sentence.length; t++) {
      const token = sentence[t];
      if (typeof token !== 'string') throw new TypeError(`pool: token ${t} of a sentence is ${typeof token}, expected a string`);
      const row = this.rowOf(token);
      if (row >= 0) {
        const weight = weights === undefined ? 1 : (weights[row] as number);
        addScaled(sum, data, row * dim, dim, weight);
        used++;
        continue;
      }
      const vector = this.subwordVector(token);
      if (vector === undefined) continue;
      // No count for a word outside the vocabulary: p = 0, weight 1.
      addScaled(sum, vector, 0, dim, 1);
      used++;
    }
    return used;
  }

  private subwordVector(token: string): Float32Array | undefined {
    const subwords = this.subwords;
    if (subwords === undefined) return undefined;
    const vector = subwords.vectorFor(this.lowercase ? token.toLowerCase() : token);
    for (let j = 0; j < vector.length; j++) if (vector[j] !== 0) return vector;
    return undefined;
  }

  // x ← x − Σ_k (x·u_k) u_k for every row (zero rows stay zero).
  private removeComponents(rows: Float32Array, count: number): void {
    const directions = this.principalComponents;
    const dim = this.embeddings.dim;
    const k = directions.length / dim;
    for (let c = 0; c < k; c++) {
      const base = c * dim;
      for (let r = 0; r < count; r++) {
        const offset = r * dim;
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += (rows[offset + j] as number) * (directions[base + j] as number);
        if (dot === 0) continue;
        for (let j = 0; j < dim; j++) rows[offset + j] = (rows[offset + j] as number) - dot * (directions[base + j] as number);
      }
    }
  }
}

function addScaled(sum: Float64Array, source: Float32Array, offset: number, dim: number, weight: number): void {
  for (let j = 0; j < dim; j++) sum[j] = (sum[j] as number) + weight * (source[offset + j] as number);
}

function checkEmbeddings(embeddings: Embeddings): void {
  if (!(embeddings instanceof Embeddings)) throw new TypeError('SentencePooler: embeddings must be an Embeddings (or SubwordEmbeddings)');
}

function resolveLowercase(embeddings: Embeddings, lowercase: boolean | 'auto' | undefined): boolean {
  if (lowercase === undefined || lowercase === 'auto') {
    for (const label of embeddings.labels) if (label !== label.toLowerCase()) return false;
    return true;
  }
  if (typeof lowercase !== 'boolean') throw new TypeError(`SentencePooler: lowercase must be true, false or 'auto', got ${String(lowercase)}`);
  return lowercase;
}

/** a / (a + p(w)) per row; rows without a count weigh 1. */
function sifWeights(embeddings: Embeddings, counts: SifPoolingOptions['counts'], a: number): Float32Array {
  const size = embeddings.size;
  const weights = new Float32Array(size).fill(1);
  if (counts === 'zipf') {
    let harmonic = 0;
    for (let r = 0; r < size; r++) harmonic += 1 / (r + 1);
    for (let r = 0; r < size; r++) weights[r] = a / (a + 1 / ((r + 1) * harmonic));
    return weights;
  }
  const pairs: [string, number][] = [];
  if (counts instanceof Map) {
    for (const [word, count] of counts) pairs.push([word, count]);
  } else if (counts !== null && typeof counts === 'object' && Array.isArray((counts as WordCounts).words)) {
    const { words, counts: values } = counts as WordCounts;
    if (values === null || typeof values !== 'object' || values.length !== words.length) {
      throw new RangeError(`SentencePooler.sif: counts.counts must hold one count per word (${words.length} words)`);
    }
    for (let i = 0; i < words.length; i++) pairs.push([words[i] as string, values[i] as number]);
  } else {
    throw new TypeError(
      "SentencePooler.sif: counts must be the training counts ({ words, counts }, e.g. the Vocabulary the vectors were " +
        "trained on, or a Map word → count), or 'zipf' to estimate them from the row order",
    );
  }
  let total = 0;
  for (const [word, count] of pairs) {
    if (typeof count !== 'number' || !(count >= 0) || !Number.isFinite(count)) {
      throw new RangeError(`SentencePooler.sif: the count of ${JSON.stringify(word)} is ${String(count)}; counts must be finite and ≥ 0`);
    }
    total += count;
  }
  if (!(total > 0)) throw new RangeError('SentencePooler.sif: the counts sum to 0; pass the training counts of the words');
  for (const [word, count] of pairs) {
    const row = embeddings.indexOf(word);
    if (row >= 0) weights[row] = a / (a + count / total);
  }
  return weights;
}

function checkComponents(directions: Float32Array, components: number, dim: number): Float32Array {
  if (!(directions instanceof Float32Array) || directions.length !== components * dim) {
    throw new RangeError(
      `SentencePooler.sif: principalComponents must be a Float32Array of components × dim = ${components} × ${dim} values`,
    );
  }
  for (let i = 0; i < directions.length; i++) {
    const v = directions[i] as number;
    if (v - v !== 0) throw new RangeError(`SentencePooler.sif: principalComponents[${i}] is ${v}; values must be finite`);
  }
  return directions.slice();
}

/**
 * The top `k` right singular vectors of the `count × dim` matrix `rows` (the eigenvectors of
 * rowsᵀ·rows), by power iteration on the rows themselves — v ← Xᵀ(X v), 2·count·dim operations
 * a step, where forming the Gram matrix would cost count·dim² — each new direction kept
 * orthogonal to the ones found before (deflation). Each is sign-fixed so that its
 * largest-magnitude component is positive (the same input gives the same directions).
 */
function topSingularVectors(rows: Float32Array, count: number, dim: number, missingCount: number, k: number): Float32Array {
  if (count - missingCount < 1) {
    throw vectorsError(
      'EMPTY_REFERENCE',
      `SentencePooler.sif: none of the ${count} reference sentences has a word with a vector; fit on sentences in the ` +
        "model's vocabulary (or pass components: 0)",
    );
  }
  const out = new Float32Array(k * dim);
  const u = new Float64Array(dim);
  const next = new Float64Array(dim);
  for (let c = 0; c < k; c++) {
    // Start from the column sums (close to the dominant direction: sentence vectors share a
    // common direction), plus a fixed ramp so that the start is never orthogonal to the answer.
    u.fill(0);
    for (let r = 0; r < count; r++) {
      const offset = r * dim;
      for (let j = 0; j < dim; j++) u[j] = (u[j] as number) + (rows[offset + j] as number);
    }
    for (let j = 0; j < dim; j++) u[j] = (u[j] as number) / Math.max(1, count) + 1e-3 * (1 + ((j * 7919) % 97) / 97);
    orthogonalise(u, out, c, dim);
    if (normaliseInPlace(u) === 0) break;
    let eigenvalue = 0;
    for (let iteration = 0; iteration < POWER_ITERATION_LIMIT; iteration++) {
      multiplyGram(rows, count, dim, u, next);
      orthogonalise(next, out, c, dim);
      const previous = eigenvalue;
      eigenvalue = normaliseInPlace(next);
      if (eigenvalue === 0) break;
      let change = 0;
      for (let j = 0; j < dim; j++) {
        const d = (next[j] as number) - (u[j] as number);
        change += d * d;
        u[j] = next[j] as number;
      }
      // Converged, or the variance captured no longer grows (a near-tie between directions:
      // any of them then removes as much as the other).
      if (change < POWER_ITERATION_TOLERANCE || eigenvalue - previous <= EIGENVALUE_TOLERANCE * eigenvalue) break;
    }
    if (eigenvalue === 0) break; // rank exhausted: the remaining directions stay zero (nothing removed)
    let largest = 0;
    for (let j = 1; j < dim; j++) if (Math.abs(u[j] as number) > Math.abs(u[largest] as number)) largest = j;
    const sign = (u[largest] as number) < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) out[c * dim + j] = sign * (u[j] as number);
  }
  return out;
}

/** out = Xᵀ (X v), X the `count × dim` rows. */
function multiplyGram(rows: Float32Array, count: number, dim: number, v: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < count; r++) {
    const offset = r * dim;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += (rows[offset + j] as number) * (v[j] as number);
    if (dot === 0) continue;
    for (let j = 0; j < dim; j++) out[j] = (out[j] as number) + dot * (rows[offset + j] as number);
  }
}

/** v ← v − Σ (v·d) d over the first `found` directions of `directions`. */
function orthogonalise(v: Float64Array, directions: Float32Array, found: number, dim: number): void {
  for (let c = 0; c < found; c++) {
    const base = c * dim;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += (v[j] as number) * (directions[base + j] as number);
    for (let j = 0; j < dim; j++) v[j] = (v[j] as number) - dot * (directions[base + j] as number);
  }
}

/** Scales `v` to unit length; returns its former length (0 leaves it as is). */
function normaliseInPlace(v: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += (v[i] as number) * (v[i] as number);
  norm = Math.sqrt(norm);
  if (!(norm > 0)) return 0;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return norm;
}
