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
  // The first two content lines decide the layout: the score column is found on the second
  // (certainly data, if the file has two pairs), and the first is a header when it has no number
  // there. Looking at the first line alone would misread WordSim's set1.tab, whose header
  // carries numeric rater ids ("Word 1  Word 2  Human (mean)  1  2  3 …").
  const content: number[] = [];
  for (let i = 0; i < lines.length && content.length < 2; i++) if (isContent((lines[i] as string).trim())) content.push(i);
  const pairs: SimilarityPair[] = [];
  const invalidLines: number[] = [];
  if (content.length === 0) {
    return { pairs, header: undefined, delimiter: resolved.delimiter === 'auto' ? 'whitespace' : resolved.delimiter, scoreColumn: 2, invalidLines };
  }
  const firstIndex = content[0] as number;
  const firstLine = (lines[firstIndex] as string).trim();
  const delimiter: Exclude<SimilarityDelimiter, 'auto'> =
    resolved.delimiter !== 'auto'
      ? resolved.delimiter
      : firstLine.includes('\t')
        ? 'tab'
        : firstLine.includes(',')
          ? 'comma'
          : 'whitespace';
  const firstFields = splitFields(firstLine, delimiter);
  let header: string[] | undefined;
  let scoreColumn: number;
  if (typeof resolved.scoreColumn === 'string') {
    header = firstFields;
    const wanted = resolved.scoreColumn.trim().toLowerCase();
    scoreColumn = firstFields.findIndex((field) => field.toLowerCase() === wanted);
    if (scoreColumn < 2) {
      throw evaluationError(
        'PARSE_ERROR',
        `Similarity file has no score column named "${resolved.scoreColumn}" after the two word columns ` +
          `(header: ${firstFields.join(' | ')}). Pass scoreColumn as one of the header names or a column index.`,
      );
    }
  } else {
    if (typeof resolved.scoreColumn === 'number') {
      scoreColumn = resolved.scoreColumn;
    } else {
      const sampleIndex = content.length > 1 ? (content[1] as number) : firstIndex;
      scoreColumn = firstNumberAfterWords(splitFields((lines[sampleIndex] as string).trim(), delimiter));
      if (scoreColumn < 0) scoreColumn = firstNumberAfterWords(firstFields);
      if (scoreColumn < 0) {
        throw evaluationError(
          'PARSE_ERROR',
          `Similarity file line ${sampleIndex + 1} has no numeric score after the two words ` +
            `("${(lines[sampleIndex] as string).trim().slice(0, 60)}"). ` +
            'Expected "word1 word2 score" lines; pass scoreColumn if the score is elsewhere.',
        );
      }
    }
    if (!isNumeric(firstFields[scoreColumn]) && firstFields.length > scoreColumn) header = firstFields;
  }

  for (let i = header === undefined ? firstIndex : firstIndex + 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (!isContent(line)) continue;
    const fields = splitFields(line, delimiter);
    const word1 = fields[0];
    const word2 = fields[1];
    const scoreField = fields[scoreColumn];
    if (word1 === undefined || word2 === undefined || word1 === '' || word2 === '' || !isNumeric(scoreField)) {
      invalidLines.push(i + 1);
      continue;
    }
    pairs.push({ word1, word2, score: Number(scoreField) });
  }
  return { pairs, header, delimiter, scoreColumn, invalidLines };
}

/** Blank lines and `#` comments carry no pair. */
function isContent(line: string): boolean {
  return line.length > 0 && line.charCodeAt(0) !== 35 /* '#' */;
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
