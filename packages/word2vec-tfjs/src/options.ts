/**
 * Applies the defaults of {@link Word2VecTfjsOptions} and validates everything once, before the
 * backend starts or any tensor exists.
 */

import { EmbedkitError } from '@embedkit/errors';
import type { NegativeSampler } from '@embedkit/sampling';
import type { Corpus } from '@embedkit/tokenizer';
import { BACKEND_CHOICES, type BackendChoice } from './backend';
import type { Word2VecTfjsErrorCode } from './errors';
import type {
  TfjsEpochReport,
  TfjsTrainingProgress,
  Word2VecTfjsLoss,
  Word2VecTfjsModel,
  Word2VecTfjsOptimizer,
  Word2VecTfjsOptions,
} from './types';

/** Options with every default applied. */
export interface ResolvedTfjsOptions {
  model: Word2VecTfjsModel;
  loss: Word2VecTfjsLoss;
  dim: number;
  window: number;
  windowMode: 'dynamic' | 'fixed';
  negative: number;
  negativeExponent: number;
  negativeSampler: NegativeSampler | undefined;
  sample: number;
  optimizer: Word2VecTfjsOptimizer;
  updates: 'dense' | 'sparse';
  alpha: number;
  minAlpha: number;
  batchSize: number;
  epochs: number;
  seed: number;
  backend: BackendChoice;
  vectors: 'wIn' | 'mean';
  maxSoftmaxBytes: number;
  onProgress: ((progress: TfjsTrainingProgress) => void) | undefined;
  onEpochEnd: ((epoch: TfjsEpochReport) => void) | undefined;
  progressIntervalMs: number;
  signal: AbortSignal | undefined;
}

function integerIn(name: string, value: unknown, min: number, max: number, hint = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${name} must be an integer, got ${String(value)}`);
  if (value < min || value > max) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}.${hint ? ` ${hint}` : ''}`);
  return value;
}

function numberIn(name: string, value: unknown, min: number, max: number, hint = ''): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${name} must be a number, got ${String(value)}`);
  if (!(value >= min && value <= max)) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}.${hint ? ` ${hint}` : ''}`);
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new RangeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`);
  return value as T;
}

/** Applies defaults and validates; throws `TypeError` / `RangeError` / `EmbedkitError` before any work. */
export function resolveOptions(corpus: Corpus, options: Word2VecTfjsOptions = {}): ResolvedTfjsOptions {
  if (corpus === null || typeof corpus !== 'object' || !(corpus.ids instanceof Int32Array) || !(corpus.sentenceOffsets instanceof Int32Array)) {
    throw new TypeError('trainWord2VecTfjs needs a Corpus from @embedkit/tokenizer');
  }
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (corpus.tokenCount === 0 || corpus.vocabulary.size === 0) {
    throw new EmbedkitError<Word2VecTfjsErrorCode>(
      'EMPTY_CORPUS',
      `The corpus has ${corpus.tokenCount} tokens and ${corpus.vocabulary.size} vocabulary words: nothing to train on. Give more text or a smaller minCount.`,
    );
  }
  const model = oneOf('model', options.model ?? 'cbow', ['skipgram', 'cbow'] as const);
  const loss = oneOf('loss', options.loss ?? 'negative', ['negative', 'softmax'] as const);
  const dim = integerIn('dim', options.dim ?? 100, 1, 10_000, 'Typical values are 50 to 300.');
  const window = integerIn('window', options.window ?? 5, 1, 1000, 'Typical values are 2 to 10.');
  const windowMode = oneOf('windowMode', options.windowMode ?? 'dynamic', ['dynamic', 'fixed'] as const);
  const negative = integerIn('negative', options.negative ?? 5, loss === 'negative' ? 1 : 0, 1000, 'Typical values are 5 to 20.');
  const negativeExponent = numberIn('negativeExponent', options.negativeExponent ?? 0.75, -100, 100);
  const negativeSampler = options.negativeSampler;
  if (negativeSampler !== undefined && (negativeSampler === null || typeof negativeSampler.draw !== 'function')) {
    throw new TypeError('negativeSampler must be an object with a draw(rng, centerId) method');
  }
  const sample = numberIn('sample', options.sample ?? 1e-3, 0, 1, 'Typical values are 1e-3 to 1e-5, or 0 to disable.');
  const optimizer = oneOf('optimizer', options.optimizer ?? 'adam', ['sgd', 'adam'] as const);
  const updates = oneOf('updates', options.updates ?? 'dense', ['dense', 'sparse'] as const);
  const defaultAlpha = optimizer === 'adam' ? 0.01 : model === 'cbow' ? 0.05 : 0.025;
  const alpha = numberIn('alpha', options.alpha ?? defaultAlpha, Number.MIN_VALUE, 10, 'Typical values: 0.001 to 0.05 for adam, 0.025 (skip-gram) and 0.05 (CBOW) for sgd.');
  const minAlpha = numberIn('minAlpha', options.minAlpha ?? alpha * 1e-4, 0, alpha, 'It must not exceed alpha.');
  const batchSize = integerIn('batchSize', options.batchSize ?? 256, 1, 1 << 20, 'Typical values are 64 to 4096.');
  const epochs = integerIn('epochs', options.epochs ?? 5, 1, 100_000);
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new TypeError(`seed must be a finite number, got ${String(seed)}`);
  const backend = oneOf('backend', options.backend ?? 'auto', BACKEND_CHOICES);
  const vectors = oneOf('vectors', options.vectors ?? 'wIn', ['wIn', 'mean'] as const);
  const maxSoftmaxBytes = numberIn('maxSoftmaxBytes', options.maxSoftmaxBytes ?? 256 * 2 ** 20, 0, Number.MAX_SAFE_INTEGER);
  const progressIntervalMs = numberIn('progressIntervalMs', options.progressIntervalMs ?? 250, 0, 3_600_000);
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) throw new TypeError('signal must be an AbortSignal');
  for (const name of ['onProgress', 'onEpochEnd'] as const) {
    const f = options[name];
    if (f !== undefined && typeof f !== 'function') throw new TypeError(`${name} must be a function`);
  }
  if (loss === 'softmax') {
    // Scores, their softmax and their gradient: three batch × V float32 matrices live at once.
    const bytes = 3 * 4 * batchSize * corpus.vocabulary.size;
    if (bytes > maxSoftmaxBytes) {
      throw new EmbedkitError<Word2VecTfjsErrorCode>(
        'OUT_OF_MEMORY',
        `The full softmax over ${corpus.vocabulary.size} words with batches of ${batchSize} needs about ${(bytes / 2 ** 20).toFixed(0)} MiB per step, more than maxSoftmaxBytes (${(maxSoftmaxBytes / 2 ** 20).toFixed(0)} MiB). Use loss: 'negative', a smaller batchSize or vocabulary, or raise maxSoftmaxBytes.`,
      );
    }
  }
  return {
    model, loss, dim, window, windowMode, negative, negativeExponent, negativeSampler, sample, optimizer, updates, alpha, minAlpha,
    batchSize, epochs, seed, backend, vectors, maxSoftmaxBytes,
    onProgress: options.onProgress, onEpochEnd: options.onEpochEnd, progressIntervalMs, signal,
  };
}
