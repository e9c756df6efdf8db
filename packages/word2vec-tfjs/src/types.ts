/**
 * Public types of the TensorFlow.js trainer: options, progress reports, results.
 *
 * Names shared with every embedkit trainer (see DESIGN.md): `wIn` is the input ("lookup") matrix,
 * V×N, the C tool's `syn0`, the paper's v_w; `wOut` is the output ("context") matrix, the C tool's
 * `syn1neg`, the paper's v′_w. The article draws the context matrix as N×V (hidden layer times
 * matrix gives V scores); it is stored here as its transpose, V×N, so that each word's output
 * vector is one contiguous row that negative sampling can gather.
 */

import type { NegativeSampler } from '@embedkit/sampling';
import type { Embeddings } from '@embedkit/vectors';
import type { BackendChoice, BackendName } from './backend';

/** `skipgram`: the target predicts each context word. `cbow`: the mean of the context predicts the target. */
export type Word2VecTfjsModel = 'skipgram' | 'cbow';

/**
 * `softmax`: the article's picture, a probability over the whole vocabulary for every example
 * (cost ∝ vocabulary size: small vocabularies only). `negative`: negative sampling, the target
 * against `negative` words drawn from the unigram^0.75 distribution.
 */
export type Word2VecTfjsLoss = 'softmax' | 'negative';

/** `sgd`: plain gradient descent with the C tool's linear learning-rate decay. `adam`: Adam, constant rate. */
export type Word2VecTfjsOptimizer = 'sgd' | 'adam';

/** Options of {@link trainWord2VecTfjs}. */
export interface Word2VecTfjsOptions {
  /** Default `'cbow'` (as the C tool's `-cbow 1`). */
  model?: Word2VecTfjsModel;
  /** Output layer and loss, default `'negative'`. */
  loss?: Word2VecTfjsLoss;
  /** Vector size N (`-size`), default 100. */
  dim?: number;
  /** Maximum distance between target and context (`-window`), default 5. */
  window?: number;
  /** `'dynamic'` (default, the C tool's reduced window) or `'fixed'`. */
  windowMode?: 'dynamic' | 'fixed';
  /** Negative samples per positive example (`-negative`), default 5; used when `loss` is `'negative'`. */
  negative?: number;
  /** Exponent of the unigram negative sampler, default 0.75. */
  negativeExponent?: number;
  /** Replaces the unigram^exponent sampler (e.g. item2vec's same-market sampler). */
  negativeSampler?: NegativeSampler;
  /** Subsampling threshold of frequent words (`-sample`), default 1e-3; 0 disables. */
  sample?: number;
  /** Default `'adam'`. */
  optimizer?: Word2VecTfjsOptimizer;
  /**
   * `'dense'` (default): a `tf.train` optimizer over the whole matrices, as in any TensorFlow.js
   * model (TensorFlow.js has no sparse gradients, so every step reads and writes all V×N weights,
   * and Adam moves every row every step). `'sparse'`: only the rows the batch uses are
   * differentiated and written back (`tensorScatterUpdate`), several times faster for large
   * vocabularies; SGD gives the same result as dense SGD, Adam becomes lazy Adam.
   */
  updates?: 'dense' | 'sparse';
  /**
   * Learning rate (`-alpha`). Default for `adam`: 0.01. For `sgd`: 0.05 (CBOW) or 0.025 (skip-gram),
   * the C tool's, decayed linearly to `minAlpha`; the loss is summed over the batch, so one
   * example moves the weights as much as one C-tool update does.
   */
  alpha?: number;
  /** SGD only: final learning rate, default `alpha · 1e-4`. */
  minAlpha?: number;
  /** Examples (skip-gram pairs or CBOW bags) per optimizer step, default 256. */
  batchSize?: number;
  /** Passes over the corpus (`-iter`), default 5. */
  epochs?: number;
  /** Seed of the weight initialisation, windows, subsampling and negatives, default 1. */
  seed?: number;
  /** Which backend to train on, default `'auto'`; see {@link selectBackend}. */
  backend?: BackendChoice;
  /** `'wIn'` (default): the rows of the lookup matrix. `'mean'`: (wIn + wOut) / 2 with `wOut` stored V×N, i.e. each word's input and output vectors averaged. */
  vectors?: 'wIn' | 'mean';
  /** `softmax` only: refuse when the batch × vocabulary score matrix exceeds this many bytes, default 256 MiB. */
  maxSoftmaxBytes?: number;
  /** Called about every `progressIntervalMs` (default 250 ms; 0 = after every step) and at the end. */
  onProgress?: (progress: TfjsTrainingProgress) => void;
  /** Called after each epoch. */
  onEpochEnd?: (epoch: TfjsEpochReport) => void;
  progressIntervalMs?: number;
  /** Stops training between two steps; the promise rejects with `EmbedkitError` code `ABORTED`. */
  signal?: AbortSignal;
}

/** A progress report; see {@link Word2VecTfjsOptions.onProgress}. */
export interface TfjsTrainingProgress {
  /** Fraction of all tokens of all epochs processed, in [0, 1]. */
  fraction: number;
  /** 1-based epoch. */
  epoch: number;
  /** Optimizer steps so far. */
  steps: number;
  /** Tokens read (before subsampling) over all epochs so far. */
  tokensProcessed: number;
  /** Tokens per second since the start. */
  wordsPerSecond: number;
  /** Current learning rate. */
  alpha: number;
  /** Mean loss per positive example in the current epoch so far (NaN before the first step). */
  loss: number;
  /** Loss per positive example of the last batch. */
  batchLoss: number;
  elapsedSeconds: number;
}

/** Report of one finished epoch. */
export interface TfjsEpochReport {
  /** 1-based. */
  epoch: number;
  /**
   * Mean loss per positive example: softmax, −log p(target); negative sampling, −log σ(v′·h) −
   * Σ log σ(−v′ₖ·h) (the same terms as @embedkit/word2vec).
   */
  loss: number;
  lossSum: number;
  /** Positive examples (skip-gram pairs or CBOW bags). */
  examples: number;
  steps: number;
  /** Tokens kept after subsampling. */
  tokensTrained: number;
  seconds: number;
}

/** Statistics of a training run. */
export interface TfjsTrainingStats {
  epochs: number;
  steps: number;
  /** Tokens read over all epochs (before subsampling). */
  tokensProcessed: number;
  /** Tokens kept after subsampling, over all epochs. */
  tokensTrained: number;
  /** Wall time of training, backend start-up included. */
  seconds: number;
  /** `tokensProcessed / seconds`. */
  wordsPerSecond: number;
  epochReports: TfjsEpochReport[];
}

/** Result of {@link trainWord2VecTfjs}. */
export interface Word2VecTfjsResult {
  /** Rows of `wIn` (or the mean with `wOut`, see `vectors`), labelled by the vocabulary. */
  embeddings: Embeddings;
  stats: TfjsTrainingStats;
  /** The backend that trained, e.g. `'wasm'`. */
  backend: BackendName;
  /** Its package and version, e.g. `"wasm (@tensorflow/tfjs-backend-wasm 4.22.0, SIMD)"`. */
  backendDescription: string;
  /** The trained matrices as plain arrays: `wIn` V×N and `wOut` V×N (the article's N×V, transposed). */
  weights: { wIn: Float32Array; wOut: Float32Array };
}
