/**
 * Analogy evaluation: for each question a : b :: c : d, is d the best answer among the first
 * `restrictTo` words, the three question words excluded?
 *
 * Semantics follow gensim 4.2's `KeyedVectors.evaluate_word_analogies` line for line (case
 * folding through the most frequent case variant, questions with an out-of-vocabulary word
 * skipped, the top five non-input candidates scanned for the first one that is not a case variant
 * of a question word). The speed comes from batching: cosines are linear, so
 * cos(x, b − a + c) ranks like x̂·b̂ − x̂·â + x̂·ĉ. We compute the row of similarities of every
 * distinct question word against the restricted, unit-normalised matrix once (a blocked
 * matrix product), then each question is three array reads per candidate and a top-5 scan — no
 * allocation per question. 19,544 questions on 30k × 100 take a few seconds.
 */
import type { Embeddings } from '@embedkit/vectors';
import { parseAnalogies, type AnalogySectionKind, type AnalogySet } from './analogy-file';
import { FoldedVocabulary } from './folded-vocabulary';
import { resolveAnalogyOptions, type AnalogyMethod, type AnalogyOptions, type ResolvedAnalogyOptions } from './options';
import { readSource } from './source';

/** Counts and rates of one section, one half (semantic / syntactic), or the whole file. */
export interface AnalogyScore {
  /** Questions whose expected word was predicted. */
  readonly correct: number;
  /** Questions answered with another word (plus, with `dummy4unknown`, the out-of-vocabulary ones). */
  readonly incorrect: number;
  /** correct + incorrect: the questions that count for `accuracy`. */
  readonly attempted: number;
  /** Questions with at least one word missing from the first `restrictTo` rows. */
  readonly oov: number;
  /** All questions, answered or not. */
  readonly questions: number;
  /** correct / attempted, in [0, 1]; 0 when nothing was attempted (as gensim). */
  readonly accuracy: number;
  /** (questions − oov) / questions: the share of questions whose four words are known; 0 when empty. */
  readonly coverage: number;
}

/** The score of one `: section` of the file. */
export interface AnalogySectionResult extends AnalogyScore {
  readonly name: string;
  readonly kind: AnalogySectionKind;
}

/** What {@link evaluateAnalogies} returns. */
export interface AnalogyResult {
  readonly method: AnalogyMethod;
  /** Rows actually considered: min(restrictTo, embeddings.size). */
  readonly restrictTo: number;
  readonly caseInsensitive: boolean;
  readonly dummy4unknown: boolean;
  /** Per section, in file order. */
  readonly sections: readonly AnalogySectionResult[];
  /** Sections whose name does not start with `gram`. */
  readonly semantic: AnalogyScore;
  /** Sections whose name starts with `gram`. */
  readonly syntactic: AnalogyScore;
  /** All sections together (gensim's "Total accuracy" is `total.accuracy`). */
  readonly total: AnalogyScore;
  /** 1-based numbers of lines that were skipped as malformed (not four words). */
  readonly invalidLines: readonly number[];
}

/** Number of best candidates scanned for one that is not a case variant of a question word (gensim: topn=5). */
const TOP_K = 5;
/** Memory allowed for the table of similarities of question words against all rows. */
const TABLE_BYTES = 64 * 1024 * 1024;
/** Rows per block of the similarity-table product, so that a block stays in cache across words. */
const ROW_BLOCK = 512;

/**
 * Evaluates `embeddings` on an analogy file (`questions-words.txt` format).
 *
 * @param source A path, the file's text (any string containing a line break), or an already
 *   parsed {@link AnalogySet}.
 * @example
 * ```ts
 * const result = await evaluateAnalogies(embeddings, 'questions-words.txt', { restrictTo: 30000 });
 * console.log(`${(100 * result.total.accuracy).toFixed(1)} % of ${result.total.attempted}`);
 * ```
 */
export async function evaluateAnalogies(
  embeddings: Embeddings,
  source: string | AnalogySet,
  options: AnalogyOptions = {},
): Promise<AnalogyResult> {
  const resolved = resolveAnalogyOptions(options);
  const set = typeof source === 'string' ? parseAnalogies(await readSource(source, 'Analogy')) : checkSet(source);
  return evaluateAnalogySet(embeddings, set, resolved);
}

/**
 * The synchronous core of {@link evaluateAnalogies}. `tableBytes` bounds the similarity table
 * (tests make it tiny to exercise chunking).
 */
