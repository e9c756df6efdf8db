/**
 * Options of the evaluators, their defaults and their validation (done once, at the API boundary).
 */

/** How an analogy `a : b :: c : ?` is answered. */
export type AnalogyMethod = '3CosAdd' | '3CosMul';

/** Options of {@link evaluateAnalogies}. */
export interface AnalogyOptions {
  /**
   * Consider only the first N rows of the embeddings (rows are in descending frequency order):
   * questions with a word outside them are skipped, and answers are searched among them only.
   * Default 30000, as in the word2vec papers' evaluations. `Infinity` uses every row.
   */
  readonly restrictTo?: number;
  /**
   * Match question words to the vocabulary without regard to case (default true, as gensim's
   * `case_insensitive=True`): each word stands for its most frequent case variant among the
   * considered rows, and a prediction that is a case variant of a question word is passed over.
   */
  readonly caseInsensitive?: boolean;
  /**
   * `3CosAdd` (default): argmax cos(x, b − a + c) over unit vectors (Mikolov et al. 2013).
   * `3CosMul`: argmax cos'(x,b)·cos'(x,c) / (cos'(x,a) + 1e-6) with cos' = (1 + cos)/2
   * (Levy & Goldberg 2014, as gensim's `most_similar_cosmul`).
   */
  readonly method?: AnalogyMethod;
  /**
   * Count questions with an out-of-vocabulary word as answered wrongly instead of skipping them
   * (gensim's `dummy4unknown`, default false).
   */
  readonly dummy4unknown?: boolean;
  /**
   * Maps each word of the file to the form looked up in the vocabulary, e.g. the training
   * tokenizer's normalisation (NFKC, lower case). Default: the word as written.
   */
  readonly wordForm?: (word: string) => string;
}

/** Options of {@link evaluateSimilarity} (and the parsing options it passes on). */
export interface SimilarityOptions extends SimilarityParseOptions {
  /**
   * Consider only the first N rows (default 300000, gensim's default for `evaluate_word_pairs`).
   * Pairs with a word outside them count as out of vocabulary.
   */
  readonly restrictTo?: number;
  /** Case-insensitive lookup, as for analogies (default true). */
  readonly caseInsensitive?: boolean;
  /**
   * Keep out-of-vocabulary pairs with a model similarity of 0 instead of skipping them
   * (gensim's `dummy4unknown`, default false).
   */
  readonly dummy4unknown?: boolean;
  /** As {@link AnalogyOptions.wordForm}. */
  readonly wordForm?: (word: string) => string;
}

/** How the lines of a similarity file are split into fields. */
export type SimilarityDelimiter = 'auto' | 'tab' | 'comma' | 'whitespace';

/** Options of {@link parseSimilarityPairs}. */
export interface SimilarityParseOptions {
  /**
   * Field separator (default `auto`: tab if the first line has a tab, else comma if it has a
   * comma, else runs of spaces).
   */
  readonly delimiter?: SimilarityDelimiter;
  /**
   * The score column, as a 0-based index or a header name (case-insensitive). Default: the first
   * column after the two words whose value is a number (the 4th, `SimLex999`, in the original
   * SimLex-999 file, whose 3rd column is the part of speech).
   */
  readonly scoreColumn?: number | string;
}

export interface ResolvedAnalogyOptions {
  readonly restrictTo: number;
  readonly caseInsensitive: boolean;
  readonly method: AnalogyMethod;
  readonly dummy4unknown: boolean;
  readonly wordForm: ((word: string) => string) | undefined;
}

export interface ResolvedSimilarityOptions {
  readonly restrictTo: number;
  readonly caseInsensitive: boolean;
  readonly dummy4unknown: boolean;
  readonly wordForm: ((word: string) => string) | undefined;
  readonly delimiter: SimilarityDelimiter;
  readonly scoreColumn: number | string | undefined;
}

