/**
 * The vocabulary as the evaluators see it: the first `restrictTo` labels, grouped into classes of
 * labels that are equal after case folding.
 *
 * This reproduces gensim's `ok_vocab` in `evaluate_word_analogies` / `evaluate_word_pairs`:
 * `{k.upper(): index for k in reversed(index_to_key[:restrict_vocab])}`. Each class is
 * represented by its FIRST row, which is the most frequent case variant because rows are in
 * descending frequency order ("Paris" stands for "paris" and "PARIS" when it comes first). Like
 * gensim we fold with upper-casing (`toUpperCase`, the same full Unicode mapping as Python's
 * `str.upper`), so that words such as "ß"/"SS" group exactly as in the reference.
 */

/** Case folding used when `caseInsensitive` is true. */
export function foldCase(word: string): string {
  return word.toUpperCase();
}

export class FoldedVocabulary {
  /** Number of rows considered: min(restrictTo, labels.length). */
  readonly rows: number;
  /** classOfRow[row]: the class id of each considered row. */
  readonly classOfRow: Int32Array;
  /** representativeRow[classId]: the first (most frequent) row of each class. */
  readonly representativeRow: Int32Array;
  readonly caseInsensitive: boolean;
  private readonly classByKey: Map<string, number>;

  constructor(labels: readonly string[], restrictTo: number, caseInsensitive: boolean) {
    const rows = Math.min(restrictTo, labels.length);
    this.rows = rows;
    this.caseInsensitive = caseInsensitive;
    this.classOfRow = new Int32Array(rows);
    const representatives: number[] = [];
    const classByKey = new Map<string, number>();
    for (let row = 0; row < rows; row++) {
      const label = labels[row] as string;
      const key = caseInsensitive ? foldCase(label) : label;
      let classId = classByKey.get(key);
      if (classId === undefined) {
        classId = representatives.length;
        classByKey.set(key, classId);
        representatives.push(row);
      }
      this.classOfRow[row] = classId;
    }
    this.representativeRow = Int32Array.from(representatives);
    this.classByKey = classByKey;
  }

  /** Class id of a word as written in an evaluation file, -1 when not among the considered rows. */
  classOf(word: string): number {
    const classId = this.classByKey.get(this.caseInsensitive ? foldCase(word) : word);
    return classId === undefined ? -1 : classId;
  }
}
