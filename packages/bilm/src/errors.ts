/** Error codes of @embedkit/bilm. */
import { EmbedkitError } from '@embedkit/errors';

/**
 * - `EMPTY_CORPUS`: the corpus has too few tokens to train on (or to hold some out).
 * - `MODEL_NOT_FOUND`: the model directory or one of its files is missing.
 * - `INVALID_MODEL`: the model's files are damaged or not written by this package.
 * - `ABORTED`: training or encoding was stopped through `signal`; the abort reason is the `cause`.
 */
export type BilmErrorCode = 'EMPTY_CORPUS' | 'MODEL_NOT_FOUND' | 'INVALID_MODEL' | 'ABORTED';

/** Shorthand used inside the package. */
export function bilmError(code: BilmErrorCode, message: string, cause?: unknown): EmbedkitError<BilmErrorCode> {
  return new EmbedkitError<BilmErrorCode>(code, message, cause === undefined ? {} : { cause });
}

/** Throws `ABORTED` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw bilmError('ABORTED', `${what} was aborted through its AbortSignal.`, signal.reason);
}
