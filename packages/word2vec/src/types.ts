/**
 * Public types of the word2vec trainer: options, progress reports, results.
 *
 * Names shared by every trainer (see DESIGN.md): `wIn` is the input ("lookup") matrix, the C
 * tool's `syn0`, the paper's v_w; `wOut` is the output ("context") matrix of negative sampling, the
 * C tool's `syn1neg`, the paper's v'_w; `wOutHs` holds the output vectors of the inner nodes of the
 * Huffman tree for hierarchical softmax, the C tool's `syn1`.
 */

import type { NegativeSampler, WindowMode } from '@embedkit/sampling';
import type { Vocabulary } from '@embedkit/tokenizer';
import type { Embeddings, SubwordEmbeddings, SubwordSettings } from '@embedkit/vectors';
import type { SubwordOptions } from './subword';

/** `skipgram`: the target predicts each context word. `cbow`: the mean of the context predicts the target. */
export type Word2VecModel = 'skipgram' | 'cbow';

/** Options of {@link trainWord2Vec}. Defaults are the C tool's unless said otherwise. */
export interface Word2VecOptions {
  /** Default `'cbow'` (the C tool's `-cbow 1`). */
  model?: Word2VecModel;
  /** Vector size (`-size`), default 100. */
  dim?: number;
  /** Maximum distance between target and context (`-window`), default 5. */
  window?: number;
  /**
   * `dynamic` (default, the C tool's reduced window), `fixed`, or `sentence` (every other token of
   * the sentence is context: item sets). See `@embedkit/sampling`'s windows.
   */
  windowMode?: WindowMode;
  /** Negative samples per positive example (`-negative`), default 5; 0 disables negative sampling. */
  negative?: number;
  /** Hierarchical softmax (`-hs 1`), default false. At least one of `negative > 0` and `hs` is needed. */
  hs?: boolean;
  /** Subsampling threshold (`-sample`), default 1e-3; 0 disables. */
  sample?: number;
  /** Starting learning rate (`-alpha`), default 0.05 for CBOW and 0.025 for skip-gram. */
  alpha?: number;
  /** Final learning rate, default `alpha · 1e-4` (the C tool's floor). Decay is linear in processed tokens. */
  minAlpha?: number;
  /** Passes over the corpus (`-iter`), default 5. */
  epochs?: number;
  /**
   * Worker threads (`-threads`), default 1. 1 trains in-process and, with `seed`, is bit-identical
   * run after run; more runs Hogwild workers over shared memory (faster, not reproducible).
   */
  threads?: number;
  /** Seed of the generators (worker `w` uses stream `w`), default 1. */
  seed?: number;
  /** CBOW: average the context vectors (`true`, default, `-cbow` with `cbow_mean`) or sum them. */
  cbowMean?: boolean;
  /** Exponent of the default unigram negative sampler, default 0.75. Any finite real. */
  negativeExponent?: number;
  /**
   * Replaces the unigram^exponent sampler. With `threads > 1` it must implement `toWorker()`
   * (see `WorkerSamplerSpec` in `@embedkit/sampling`).
   */
  negativeSampler?: NegativeSampler;
  /**
   * Extra negatives drawn for every positive example from another sampler, on top of `negative`
   * (Airbnb's same-market negatives: `sampler.draw(rng, centerId)` with the input-side id). A
   * draw below 0 adds no negative, for samplers with nothing to offer for some centers (Airbnb's
   * host rejections: only the rejected user and listing types have explicit negatives).
   */
  extraNegatives?: { sampler: NegativeSampler; count: number };
  /**
   * Per-sentence global context: `globalContext[s]` is an id trained as an extra positive output
   * for every token of sentence `s` (Airbnb's booked listing), or -1 for none. Length must be
   * `corpus.sentenceCount`. Skip-gram: the token predicts it; CBOW: the context bag predicts it.
   */
  globalContext?: Int32Array;
  /**
   * Subwords (fastText, Bojanowski et al. 2017): a word's input vector is the mean of its own
   * row and the rows of its character n-grams (`minN`..`maxN` characters with `<` `>` marks,
   * hashed with fastText's FNV-1a into `buckets` rows), so words never seen get vectors and word
   * forms share what they have in common. `{}` gives fastText's defaults (3, 6, 2,000,000). The
   * n-gram rows take `buckets × dim × 4` bytes (2M × 100 = 800 MB), counted in the memory estimate
   * checked against `maxMemoryBytes`: use fewer buckets when it is refused. `embeddings` is then a
   * `SubwordEmbeddings`. CBOW averages over all rows of all context words (fastText's `cbow`) and
   * needs `cbowMean: true`.
   */
  subwords?: SubwordOptions;
  /** Long sentences are cut into pieces of at most this many tokens (windows do not cross cuts); default 10000. */
  maxSentenceLength?: number;
  /**
   * Inner loops: `'wasm'` (WebAssembly SIMD, several times faster; needs `dim % 4 === 0`), `'js'`
   * (the TypeScript reference kernel), or `'auto'` (default: wasm when possible).
   */
  kernel?: 'auto' | 'wasm' | 'js';
  /** Refuse to train when the estimated memory exceeds this, default 80% of the machine's memory. */
  maxMemoryBytes?: number;
  /**
   * Continue training a previous result's model (or one read by `loadWord2VecModel`) for `epochs`
   * more, on a corpus encoded with its vocabulary. Options not given are the model's (`model`,
   * `dim`, `negative`, `hs`, `window`, `sample`, `alpha`, `subwords`, …); given ones that change
   * the weights' shape (`model`, `dim`, `hs`, `negative` > 0 or not, `subwords`) must match, or
   * training is refused with `INCOMPATIBLE_MODEL`. The learning rate restarts from `alpha`.
   */
  resumeFrom?: Word2VecState;
  /** Called about every `progressIntervalMs` (default 250 ms) and at the end. */
  onProgress?: (progress: TrainingProgress) => void;
  /** Called after each epoch, once every thread has finished it. */
  onEpochEnd?: (epoch: EpochReport) => void;
  progressIntervalMs?: number;
  /** Stops training promptly; the promise rejects with `EmbedkitError` code `ABORTED`. */
  signal?: AbortSignal;
}

