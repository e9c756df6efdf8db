// Quality measures on the planted corpus (see planted.ts).
import type { Embeddings } from '@embedkit/vectors';

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
