/**
 * Parser for word-similarity files: one pair per line, `word1 word2 score`, as in WordSim-353
 * (Finkelstein et al. 2002) and SimLex-999 (Hill et al. 2015) in their several distributions —
 * tab-, comma- or space-separated, LF or CRLF, with or without a header line, with extra columns
 * (SimLex-999's original file has ten, the score being the fourth).
 *
 * A header is recognised by having no numeric field after the two words. Lines starting with `#`
 * are comments (as in gensim).
 */
import { evaluationError } from './errors';
import { resolveParseOptions, type SimilarityDelimiter, type SimilarityParseOptions } from './options';

/** One judged pair. */
export interface SimilarityPair {
  readonly word1: string;
  readonly word2: string;
  /** The human score (gold standard). */
  readonly score: number;
}

/** The parsed content of a similarity file. */
export interface SimilarityPairSet {
  /** Pairs in file order (duplicates kept, as gensim does). */
  readonly pairs: readonly SimilarityPair[];
  /** The header's fields, when the file has one. */
  readonly header: readonly string[] | undefined;
  /** The delimiter used (resolved when `auto`). */
  readonly delimiter: Exclude<SimilarityDelimiter, 'auto'>;
  /** 0-based index of the score column. */
  readonly scoreColumn: number;
  /** 1-based numbers of non-blank, non-comment lines that were skipped (too few fields, score not a number). */
  readonly invalidLines: readonly number[];
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isNumeric(field: string | undefined): boolean {
  return field !== undefined && NUMBER.test(field);
}

/**
 * Parses the text of a word-similarity file.
 *
 * @throws EmbedkitError `PARSE_ERROR` when no score column can be found (named column absent from
 *   the header, or no numeric column after the two words).
 * @example
 * ```ts
 * const set = parseSimilarityPairs('Word 1,Word 2,Human (mean)\r\nlove,sex,6.77\r\n');
 * set.pairs[0]; // { word1: 'love', word2: 'sex', score: 6.77 }
 * ```
 */
export function parseSimilarityPairs(text: string, options: SimilarityParseOptions = {}): SimilarityPairSet {
  if (typeof text !== 'string') throw new TypeError(`parseSimilarityPairs: expected a string, got ${typeof text}`);
  const resolved = resolveParseOptions(options);
  const lines = text.split('\n');
  let delimiter: Exclude<SimilarityDelimiter, 'auto'> | undefined =
    resolved.delimiter === 'auto' ? undefined : resolved.delimiter;
  let header: string[] | undefined;
  let scoreColumn = typeof resolved.scoreColumn === 'number' ? resolved.scoreColumn : -1;
  const pairs: SimilarityPair[] = [];
  const invalidLines: number[] = [];
  let first = true;

  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line.length === 0 || line.charCodeAt(0) === 35 /* '#' */) continue;
    if (delimiter === undefined) delimiter = line.includes('\t') ? 'tab' : line.includes(',') ? 'comma' : 'whitespace';
    const fields = splitFields(line, delimiter);
    if (first) {
      first = false;
      // A header has no number after the two words (or, with an explicit index, none there).
      const looksLikeHeader =
        scoreColumn >= 0 ? !isNumeric(fields[scoreColumn]) && fields.length > scoreColumn : !hasNumberAfterWords(fields);
      if (looksLikeHeader || typeof resolved.scoreColumn === 'string') {
        header = fields;
        if (typeof resolved.scoreColumn === 'string') {
          const wanted = resolved.scoreColumn.trim().toLowerCase();
          scoreColumn = fields.findIndex((field) => field.toLowerCase() === wanted);
          if (scoreColumn < 2) {
            throw evaluationError(
              'PARSE_ERROR',
              `Similarity file has no score column named "${resolved.scoreColumn}" after the two word columns ` +
                `(header: ${fields.join(' | ')}). Pass scoreColumn as one of the header names or a column index.`,
            );
          }
        }
        continue;
      }
    }
    if (scoreColumn < 0) {
      scoreColumn = firstNumberAfterWords(fields);
      if (scoreColumn < 0) {
        throw evaluationError(
          'PARSE_ERROR',
          `Similarity file line ${i + 1} has no numeric score after the two words ("${line.slice(0, 60)}"). ` +
            'Expected "word1 word2 score" lines; pass scoreColumn if the score is elsewhere.',
        );
      }
    }
    const word1 = fields[0];
    const word2 = fields[1];
    const scoreField = fields[scoreColumn];
    if (word1 === undefined || word2 === undefined || word1 === '' || word2 === '' || !isNumeric(scoreField)) {
      invalidLines.push(i + 1);
      continue;
    }
    pairs.push({ word1, word2, score: Number(scoreField) });
  }
  return {
    pairs,
    header,
    delimiter: delimiter ?? 'whitespace',
    scoreColumn: scoreColumn < 0 ? 2 : scoreColumn,
    invalidLines,
  };
}

function splitFields(line: string, delimiter: Exclude<SimilarityDelimiter, 'auto'>): string[] {
  if (delimiter === 'whitespace') return line.split(/\s+/);
  const parts = line.split(delimiter === 'tab' ? '\t' : ',');
  for (let i = 0; i < parts.length; i++) parts[i] = (parts[i] as string).trim();
  return parts;
}

function firstNumberAfterWords(fields: readonly string[]): number {
  for (let i = 2; i < fields.length; i++) if (isNumeric(fields[i])) return i;
  return -1;
}

function hasNumberAfterWords(fields: readonly string[]): boolean {
  return firstNumberAfterWords(fields) >= 0;
}