/** Default `restrictTo` of {@link evaluateAnalogies}: the 30,000 most frequent words. */
export const DEFAULT_ANALOGY_RESTRICT = 30_000;
/** Default `restrictTo` of {@link evaluateSimilarity}: 300,000 rows, gensim's `evaluate_word_pairs` default. */
export const DEFAULT_SIMILARITY_RESTRICT = 300_000;

export function resolveAnalogyOptions(options: AnalogyOptions = {}): ResolvedAnalogyOptions {
  checkObject(options, 'evaluateAnalogies');
  const method = options.method ?? '3CosAdd';
  if (method !== '3CosAdd' && method !== '3CosMul') {
    throw new RangeError(`evaluateAnalogies: method must be '3CosAdd' or '3CosMul', got ${JSON.stringify(method)}`);
  }
  return {
    restrictTo: resolveRestrict(options.restrictTo, DEFAULT_ANALOGY_RESTRICT, 'evaluateAnalogies'),
    caseInsensitive: resolveBoolean(options.caseInsensitive, true, 'caseInsensitive', 'evaluateAnalogies'),
    method,
    dummy4unknown: resolveBoolean(options.dummy4unknown, false, 'dummy4unknown', 'evaluateAnalogies'),
    wordForm: resolveWordForm(options.wordForm, 'evaluateAnalogies'),
  };
}

export function resolveSimilarityOptions(options: SimilarityOptions = {}): ResolvedSimilarityOptions {
  checkObject(options, 'evaluateSimilarity');
  const parse = resolveParseOptions(options, 'evaluateSimilarity');
  return {
    restrictTo: resolveRestrict(options.restrictTo, DEFAULT_SIMILARITY_RESTRICT, 'evaluateSimilarity'),
    caseInsensitive: resolveBoolean(options.caseInsensitive, true, 'caseInsensitive', 'evaluateSimilarity'),
    dummy4unknown: resolveBoolean(options.dummy4unknown, false, 'dummy4unknown', 'evaluateSimilarity'),
    wordForm: resolveWordForm(options.wordForm, 'evaluateSimilarity'),
    ...parse,
  };
}

export function resolveParseOptions(
  options: SimilarityParseOptions = {},
  where = 'parseSimilarityPairs',
): { delimiter: SimilarityDelimiter; scoreColumn: number | string | undefined } {
  checkObject(options, where);
  const delimiter = options.delimiter ?? 'auto';
  if (delimiter !== 'auto' && delimiter !== 'tab' && delimiter !== 'comma' && delimiter !== 'whitespace') {
    throw new RangeError(
      `${where}: delimiter must be 'auto', 'tab', 'comma' or 'whitespace', got ${JSON.stringify(delimiter)}`,
    );
  }
  const scoreColumn = options.scoreColumn;
  if (scoreColumn !== undefined) {
    if (typeof scoreColumn === 'number') {
      if (!Number.isInteger(scoreColumn) || scoreColumn < 2) {
        throw new RangeError(
          `${where}: scoreColumn must be a 0-based column index ≥ 2 (columns 0 and 1 are the words), got ${scoreColumn}`,
        );
      }
    } else if (typeof scoreColumn !== 'string' || scoreColumn.trim().length === 0) {
      throw new TypeError(`${where}: scoreColumn must be a column index or a header name, got ${String(scoreColumn)}`);
    }
  }
  return { delimiter, scoreColumn };
}

function resolveWordForm(value: ((word: string) => string) | undefined, where: string): ((word: string) => string) | undefined {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${where}: wordForm must be a function`);
  return value;
}

function resolveRestrict(value: number | undefined, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 1 || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new RangeError(`${where}: restrictTo must be a positive integer or Infinity, got ${String(value)}`);
  }
  return value;
}

function resolveBoolean(value: boolean | undefined, fallback: boolean, name: string, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${typeof value}`);
  return value;
}

function checkObject(options: unknown, where: string): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
}
