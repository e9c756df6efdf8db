/**
 * The generated corpus with planted structure of @embedkit/word2vec's conformance suite
 * (`packages/word2vec/src/__tests__/planted.ts`, not exported, so mirrored here with the same
 * words, proportions and measures), so that both trainers are held to the same properties.
 *
 * Entities i = 0..E−1 each have a "country" word c_i, a "capital" word k_i and T topic words
 * t_i_0..t_i_{T−1}; two role groups hold R words each (rc*, rk*). A sentence is about one entity
 * and one role: its word (c_i or k_i), 3 topic words of the entity and 3 words of the role,
 * shuffled. So v(k_i) − v(c_i) ≈ (capital role) − (country role) for every i: the analogy
 * c_a : k_a :: c_b : k_b is planted, and an entity's topic words are each other's neighbours.
 */

import { createRng } from '@embedkit/sampling';
import { Corpus } from '@embedkit/tokenizer';
import type { Embeddings } from '@embedkit/vectors';

export interface PlantedCorpus {
  corpus: Corpus;
  sentences: string[][];
  entities: number;
  topics: number;
}

export function plantedCorpus(seed: number, entities = 8, sentences = 1600, topics = 4, roles = 4): PlantedCorpus {
  const rng = createRng(seed, 99);
  const out: string[][] = [];
  for (let s = 0; s < sentences; s++) {
    const i = rng.nextInt(entities);
    const capital = rng.nextInt(2) === 1;
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
  return { corpus: Corpus.fromSentences(out, { minCount: 1 }), sentences: out, entities, topics };
}

/** Fraction of the E·(E−1) planted analogies c_a : k_a :: c_b : ? answered k_b (top 1, 3CosAdd). */
export function analogyAccuracy(embeddings: Embeddings, entities: number): number {
  let right = 0;
  let total = 0;
  for (let a = 0; a < entities; a++) {
    for (let b = 0; b < entities; b++) {
      if (a === b) continue;
      total++;
      if (embeddings.analogy(`c${a}`, `k${a}`, `c${b}`, { topN: 1 })[0]?.label === `k${b}`) right++;
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

/** Pearson correlation of the cosine similarities of all word pairs in two embeddings of the same vocabulary. */
export function similarityCorrelation(a: Embeddings, b: Embeddings): number {
  const labels = a.labels;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const x = a.similarity(labels[i]!, labels[j]!);
      const y = b.similarity(labels[i]!, labels[j]!);
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  const cov = sxy - (sx * sy) / n;
  return cov / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
}
