/**
 * The conformance corpus every word2vec-style trainer is tested on (this package's kernels,
 * its worker threads, `@embedkit/word2vec-tfjs`): a generated corpus with planted structure and
 * the two quality measures the tests assert, so every trainer meets the same bar.
 *
 * Entities i = 0..E-1 each have a "country" word c_i and a "capital" word k_i, and T topic words
 * t_i_0..t_i_{T-1}. Two role groups hold R role words each (rc*, rk*). A sentence is about one
 * entity and one role: its word (c_i or k_i), three topic words of that entity and three words
 * of that role, shuffled. So v(k_i) − v(c_i) ≈ (capital role) − (country role) for every i: the
 * analogy c_a : k_a :: c_b : k_b is planted, and topic words of an entity are each other's
 * neighbours.
 */
import { createRng } from '@embedkit/sampling';
import { Corpus } from '@embedkit/tokenizer';
import type { Embeddings } from '@embedkit/vectors';

/** A generated corpus and the structure planted in it. */
export interface PlantedCorpus {
  corpus: Corpus;
  /** The sentences as words, before encoding. */
  sentences: string[][];
  entities: number;
  topics: number;
  /** Entity of each sentence. */
  sentenceEntity: Int32Array;
}

/** Generates the planted corpus; the same seed gives the same corpus. */
export function plantedCorpus(seed: number, entities = 8, sentences = 1600, topics = 4, roles = 4): PlantedCorpus {
  const rng = createRng(seed, 99);
  const out: string[][] = [];
  const sentenceEntity = new Int32Array(sentences);
  for (let s = 0; s < sentences; s++) {
    const i = rng.nextInt(entities);
    const capital = rng.nextInt(2) === 1;
    sentenceEntity[s] = i;
    const words = [capital ? `k${i}` : `c${i}`];
    for (let k = 0; k < 3; k++) words.push(`t${i}_${rng.nextInt(topics)}`);
    for (let k = 0; k < 3; k++) words.push(`${capital ? 'rk' : 'rc'}${rng.nextInt(roles)}`);
    for (let k = words.length - 1; k > 0; k--) {
      const j = rng.nextInt(k + 1);
      const tmp = words[k]!;
      words[k] = words[j]!;
      words[j] = tmp;
    }
    out.push(words);
  }
  return { corpus: Corpus.fromSentences(out, { minCount: 1 }), sentences: out, entities, topics, sentenceEntity };
}

/** Fraction of the E·(E−1) planted analogies c_a : k_a :: c_b : ? answered k_b (top 1, 3CosAdd). */
export function analogyAccuracy(embeddings: Embeddings, entities: number): number {
  let right = 0;
  let total = 0;
  for (let a = 0; a < entities; a++) {
    for (let b = 0; b < entities; b++) {
      if (a === b) continue;
      total++;
      const top = embeddings.analogy(`c${a}`, `k${a}`, `c${b}`, { topN: 1 })[0];
      if (top?.label === `k${b}`) right++;
    }
  }
  return right / total;
}

/** Fraction of topic words whose nearest neighbour belongs to the same entity (topic, country or capital word). */
export function topicNeighbourRate(embeddings: Embeddings, entities: number, topics: number): number {
  let right = 0;
  let total = 0;
  for (let i = 0; i < entities; i++) {
    for (let t = 0; t < topics; t++) {
      const word = `t${i}_${t}`;
      if (!embeddings.has(word)) continue;
      total++;
      const top = embeddings.mostSimilar({ positive: [word], topN: 1 })[0]?.label ?? '';
      if (top === `c${i}` || top === `k${i}` || top.startsWith(`t${i}_`)) right++;
    }
  }
  return right / total;
}

/**
 * The bar every configuration must clear on the planted corpus (dim 16, 10 epochs): analogy
 * accuracy and topic-neighbour rate. Calibrated in conformance.test.ts (its header gives the
 * command and the minima over seeds); the thresholds sit below those minima.
 */
export const CONFORMANCE_THRESHOLDS = [
  { model: 'skipgram', hs: false, analogy: 0.9, neighbours: 0.95 },
  { model: 'skipgram', hs: true, analogy: 0.55, neighbours: 0.95 },
  { model: 'cbow', hs: false, analogy: 0.9, neighbours: 0.95 },
  { model: 'cbow', hs: true, analogy: 0.4, neighbours: 0.95 },
] as const;
