/**
 * Error codes of the subword (fastText-style) part of @embedkit/vectors: the package's own
 * {@link VectorsErrorCode}s plus what only model files can go wrong with.
 */
import { EmbedkitError } from '@embedkit/errors';
import type { VectorsErrorCode } from '../errors';

/**
 * Codes of the {@link EmbedkitError}s thrown by the subword models and their loaders.
 *
 * - every {@link VectorsErrorCode} (`FILE_NOT_FOUND`, `TRUNCATED_FILE`, `UNKNOWN_FORMAT`,
 *   `UNKNOWN_KEY`, `NON_FINITE_VALUE`, `DUPLICATE_LABEL`, …);
 * - `NOT_SUPPORTED`: a valid model this version cannot read yet (a quantized fastText model,
 *   a pruned dictionary);
 * - `UNSUPPORTED_VERSION`: a fastText or embedkit model file of a format version this code
 *   does not know;
 * - `CORRUPT_MODEL`: a model file whose values contradict each other (a matrix whose shape is
 *   not `words + buckets` × `dim`, a negative count, a bad flag). The message names the byte
 *   offset.
 */
export type SubwordErrorCode = VectorsErrorCode | 'NOT_SUPPORTED' | 'UNSUPPORTED_VERSION' | 'CORRUPT_MODEL';

/** Shorthand used throughout the subword modules. */
export function subwordError(
  code: SubwordErrorCode,
  message: string,
  cause?: unknown,
): EmbedkitError<SubwordErrorCode> {
  return new EmbedkitError<SubwordErrorCode>(code, message, cause === undefined ? {} : { cause });
}
