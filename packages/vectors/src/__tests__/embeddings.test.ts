import { isEmbedkitError } from '@embedkit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Embeddings } from '../index';

/** Deterministic pseudo-random matrix (mulberry32) so tests need no fixture file. */
function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = next();
  return data;
}

function make(rows: number, dim: number, seed = 1): Embeddings {
  const labels = Array.from({ length: rows }, (_, i) => `w${i}`);
  return new Embeddings(labels, dim, randomMatrix(rows, dim, seed));
}

/** Reference implementation with a full sort, in plain doubles. */
function bruteForce(e: Embeddings, query: Float64Array, exclude: Set<number>, topN: number, end = e.size) {
  const unit = (v: ArrayLike<number>) => {
    const n = Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
    return Array.from(v, (x) => (n > 0 ? x / n : 0));
  };
  const q = unit(query);
  const scored: { row: number; s: number }[] = [];
  for (let r = 0; r < end; r++) {
    if (exclude.has(r)) continue;
    const u = unit(e.vectorAt(r));
    scored.push({ row: r, s: u.reduce((s, x, j) => s + x * (q[j] as number), 0) });
  }
  scored.sort((x, y) => y.s - x.s || x.row - y.row);
  return scored.slice(0, topN);
}

describe('Embeddings constructor', () => {
  it('checks shapes with RangeError/TypeError', () => {
    expect(() => new Embeddings(['a'], 0, new Float32Array(0))).toThrow(RangeError);
    expect(() => new Embeddings(['a', 'b'], 2, new Float32Array(3))).toThrow(/3 values but 2 labels × dim 2 = 4/);
    expect(() => new Embeddings(['a'], 2, [1, 2] as unknown as Float32Array)).toThrow(TypeError);
  });
  it('names the duplicate label and both rows', () => {
    try {
      new Embeddings(['a', 'b', 'a'], 1, new Float32Array(3));
      expect.unreachable();
    } catch (e) {
      expect(isEmbedkitError(e, 'DUPLICATE_LABEL')).toBe(true);
      expect((e as Error).message).toMatch(/"a".*rows 0 and 2/);
    }
  });
  it('names the first non-finite value', () => {
    try {
      new Embeddings(['a', 'b', 'c'], 2, Float32Array.of(0, 1, 2, NaN, Infinity, 0));
      expect.unreachable();
    } catch (e) {
      expect(isEmbedkitError(e, 'NON_FINITE_VALUE')).toBe(true);
      expect((e as Error).message).toMatch(/row 1 \("b"\).*NaN.*component 1/);
    }
  });
  it('exposes size, dim, labels, indexOf, has', () => {
    const e = make(5, 3);
    expect(e.size).toBe(5);
    expect(e.dim).toBe(3);
    expect(e.labels).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    expect(e.indexOf('w3')).toBe(3);
    expect(e.indexOf('nope')).toBe(-1);
    expect(e.has('w0')).toBe(true);
    expect(e.has('x')).toBe(false);
  });
});

