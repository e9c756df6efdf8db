/**
 * The measurements of the families comparison, on any {@link Embedder}: how much a word's vector
 * changes with its sentence and the sense test (context), which words get a vector at all (OOV),
 * word similarity (WS-353, SimLex-999, through @embedkit/evaluation as for every other figure of
 * the benchmarks) and a nearest-centroid probe on sentence vectors (in-domain and new-source
 * classification). Nothing here trains or knows a family: the same code scores every row.
 */
import type { EmbedOptions, Embedder } from '@embedkit/encoders';
import { evaluateSimilarity, type SimilarityPairSet } from '@embedkit/evaluation';
import { Embeddings } from '@embedkit/vectors';
import type { SenseItem } from './senses';

/** Cosine of rows `a` and `b` of two flat matrices; 0 when either row is all zeros. */
export function cosineAt(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  const xo = a * dim;
  const yo = b * dim;
  for (let i = 0; i < dim; i++) {
    const u = x[xo + i] as number;
    const v = y[yo + i] as number;
    dot += u * v;
    nx += u * u;
    ny += v * v;
  }
  return nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
}

// Word-piece markers of the common tokenizers: BERT's `##`, GPT-2/RoBERTa's `Ġ`, SentencePiece's `▁`.
const PIECE_MARKER = /^(?:##|\u0120|\u2581)/u;

/** A model's token as the text it stands for: lower case, word-piece marker removed. */
export function tokenText(token: string): string {
  return token.replace(PIECE_MARKER, '').toLowerCase();
}

/**
 * Where `word` is among a model's tokens: the indices of the first run of consecutive tokens whose
 * texts spell the word (one token for word-level models, its pieces for BERT-like ones), or null
 * when no run does (the word is unknown to the model, e.g. mapped to `[UNK]`).
 */
export function locateWord(tokens: readonly string[], word: string): number[] | null {
  const target = word.toLowerCase();
  for (let start = 0; start < tokens.length; start++) {
    let spelled = '';
    for (let end = start; end < tokens.length; end++) {
      spelled += tokenText(tokens[end] as string);
      if (spelled === target) return Array.from({ length: end - start + 1 }, (_, i) => start + i);
      if (!target.startsWith(spelled) || spelled.length === 0) break;
    }
  }
  return null;
}

function isZero(vectors: Float32Array, offset: number, dim: number): boolean {
  for (let i = 0; i < dim; i++) if (vectors[offset + i] !== 0) return false;
  return true;
}

/** Mean of the given rows into `out` at row `at`; false (row left 0) when the mean is all zeros. */
function meanRows(rows: Float32Array, indices: readonly number[], dim: number, out: Float32Array, at: number): boolean {
  const o = at * dim;
  for (const index of indices) for (let i = 0; i < dim; i++) out[o + i] = (out[o + i] as number) + (rows[index * dim + i] as number) / indices.length;
  return !isZero(out, o, dim);
}

/**
 * The vector of `word` in `text`: the mean of its tokens' vectors from `embedTokens`, or null
 * when the model does not give token vectors or does not know the word.
 */
export async function wordInContext(embedder: Embedder, text: string, word: string, options: EmbedOptions = {}): Promise<Float32Array | null> {
  if (!embedder.embedTokens) return null;
  const { tokens, vectors, dimension, missing } = await embedder.embedTokens(text, options);
  const at = locateWord(tokens, word);
  if (!at || at.some((index) => missing.includes(index))) return null;
  const out = new Float32Array(dimension);
  return meanRows(vectors, at, dimension, out, 0) ? out : null;
}

/** What {@link measureContext} found. */
export interface ContextResult {
  /** Mean over items of the mean 1 − cosine between the word's vectors in its three sentences. */
  readonly variation: number;
  /** Share of items where A1 is closer to A2 than to B (ties count one half), in [0, 1]. */
  readonly senseAccuracy: number;
  /** Items scored. */
  readonly items: number;
  /** Words of items left out because the model gave no vector for them in some sentence. */
  readonly skipped: readonly string[];
}

/**
 * Context: how much the vector of a word changes between sentences, and the sense test (see
 * `senses.ts` for the protocol). Null when the embedder gives no token vectors (hosted APIs).
 */
export async function measureContext(embedder: Embedder, items: readonly SenseItem[], options: EmbedOptions = {}): Promise<ContextResult | null> {
  if (!embedder.embedTokens) return null;
  const dim = embedder.dimension;
  let variation = 0;
  let score = 0;
  let scored = 0;
  const skipped: string[] = [];
  for (const item of items) {
    options.signal?.throwIfAborted();
    const found = await Promise.all([item.a[0], item.a[1], item.b].map((text) => wordInContext(embedder, text, item.word, options)));
    const [a1, a2, b] = found;
    if (!a1 || !a2 || !b) {
      skipped.push(item.word);
      continue;
    }
    const sameSense = cosineAt(a1, 0, a2, 0, dim);
    const otherSense = cosineAt(a1, 0, b, 0, dim);
    variation += (3 - sameSense - otherSense - cosineAt(a2, 0, b, 0, dim)) / 3;
    // Identical vectors (a static model) tie exactly; rounding noise below 1e-6 is a tie too.
    score += Math.abs(sameSense - otherSense) < 1e-6 ? 0.5 : sameSense > otherSense ? 1 : 0;
    scored++;
  }
  return {
    variation: scored ? Math.max(0, variation / scored) : Number.NaN,
    senseAccuracy: scored ? score / scored : Number.NaN,
    items: scored,
    skipped,
  };
}

/** Vectors of single words, and which words got one. */
export interface WordVectors {
  /** `words.length` rows of `dimension`; rows of words without a vector are 0. */
  readonly vectors: Float32Array;
  readonly dimension: number;
  readonly found: readonly boolean[];
}

/**
 * The vector of each word on its own. With token vectors (static and contextual models): the mean
 * of the tokens that spell the word, so a word the model maps to `[UNK]`, to nothing, or to tokens
 * it lists as `missing` gets none.
 * Without (hosted APIs): the text's vector from `embed`, missing when the API reports it missing.
 */
export async function wordVectors(embedder: Embedder, words: readonly string[], options: EmbedOptions = {}): Promise<WordVectors> {
  const dim = embedder.dimension;
  const vectors = new Float32Array(words.length * dim);
  const found: boolean[] = [];
  if (embedder.embedTokens) {
    for (const [index, word] of words.entries()) {
      options.signal?.throwIfAborted();
      const { tokens, vectors: rows, missing } = await embedder.embedTokens(word, options);
      const at = locateWord(tokens, word);
      found.push(at !== null && !at.some((i) => missing.includes(i)) && meanRows(rows, at, dim, vectors, index));
    }
    return { vectors, dimension: dim, found };
  }
  const batch = await embedder.embed(words, options);
  vectors.set(batch.vectors.subarray(0, words.length * dim));
  const missing = new Set(batch.missing);
  for (let i = 0; i < words.length; i++) found.push(!missing.has(i) && !isZero(vectors, i * dim, dim));
  return { vectors, dimension: dim, found };
}

/** Shares of words that get a vector. */
export interface Coverage {
  /** Distinct words with a vector ÷ distinct words. */
  readonly types: number;
  /** Running tokens whose word has a vector ÷ running tokens. */
  readonly tokens: number;
  readonly typeCount: number;
  readonly tokenCount: number;
}

/** Counts of each distinct token of the sentences, in first-seen order. */
export function tokenCounts(sentences: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const token of sentence) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** OOV: which of the sentences' words, and which share of their running tokens, get a vector. */
export async function measureCoverage(embedder: Embedder, sentences: readonly (readonly string[])[], options: EmbedOptions = {}): Promise<Coverage> {
  const counts = tokenCounts(sentences);
  const words = [...counts.keys()];
  const { found } = await wordVectors(embedder, words, options);
  let typesFound = 0;
  let tokensFound = 0;
  let tokenCount = 0;
  for (const [index, word] of words.entries()) {
    const count = counts.get(word) as number;
    tokenCount += count;
    if (found[index]) {
      typesFound++;
      tokensFound += count;
    }
  }
  return {
    types: words.length ? typesFound / words.length : Number.NaN,
    tokens: tokenCount ? tokensFound / tokenCount : Number.NaN,
    typeCount: words.length,
    tokenCount,
  };
}

/** A word-similarity figure: Spearman ρ over the pairs whose two words got a vector. */
export interface WordSimilarityScore {
  readonly spearman: number;
  /** Pairs with a word that got no vector (left out, as gensim does). */
  readonly oov: number;
  readonly pairs: number;
}

/** Word similarity on a parsed pair set (WS-353, SimLex-999), vectors from {@link wordVectors}. */
export async function measureWordSimilarity(embedder: Embedder, set: SimilarityPairSet, options: EmbedOptions = {}): Promise<WordSimilarityScore> {
  const words = [...new Set(set.pairs.flatMap((p) => [p.word1.toLowerCase(), p.word2.toLowerCase()]))];
  const { vectors, dimension, found } = await wordVectors(embedder, words, options);
  const labels: string[] = [];
  const rows: number[] = [];
  for (const [index, word] of words.entries()) {
    if (found[index]) {
      labels.push(word);
      rows.push(index);
    }
  }
  const data = new Float32Array(labels.length * dimension);
  for (const [row, index] of rows.entries()) data.set(vectors.subarray(index * dimension, (index + 1) * dimension), row * dimension);
  if (labels.length === 0) return { spearman: Number.NaN, oov: set.pairs.length, pairs: set.pairs.length };
  const result = await evaluateSimilarity(new Embeddings(labels, dimension, data), set, { restrictTo: labels.length });
  return { spearman: result.spearman, oov: result.oov, pairs: result.pairs };
}

/**
 * Accuracy of a nearest-centroid probe (a linear classifier without training knobs) under k-fold
 * cross-validation: for each fold, vectors are centred on the other folds' mean and scaled to unit
 * length, each class's centroid is the mean of its training rows, and a held-out row takes the
 * class of the most similar centroid. A row of zeros (a text with no known word) takes the most
 * frequent training class. Rows are assigned to folds round-robin.
 */
export function centroidProbeAccuracy(vectors: Float32Array, dim: number, labels: readonly string[], folds = 5): number {
  const count = labels.length;
  if (vectors.length !== count * dim) throw new RangeError(`centroidProbeAccuracy: ${vectors.length} floats for ${count} rows of ${dim}.`);
  const classes = [...new Set(labels)];
  const classOf = labels.map((label) => classes.indexOf(label));
  let correct = 0;
  const mean = new Float64Array(dim);
  const centroids = new Float64Array(classes.length * dim);
  const row = new Float64Array(dim);
  const unitRow = (index: number): boolean => {
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      const v = (vectors[index * dim + i] as number) - (mean[i] as number);
      row[i] = v;
      norm += v * v;
    }
    if (norm === 0 || isZero(vectors, index * dim, dim)) return false;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) row[i] = (row[i] as number) * scale;
    return true;
  };
  for (let fold = 0; fold < folds; fold++) {
    mean.fill(0);
    centroids.fill(0);
    const classCounts = new Array<number>(classes.length).fill(0);
    let training = 0;
    for (let r = 0; r < count; r++) {
      if (r % folds === fold || isZero(vectors, r * dim, dim)) continue;
      for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (vectors[r * dim + i] as number);
      training++;
    }
    if (training > 0) for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) / training;
    for (let r = 0; r < count; r++) {
      if (r % folds === fold) continue;
      const c = classOf[r] as number;
      classCounts[c] = (classCounts[c] as number) + 1;
      if (!unitRow(r)) continue;
      for (let i = 0; i < dim; i++) centroids[c * dim + i] = (centroids[c * dim + i] as number) + (row[i] as number);
    }
    const majority = classCounts.indexOf(Math.max(...classCounts));
    for (let r = fold; r < count; r += folds) {
      let predicted = majority;
      if (unitRow(r)) {
        let best = -Infinity;
        for (let c = 0; c < classes.length; c++) {
          let dot = 0;
          let norm = 0;
          for (let i = 0; i < dim; i++) {
            const v = centroids[c * dim + i] as number;
            dot += v * (row[i] as number);
            norm += v * v;
          }
          const similarity = norm === 0 ? -Infinity : dot / Math.sqrt(norm);
          if (similarity > best) {
            best = similarity;
            predicted = c;
          }
        }
      }
      if (predicted === classOf[r]) correct++;
    }
  }
  return count ? correct / count : Number.NaN;
}
