/**
 * Static word vectors (word2vec, GloVe, PPMI-SVD, fastText-style subwords) as an {@link Embedder}:
 * texts are cut into words by @embedkit/tokenizer and pooled into sentence vectors by the vectors
 * package's {@link SentencePooler} (mean or SIF). This file only adapts: the pooling maths lives
 * once, in @embedkit/vectors.
 */
import { Tokenizer } from '@embedkit/tokenizer';
import type { TokenizeOptions } from '@embedkit/tokenizer';
import { SentencePooler, SubwordEmbeddings } from '@embedkit/vectors';
import type { Embeddings } from '@embedkit/vectors';
import type { SifPoolingOptions } from '@embedkit/vectors';
import { LOCAL_PRICE } from '../embedder';
import type {
  EmbedCost,
  Embedder,
  EmbedderFamily,
  EmbeddingBatch,
  EmbedOptions,
  EmbedPrice,
  TokenEmbeddings,
} from '../embedder';
import { checkTexts, resolveEmbedOptions, throwIfAborted } from '../options';

/** Texts pooled between two checks of the signal (and two progress calls), by default. */
export const STATIC_BATCH_SIZE = 1024;

/** Options of {@link StaticEmbedder.mean}. */
export interface StaticEmbedderOptions {
  /** Name in tables. Default `<family>-<weighting>`, e.g. `word2vec-sif`. */
  readonly name?: string;
  /** Default `'fasttext'` for {@link SubwordEmbeddings}, else `'word2vec'`. */
  readonly family?: EmbedderFamily;
  /**
   * How texts become words. Default @embedkit/tokenizer's defaults (Unicode words, NFKC) but
   * with `lowercase: false`: case is folded against the model's vocabulary instead (see `lowercase`).
   */
  readonly tokenizer?: TokenizeOptions;
  /**
   * Fold words to lower case before lookup. `'auto'` (default): when the vocabulary has no
   * upper-case label. With `false`, a word not found as written is looked up in lower case.
   */
  readonly lowercase?: boolean | 'auto';
}

/** Options of {@link StaticEmbedder.sif}. */
export interface SifEmbedderOptions extends StaticEmbedderOptions {
  /** Training counts for p(w) (a `Vocabulary`, `readFastTextBin`'s result, a Map) or `'zipf'`. Required. */
  readonly counts: SifPoolingOptions['counts'];
  /** SIF's `a`. Default 1e-3. */
  readonly a?: number;
  /** Texts the principal direction is fitted on (e.g. the training sentences, or the set to embed). */
  readonly reference?: readonly string[];
  /** Principal directions removed. Default 1; 0 = weighting only. */
  readonly components?: number;
  /** Directions fitted before (`embedder.pooler.principalComponents`), instead of `reference`. */
  readonly principalComponents?: Float32Array;
}

/**
 * Sentence vectors from static word vectors. Context-free: `embedTokens` gives each word its own
 * vector whatever the sentence.
 *
 * @example
 * ```ts
 * const vectors = await Embeddings.load('vectors.bin');
 * const mean = StaticEmbedder.mean(vectors, { family: 'word2vec', name: 'word2vec-sg' });
 * const sif = StaticEmbedder.sif(vectors, { counts: vocabulary, reference: trainingLines });
 * const { vectors: rows, missing } = await sif.embed(['The river bank.', 'A bank loan.']);
 * ```
 */
export class StaticEmbedder implements Embedder {
  readonly name: string;
  readonly family: EmbedderFamily;
  readonly dimension: number;
  /** No limit: a static model reads any number of words. */
  readonly maxTokens = Number.POSITIVE_INFINITY;
  readonly contextual = false;
  readonly price: EmbedPrice = LOCAL_PRICE;
  /** The pooler (its `principalComponents` can be stored and passed back to {@link StaticEmbedder.sif}). */
  readonly pooler: SentencePooler;

  private readonly tokenizer: Tokenizer;
  private readonly words: string[] = [];

  /** Wraps a pooler built with {@link SentencePooler} (the factories below do this for you). */
  constructor(pooler: SentencePooler, options: StaticEmbedderOptions = {}) {
    if (!(pooler instanceof SentencePooler)) throw new TypeError('StaticEmbedder: pooler must be a SentencePooler');
    checkOptions(options);
    this.pooler = pooler;
    this.family = options.family ?? defaultFamily(pooler.embeddings);
    this.name = options.name ?? `${this.family}-${pooler.weighting}`;
    this.dimension = pooler.embeddings.dim;
    this.tokenizer = new Tokenizer({ lowercase: false, ...options.tokenizer });
  }

  /** Each text is the mean of its words' vectors. */
  static mean(embeddings: Embeddings, options: StaticEmbedderOptions = {}): StaticEmbedder {
    checkOptions(options);
    const pooler = SentencePooler.mean(embeddings, lowercaseOption(options));
    return new StaticEmbedder(pooler, options);
  }