describe('get / getOrThrow', () => {
  it('returns copies that cannot corrupt the cache', () => {
    const e = new Embeddings(['a', 'b'], 2, Float32Array.of(1, 0, 0, 1));
    const v = e.get('a')!;
    expect(Array.from(v)).toEqual([1, 0]);
    v[0] = -5;
    v[1] = 100;
    expect(Array.from(e.get('a')!)).toEqual([1, 0]);
    expect(e.similarity('a', 'b')).toBe(0);
    expect(e.get('zzz')).toBeUndefined();
  });
  it('UNKNOWN_KEY names the word and the nearest spelling', () => {
    const e = new Embeddings(['paris', 'london', 'berlin', 'rome'], 1, Float32Array.of(1, 2, 3, 4));
    const message = (word: string) => {
      try {
        e.getOrThrow(word);
        return '';
      } catch (error) {
        expect(isEmbedkitError(error, 'UNKNOWN_KEY')).toBe(true);
        return (error as Error).message;
      }
    };
    expect(message('lodnon')).toMatch(/"lodnon".*did you mean "london"/);
    expect(message('berln')).toMatch(/did you mean "berlin"/);
    expect(message('Paris')).toMatch(/did you mean "paris"/);
    expect(message('tokyo')).not.toMatch(/did you mean/);
    expect(message('tokyo')).toMatch(/"tokyo" is not in the vocabulary/);
  });
  it('suggests no word of another script, and no word sharing no character', () => {
    const e = new Embeddings(['of', 'to', 'in', '中文', 'москва'], 1, Float32Array.of(1, 2, 3, 4, 5));
    const message = (word: string) => {
      try {
        e.getOrThrow(word);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message('中国')).not.toMatch(/did you mean "(of|to|in)"/);
    expect(message('中国')).toMatch(/did you mean "中文"/);
    expect(message('мосва')).toMatch(/did you mean "москва"/);
    expect(message('moskva')).not.toMatch(/did you mean "москва"/);
  });
});

describe('queries', () => {
  it('similarity is the cosine, and a zero row gives 0, not NaN', () => {
    const e = new Embeddings(['a', 'b', 'z'], 2, Float32Array.of(3, 4, 4, 3, 0, 0));
    expect(e.similarity('a', 'b')).toBeCloseTo(24 / 25, 12);
    expect(e.similarity('a', 'a')).toBeCloseTo(1, 12);
    expect(e.similarity('a', 'z')).toBe(0);
    const res = e.mostSimilar({ positive: ['a'] });
    expect(res.map((n) => n.label)).toEqual(['b', 'z']);
    expect(res[1]!.similarity).toBe(0);
  });

  it('mostSimilar matches a brute-force full sort (property, several seeds)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 0, max: 70 }),
        fc.integer(),
        fc.integer({ min: 1, max: 80 }),
        (rows, dim, topN, seed, restrict) => {
          const e = make(rows, dim, seed);
          const p = `w${Math.abs(seed) % rows}`;
          // A distinct second word: p − n = 0 would make the query pure float noise.
          const n = `w${(Math.abs(seed) + 1 + (Math.abs(seed >> 3) % (rows - 1))) % rows}`;
          const got = e.mostSimilar({ positive: [p], negative: [n], topN, restrictTo: restrict });
          const q = new Float64Array(dim);
          // Unit vectors in doubles (unitVector's float32 rounding, amplified when p and n are
          // nearly parallel, made this reference itself wrong by up to ~1e-5).
          const unit = (v: Float32Array) => {
            const norm = Math.hypot(...v);
            return Array.from(v, (x) => x / norm);
          };
          const up = unit(e.getOrThrow(p));
          const un = unit(e.getOrThrow(n));
          for (let j = 0; j < dim; j++) q[j] = (up[j]! - un[j]!) / 2;
          const want = bruteForce(e, q, new Set([e.indexOf(p), e.indexOf(n)]), topN, Math.min(restrict, rows));
          expect(got.length).toBe(want.length);
          for (let i = 0; i < got.length; i++) {
            expect(got[i]!.similarity).toBeCloseTo(want[i]!.s, 5);
            // Labels agree unless two scores are within float noise of each other.
            if (got[i]!.label !== `w${want[i]!.row}`) {
              expect(Math.abs(got[i]!.similarity - want[i]!.s)).toBeLessThan(1e-6);
            }
          }
          for (let i = 1; i < got.length; i++) expect(got[i - 1]!.similarity).toBeGreaterThanOrEqual(got[i]!.similarity);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ties keep row order (first row wins)', () => {
    const e = new Embeddings(['q', 'a', 'b', 'c', 'd'], 2, Float32Array.of(1, 0, 1, 0, 2, 0, 1, 0, 0, 1));
    expect(e.mostSimilar({ positive: ['q'], topN: 2 }).map((n) => n.label)).toEqual(['a', 'b']);
    expect(e.mostSimilar({ positive: ['q'], topN: 4 }).map((n) => n.label)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('mostSimilarToVector excludes labels and validates the vector', () => {
    const e = make(30, 4, 7);
    const v = e.getOrThrow('w5');
    const scaled = Array.from(v, (x) => x * 3);
    expect(e.mostSimilarToVector(scaled, { topN: 1 })[0]!.label).toBe('w5');
    expect(e.mostSimilarToVector(scaled, { topN: 1 })[0]!.similarity).toBeCloseTo(1, 6);
    expect(e.mostSimilarToVector(v, { topN: 3, exclude: ['w5', 'unknown'] }).map((n) => n.label)).not.toContain('w5');
    expect(() => e.mostSimilarToVector([1, 2, 3])).toThrow(RangeError);
    expect(() => e.mostSimilarToVector([1, 2, NaN, 3])).toThrow(/component 2/);
  });

  it('validates options', () => {
    const e = make(10, 3);
    expect(() => e.mostSimilar({})).toThrow(RangeError);
    expect(() => e.mostSimilar({ positive: ['w1'], topN: -1 })).toThrow(/topN/);
    expect(() => e.mostSimilar({ positive: ['w1'], restrictTo: 0 })).toThrow(/restrictTo/);
    expect(() => e.mostSimilar({ positive: 'w1' as unknown as string[] })).toThrow(/wrap it/);
    expect(() => e.mostSimilar({ positive: ['nope'] })).toThrow(/not in the vocabulary/);
    expect(e.mostSimilar({ positive: ['w1'], topN: 0 })).toEqual([]);
    expect(e.mostSimilar({ positive: ['w1'], topN: 100 })).toHaveLength(9);
  });

  it('analogy recovers a planted relation with both methods', () => {
    // Planted structure: 4 "countries" and their "capitals" = country + a shared offset, in noise.
    const dim = 16;
    const noise = randomMatrix(40, dim, 42);
    const data = new Float32Array(40 * dim);
    data.set(noise);
    const offset = Array.from({ length: dim }, (_, j) => (j % 2 === 0 ? 0.6 : -0.6));
    const labels: string[] = [];
    for (let i = 0; i < 40; i++) labels.push(i < 4 ? `country${i}` : i < 8 ? `capital${i - 4}` : `noise${i}`);
    for (let i = 4; i < 8; i++) {
      for (let j = 0; j < dim; j++) data[i * dim + j] = data[(i - 4) * dim + j]! + offset[j]! + 0.05 * noise[(i + 20) * dim + j]!;
    }
    const e = new Embeddings(labels, dim, data);
    for (const method of ['3CosAdd', '3CosMul'] as const) {
      expect(e.analogy('country0', 'capital0', 'country2', { method })[0]!.label).toBe('capital2');
      expect(e.analogy('country1', 'capital1', 'country3', { method, topN: 1 })[0]!.label).toBe('capital3');
      const answers = e.analogy('country0', 'capital0', 'country2', { method, topN: 40 }).map((n) => n.label);
      expect(answers).not.toContain('country0');
      expect(answers).not.toContain('capital0');
      expect(answers).not.toContain('country2');
    }
  });

  it('3CosMul matches its formula', () => {
    const e = make(25, 5, 3);
    const eps = 0.001;
    const got = e.analogy('w1', 'w2', 'w3', { method: '3CosMul', topN: 25 });
    expect(got).toHaveLength(22);
    const shifted = (x: string, y: string) => (1 + e.similarity(x, y)) / 2;
    for (const n of got) {
      expect(n.similarity).toBeCloseTo((shifted(n.label, 'w2') * shifted(n.label, 'w3')) / (shifted(n.label, 'w1') + eps), 10);
    }
  });

  it('doesntMatch finds the outlier', () => {
    const e = new Embeddings(['cat', 'dog', 'cow', 'car'], 3, Float32Array.of(1, 0.1, 0, 0.9, 0.2, 0, 1, 0, 0.1, 0, 0.1, 1));
    expect(e.doesntMatch(['cat', 'dog', 'car', 'cow'])).toBe('car');
    expect(() => e.doesntMatch(['cat'])).toThrow(RangeError);
    expect(() => e.doesntMatch(['cat', 'bus'])).toThrow(/"bus"/);
  });
});
