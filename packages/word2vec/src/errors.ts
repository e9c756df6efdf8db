/** Error codes of @embedkit/word2vec. */

/**
 * - `EMPTY_CORPUS`: the corpus has no tokens to train on.
 * - `OUT_OF_MEMORY`: the estimated memory of the model exceeds `maxMemoryBytes` (or what typed
 *   arrays can hold).
 * - `NOT_TRANSFERABLE`: a custom negative sampler without `toWorker()` used with `threads > 1`.
 * - `INCOMPATIBLE_MODEL`: `resumeFrom` does not match the corpus vocabulary or the options.
 * - `WORKER_FAILED`: a worker thread threw; the original error is the `cause`.
 * - `ABORTED`: training was stopped through `signal`; the abort reason is the `cause`.
 * - `DIVERGED`: weights became NaN or infinite (learning rate far too high); lower `alpha`.
 */
export type Word2VecErrorCode =
  | 'EMPTY_CORPUS'
  | 'OUT_OF_MEMORY'
  | 'NOT_TRANSFERABLE'
  | 'INCOMPATIBLE_MODEL'
  | 'WORKER_FAILED'
  | 'ABORTED'
  | 'DIVERGED';
