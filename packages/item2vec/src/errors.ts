// Error codes of @embedkit/item2vec. Every failure the package raises on purpose is an
// EmbedkitError with one of these codes, so callers (the CLI above all) can branch on `code`.
import { EmbedkitError } from '@embedkit/errors';

/**
 * Codes of the {@link EmbedkitError}s thrown by `@embedkit/item2vec`.
 *
 * - `FILE_NOT_FOUND`: the events (or catalogue) file does not exist.
 * - `BAD_ROW`: a row could not be read (missing column, unparsable timestamp, empty id) and the
 *   reader runs with `strict: true`; or a quoted field never ends (64 MiB without a record).
 * - `MISSING_COLUMN`: the header (or the Parquet schema) lacks a column the mapping names.
 * - `AMBIGUOUS_COLUMN`: the header names a mapped column more than once.
 * - `BAD_FILE`: the file cannot be read as its format: a Parquet file that is not one or is
 *   damaged, a stream where Parquet needs a regular file, gzip data that is damaged or cut short,
 *   binary data (NUL bytes) where text is expected.
 * - `NO_EVENTS`: nothing usable was read, or sessionisation (or `minCount`) left no session of two
 *   items to train on.
 * - `UNKNOWN_ITEM`: an item has no vector and no metadata to derive one from.
 * - `UNKNOWN_PRESET`: the preset name is not one of `EVENT_PRESETS`.
 * - `BAD_PARAMS`: a tuned-parameters file (or context vectors) that cannot be used: not JSON, not
 *   written by `item2vec tune`, a value out of range, or context vectors that do not match the items.
 * - `OUT_OF_MEMORY`: the item vectors would not fit in memory (checked before training).
 * - `BUDGET_TOO_SMALL`: `tuneItem2Vec` could not finish one trial within its time budget.
 * - `ABORTED`: `tuneItem2Vec`'s signal stopped it before its first trial finished (nothing to return).
 */
export type Item2VecErrorCode =
  | 'FILE_NOT_FOUND'
  | 'BAD_ROW'
  | 'MISSING_COLUMN'
  | 'AMBIGUOUS_COLUMN'
  | 'BAD_FILE'
  | 'NO_EVENTS'
  | 'UNKNOWN_ITEM'
  | 'UNKNOWN_PRESET'
  | 'BAD_PARAMS'
  | 'OUT_OF_MEMORY'
  | 'BUDGET_TOO_SMALL'
  | 'ABORTED';

/** Shorthand used inside the package. */
export function item2vecError(
  code: Item2VecErrorCode,
  message: string,
  cause?: unknown,
): EmbedkitError<Item2VecErrorCode> {
  return new EmbedkitError<Item2VecErrorCode>(code, message, cause === undefined ? {} : { cause });
}
