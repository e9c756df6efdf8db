/**
 * Error codes thrown by @embedkit/evaluation.
 *
 * Bad arguments (a negative `restrictTo`, an unknown method) are `TypeError` / `RangeError`;
 * problems with the evaluation files themselves are `EmbedkitError<EvaluationErrorCode>`.
 */
import { EmbedkitError } from '@embedkit/errors';

/**
 * Why an evaluation could not run.
 * - `FILE_NOT_FOUND`: the analogy or similarity file does not exist.
 * - `READ_ERROR`: the file exists but could not be read.
 * - `PARSE_ERROR`: the file is not in the expected format (for example a question before the
 *   first `: section` line, or no column with a numeric score).
 */
export type EvaluationErrorCode = 'FILE_NOT_FOUND' | 'READ_ERROR' | 'PARSE_ERROR';

export function evaluationError(
  code: EvaluationErrorCode,
  message: string,
  cause?: unknown,
): EmbedkitError<EvaluationErrorCode> {
  return new EmbedkitError<EvaluationErrorCode>(code, message, { cause });
}
