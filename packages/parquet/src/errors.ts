// Error codes of @embedkit/parquet. Every problem a file can cause is an EmbedkitError with one of
// these codes, its message naming the file and the fix; bad arguments are TypeError / RangeError.
import { EmbedkitError } from '@embedkit/errors';

/**
 * Codes of the {@link EmbedkitError}s thrown by `@embedkit/parquet`.
 *
 * - `FILE_NOT_FOUND`: the path does not exist.
 * - `READ_ERROR`: the operating system refused to read or write the file.
 * - `NOT_PARQUET`: the file does not start and end with the `PAR1` magic.
 * - `CORRUPT_FILE`: the footer or a page cannot be decoded (truncated or damaged file).
 * - `UNSUPPORTED`: the file needs a feature the reader lacks (an unknown compression codec).
 * - `COLUMN_NOT_FOUND`: a requested column is not in the file (the message lists the columns).
 */
export type ParquetErrorCode =
  | 'FILE_NOT_FOUND'
  | 'READ_ERROR'
  | 'NOT_PARQUET'
  | 'CORRUPT_FILE'
  | 'UNSUPPORTED'
  | 'COLUMN_NOT_FOUND';

/** Shorthand used inside the package. */
export function parquetError(code: ParquetErrorCode, message: string, cause?: unknown): EmbedkitError<ParquetErrorCode> {
  return new EmbedkitError<ParquetErrorCode>(code, message, cause === undefined ? {} : { cause });
}
