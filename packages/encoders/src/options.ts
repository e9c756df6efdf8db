/**
 * The per-call options every embedder reads ({@link EmbedOptions}), validated once at the API
 * boundary, so that `signal`, `batchSize` and `onProgress` mean the same in every family.
 */
import type { EmbedOptions, EmbedProgress } from './embedder';
import { abortedError } from './errors';

/** {@link EmbedOptions} after defaults and checks. */
export interface ResolvedEmbedOptions {
  readonly signal: AbortSignal | undefined;
  readonly batchSize: number;
  readonly onProgress: ((progress: EmbedProgress) => void) | undefined;
}

/**
 * Applies an embedder's default batch size and checks it against its limit.
 *
 * @throws TypeError / RangeError naming the option and the embedder's limit.
 */
export function resolveEmbedOptions(
  options: EmbedOptions | undefined,
  defaults: { readonly batchSize: number; readonly maxBatchSize: number; readonly embedder: string },
): ResolvedEmbedOptions {
  if (options === undefined) return { signal: undefined, batchSize: defaults.batchSize, onProgress: undefined };
  if (options === null || typeof options !== 'object') throw new TypeError(`${defaults.embedder}: options must be an object`);
  const { signal, onProgress } = options;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`${defaults.embedder}: signal must be an AbortSignal`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError(`${defaults.embedder}: onProgress must be a function`);
  }
  const batchSize = options.batchSize ?? defaults.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > defaults.maxBatchSize) {
    throw new RangeError(
      `${defaults.embedder}: batchSize must be an integer from 1 to ${defaults.maxBatchSize}, got ${String(batchSize)}`,
    );
  }
  return { signal, batchSize, onProgress };
}

/** Throws the `ABORTED` error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortedError(signal);
}

/** Checks that `texts` is an array of strings (the first argument of every `embed`). */
export function checkTexts(texts: readonly string[], embedder: string, what = 'texts'): void {
  if (!Array.isArray(texts)) throw new TypeError(`${embedder}: ${what} must be an array of strings`);
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== 'string') throw new TypeError(`${embedder}: ${what}[${i}] is ${typeof texts[i]}, expected a string`);
  }
}
