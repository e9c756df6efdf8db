/**
 * @embedkit/cooccurrence: count-based word vectors. Window co-occurrence counts (sparse, CSR),
 * PPMI weighting, exact and randomized truncated SVD, PCA for maps, and GloVe.
 */

// Counting
export { countCooccurrences, countCooccurrencesFrom, resolveCooccurrenceOptions } from './count';
export type {
  CooccurrenceCounts,
  CooccurrenceOptions,
  ResolvedCooccurrenceOptions,
  SentenceMarkers,
  WindowDirection,
} from './count';

// Sparse matrices
export {
  csrFromDense,
  csrMultiplyDense,
  csrToDense,
  csrTranspose,
  csrTransposeMultiplyDense,
  nnz,
  validateCsr,
} from './csr';
export type { CsrMatrix, DenseMatrix } from './csr';

// Weighting
export { ppmi } from './ppmi';
export type { PpmiOptions } from './ppmi';

// SVD and PCA
export { exactSvd, orthonormalizeColumns, randomizedSvd, weightSingularVectors } from './svd';
export type { RandomizedSvdOptions, SvdResult } from './svd';
export { pca, pcaOfEmbeddings } from './pca';
export type { PcaMap, PcaResult } from './pca';

// PPMI-SVD vectors
export { factorizeCounts, trainPpmiSvd } from './ppmi-svd';
export type {
  CountWeighting,
  FactorizeOptions,
  FactorizeResult,
  PpmiSvdOptions,
  PpmiSvdResult,
  PpmiSvdTimings,
} from './ppmi-svd';

// Errors
export type { CooccurrenceErrorCode } from './errors';

// GloVe
export { trainGlove, trainGloveOnCounts } from './glove';
export type { GloveCorpusOptions, GloveIteration, GloveOptions, GloveResult } from './glove';
