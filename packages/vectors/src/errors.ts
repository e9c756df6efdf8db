/**
 * The error codes of @embedkit/vectors. Every data problem (a bad file, an unknown word, a
 * duplicate label) is an `EmbedkitError<VectorsErrorCode>`; malformed arguments (a negative
 * `topN`, a `data` array of the wrong length) are `TypeError` / `RangeError` instead.
 */
import { EmbedkitError } from '@embedkit/errors';

/**
 * Codes of the {@link EmbedkitError}s thrown by @embedkit/vectors.
 *
 * - `UNKNOWN_KEY`: a word is not in the vocabulary (the message suggests the nearest spelling).
 * - `DUPLICATE_LABEL`: the same label appears twice (constructor or file).
 * - `NON_FINITE_VALUE`: a NaN or ±Infinity component (constructor or file).
 * - `EMPTY_FILE`: the file holds no vectors at all.
 * - `PARSE_ERROR`: a header, a number or a line that is not what the format expects.
 * - `HEADER_MISMATCH`: the header's count or dimension disagrees with the body.
 * - `WRONG_DIMENSION`: a row with a different number of values than the others.
 * - `TRUNCATED_FILE`: a binary file that ends in the middle of a word or vector.
 * - `INVALID_UTF8`: a word that is not valid UTF-8 under `unicodeErrors: 'strict'`.
 * - `INVALID_LABEL`: a label that cannot be written in the requested format (empty, whitespace).
 * - `UNKNOWN_FORMAT`: auto-detection could not tell what format a file is in.
 * - `UNSUPPORTED_FORMAT`: a file in a format recognised but deliberately not read (a Python
 *   pickle such as a gensim `.model`; the message gives gensim's export command).
 * - `FILE_NOT_FOUND`: the file to load does not exist.
 * - `EMPTY_REFERENCE`: SIF pooling was asked to fit on sentences none of which has a known word.
 * - `OUTPUT_EXISTS`: a save would replace something that is not what it writes (a directory
 *   that is not a Spark model, or a file where a Spark model directory goes).
 * - `WRITE_FAILED`: the file system refused to save (missing directory, a directory in the way,
 *   no permission, no space); the message names the file, never the temporary one.
 */
export type VectorsErrorCode =
  | 'UNKNOWN_KEY'
  | 'DUPLICATE_LABEL'
  | 'NON_FINITE_VALUE'
  | 'EMPTY_FILE'
  | 'PARSE_ERROR'
  | 'HEADER_MISMATCH'
  | 'WRONG_DIMENSION'
  | 'TRUNCATED_FILE'
  | 'INVALID_UTF8'
  | 'INVALID_LABEL'
  | 'UNKNOWN_FORMAT'
  | 'UNSUPPORTED_FORMAT'
  | 'FILE_NOT_FOUND'
  | 'EMPTY_REFERENCE'
  | 'OUTPUT_EXISTS'
  | 'WRITE_FAILED';

/** Shorthand used throughout the package. */
export function vectorsError(
  code: VectorsErrorCode,
  message: string,
  cause?: unknown,
): EmbedkitError<VectorsErrorCode> {
  return new EmbedkitError<VectorsErrorCode>(code, message, cause === undefined ? {} : { cause });
}
