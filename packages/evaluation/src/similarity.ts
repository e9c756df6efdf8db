/**
 * Word-similarity evaluation: how well the cosine similarities of word pairs rank like human
 * judgements (Spearman's ρ), as gensim 4.2's `KeyedVectors.evaluate_word_pairs` computes it:
 * the same case folding and vocabulary restriction as analogies, pairs with an unknown word
 * skipped (or scored 0 with `dummy4unknown`), Spearman and Pearson correlations as scipy's.
 */
import type { Embeddings } from '@embedkit/vectors';
import { pearson, spearman } from './correlation';
import { FoldedVocabulary } from './folded-vocabulary';
import { resolveSimilarityOptions, type SimilarityOptions } from './options';
import { parseSimilarityPairs, type SimilarityPair, type SimilarityPairSet } from './similarity-file';
import { readSource } from './source';

/** What {@link evaluateSimilarity} returns. */
export interface SimilarityResult {
  /** Spearman's ρ between human scores and cosine similarities (NaN when fewer than two pairs were used). */
  readonly spearman: number;
  /** Pearson's r between the same two samples. */
  readonly pearson: number;
  /** Valid pairs in the file. */
  readonly pairs: number;
  /** Pairs that entered the correlations (with `dummy4unknown`, the out-of-vocabulary ones too). */
  readonly used: number;
  /** Pairs with a word missing from the first `restrictTo` rows. */
  readonly oov: number;
  /** oov / pairs, in [0, 1] (gensim logs this as a percentage). */
  readonly oovRatio: number;
  /** The out-of-vocabulary pairs, as written in the file. */
  readonly oovPairs: readonly SimilarityPair[];
  /** Rows considered: min(restrictTo, embeddings.size). */
  readonly restrictTo: number;
  readonly caseInsensitive: boolean;
  readonly dummy4unknown: boolean;
  /** 1-based numbers of lines skipped as malformed. */
  readonly invalidLines: readonly number[];
}

/**
 * Evaluates `embeddings` on a word-similarity file (WordSim-353, SimLex-999, MEN, … in
 * `word1 word2 score` layouts).
 *
 * @param source A path, the file's text (any string containing a line break), or an already
 *   parsed {@link SimilarityPairSet}.
 * @example
 * ```ts
 * const { spearman, oov } = await evaluateSimilarity(embeddings, 'EN-WS-353-ALL.txt');
 * ```
 */
export async function evaluateSimilarity(
  embeddings: Embeddings,
  source: string | SimilarityPairSet,
  options: SimilarityOptions = {},
): Promise<SimilarityResult> {
  const resolved = resolveSimilarityOptions(options);
  const set =
    typeof source === 'string'
      ? parseSimilarityPairs(await readSource(source, 'Similarity'), {
          delimiter: resolved.delimiter,
          ...(resolved.scoreColumn === undefined ? {} : { scoreColumn: resolved.scoreColumn }),
        })
      : checkSet(source);
  const vocabulary = new FoldedVocabulary(embeddings.labels, resolved.restrictTo, resolved.caseInsensitive);
  const unitByRow = new Map<number, Float64Array>();
  const gold: number[] = [];
  const model: number[] = [];
  const oovPairs: SimilarityPair[] = [];
  for (const pair of set.pairs) {
    const form = resolved.wordForm;
    const classA = vocabulary.classOf(form === undefined ? pair.word1 : form(pair.word1));
    const classB = vocabulary.classOf(form === undefined ? pair.word2 : form(pair.word2));
    if (classA < 0 || classB < 0) {
      oovPairs.push(pair);
      if (resolved.dummy4unknown) {
        gold.push(pair.score);
        model.push(0);
      }
      continue;
    }
    const a = unitRow(embeddings, vocabulary.representativeRow[classA] as number, unitByRow);
    const b = unitRow(embeddings, vocabulary.representativeRow[classB] as number, unitByRow);
    let dot = 0;
    for (let j = 0; j < a.length; j++) dot += (a[j] as number) * (b[j] as number);
    gold.push(pair.score);
    model.push(dot);
  }
  const pairs = set.pairs.length;
  return {
    spearman: spearman(gold, model),
    pearson: pearson(gold, model),
    pairs,
    used: gold.length,
    oov: oovPairs.length,
    oovRatio: pairs === 0 ? 0 : oovPairs.length / pairs,
    oovPairs,
    restrictTo: vocabulary.rows,
    caseInsensitive: resolved.caseInsensitive,
    dummy4unknown: resolved.dummy4unknown,
    invalidLines: set.invalidLines,
  };
}

function checkSet(set: SimilarityPairSet): SimilarityPairSet {
  if (set === null || typeof set !== 'object' || !Array.isArray(set.pairs)) {
    throw new TypeError('evaluateSimilarity: source must be a path, the file text, or the result of parseSimilarityPairs()');
  }
  return set;
}

function unitRow(embeddings: Embeddings, row: number, cache: Map<number, Float64Array>): Float64Array {
  let unit = cache.get(row);
  if (unit !== undefined) return unit;
  const vector = embeddings.get(embeddings.labels[row] as string) ?? new Float32Array(embeddings.dim);
  unit = new Float64Array(vector.length);
  let norm = 0;
  for (let j = 0; j < vector.length; j++) norm += (vector[j] as number) * (vector[j] as number);
  norm = Math.sqrt(norm);
  if (norm > 0 && Number.isFinite(norm)) for (let j = 0; j < vector.length; j++) unit[j] = (vector[j] as number) / norm;
  cache.set(row, unit);
  return unit;
}
