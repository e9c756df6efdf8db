/** Error codes of @embedkit/word2vec. */

/**
 * - `EMPTY_CORPUS`: the corpus has no tokens to train on.
 * - `OUT_OF_MEMORY`: the estimated memory of the model exceeds `maxMemoryBytes` (or what typed
 *   arrays can hold).
 * - `NOT_TRANSFERABLE`: a custom negative sampler without `toWorker()` used with `threads > 1`.
 * - `INCOMPATIBLE_MODEL`: `resumeFrom` does not match the corpus vocabulary or the options.
 * - `WORKER_FAILED`: a worker thread threw an error without a code of its own (an `EmbedkitError`
 *   thrown in a worker, such as a streamed corpus's `READ_ERROR`, is rethrown with its code); the
 *   original error is the `cause`.
 * - `ABORTED`: training was stopped through `signal`; the abort reason is the `cause`.
 * - `DIVERGED`: weights became NaN or infinite (learning rate far too high); lower `alpha`.
 * - `FILE_NOT_FOUND`: the model file to load does not exist.
 * - `UNKNOWN_FORMAT`: the file is not an embedkit word2vec model (a gensim pickle is named as such).
 * - `UNSUPPORTED_VERSION`: a model file of a newer format version.
 * - `CORRUPT_MODEL`: a model file that is truncated or damaged (the message says where).
 */
export type Word2VecErrorCode =
  | 'EMPTY_CORPUS'
  | 'OUT_OF_MEMORY'
  | 'NOT_TRANSFERABLE'
  | 'INCOMPATIBLE_MODEL'
  | 'WORKER_FAILED'
  | 'ABORTED'
  | 'DIVERGED'
  | 'FILE_NOT_FOUND'
  | 'UNKNOWN_FORMAT'
  | 'UNSUPPORTED_VERSION'
  | 'CORRUPT_MODEL';
