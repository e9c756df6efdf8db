/**
 * Options of `Embeddings.load` / `Embeddings.save`, with their defaults, validated once here.
 */
import type { ReadOptions, VectorFormat } from './read';
import type { SparkApi } from './spark';
import type { UnicodeErrorPolicy } from './utf8';

/** Options of `Embeddings.load`. */
export interface LoadOptions {
  /**
   * The file format. Default `'auto'`: a directory holding `metadata/` and `data/` is a Spark
   * `Word2VecModel`; in a file, a "count dim" first line means word2vec (then a text row after it
   * means text, anything else binary); otherwise GloVe. fastText `.vec` files are word2vec text.
   */
  format?: 'auto' | VectorFormat;
  /** Keep only the first N vectors and stop reading there (gensim's `limit`). Default: all. */
  limit?: number;
  /**
   * Words that are not valid UTF-8 (the C tool writes raw bytes and may cut a character):
   * `'replace'` (default) with U+FFFD, `'ignore'` drops the bad bytes, `'strict'` throws
   * `INVALID_UTF8`. When replacing makes a word equal to an earlier one, the later is skipped.
   */
  unicodeErrors?: UnicodeErrorPolicy;
  /** Receives non-fatal notices (words skipped by the unicode policy). Default: none. */
  onWarning?: (message: string) => void;
}

/** Options of `Embeddings.save`. */
export interface SaveOptions {
  /**
   * The file format (required: saving never guesses). `'spark'` writes a directory that Spark's
   * `Word2VecModel.load` reads.
   */
  format: VectorFormat;
  /**
   * With `format: 'spark'`: `'ml'` (default) for the DataFrame API's
   * `org.apache.spark.ml.feature.Word2VecModel`, `'mllib'` for the RDD API's
   * `org.apache.spark.mllib.feature.Word2VecModel`.
   */
  sparkApi?: SparkApi;
}

const FORMATS: readonly string[] = ['word2vec-text', 'word2vec-binary', 'glove', 'spark'];

/** Applies defaults and validates {@link LoadOptions}. */
export function resolveLoadOptions(options: LoadOptions): ReadOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('load: options must be an object');
  const format = options.format ?? 'auto';
  if (format !== 'auto' && !FORMATS.includes(format)) {
    throw new RangeError(`load: format must be 'auto', ${FORMATS.map((f) => `'${f}'`).join(', ')}; got ${JSON.stringify(format)}`);
  }
  const limit = options.limit ?? Infinity;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`load: limit must be a positive integer, got ${String(options.limit)}`);
  }
  const unicodeErrors = options.unicodeErrors ?? 'replace';
  if (unicodeErrors !== 'strict' && unicodeErrors !== 'replace' && unicodeErrors !== 'ignore') {
    throw new RangeError(`load: unicodeErrors must be 'strict', 'replace' or 'ignore', got ${JSON.stringify(unicodeErrors)}`);
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new TypeError('load: onWarning must be a function');
  }
  return { format, limit, unicodeErrors, onWarning: options.onWarning };
}

/** Validates {@link SaveOptions} and applies their defaults. */
export function resolveSaveOptions(options: SaveOptions | undefined): { format: VectorFormat; sparkApi: SparkApi } {
  const format = options?.format;
  if (format === undefined || !FORMATS.includes(format)) {
    throw new RangeError(
      `save: options.format must be one of ${FORMATS.map((f) => `'${f}'`).join(', ')}; got ${JSON.stringify(format)}`,
    );
  }
  const sparkApi = options?.sparkApi ?? 'ml';
  if (sparkApi !== 'ml' && sparkApi !== 'mllib') {
    throw new RangeError(`save: options.sparkApi must be 'ml' or 'mllib'; got ${JSON.stringify(sparkApi)}`);
  }
  return { format, sparkApi };
}
