/**
 * Applies the defaults of {@link Word2VecOptions} and validates everything once, before any work,
 * including an estimate of the memory the model needs (as gensim's `estimate_memory`).
 */

import { totalmem } from 'node:os';
import { EmbedkitError } from '@embedkit/errors';
import { WINDOW_MODES } from '@embedkit/sampling';
import type { NegativeSampler, WindowMode } from '@embedkit/sampling';
import { Corpus, StreamingCorpus } from '@embedkit/tokenizer';
import type { CorpusSource } from '@embedkit/tokenizer';
import type { SubwordSettings } from '@embedkit/vectors';
import type { Word2VecErrorCode } from './errors';
import { resolveSubwordOption, subwordExtraBytes } from './subword';
import { wasmModule } from './wasm';
import type { EpochReport, TrainingProgress, Word2VecModel, Word2VecOptions, Word2VecState } from './types';

/** Largest accepted `dim`: beyond it a typo is far likelier than intent. */
export const MAX_DIM = 10_000;
/** Largest accepted `window` (outside `sentence` mode). */
export const MAX_WINDOW = 1_000;
/** Largest accepted `threads`. */
export const MAX_THREADS = 256;
/** Largest Float32Array length V8 allocates. */
const MAX_TYPED_LENGTH = 2 ** 32 - 1;

/**
 * A streamed batch's ids and segments with its reader's buffers, about: a read (1 MiB of a text
 * file, or of a Parquet text column whatever its row groups' size) holds ~200k tokens.
 */
const STREAM_BATCH_BYTES = 4 << 20;

/** Options with every default applied; what the kernels and workers see. */
export interface ResolvedOptions {
  model: Word2VecModel;
  dim: number;
  window: number;
  windowMode: WindowMode;
  negative: number;
  hs: boolean;
  sample: number;
  alpha: number;
  minAlpha: number;
  epochs: number;
  threads: number;
  seed: number;
  cbowMean: boolean;
  negativeExponent: number;
  negativeSampler: NegativeSampler | undefined;
  extraNegatives: { sampler: NegativeSampler; count: number } | undefined;
  globalContext: Int32Array | undefined;
  /** Subword settings (n-grams off when `maxN` is 0); undefined without the option. */
  subwords: SubwordSettings | undefined;
  maxSentenceLength: number;
  /** Whether to run the WebAssembly SIMD kernels. */
  useWasm: boolean;
  maxMemoryBytes: number;
  resumeFrom: Word2VecState | undefined;
  onProgress: ((progress: TrainingProgress) => void) | undefined;
  onEpochEnd: ((epoch: EpochReport) => void) | undefined;
  progressIntervalMs: number;
  signal: AbortSignal | undefined;
  /** Estimated bytes of the model and training buffers. */
  estimatedBytes: number;
}

function integerIn(name: string, value: number, min: number, max: number, hint: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${String(value)}`);
  }
  if (value < min || value > max) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}. ${hint}`);
  return value;
}

function finiteIn(name: string, value: number, min: number, max: number, hint: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${name} must be a number, got ${String(value)}`);
  if (!(value >= min && value <= max)) throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}. ${hint}`);
  return value;
}

function checkSampler(name: string, sampler: unknown): NegativeSampler {
  if (sampler === null || typeof sampler !== 'object' || typeof (sampler as NegativeSampler).draw !== 'function') {
    throw new TypeError(`${name} must be an object with a draw(rng, centerId) method`);
  }
  return sampler as NegativeSampler;
}

/**
 * Bytes the model needs: the weight matrices, the sampling tables, the Huffman tree and, with
 * workers, the shared copy of the token ids (with a streamed corpus, the batches in flight, and
 * `readerBytes`: what its one reader holds besides, such as `StreamingCorpus.readerBytes`). The
 * corpus itself is not counted (it exists already).
 */
