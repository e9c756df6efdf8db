/**
 * Sentence pooling: mean and SIF against direct computations, the principal direction checked as
 * an eigenvector of the reference Gram matrix, fit-then-pool consistency for single queries,
 * case folding, subword vectors for unknown words, and the errors.
 */
import { isEmbedkitError } from '@embedkit/errors';
import { describe, expect, it } from 'vitest';
import { Embeddings, SentencePooler, SubwordEmbeddings } from '../index';

/** A seeded 32-bit generator (mulberry32), so the random fixtures are the same on every run. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` random words of `dim` components around a shared offset (as trained embeddings have). */
function randomEmbeddings(size: number, dim: number, seed: number): Embeddings {
  const next = rng(seed);
  const labels = Array.from({ length: size }, (_, i) => `w${i}`);
  const data = new Float32Array(size * dim);
  for (let i = 0; i < data.length; i++) data[i] = next() - 0.5 + (i % dim === 0 ? 1.5 : 0.3);
  return new Embeddings(labels, dim, data);
}

function randomSentences(count: number, size: number, seed: number): string[][] {
  const next = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length: 3 + Math.floor(next() * 8) }, () => `w${Math.floor(next() * size)}`));
}

function row(vectors: Float32Array, r: number, dim: number): number[] {
  return Array.from(vectors.subarray(r * dim, (r + 1) * dim));
}

const toy = new Embeddings(['the', 'river', 'bank'], 2, Float32Array.of(1, 0, 0, 2, 4, 4));

describe('mean pooling', () => {
  it('averages the vectors of the known words and skips the others', () => {
    const pooler = SentencePooler.mean(toy);
    const { vectors, missing, count, tokens } = pooler.pool([['the', 'river', 'zzz'], ['bank'], ['zzz'], []]);
    expect(count).toBe(4);
    expect(tokens).toBe(5);
    expect(row(vectors, 0, 2)).toEqual([0.5, 1]);
    expect(row(vectors, 1, 2)).toEqual([4, 4]);
    expect(missing).toEqual([2, 3]);
    expect(row(vectors, 2, 2)).toEqual([0, 0]);
    expect(row(vectors, 3, 2)).toEqual([0, 0]);
  });

  it('folds case for a lower-case vocabulary, and falls back to lower case for a cased one', () => {
    expect(SentencePooler.mean(toy).lowercase).toBe(true);
    expect(SentencePooler.mean(toy).pool([['The', 'RIVER']]).missing).toEqual([]);
    const cased = new Embeddings(['Paris', 'paris', 'the'], 2, Float32Array.of(1, 0, 0, 1, 5, 5));
    const pooler = SentencePooler.mean(cased);
    expect(pooler.lowercase).toBe(false);
    expect(pooler.rowOf('Paris')).toBe(0); // as written first
    expect(pooler.rowOf('PARIS')).toBe(1); // then in lower case
    expect(pooler.rowOf('The')).toBe(2);
    expect(pooler.rowOf('Berlin')).toBe(-1);
  });

  it('gives each token its own vector, zeros and an entry in missing for unknown ones', () => {
    const { vectors, missing } = SentencePooler.mean(toy).tokenVectors(['bank', 'nope', 'the']);
    expect(Array.from(vectors)).toEqual([4, 4, 0, 0, 1, 0]);
    expect(missing).toEqual([1]);
  });
});

