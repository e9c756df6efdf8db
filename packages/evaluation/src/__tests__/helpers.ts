// Test helpers: a seeded RNG and small embeddings built from it.
import { Embeddings } from '@embedkit/vectors';

/** mulberry32: a small seeded 32-bit generator, enough for fixtures. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller). */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export function randomEmbeddings(labels: readonly string[], dim: number, seed: number): Embeddings {
  const normal = gaussian(rng(seed));
  const data = new Float32Array(labels.length * dim);
  for (let i = 0; i < data.length; i++) data[i] = normal();
  return new Embeddings(labels, dim, data);
}

export function embeddingsFrom(vectors: Record<string, readonly number[]>): Embeddings {
  const labels = Object.keys(vectors);
  const dim = (vectors[labels[0] as string] as readonly number[]).length;
  const data = new Float32Array(labels.length * dim);
  labels.forEach((label, row) => data.set(vectors[label] as readonly number[], row * dim));
  return new Embeddings(labels, dim, data);
}