export function estimateMemory(
  vocabularySize: number,
  tokenCount: number,
  o: { dim: number; negative: number; hs: boolean; threads: number; subwordBytes?: number; streaming?: boolean; readerBytes?: number },
): number {
  const row = o.dim * 4;
  let bytes = vocabularySize * row; // wIn
  bytes += o.subwordBytes ?? 0; // n-gram rows of wIn and the bag tables (subword.ts)
  bytes += vocabularySize * row; // embeddings copy of wIn
  if (o.negative > 0) bytes += vocabularySize * row + vocabularySize * 8; // wOut + alias tables
  if (o.hs) bytes += vocabularySize * row + vocabularySize * 40 * 5; // wOutHs + codes/points (depth ≤ ~40)
  bytes += vocabularySize * 4; // keep thresholds
  // Workers read an in-memory corpus's ids from shared memory; a streamed corpus holds a batch per thread.
  if (o.streaming === true) bytes += o.threads * 2 * STREAM_BATCH_BYTES + (o.readerBytes ?? 0);
  else if (o.threads > 1) bytes += tokenCount * 4;
  return bytes;
}

/**
 * `options` with every option it leaves out taken from `resumeFrom`'s model (its shape and its
 * last run's settings), so that continuing needs nothing but the state and the epochs.
 */
function withResumeDefaults(options: Word2VecOptions): Word2VecOptions {
  const resume = options.resumeFrom;
  if (resume === undefined || resume === null || typeof resume !== 'object') return options;
  const settings = resume.settings;
  const merged: Word2VecOptions = {
    model: resume.model,
    dim: resume.dim,
    negative: settings?.negative ?? (resume.wOut === null ? 0 : 5),
    hs: settings?.hs ?? resume.wOutHs !== null,
    ...(resume.subwords ? { subwords: resume.subwords } : {}),
    ...(settings === undefined
      ? {}
      : {
          window: settings.window,
          windowMode: settings.windowMode,
          sample: settings.sample,
          alpha: settings.alpha,
          cbowMean: settings.cbowMean,
          negativeExponent: settings.negativeExponent,
          maxSentenceLength: settings.maxSentenceLength,
        }),
  };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return merged;
}

