/** Error codes of @embedkit/word2vec-tfjs. */

/**
 * - `BACKEND_UNAVAILABLE`: the requested TensorFlow.js backend cannot be loaded here (for
 *   `'tensorflow'`: neither `@tensorflow/tfjs-node-gpu` nor `@tensorflow/tfjs-node` is installed,
 *   or its native library failed to load); the message says how to add it.
 * - `EMPTY_CORPUS`: the corpus has no tokens (or no training examples) to train on.
 * - `OUT_OF_MEMORY`: the full-softmax output would need a batch × vocabulary matrix beyond the limit.
 * - `ABORTED`: training was stopped through `signal`; the abort reason is the `cause`.
 */
export type Word2VecTfjsErrorCode = 'BACKEND_UNAVAILABLE' | 'EMPTY_CORPUS' | 'OUT_OF_MEMORY' | 'ABORTED';
