// Error codes of @embedkit/tokenizer. Every failure a user can cause with a file or a setting is an
// EmbedkitError with one of these codes; bad arguments are TypeError / RangeError instead.
import { EmbedkitError } from '@embedkit/errors';

/**
 * Codes of the {@link EmbedkitError}s thrown by `@embedkit/tokenizer`.
 *
 * - `FILE_NOT_FOUND`: the path does not exist.
 * - `NOT_A_FILE`: the path is a directory (or another non-regular file).
 * - `READ_ERROR`: the operating system refused to read the file (permissions, I/O error).
 * - `WRITE_ERROR`: the operating system refused to write a vocabulary file (missing directory, permissions).
 * - `EMPTY_FILE`: the file holds no token at all.
 * - `BINARY_FILE`: the file looks like binary data (NUL bytes, control characters), not text.
 * - `NOT_UTF8`: the file is text in another encoding (Latin-1, Windows-1252, GBK…): mostly invalid
 *   UTF-8 without the control characters of binary data.
 * - `EMPTY_VOCABULARY`: no word reaches `minCount`.
 * - `PARSE_ERROR`: a vocabulary file is not in the `word count` format.
 * - `INVALID_WORD`: a word cannot be written to a vocabulary file (it contains whitespace).
 * - `VOCABULARY_MISMATCH`: a Corpus was given ids outside its vocabulary.
 * - `BAD_COLUMN`: the text column of a Parquet corpus is missing, not text, ambiguous (several
 *   text columns and none named), or a column was named for a file that is not Parquet.
 */
export type TokenizerErrorCode =
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'READ_ERROR'
  | 'WRITE_ERROR'
  | 'EMPTY_FILE'
  | 'BINARY_FILE'
  | 'NOT_UTF8'
  | 'EMPTY_VOCABULARY'
  | 'PARSE_ERROR'
  | 'INVALID_WORD'
  | 'VOCABULARY_MISMATCH'
  | 'BAD_COLUMN';

/** Shorthand used inside the package. */
export function tokenizerError(
  code: TokenizerErrorCode,
  message: string,
  cause?: unknown,
): EmbedkitError<TokenizerErrorCode> {
  return new EmbedkitError<TokenizerErrorCode>(code, message, cause === undefined ? {} : { cause });
}
