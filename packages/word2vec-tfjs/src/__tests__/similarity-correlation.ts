/**
 * Agreement of two models of the same vocabulary: Pearson correlation of their cosine
 * similarities over all pairs of words (the planted corpus itself comes from
 * `@embedkit/word2vec/conformance`, shared by every trainer's tests).
 */
import type { Embeddings } from '@embedkit/vectors';

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