/** A progress report; see {@link Word2VecOptions.onProgress}. */
export interface TrainingProgress {
  /** Fraction of all tokens of all epochs processed, in [0, 1]. */
  fraction: number;
  /** 1-based epoch of the slowest thread. */
  epoch: number;
  /** Tokens processed (read, before subsampling) over all epochs so far. */
  tokensProcessed: number;
  /** Tokens per second since the start, over all threads. */
  wordsPerSecond: number;
  /** Current learning rate. */
  alpha: number;
  /** Mean loss per positive example in the current epoch so far (NaN before the first example). */
  loss: number;
  elapsedSeconds: number;
}

/** Report of one finished epoch (all threads). */
export interface EpochReport {
  /** 1-based. */
  epoch: number;
  /** Mean loss per positive example: sum of −log σ(±v·v′) terms / number of positive examples. */
  loss: number;
  /** Sum of the loss terms. */
  lossSum: number;
  /** Positive examples trained (pairs for skip-gram, bags for CBOW, global contexts included). */
  examples: number;
  /** Tokens kept after subsampling. */
  tokensTrained: number;
}

/** Statistics of a training run. */
export interface TrainingStats {
  epochs: number;
  threads: number;
  /** Tokens read over all epochs (before subsampling). */
  tokensProcessed: number;
  /** Tokens kept after subsampling, over all epochs. */
  tokensTrained: number;
  /** Wall time of training (after option checks, including setup and worker start-up). */
  seconds: number;
  /** `tokensProcessed / seconds`. */
  wordsPerSecond: number;
  /** One report per epoch. */
  epochReports: EpochReport[];
  /** Estimated memory of the model (bytes), as checked against `maxMemoryBytes`. */
  estimatedBytes: number;
}

/**
 * The training settings a model was trained with, kept in its state (and its model file) so that
 * continuing takes them as defaults: an option not given when resuming is the model's.
 */
export interface Word2VecSettings {
  window: number;
  windowMode: WindowMode;
  negative: number;
  hs: boolean;
  sample: number;
  /** Starting learning rate of the run (continuing restarts the schedule from it). */
  alpha: number;
  cbowMean: boolean;
  negativeExponent: number;
  maxSentenceLength: number;
}

/**
 * Everything needed to continue training: the weights and the vocabulary they belong to.
 * `wIn` is the C tool's `syn0`; `wOut` its `syn1neg` (null without negative sampling); `wOutHs` its
 * `syn1` (null without hierarchical softmax).
 */
export interface Word2VecState {
  vocabulary: Vocabulary;
  dim: number;
  model: Word2VecModel;
  wIn: Float32Array;
  wOut: Float32Array | null;
  wOutHs: Float32Array | null;
  epochsTrained: number;
  /** Subword settings when trained with subwords (`wIn` then has `vocabulary.size + buckets` rows), else null. */
  subwords?: SubwordSettings | null;
  /** The settings of the last run; resuming uses them for every option not given. */
  settings?: Word2VecSettings;
}

/** Result of {@link trainWord2Vec}. */
export interface Word2VecResult<E extends Embeddings = Embeddings> {
  /**
   * Rows of `wIn`, labelled by the vocabulary (a copy: later training does not change it). With
   * `subwords`, a `SubwordEmbeddings` over the whole input matrix (word and n-gram rows), which it
   * shares with `state.wIn` to save memory (resuming copies it; copy it yourself before writing to it).
   */
  embeddings: E;
  stats: TrainingStats;
  /** The trained weights, for `resumeFrom`. */
  state: Word2VecState;
}

/** Result of {@link trainWord2Vec} with the `subwords` option. */
export type SubwordWord2VecResult = Word2VecResult<SubwordEmbeddings>;
