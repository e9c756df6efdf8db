/**
 * @embedkit/evaluation: intrinsic evaluation of word embeddings — analogy questions
 * (`questions-words.txt` format) and word-similarity judgements (WordSim-353, SimLex-999), with the
 * semantics of gensim 4.2's `evaluate_word_analogies` / `evaluate_word_pairs`.
 */

// Analogies
export { evaluateAnalogies } from './analogies';
export type { AnalogyResult, AnalogyScore, AnalogySectionResult } from './analogies';
export { parseAnalogies, sectionKind, UNNAMED_SECTION } from './analogy-file';
export type { AnalogyQuestion, AnalogySection, AnalogySectionKind, AnalogySet } from './analogy-file';

// Word similarity
export { evaluateSimilarity } from './similarity';
export type { SimilarityResult } from './similarity';
export { parseSimilarityPairs } from './similarity-file';
export type { SimilarityPair, SimilarityPairSet } from './similarity-file';

// Correlation
export { spearman, pearson, averageRanks } from './correlation';

// Options
export { DEFAULT_ANALOGY_RESTRICT, DEFAULT_SIMILARITY_RESTRICT } from './options';
export type {
  AnalogyMethod,
  AnalogyOptions,
  SimilarityOptions,
  SimilarityParseOptions,
  SimilarityDelimiter,
} from './options';

// Errors
export type { EvaluationErrorCode } from './errors';
