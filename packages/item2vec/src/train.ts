// Training item embeddings from sessions. There is no training loop here: the three modes are
// option sets for @embedkit/word2vec's skip-gram kernels (whole-sentence windows, sliding
// windows, per-session global context, extra negatives from a pluggable sampler).
import { isEmbedkitError } from '@embedkit/errors';
import { Embeddings } from '@embedkit/vectors';
import { trainWord2Vec } from '@embedkit/word2vec';
import type { EpochReport, TrainingProgress, TrainingStats, Word2VecOptions } from '@embedkit/word2vec';
import { encodeSessions, type EncodedSessions } from './encode';
import { item2vecError } from './errors';
import { SameMarketSampler } from './same-market-sampler';
import type { Session } from './sessions';

/**
 * - `item2vec` (Barkan & Koenigstein 2016): a session is a set; every other item of the session
 *   is context (word2vec's `windowMode: 'sentence'`), order ignored.
 * - `sequence` (prod2vec, Grbovic et al. 2015): ordered sessions, sliding window of `window`.
 * - `airbnb` (Grbovic & Cheng 2018): `sequence`, plus the session's converted item as a global
 *   context of every item in it, plus `marketNegatives` extra negatives per example drawn from
 *   the center item's market.
 */
export type TrainingMode = 'item2vec' | 'sequence' | 'airbnb';

/** The modes, for CLIs and validation. */
export const TRAINING_MODES: readonly TrainingMode[] = ['item2vec', 'sequence', 'airbnb'];

/**
 * Options of {@link trainItemEmbeddings}. Defaults are for recommendation data, not text (see
 * the README: Caselles-Dupré et al. 2018), and were tuned on validation splits carved from the
 * training period of MovieLens and trivago, never on their test splits.
 */
export interface TrainItemsOptions {
  /** Default `sequence` (the tuning picked it on every data set; see the README). */
  mode?: TrainingMode;
  /** Vector size, default 32. */
  dim?: number;
  /** Sliding window of `sequence` and `airbnb` (ignored by `item2vec`), default 5. */
  window?: number;
  /** Negative samples per positive example, default 5. */
  negative?: number;
  /** Exponent of the unigram negative distribution, default 0.5 (word2vec: 0.75; ≤ 0 favours rare items). */
  negativeExponent?: number;
  /** Subsampling threshold of frequent items, default 0 (off: small catalogues lose most tokens to it). */
  sample?: number;
  /** Passes over the sessions, default 100. */
  epochs?: number;
  /** Starting learning rate, default 0.1 (sparse items need large steps). */
  alpha?: number;
  /** Final learning rate, default word2vec's (`alpha · 1e-4`). */
  minAlpha?: number;
  /** Items occurring fewer times are dropped, default 1 (every item gets a vector). */
  minCount?: number;
  /** `airbnb`: same-market negatives per positive example, default 1 (0 turns them off). */
  marketNegatives?: number;
  /** `airbnb`: train the converted item as global context (default true). */
  globalContext?: boolean;
  /** Worker threads, default 1 (reproducible with `seed`). */
  threads?: number;
  /** Default 1. */
  seed?: number;
  onProgress?: (progress: TrainingProgress) => void;
  onEpochEnd?: (epoch: EpochReport) => void;
  signal?: AbortSignal;
}

/** {@link TrainItemsOptions} with defaults applied. */
export interface ResolvedTrainItemsOptions {
  mode: TrainingMode;
  dim: number;
  window: number;
  negative: number;
  negativeExponent: number;
  sample: number;
  epochs: number;
  alpha: number;
  minAlpha: number | undefined;
  minCount: number;
  marketNegatives: number;
  globalContext: boolean;
  threads: number;
  seed: number;
}

/** The defaults of {@link TrainItemsOptions}. */
export const ITEM2VEC_DEFAULTS: Readonly<Omit<ResolvedTrainItemsOptions, 'minAlpha'>> = Object.freeze({
  mode: 'sequence',
  dim: 32,
  window: 5,
  negative: 5,
  negativeExponent: 0.5,
  sample: 0,
  epochs: 100,
  alpha: 0.1,
  minCount: 1,
  marketNegatives: 1,
  globalContext: true,
  threads: 1,
  seed: 1,
});

/** The result of {@link trainItemEmbeddings}. */
export interface ItemEmbeddingResult {
  /** One vector per item of the vocabulary, labelled by item id. */
  embeddings: Embeddings;
  /**
   * The model's context (output) vector of each item, same labels and order: with `embeddings`,
   * the `in-out` scoring of `Recommender` (`new Recommender(embeddings, { context })`).
   */
  contextEmbeddings: Embeddings;
  /** word2vec's statistics (seconds, epochs, loss per epoch). */
  stats: TrainingStats;
  /** The encoded sessions (corpus, global contexts, item markets). */
  encoded: EncodedSessions;
  options: ResolvedTrainItemsOptions;
}