export function evaluateAnalogySet(
  embeddings: Embeddings,
  set: AnalogySet,
  resolved: ResolvedAnalogyOptions,
  tableBytes: number = TABLE_BYTES,
): AnalogyResult {
  const vocabulary = new FoldedVocabulary(embeddings.labels, resolved.restrictTo, resolved.caseInsensitive);
  const rows = vocabulary.rows;
  const dim = embeddings.dim;
  const unit = unitMatrix(embeddings, rows);

  // Flatten the questions into class ids; -1 marks an out-of-vocabulary word.
  const questionCount = set.questionCount;
  const classes = new Int32Array(questionCount * 4);
  const sectionOf = new Int32Array(questionCount);
  const known = new Uint8Array(questionCount);
  const wordForm = resolved.wordForm;
  let q = 0;
  for (let s = 0; s < set.sections.length; s++) {
    const questions = (set.sections[s] as AnalogySet['sections'][number]).questions;
    for (let i = 0; i < questions.length; i++) {
      const question = questions[i] as readonly string[];
      let allKnown = 1;
      for (let k = 0; k < 4; k++) {
        const word = question[k] as string;
        const classId = vocabulary.classOf(wordForm === undefined ? word : wordForm(word));
        classes[q * 4 + k] = classId;
        if (classId < 0) allKnown = 0;
      }
      sectionOf[q] = s;
      known[q] = allKnown;
      q++;
    }
  }

  const verdict = new Int8Array(questionCount); // 1 correct, 0 incorrect, -1 skipped (oov)
  scoreQuestions(unit, rows, dim, vocabulary, classes, known, verdict, resolved.method, tableBytes);

  // Tally.
  const sectionCount = set.sections.length;
  const correct = new Int32Array(sectionCount);
  const incorrect = new Int32Array(sectionCount);
  const oov = new Int32Array(sectionCount);
  const total = new Int32Array(sectionCount);
  for (let i = 0; i < questionCount; i++) {
    const s = sectionOf[i] as number;
    total[s] = (total[s] as number) + 1;
    const v = verdict[i] as number;
    if (v === 1) correct[s] = (correct[s] as number) + 1;
    else if (v === 0 || resolved.dummy4unknown) incorrect[s] = (incorrect[s] as number) + 1;
    if (v === -1) oov[s] = (oov[s] as number) + 1;
  }
  const sections: AnalogySectionResult[] = [];
  for (let s = 0; s < sectionCount; s++) {
    const section = set.sections[s] as AnalogySet['sections'][number];
    sections.push({
      name: section.name,
      kind: section.kind,
      ...score(correct[s] as number, incorrect[s] as number, oov[s] as number, total[s] as number),
    });
  }
  return {
    method: resolved.method,
    restrictTo: rows,
    caseInsensitive: resolved.caseInsensitive,
    dummy4unknown: resolved.dummy4unknown,
    sections,
    semantic: sum(sections.filter((s) => s.kind === 'semantic')),
    syntactic: sum(sections.filter((s) => s.kind === 'syntactic')),
    total: sum(sections),
    invalidLines: set.invalidLines,
  };
}

function checkSet(set: AnalogySet): AnalogySet {
  if (set === null || typeof set !== 'object' || !Array.isArray(set.sections)) {
    throw new TypeError('evaluateAnalogies: source must be a path, the file text, or the result of parseAnalogies()');
  }
  return set;
}

function score(correct: number, incorrect: number, oov: number, questions: number): AnalogyScore {
  const attempted = correct + incorrect;
  return {
    correct,
    incorrect,
    attempted,
    oov,
    questions,
    accuracy: attempted === 0 ? 0 : correct / attempted,
    coverage: questions === 0 ? 0 : (questions - oov) / questions,
  };
}

function sum(parts: readonly AnalogyScore[]): AnalogyScore {
  let correct = 0;
  let incorrect = 0;
  let oov = 0;
  let questions = 0;
  for (const part of parts) {
    correct += part.correct;
    incorrect += part.incorrect;
    oov += part.oov;
    questions += part.questions;
  }
  return score(correct, incorrect, oov, questions);
}