  /**
   * SIF (Arora, Liang & Ma 2017): words weighted a / (a + p(w)), then the reference texts' first
   * principal direction removed. Fit once here; every later `embed` call reuses the direction,
   * so a single query is embedded as it would be among many.
   */
  static sif(embeddings: Embeddings, options: SifEmbedderOptions): StaticEmbedder {
    if (options === null || typeof options !== 'object') throw new TypeError('StaticEmbedder.sif: options must be an object');
    checkOptions(options);
    const tokenizer = new Tokenizer({ lowercase: false, ...options.tokenizer });
    if (options.reference !== undefined) checkTexts(options.reference, 'StaticEmbedder.sif', 'reference');
    const sif: {
      counts: SifPoolingOptions['counts'];
      a?: number;
      components?: number;
      principalComponents?: Float32Array;
      reference?: string[][];
      lowercase?: boolean | 'auto';
    } = { counts: options.counts, ...lowercaseOption(options) };
    if (options.a !== undefined) sif.a = options.a;
    if (options.components !== undefined) sif.components = options.components;
    if (options.principalComponents !== undefined) sif.principalComponents = options.principalComponents;
    if (options.reference !== undefined) sif.reference = options.reference.map((text) => tokenizer.tokenizeInto(text, []));
    return new StaticEmbedder(SentencePooler.sif(embeddings, sif), options);
  }

  /**
   * Sentence vectors, pooled `batchSize` texts at a time (default {@link STATIC_BATCH_SIZE});
   * between batches the signal is checked, progress reported and the event loop let run.
   * Texts without a word in the vocabulary get zero rows and are listed in `missing`.
   */
  async embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingBatch> {
    checkTexts(texts, this.name);
    const { signal, batchSize, onProgress } = resolveEmbedOptions(options, {
      batchSize: STATIC_BATCH_SIZE,
      maxBatchSize: Number.MAX_SAFE_INTEGER,
      embedder: this.name,
    });
    const dim = this.dimension;
    const vectors = new Float32Array(texts.length * dim);
    const missing: number[] = [];
    let tokens = 0;
    for (let start = 0; start < texts.length; start += batchSize) {
      throwIfAborted(signal);
      const end = Math.min(texts.length, start + batchSize);
      const sentences: string[][] = [];
      for (let i = start; i < end; i++) sentences.push(this.tokenizer.tokenizeInto(texts[i] as string, []));
      const pooled = this.pooler.pool(sentences);
      vectors.set(pooled.vectors, start * dim);
      for (const index of pooled.missing) missing.push(start + index);
      tokens += pooled.tokens;
      onProgress?.({ done: end, total: texts.length });
      if (end < texts.length) await yieldToEventLoop();
    }
    throwIfAborted(signal);
    return { vectors, count: texts.length, dimension: dim, missing, cost: { tokens, estimated: false, usd: 0 } };
  }

  /** Each word of `text` with its own (context-free) vector; words without one are in `missing`. */
  async embedTokens(text: string, options?: EmbedOptions): Promise<TokenEmbeddings> {
    if (typeof text !== 'string') throw new TypeError(`${this.name}: text must be a string`);
    const { signal } = resolveEmbedOptions(options, { batchSize: 1, maxBatchSize: Number.MAX_SAFE_INTEGER, embedder: this.name });
    throwIfAborted(signal);
    const tokens = this.tokenizer.tokenizeInto(text, []);
    const { vectors, missing } = this.pooler.tokenVectors(tokens);
    return { tokens, vectors, dimension: this.dimension, missing };
  }

  /** The words these texts hold; free. */
  estimateCost(texts: readonly string[]): EmbedCost {
    checkTexts(texts, this.name);
    let tokens = 0;
    const words = this.words;
    for (const text of texts) {
      words.length = 0;
      tokens += this.tokenizer.tokenizeInto(text, words).length;
    }
    return { tokens, estimated: false, usd: 0 };
  }
}

function defaultFamily(embeddings: Embeddings): EmbedderFamily {
  return embeddings instanceof SubwordEmbeddings ? 'fasttext' : 'word2vec';
}

function lowercaseOption(options: StaticEmbedderOptions): { lowercase?: boolean | 'auto' } {
  return options.lowercase === undefined ? {} : { lowercase: options.lowercase };
}

function checkOptions(options: StaticEmbedderOptions): void {
  if (options === null || typeof options !== 'object') throw new TypeError('StaticEmbedder: options must be an object');
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
    throw new TypeError('StaticEmbedder: name must be a non-empty string');
  }
  if (options.tokenizer !== undefined && (options.tokenizer === null || typeof options.tokenizer !== 'object')) {
    throw new TypeError('StaticEmbedder: tokenizer must be an object of TokenizeOptions');
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