/** Applies the defaults and validates (word2vec validates the numbers it receives again). */
export function resolveTrainItemsOptions(options: TrainItemsOptions = {}): ResolvedTrainItemsOptions {
  const d = ITEM2VEC_DEFAULTS;
  const mode = options.mode ?? d.mode;
  if (!TRAINING_MODES.includes(mode)) {
    throw new RangeError(`mode must be one of ${TRAINING_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
  const marketNegatives = options.marketNegatives ?? d.marketNegatives;
  if (!Number.isInteger(marketNegatives) || marketNegatives < 0) {
    throw new RangeError(`marketNegatives must be an integer ≥ 0, got ${marketNegatives}`);
  }
  return {
    mode,
    dim: options.dim ?? d.dim,
    window: options.window ?? d.window,
    negative: options.negative ?? d.negative,
    negativeExponent: options.negativeExponent ?? d.negativeExponent,
    sample: options.sample ?? d.sample,
    epochs: options.epochs ?? d.epochs,
    alpha: options.alpha ?? d.alpha,
    minAlpha: options.minAlpha,
    minCount: options.minCount ?? d.minCount,
    marketNegatives,
    globalContext: options.globalContext ?? d.globalContext,
    threads: options.threads ?? d.threads,
    seed: options.seed ?? d.seed,
  };
}

/**
 * The word2vec options a mode stands for (exposed so the mapping can be inspected and tested):
 * skip-gram with negative sampling always; the window mode, global context and extra negatives
 * depend on the mode.
 */
export function word2vecOptionsFor(encoded: EncodedSessions, o: ResolvedTrainItemsOptions): Word2VecOptions {
  const w: Word2VecOptions = {
    model: 'skipgram',
    dim: o.dim,
    window: o.window,
    windowMode: o.mode === 'item2vec' ? 'sentence' : 'dynamic',
    negative: o.negative,
    negativeExponent: o.negativeExponent,
    sample: o.sample,
    epochs: o.epochs,
    alpha: o.alpha,
    threads: o.threads,
    seed: o.seed,
  };
  if (o.minAlpha !== undefined) w.minAlpha = o.minAlpha;
  if (o.mode === 'airbnb') {
    if (o.globalContext) w.globalContext = encoded.globalContext;
    // Without markets the sampler would only add uniform negatives: leave them out.
    if (o.marketNegatives > 0 && encoded.markets.length > 0) w.extraNegatives = { sampler: new SameMarketSampler(encoded.itemMarket), count: o.marketNegatives };
  }
  return w;
}

/**
 * Trains item vectors from sessions with `@embedkit/word2vec`.
 *
 * @example
 * ```ts
 * const { sessions } = sessionize((await readEvents(path, eventPreset('trivago'))).log);
 * const { embeddings } = await trainItemEmbeddings(sessions, { mode: 'airbnb' });
 * ```
 * @throws EmbedkitError `NO_EVENTS` when no session has two items left to train on; `OUT_OF_MEMORY`
 * when the vectors would not fit in memory.
 */
export async function trainItemEmbeddings(sessions: readonly Session[], options: TrainItemsOptions = {}): Promise<ItemEmbeddingResult> {
  const o = resolveTrainItemsOptions(options);
  if (!sessions.some((s) => s.items.length >= 2)) {
    // Checked before encoding: an empty vocabulary would fail in the tokenizer, in words about text.
    throw item2vecError('NO_EVENTS', `none of the ${sessions.length} sessions has two items; item vectors are learned from items seen together in a session`);
  }
  const tooRare = (): never => {
    throw item2vecError('NO_EVENTS', `no session has two items with count ≥ ${o.minCount}; lower minCount or check the sessionisation`);
  };
  let encoded: EncodedSessions;
  try {
    encoded = encodeSessions(sessions, { minCount: o.minCount });
  } catch (error) {
    // Every item rarer than minCount: the tokenizer's empty vocabulary, said in items.
    if (isEmbedkitError(error, 'EMPTY_VOCABULARY')) tooRare();
    throw error;
  }
  if (encoded.corpus.sentenceCount === 0) tooRare();
  const w = word2vecOptionsFor(encoded, o);
  if (options.onProgress !== undefined) w.onProgress = options.onProgress;
  if (options.onEpochEnd !== undefined) w.onEpochEnd = options.onEpochEnd;
  if (options.signal !== undefined) w.signal = options.signal;
  let result: Awaited<ReturnType<typeof trainWord2Vec>>;
  try {
    result = await trainWord2Vec(encoded.corpus, w);
  } catch (error) {
    // word2vec's refusal speaks of words, maxSize and maxMemoryBytes, which item training has not.
    if (!isEmbedkitError(error, 'OUT_OF_MEMORY')) throw error;
    const size = error.message.split('. ')[0]!.replace(/ words /, ' items ');
    throw item2vecError('OUT_OF_MEMORY', `${size}; lower dim or raise minCount`, error);
  }
  const contextEmbeddings = new Embeddings(result.embeddings.labels, o.dim, result.state.wOut ?? new Float32Array(result.embeddings.size * o.dim));
  return { embeddings: result.embeddings, contextEmbeddings, stats: result.stats, encoded, options: o };
}