/** The first `rows` rows of `embeddings`, each scaled to unit length (zero or non-finite rows become zero). */
export function unitMatrix(embeddings: Embeddings, rows: number): Float32Array {
  const dim = embeddings.dim;
  const labels = embeddings.labels;
  const unit = new Float32Array(rows * dim);
  for (let row = 0; row < rows; row++) {
    const vector = embeddings.get(labels[row] as string);
    if (vector === undefined) continue;
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += (vector[j] as number) * (vector[j] as number);
    norm = Math.sqrt(norm);
    if (!(norm > 0 && Number.isFinite(norm))) continue;
    const offset = row * dim;
    for (let j = 0; j < dim; j++) unit[offset + j] = (vector[j] as number) / norm;
  }
  return unit;
}

/**
 * Fills `verdict` for every question: the questions are taken in file order in chunks whose
 * distinct input words fit the similarity table, the table is computed for the chunk, then each
 * question of the chunk is scored from it.
 */
function scoreQuestions(
  unit: Float32Array,
  rows: number,
  dim: number,
  vocabulary: FoldedVocabulary,
  classes: Int32Array,
  known: Uint8Array,
  verdict: Int8Array,
  method: AnalogyMethod,
  tableBytes: number,
): void {
  const questionCount = known.length;
  const representative = vocabulary.representativeRow;
  const classOfRow = vocabulary.classOfRow;
  const budget = Math.max(3, Math.min(3 * questionCount, Math.floor(tableBytes / 4 / Math.max(1, rows))));
  const table = new Float32Array(Math.min(budget, 3 * questionCount) * rows);
  const slotOfRow = new Int32Array(rows).fill(-1);
  const chunkRows = new Int32Array(budget);
  const topScore = new Float64Array(TOP_K);
  const topRow = new Int32Array(TOP_K);
  const kernel = method === '3CosMul' ? topCandidatesMul : topCandidatesAdd;
  let chunkSize = 0;
  let chunkStart = 0;

  const flush = (end: number): void => {
    fillTable(unit, rows, dim, chunkRows, chunkSize, table);
    for (let i = chunkStart; i < end; i++) {
      if (known[i] === 0) continue;
      const ca = classes[i * 4] as number;
      const cb = classes[i * 4 + 1] as number;
      const cc = classes[i * 4 + 2] as number;
      const cd = classes[i * 4 + 3] as number;
      const ra = representative[ca] as number;
      const rb = representative[cb] as number;
      const rc = representative[cc] as number;
      const count = kernel(
        table,
        rows,
        (slotOfRow[ra] as number) * rows,
        (slotOfRow[rb] as number) * rows,
        (slotOfRow[rc] as number) * rows,
        ra,
        rb,
        rc,
        topScore,
        topRow,
      );
      // gensim: walk the top five, stop at the first that is not a case variant of a question word;
      // if all are, the last one stands as the prediction.
      let predicted = -1;
      for (let k = 0; k < count; k++) {
        predicted = classOfRow[topRow[k] as number] as number;
        if (predicted !== ca && predicted !== cb && predicted !== cc) break;
      }
      verdict[i] = predicted === cd ? 1 : 0;
    }
    for (let s = 0; s < chunkSize; s++) slotOfRow[chunkRows[s] as number] = -1;
    chunkSize = 0;
    chunkStart = end;
  };

  for (let i = 0; i < questionCount; i++) {
    if (known[i] === 0) {
      verdict[i] = -1;
      continue;
    }
    let fresh = 0;
    const ra = representative[classes[i * 4] as number] as number;
    const rb = representative[classes[i * 4 + 1] as number] as number;
    const rc = representative[classes[i * 4 + 2] as number] as number;
    if (slotOfRow[ra] === -1) fresh++;
    if (slotOfRow[rb] === -1 && rb !== ra) fresh++;
    if (slotOfRow[rc] === -1 && rc !== ra && rc !== rb) fresh++;
    if (chunkSize + fresh > budget) flush(i);
    if (slotOfRow[ra] === -1) chunkRows[(slotOfRow[ra] = chunkSize++)] = ra;
    if (slotOfRow[rb] === -1) chunkRows[(slotOfRow[rb] = chunkSize++)] = rb;
    if (slotOfRow[rc] === -1) chunkRows[(slotOfRow[rc] = chunkSize++)] = rc;
  }
  if (chunkSize > 0 || chunkStart < questionCount) flush(questionCount);
}

/**
 * table[slot * rows + x] = û(chunkRows[slot]) · û(x) for every considered row x. Rows are taken in
 * blocks so that a block of the matrix stays in cache while every word of the chunk passes over it.
 */
