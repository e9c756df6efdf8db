/**
 * Error codes of @embedkit/cooccurrence. Bad arguments are `TypeError` / `RangeError`; these codes
 * cover failures that depend on the data or the environment.
 */

/**
 * Machine-readable codes carried by the `EmbedkitError`s this package throws.
 *
 * - `EMPTY_MATRIX`: nothing to factorise (no co-occurrence within the window, or an empty corpus).
 * - `TOO_MANY_PAIRS`: the counts would not fit in 32-bit indices.
 * - `WORKER_NOT_BUILT`: GloVe with `threads > 1` needs the built worker (`npx tsup`).
 * - `WORKER_FAILED`: a GloVe worker thread threw; the original error is the `cause`.
 * - `ABORTED`: training was stopped through its `AbortSignal`.
 * - `NOT_CONVERGED`: a dense decomposition did not produce finite values.
 */
export type CooccurrenceErrorCode =
  | 'EMPTY_MATRIX'
  | 'TOO_MANY_PAIRS'
  | 'WORKER_NOT_BUILT'
  | 'WORKER_FAILED'
  | 'ABORTED'
  | 'NOT_CONVERGED';
