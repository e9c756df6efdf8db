/**
 * @embedkit/errors: the one error class every embedkit package throws.
 *
 * Each package declares the string-literal union of its own codes (for example
 * `TokenizerErrorCode`) and throws `EmbedkitError<ThatUnion>`, so callers can branch on `code`
 * with type checking, while one `instanceof EmbedkitError` test catches them all.
 * Bad arguments (wrong type, value out of range) are `TypeError` / `RangeError`, not this class.
 */

/** Options accepted by {@link EmbedkitError}'s constructor. */
export interface EmbedkitErrorOptions {
  /** The underlying error, kept for `--verbose` output and debugging. */
  cause?: unknown;
}

/**
 * An error with a machine-readable `code` and a message that names the problem and its fix.
 *
 * @example
 * ```ts
 * try { await Corpus.fromFile('missing.txt'); }
 * catch (e) { if (e instanceof EmbedkitError && e.code === 'FILE_NOT_FOUND') … }
 * ```
 */
export class EmbedkitError<Code extends string = string> extends Error {
  /** Machine-readable code, stable across versions. */
  readonly code: Code;

  constructor(code: Code, message: string, options: EmbedkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EmbedkitError';
    this.code = code;
  }
}

/** True when `value` is an {@link EmbedkitError}, optionally with the given code. */
export function isEmbedkitError<Code extends string = string>(
  value: unknown,
  code?: Code,
): value is EmbedkitError<Code> {
  return value instanceof EmbedkitError && (code === undefined || value.code === code);
}