function fillTable(
  unit: Float32Array,
  rows: number,
  dim: number,
  chunkRows: Int32Array,
  chunkSize: number,
  table: Float32Array,
): void {
  for (let start = 0; start < rows; start += ROW_BLOCK) {
    const end = start + ROW_BLOCK < rows ? start + ROW_BLOCK : rows;
    // Four words at a time: each component of a row is loaded once for four products.
    let slot = 0;
    for (; slot + 3 < chunkSize; slot += 4) {
      const o0 = (chunkRows[slot] as number) * dim;
      const o1 = (chunkRows[slot + 1] as number) * dim;
      const o2 = (chunkRows[slot + 2] as number) * dim;
      const o3 = (chunkRows[slot + 3] as number) * dim;
      const t0 = slot * rows;
      for (let x = start; x < end; x++) {
        const rowOffset = x * dim;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < dim; j++) {
          const r = unit[rowOffset + j] as number;
          s0 += (unit[o0 + j] as number) * r;
          s1 += (unit[o1 + j] as number) * r;
          s2 += (unit[o2 + j] as number) * r;
          s3 += (unit[o3 + j] as number) * r;
        }
        table[t0 + x] = s0;
        table[t0 + rows + x] = s1;
        table[t0 + 2 * rows + x] = s2;
        table[t0 + 3 * rows + x] = s3;
      }
    }
    for (; slot < chunkSize; slot++) {
      const wordOffset = (chunkRows[slot] as number) * dim;
      const tableOffset = slot * rows;
      for (let x = start; x < end; x++) {
        const rowOffset = x * dim;
        let sum = 0;
        for (let j = 0; j < dim; j++) sum += (unit[wordOffset + j] as number) * (unit[rowOffset + j] as number);
        table[tableOffset + x] = sum;
      }
    }
  }
}

/**
 * 3CosAdd: the TOP_K rows with the largest x̂·b̂ − x̂·â + x̂·ĉ, the three input rows excluded, in
 * descending order into topScore/topRow. Returns how many were found (< TOP_K only for tiny vocabularies).
 */
function topCandidatesAdd(
  table: Float32Array,
  rows: number,
  offsetA: number,
  offsetB: number,
  offsetC: number,
  ra: number,
  rb: number,
  rc: number,
  topScore: Float64Array,
  topRow: Int32Array,
): number {
  let count = 0;
  let threshold = -Infinity;
  for (let x = 0; x < rows; x++) {
    const s = (table[offsetB + x] as number) - (table[offsetA + x] as number) + (table[offsetC + x] as number);
    // threshold stays -Infinity until the list is full: one comparison on the common path.
    if (s > threshold && x !== ra && x !== rb && x !== rc) {
      count = insertTop(topScore, topRow, count, s, x);
      if (count === TOP_K) threshold = topScore[TOP_K - 1] as number;
    }
  }
  return count;
}

/** 3CosMul (Levy & Goldberg 2014, gensim's `most_similar_cosmul`): cosines shifted to [0, 1]. */
function topCandidatesMul(
  table: Float32Array,
  rows: number,
  offsetA: number,
  offsetB: number,
  offsetC: number,
  ra: number,
  rb: number,
  rc: number,
  topScore: Float64Array,
  topRow: Int32Array,
): number {
  let count = 0;
  let threshold = -Infinity;
  for (let x = 0; x < rows; x++) {
    // s = pb·pc / (pa + 1e-6) with p = (1 + cos) / 2; the denominator is positive, so
    // s > threshold ⇔ pb·pc > threshold·(pa + 1e-6): no division on the common path.
    const numerator = (1 + (table[offsetB + x] as number)) * (1 + (table[offsetC + x] as number)) * 0.25;
    const denominator = (1 + (table[offsetA + x] as number)) * 0.5 + 0.000001;
    if (numerator > threshold * denominator && x !== ra && x !== rb && x !== rc) {
      count = insertTop(topScore, topRow, count, numerator / denominator, x);
      if (count === TOP_K) threshold = topScore[TOP_K - 1] as number;
    }
  }
  return count;
}

/** Inserts (s, x) into the descending top list; drops the last entry when full. Returns the new count. */
function insertTop(topScore: Float64Array, topRow: Int32Array, count: number, s: number, x: number): number {
  let position = count < TOP_K ? count : TOP_K - 1;
  while (position > 0 && (topScore[position - 1] as number) < s) {
    topScore[position] = topScore[position - 1] as number;
    topRow[position] = topRow[position - 1] as number;
    position--;
  }
  topScore[position] = s;
  topRow[position] = x;
  return count < TOP_K ? count + 1 : count;
}
