/**
 * PPMI-SVD word vectors ("count-based" embeddings): co-occurrence counts → (shifted) PPMI with
 * context-distribution smoothing → truncated SVD → U · Σ^p (Levy, Goldberg & Dagan 2015), returned
 * as `Embeddings` like every trainer's output.
 */
import type { Corpus } from '@embedkit/tokenizer';
import { EmbedkitError } from '@embedkit/errors';
import { Embeddings } from '@embedkit/vectors';
import { type CooccurrenceCounts, type CooccurrenceOptions, countCooccurrences } from './count';
import type { CsrMatrix } from './csr';
import type { CooccurrenceErrorCode } from './errors';
import { ppmi } from './ppmi';
import { type SvdResult, exactSvd, randomizedSvd, weightSingularVectors } from './svd';

/** How counts are weighted before the SVD. */
export type CountWeighting = 'ppmi' | 'sppmi' | 'counts';

/** Options of {@link factorizeCounts}. */
export interface FactorizeOptions {
  /** Dimension of the vectors (number of singular triplets). Default 100. */
  dim?: number;
  /** `ppmi` (default), `sppmi` (shifted by log `shift`) or raw `counts`. */
  weighting?: CountWeighting;
  /** Context-distribution smoothing exponent. Default 0.75. */
  alpha?: number;
  /** The k of shifted PPMI (only for `sppmi`). Default 5. */
  shift?: number;
  /** Eigenvalue weighting p of U · Σ^p: 0, 0.5 (default) or 1, or any finite power. */
  eig?: number;
  /** Add the context vectors V · Σ^p to the word vectors ("w + c"). Default false. */
  addContexts?: boolean;
  /** `exact` (dense, ml-matrix), `randomized`, or `auto` (default: exact up to 1500 rows). */
  svd?: 'auto' | 'exact' | 'randomized';
  /** Randomized SVD: extra sketch columns. Default 10. */
  oversampling?: number;
  /** Randomized SVD: power iterations. Default 3. */
  powerIterations?: number;
  /** Randomized SVD: seed of the sketch. Default 1. */
  seed?: number;
}

/** Options of {@link trainPpmiSvd}: counting plus factorisation. */
export interface PpmiSvdOptions extends CooccurrenceOptions, FactorizeOptions {}

/** Wall-clock milliseconds of each stage. */
export interface PpmiSvdTimings {
  count: number;
  weight: number;
  svd: number;
}

/** Result of {@link factorizeCounts}. */
export interface FactorizeResult {
  /** One row per label of the counts, `dim` columns. */
  readonly embeddings: Embeddings;
  /** The truncated SVD of the weighted matrix. */
  readonly svd: SvdResult;
  /** The weighted matrix that was factorised. */
  readonly weighted: CsrMatrix;
  readonly timings: PpmiSvdTimings;
}

/** Result of {@link trainPpmiSvd}. */
export interface PpmiSvdResult extends FactorizeResult {
  /** The co-occurrence counts. */
  readonly counts: CooccurrenceCounts;
}

const EXACT_LIMIT = 1500;

/**
 * Weights and factorises precomputed counts (see {@link trainPpmiSvd}).
 */
export function factorizeCounts(counts: CooccurrenceCounts, options: FactorizeOptions = {}): FactorizeResult {
  const dim = options.dim ?? 100;
  const weighting = options.weighting ?? 'ppmi';
  const eig = options.eig ?? 0.5;
  const size = counts.labels.length;
  if (!Number.isInteger(dim) || dim < 1 || dim > size) {
    throw new RangeError(`dim must be an integer in [1, ${size}] (the number of rows), got ${dim}; lower dim or use a larger vocabulary`);
  }
  if (weighting !== 'ppmi' && weighting !== 'sppmi' && weighting !== 'counts') {
    throw new RangeError(`weighting must be 'ppmi', 'sppmi' or 'counts', got ${String(weighting)}`);
  }
  if (!Number.isFinite(eig)) throw new RangeError(`eig must be a finite number (0, 0.5 or 1), got ${eig}`);
  const method = options.svd ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'randomized') {
    throw new RangeError(`svd must be 'auto', 'exact' or 'randomized', got ${String(method)}`);
  }
  if ((counts.matrix.indptr[size] ?? 0) === 0) {
    throw new EmbedkitError<CooccurrenceErrorCode>(
      'EMPTY_MATRIX',
      'no two kept words co-occur within the window; use a larger corpus or window, or lower minCount',
    );
  }
  const t0 = performance.now();
  const weighted =
    weighting === 'counts'
      ? counts.matrix
      : ppmi(counts.matrix, { alpha: options.alpha ?? 0.75, shift: weighting === 'sppmi' ? (options.shift ?? 5) : 1 });
  const t1 = performance.now();
  const useExact = method === 'exact' || (method === 'auto' && size <= EXACT_LIMIT);
  const svd = useExact
    ? exactSvd(weighted, dim)
    : randomizedSvd(weighted, dim, {
        oversampling: options.oversampling ?? 10,
        powerIterations: options.powerIterations ?? 3,
        seed: options.seed ?? 1,
      });
  const data = weightSingularVectors(svd, eig, 'u');
  if (options.addContexts === true) {
    const contexts = weightSingularVectors(svd, eig, 'v');
    for (let p = 0; p < data.length; p++) data[p]! += contexts[p]!;
  }
  const t2 = performance.now();
  return {
    embeddings: new Embeddings(counts.labels, dim, data),
    svd,
    weighted,
    timings: { count: 0, weight: t1 - t0, svd: t2 - t1 },
  };
}

/**
 * Trains PPMI-SVD vectors on a corpus: counts co-occurrences, weights them (PPMI by default),
 * factorises with a truncated SVD and returns U · Σ^eig as `Embeddings` (frequency order).
 *
 * @example
 * ```ts
 * const { embeddings } = trainPpmiSvd(corpus, { window: 5, dim: 100, maxVocab: 30000 });
 * embeddings.mostSimilar({ positive: ['king'], topN: 5 });
 * ```
 */
export function trainPpmiSvd(corpus: Corpus, options: PpmiSvdOptions = {}): PpmiSvdResult {
  const t0 = performance.now();
  const counts = countCooccurrences(corpus, options);
  const count = performance.now() - t0;
  const result = factorizeCounts(counts, options);
  return { ...result, counts, timings: { ...result.timings, count } };
}