/** Applies defaults and validates; throws `TypeError`/`RangeError`/`EmbedkitError` before any work. */
export function resolveOptions(corpus: CorpusSource, given: Word2VecOptions = {}): ResolvedOptions {
  const options = withResumeDefaults(given);
  if (corpus === null || typeof corpus !== 'object' || typeof corpus.read !== 'function' || typeof corpus.vocabulary !== 'object') {
    throw new TypeError('trainWord2Vec needs a Corpus or a StreamingCorpus from @embedkit/tokenizer');
  }
  if (corpus.tokenCount === 0 || corpus.vocabulary.size === 0) {
    throw new EmbedkitError<Word2VecErrorCode>(
      'EMPTY_CORPUS',
      `The corpus has ${corpus.tokenCount} tokens and ${corpus.vocabulary.size} vocabulary words: nothing to train on. Give more text or a smaller minCount.`,
    );
  }
  const model = options.model ?? 'cbow';
  if (model !== 'skipgram' && model !== 'cbow') throw new RangeError(`model must be 'skipgram' or 'cbow', got ${String(model)}`);
  const dim = integerIn('dim', options.dim ?? 100, 1, MAX_DIM, 'Typical values are 50 to 300.');
  const windowMode = options.windowMode ?? 'dynamic';
  if (!WINDOW_MODES.includes(windowMode)) throw new RangeError(`windowMode must be one of ${WINDOW_MODES.join(', ')}, got ${String(windowMode)}`);
  const window = integerIn('window', options.window ?? 5, 1, MAX_WINDOW, 'Typical values are 2 to 10.');
  const negative = integerIn('negative', options.negative ?? 5, 0, 1000, 'Typical values are 5 to 20, or 0 with hs.');
  const hs = options.hs ?? false;
  if (typeof hs !== 'boolean') throw new TypeError(`hs must be a boolean, got ${String(hs)}`);
  if (negative === 0 && !hs) throw new RangeError('negative is 0 and hs is false: no output layer to train. Set negative > 0 or hs: true.');
  const sample = finiteIn('sample', options.sample ?? 1e-3, 0, 1, 'Typical values are 1e-3 to 1e-5, or 0 to disable.');
  const alpha = finiteIn('alpha', options.alpha ?? (model === 'cbow' ? 0.05 : 0.025), Number.MIN_VALUE, 10, 'Typical values are 0.025 (skip-gram) and 0.05 (CBOW).');
  const minAlpha = finiteIn('minAlpha', options.minAlpha ?? alpha * 1e-4, 0, alpha, 'It must not exceed alpha.');
  const epochs = integerIn('epochs', options.epochs ?? 5, 1, 100_000, '');
  const threads = integerIn('threads', options.threads ?? 1, 1, MAX_THREADS, 'Use at most the number of cores.');
  const seed = options.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new TypeError(`seed must be a finite number, got ${String(seed)}`);
  const cbowMean = options.cbowMean ?? true;
  const negativeExponent = finiteIn('negativeExponent', options.negativeExponent ?? 0.75, -100, 100, '');
  const negativeSampler = options.negativeSampler === undefined ? undefined : checkSampler('negativeSampler', options.negativeSampler);
  let extraNegatives: ResolvedOptions['extraNegatives'];
  if (options.extraNegatives !== undefined) {
    const { sampler, count } = options.extraNegatives;
    extraNegatives = { sampler: checkSampler('extraNegatives.sampler', sampler), count: integerIn('extraNegatives.count', count, 0, 1000, '') };
  }
  const globalContext = options.globalContext;
  if (globalContext !== undefined) {
    if (!(corpus instanceof Corpus)) throw new RangeError('globalContext gives one id per sentence of an in-memory Corpus; a streamed corpus cannot take it (load it into memory)');
    if (!(globalContext instanceof Int32Array)) throw new TypeError('globalContext must be an Int32Array (one id or -1 per sentence)');
    if (globalContext.length !== corpus.sentenceCount) {
      throw new RangeError(`globalContext has ${globalContext.length} entries; the corpus has ${corpus.sentenceCount} sentences`);
    }
    const v = corpus.vocabulary.size;
    for (let s = 0; s < globalContext.length; s++) {
      const g = globalContext[s]!;
      if (g < -1 || g >= v) throw new RangeError(`globalContext[${s}] = ${g} is not a vocabulary id in [0, ${v}) nor -1`);
    }
  }
  if (threads > 1) {
    for (const [name, sampler] of [['negativeSampler', negativeSampler], ['extraNegatives.sampler', extraNegatives?.sampler]] as const) {
      if (sampler !== undefined && typeof sampler.toWorker !== 'function') {
        throw new EmbedkitError<Word2VecErrorCode>(
          'NOT_TRANSFERABLE',
          `${name} has no toWorker() method, so worker threads cannot rebuild it. Implement toWorker() (see WorkerSamplerSpec) or use threads: 1.`,
        );
      }
    }
  }
  const subwords = options.subwords === undefined ? undefined : resolveSubwordOption(options.subwords);
  if (subwords !== undefined && !cbowMean && model === 'cbow') {
    throw new RangeError('subwords with CBOW average over all n-gram rows of the context (fastText); cbowMean: false is not supported with subwords');
  }
  const maxSentenceLength = integerIn('maxSentenceLength', options.maxSentenceLength ?? 10_000, 1, 1 << 24, '');
  const maxMemoryBytes = finiteIn('maxMemoryBytes', options.maxMemoryBytes ?? Math.floor(totalmem() * 0.8), 0, Number.MAX_SAFE_INTEGER, '');
  const progressIntervalMs = finiteIn('progressIntervalMs', options.progressIntervalMs ?? 250, 1, 3_600_000, '');
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) throw new TypeError('signal must be an AbortSignal');
  for (const name of ['onProgress', 'onEpochEnd'] as const) {
    const f = options[name];
    if (f !== undefined && typeof f !== 'function') throw new TypeError(`${name} must be a function`);
  }

  const v = corpus.vocabulary.size;
  const resumeFrom = options.resumeFrom;
  if (resumeFrom !== undefined) {
    const problem =
      resumeFrom.vocabulary.size !== v || resumeFrom.vocabulary.words.some((w, i) => corpus.vocabulary.words[i] !== w)
        ? 'its vocabulary differs from the corpus vocabulary (encode the corpus with the model vocabulary: Corpus.fromSentences(s, { vocabulary }))'
        : resumeFrom.dim !== dim
          ? `its dim is ${resumeFrom.dim}, not ${dim}`
          : resumeFrom.model !== model
            ? `it was trained as ${resumeFrom.model}, not ${model}`
            : (negative > 0) !== (resumeFrom.wOut !== null) || hs !== (resumeFrom.wOutHs !== null)
              ? 'its output layers (negative sampling / hierarchical softmax) differ from the options'
              : JSON.stringify(resumeFrom.subwords ?? null) !== JSON.stringify(subwords ?? null)
                ? `its subword settings (${JSON.stringify(resumeFrom.subwords ?? null)}) differ from the options (${JSON.stringify(subwords ?? null)})`
                : undefined;
    if (problem !== undefined) throw new EmbedkitError<Word2VecErrorCode>('INCOMPATIBLE_MODEL', `Cannot resume from this model: ${problem}.`);
  }

  const kernel = options.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') throw new RangeError(`kernel must be 'auto', 'wasm' or 'js', got ${String(kernel)}`);
  // wasm32 memory holds at most 4 GiB (65536 pages); the weights must fit in it.
  const buckets = subwords?.buckets ?? 0;
  const wasmBytes = 4 * dim * (v + buckets + (negative > 0 ? v : 0) + (hs ? v : 0)) + (hs ? v * 40 * 5 : 0) + threads * 4 * (3 * dim + negative + 1002);
  const wasmPossible = dim % 4 === 0 && wasmBytes < 2 ** 32 - 2 ** 20 && wasmModule() !== null;
  if (kernel === 'wasm' && !wasmPossible) {
    throw new RangeError(`kernel 'wasm' needs dim divisible by 4 (got ${dim}), weights under 4 GiB and WebAssembly SIMD; use kernel 'auto' or 'js'`);
  }
  const useWasm = kernel !== 'js' && wasmPossible;

  const subwordBytes = subwords === undefined ? 0 : subwordExtraBytes(corpus.vocabulary.words, dim, subwords);
  const readerBytes = corpus instanceof StreamingCorpus ? corpus.readerBytes : 0;
  const estimatedBytes = estimateMemory(v, corpus.tokenCount, { dim, negative, hs, threads, subwordBytes, streaming: !(corpus instanceof Corpus), readerBytes });
  if (subwords !== undefined && (estimatedBytes > maxMemoryBytes || (v + buckets) * dim > MAX_TYPED_LENGTH)) {
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
    const fitting = Math.floor(Math.min(maxMemoryBytes - (estimatedBytes - buckets * dim * 4), MAX_TYPED_LENGTH * 4 - v * dim * 4) / (dim * 4));
    throw new EmbedkitError<Word2VecErrorCode>(
      'OUT_OF_MEMORY',
      `Training ${v} words with ${buckets} n-gram buckets × ${dim} dimensions needs about ${mib(estimatedBytes)} MiB ` +
        `(the n-gram rows alone ${mib(buckets * dim * 4)} MiB), more than the limit of ${mib(maxMemoryBytes)} MiB. ` +
        `Use fewer buckets (subwords.buckets${fitting > 0 ? `: at most about ${fitting} fit` : ''}), a smaller dim, or raise maxMemoryBytes.`,
    );
  }
  if (estimatedBytes > maxMemoryBytes || v * dim > MAX_TYPED_LENGTH) {
    throw new EmbedkitError<Word2VecErrorCode>(
      'OUT_OF_MEMORY',
      `Training ${v} words × ${dim} dimensions needs about ${(estimatedBytes / 2 ** 20).toFixed(0)} MiB, more than the limit of ${(maxMemoryBytes / 2 ** 20).toFixed(0)} MiB. Use a larger minCount or maxSize for the vocabulary, a smaller dim, or raise maxMemoryBytes.`,
    );
  }
  return {
    model, dim, window, windowMode, negative, hs, sample, alpha, minAlpha, epochs, threads, seed, cbowMean,
    negativeExponent, negativeSampler, extraNegatives, globalContext, subwords, maxSentenceLength, useWasm, maxMemoryBytes, resumeFrom,
    onProgress: options.onProgress, onEpochEnd: options.onEpochEnd, progressIntervalMs, signal, estimatedBytes,
  };
}
