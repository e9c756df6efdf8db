/**
 * Parser for analogy files in the `questions-words.txt` format of the original word2vec
 * distribution (Mikolov et al. 2013): `: section-name` lines open a section; every other line
 * holds four words `a b c d`, read "a is to b as c is to d" (predict d from b − a + c).
 *
 * Parsing keeps the words as written; case folding happens at evaluation time, against the
 * vocabulary. Lines that do not hold exactly four words are recorded and skipped, as gensim does.
 * Files without section headers (four words a line, as many non-English analogy sets are) are
 * accepted: questions before the first header form a section named {@link UNNAMED_SECTION}.
 */

/** One analogy question `a : b :: c : expected`. */
export type AnalogyQuestion = readonly [a: string, b: string, c: string, expected: string];

/**
 * Whether a section tests meaning (capitals, currencies, family) or grammar (plurals, tenses).
 * Sections whose name starts with `gram` are syntactic, the others semantic — the naming of
 * Google's file, where the five semantic sections come first.
 */
export type AnalogySectionKind = 'semantic' | 'syntactic';

/** A named group of questions, e.g. `capital-common-countries`. */
export interface AnalogySection {
  /** The name after `: ` in the header line. */
  readonly name: string;
  readonly kind: AnalogySectionKind;
  readonly questions: readonly AnalogyQuestion[];
}

/** The parsed content of an analogy file. */
export interface AnalogySet {
  /** Sections in file order. */
  readonly sections: readonly AnalogySection[];
  /** Number of questions over all sections. */
  readonly questionCount: number;
  /** 1-based numbers of non-blank lines that were neither a header nor four words (skipped). */
  readonly invalidLines: readonly number[];
}

/** The name of the section holding the questions that come before any `: section` line. */
export const UNNAMED_SECTION = '(no section header)';

/** The kind of a section, from its name. */
export function sectionKind(name: string): AnalogySectionKind {
  return /^gram/i.test(name) ? 'syntactic' : 'semantic';
}

/**
 * Parses the text of an analogy file.
 *
 * @example
 * ```ts
 * const set = parseAnalogies(': capital-common-countries\nAthens Greece Baghdad Iraq\n');
 * set.sections[0].questions[0]; // ['Athens', 'Greece', 'Baghdad', 'Iraq']
 * ```
 */
export function parseAnalogies(text: string): AnalogySet {
  if (typeof text !== 'string') throw new TypeError(`parseAnalogies: expected a string, got ${typeof text}`);
  const lines = text.split('\n');
  const sections: { name: string; kind: AnalogySectionKind; questions: AnalogyQuestion[] }[] = [];
  let current: { name: string; kind: AnalogySectionKind; questions: AnalogyQuestion[] } | undefined;
  const invalidLines: number[] = [];
  let questionCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line.length === 0) continue;
    if (line.charCodeAt(0) === 58 /* ':' */) {
      // gensim: line.lstrip(': ').strip()
      const name = line.replace(/^[:\s]+/, '').trim();
      current = { name, kind: sectionKind(name), questions: [] };
      sections.push(current);
      continue;
    }
    if (current === undefined) {
      current = { name: UNNAMED_SECTION, kind: sectionKind(UNNAMED_SECTION), questions: [] };
      sections.push(current);
    }
    const words = line.split(/\s+/);
    if (words.length !== 4) {
      invalidLines.push(i + 1);
      continue;
    }
    current.questions.push([words[0] as string, words[1] as string, words[2] as string, words[3] as string]);
    questionCount++;
  }
  return { sections, questionCount, invalidLines };
}
