// Cosine similarity of two plain vectors, for code that holds vectors outside an `Embeddings`
// (a subword vector built on the fly, a contextual encoder's token vectors).

/**
 * Cosine similarity of two vectors of the same length; 0 when either is all zeros (never NaN).
 *
 * @example
 * ```ts
 * cosineSimilarity(new Float32Array([1, 0]), new Float32Array([1, 1])); // ≈ 0.7071
 * ```
 */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    const x = a[j] as number;
    const y = b[j] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