describe('SIF pooling', () => {
  it('weights words a / (a + p(w)) and divides by the word count (components: 0)', () => {
    const counts = new Map([['the', 900], ['river', 90], ['bank', 10]]);
    const a = 1e-2;
    const pooler = SentencePooler.sif(toy, { counts, a, components: 0 });
    const w = (c: number): number => a / (a + c / 1000);
    const { vectors } = pooler.pool([['the', 'river', 'bank']]);
    const expected = [(w(900) * 1 + w(10) * 4) / 3, (w(90) * 2 + w(10) * 4) / 3];
    expect(row(vectors, 0, 2)[0]).toBeCloseTo(expected[0] as number, 6);
    expect(row(vectors, 0, 2)[1]).toBeCloseTo(expected[1] as number, 6);
  });

  it('takes a Vocabulary-shaped { words, counts } and the zipf estimate', () => {
    const fromCounts = SentencePooler.sif(toy, { counts: { words: ['the', 'river', 'bank'], counts: [900, 90, 10] }, components: 0 });
    const fromMap = SentencePooler.sif(toy, { counts: new Map([['the', 900], ['river', 90], ['bank', 10]]), components: 0 });
    expect(Array.from(fromCounts.pool([['the', 'bank']]).vectors)).toEqual(Array.from(fromMap.pool([['the', 'bank']]).vectors));
    // Zipf: the first row is the most frequent, so it weighs least.
    const zipf = SentencePooler.sif(toy, { counts: 'zipf', components: 0 });
    const the = zipf.pool([['the']]).vectors[0] as number;
    const bank = zipf.pool([['bank']]).vectors[0] as number;
    expect(the / 1).toBeLessThan(bank / 4);
  });

  it('removes the top singular direction of the reference set: an eigenvector of XᵀX with the largest eigenvalue', () => {
    for (const seed of [1, 2, 3]) {
      const dim = 12;
      const embeddings = randomEmbeddings(200, dim, seed);
      const counts = { words: embeddings.labels, counts: embeddings.labels.map((_, i) => 1000 / (i + 1)) };
      const reference = randomSentences(150, 200, seed + 100);
      const weighted = SentencePooler.sif(embeddings, { counts, components: 0 }).pool(reference);
      const pooler = SentencePooler.sif(embeddings, { counts, reference });
      const u = Array.from(pooler.principalComponents);
      expect(u.length).toBe(dim);
      // X u = λ u with X = Σ x xᵀ (the Gram matrix of the weighted, unremoved rows).
      const gram = (v: number[]): number[] => {
        const out = new Array<number>(dim).fill(0);
        for (let r = 0; r < weighted.count; r++) {
          const x = row(weighted.vectors, r, dim);
          const dot = x.reduce((s, xi, i) => s + xi * (v[i] as number), 0);
          for (let i = 0; i < dim; i++) out[i] = (out[i] as number) + dot * (x[i] as number);
        }
        return out;
      };
      const gu = gram(u);
      const lambda = gu.reduce((s, g, i) => s + g * (u[i] as number), 0);
      const residual = Math.hypot(...gu.map((g, i) => g - lambda * (u[i] as number)));
      expect(residual / lambda).toBeLessThan(1e-4);
      // No unit vector has a larger Rayleigh quotient.
      const next = rng(seed + 7);
      for (let trial = 0; trial < 50; trial++) {
        const v = Array.from({ length: dim }, () => next() - 0.5);
        const norm = Math.hypot(...v);
        const unit = v.map((x) => x / norm);
        const quotient = gram(unit).reduce((s, g, i) => s + g * (unit[i] as number), 0);
        expect(quotient).toBeLessThanOrEqual(lambda * (1 + 1e-9));
      }
      // The pooled reference rows have no component left along u.
      const pooled = pooler.pool(reference);
      for (let r = 0; r < pooled.count; r++) {
        const x = row(pooled.vectors, r, dim);
        expect(Math.abs(x.reduce((s, xi, i) => s + xi * (u[i] as number), 0))).toBeLessThan(1e-5);
      }
    }
  });

  it('removes the direction every sentence shares: mean-pooled rows are near-parallel, SIF rows are not', () => {
    const meanCosine = (vectors: Float32Array, count: number, dim: number): number => {
      let sum = 0;
      let pairs = 0;
      for (let a = 0; a < count; a++) {
        for (let b = a + 1; b < count; b++) {
          const x = row(vectors, a, dim);
          const y = row(vectors, b, dim);
          const dot = x.reduce((s, v, i) => s + v * (y[i] as number), 0);
          sum += dot / (Math.hypot(...x) * Math.hypot(...y));
          pairs++;
        }
      }
      return sum / pairs;
    };
    for (const seed of [11, 12, 13]) {
      const embeddings = randomEmbeddings(300, 16, seed);
      const counts = { words: embeddings.labels, counts: embeddings.labels.map((_, i) => 1000 / (i + 1)) };
      const sentences = randomSentences(80, 300, seed + 1);
      const mean = SentencePooler.mean(embeddings).pool(sentences);
      const sif = SentencePooler.sif(embeddings, { counts, reference: sentences }).pool(sentences);
      expect(meanCosine(mean.vectors, 80, 16)).toBeGreaterThan(0.8);
      expect(Math.abs(meanCosine(sif.vectors, 80, 16))).toBeLessThan(0.2);
    }
  });

  it('embeds a single query exactly as inside the set it was fitted on, and restores from principalComponents', () => {
    const embeddings = randomEmbeddings(100, 8, 5);
    const counts = { words: embeddings.labels, counts: embeddings.labels.map((_, i) => 500 / (i + 1)) };
    const reference = randomSentences(60, 100, 6);
    const pooler = SentencePooler.sif(embeddings, { counts, reference, components: 2 });
    expect(pooler.principalComponents.length).toBe(16);
    const all = pooler.pool(reference);
    const single = pooler.pool([reference[17] as string[]]);
    expect(Array.from(single.vectors)).toEqual(row(all.vectors, 17, 8).map((x) => Math.fround(x)));
    const restored = SentencePooler.sif(embeddings, { counts, principalComponents: pooler.principalComponents });
    expect(Array.from(restored.pool(reference).vectors)).toEqual(Array.from(all.vectors));
  });

  it('rejects a reference with no known word, a bad a and missing counts with the fix in the message', () => {
    const counts = new Map([['the', 1]]);
    try {
      SentencePooler.sif(toy, { counts, reference: [['nope'], []] });
      expect.unreachable();
    } catch (error) {
      expect(isEmbedkitError(error, 'EMPTY_REFERENCE')).toBe(true);
      expect((error as Error).message).toMatch(/none of the 2 reference sentences/);
    }
    expect(() => SentencePooler.sif(toy, { counts, a: 0, components: 0 })).toThrow(/a must be a positive number/);
    expect(() => SentencePooler.sif(toy, { counts })).toThrow(/pass reference/);
    expect(() => SentencePooler.sif(toy, { counts: undefined as never, components: 0 })).toThrow(/training counts/);
    expect(() => SentencePooler.sif(toy, { counts: new Map([['the', -1]]), components: 0 })).toThrow(/finite and ≥ 0/);
  });
});

describe('subword models', () => {
  it('give words outside the vocabulary their n-gram vector', () => {
    const dim = 4;
    const words = ['running', 'jumping'];
    const buckets = 50;
    const next = rng(9);
    const input = Float32Array.from({ length: (words.length + buckets) * dim }, () => next() - 0.5);
    const model = new SubwordEmbeddings(words, dim, input, { minN: 3, maxN: 4, buckets });
    const pooler = SentencePooler.mean(model);
    expect(pooler.hasVector('runner')).toBe(true);
    const { vectors, missing } = pooler.pool([['runner']]);
    expect(missing).toEqual([]);
    expect(Array.from(vectors)).toEqual(Array.from(model.vectorFor('runner')));
    // The same word through a plain Embeddings of the known words: missing.
    const plain = new Embeddings(words, dim, model.toMatrix());
    expect(SentencePooler.mean(plain).pool([['runner']]).missing).toEqual([0]);
  });
});
