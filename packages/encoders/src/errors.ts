/**
 * The error codes of @embedkit/encoders. Failures a user can cause (a missing key, a refused
 * request, an unusable model) are `EmbedkitError<EncodersErrorCode>`; malformed arguments are
 * `TypeError` / `RangeError`.
 */
import { EmbedkitError } from '@embedkit/errors';

/**
 * Codes of the {@link EmbedkitError}s thrown by @embedkit/encoders.
 *
 * - `ABORTED`: the call was stopped through its `AbortSignal`; the signal's reason is the `cause`.
 * - `MISSING_API_KEY`: a hosted adapter's environment variable is not set (the message names it).
 * - `REQUEST_FAILED`: the API answered with an error status that retrying does not fix (400, 401, 403, 404…).
 * - `RETRIES_EXHAUSTED`: 429 / 5xx / network errors on every attempt.
 * - `TIMEOUT`: one request took longer than `timeoutMs` on every attempt.
 * - `BAD_RESPONSE`: the API's answer is not in its documented shape (missing vectors, wrong count or length).
 * - `MODEL_NOT_FOUND`: a local model directory or one of its files (model.onnx, tokenizer.json) is missing.
 * - `INVALID_MODEL`: a local model's files cannot be used (bad JSON, unexpected inputs, an output of unknown width).
 * - `NO_TOKEN_OUTPUT`: a local model has no output the token vectors can be read from (none named as asked or `last_hidden_state`, and not exactly one 3-D output).
 * - `RUNTIME_UNAVAILABLE`: the runtime a local model needs (onnxruntime-node) is not installed.
 */
export type EncodersErrorCode =
  | 'ABORTED'
  | 'MISSING_API_KEY'
  | 'REQUEST_FAILED'
  | 'RETRIES_EXHAUSTED'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'MODEL_NOT_FOUND'
  | 'INVALID_MODEL'
  | 'NO_TOKEN_OUTPUT'
  | 'RUNTIME_UNAVAILABLE';

/** Shorthand used inside the package. */
export function encodersError(
  code: EncodersErrorCode,
  message: string,
  cause?: unknown,
): EmbedkitError<EncodersErrorCode> {
  return new EmbedkitError<EncodersErrorCode>(code, message, cause === undefined ? {} : { cause });
}

/** The error an aborted call rejects with (the signal's reason as its cause). */
export function abortedError(signal: AbortSignal): EmbedkitError<EncodersErrorCode> {
  return encodersError('ABORTED', 'The embedding call was aborted through its AbortSignal.', signal.reason);
}
