import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Corpus } from '@embedkit/tokenizer';
import { countCooccurrences } from '../count';
import { csrToDense, csrTranspose, validateCsr } from '../csr';
import { factorizeCounts, trainPpmiSvd } from '../ppmi-svd';

const SIMPLE = ['all that glitters is not gold', 'all is well that ends well'];
const ORIGINAL = ["All that glitters isn't gold", "All's well that ends well"];

function corpusOf(lines: readonly string[]): Corpus {
  return Corpus.fromSentences(
    lines.map((line) => line.split(' ')),
    { minCount: 1 },
  );
}

function cell(counts: ReturnType<typeof countCooccurrences>, dense: Float64Array, a: string, b: string): number {
  const n = counts.labels.length;
  return dense[counts.labels.indexOf(a) * n + counts.labels.indexOf(b)]!;
}

describe('the textbook example (window 1, START/END)', () => {
  const counts = countCooccurrences(corpusOf(SIMPLE), { window: 1, sentenceMarkers: true });

  it('has the 10 labels in frequency order, markers last', () => {
    // Counts 2: all, that, is, well (first-occurrence order); counts 1: glitters, not, gold, ends.
    expect(counts.labels).toEqual(['all', 'that', 'is', 'well', 'glitters', 'not', 'gold', 'ends', 'START', 'END']);
  });

  it('reproduces the 10×10 matrix cell by cell', () => {
    // By hand: the adjacent pairs are
    //   START all | all that | that glitters | glitters is | is not | not gold | gold END
    //   START all | all is | is well | well that | that ends | ends well | well END
    // and each pair counts once in each direction.
    const pairs: Array<[string, string, number]> = [
      ['START', 'all', 2],
      ['all', 'that', 1],
      ['that', 'glitters', 1],
      ['glitters', 'is', 1],
      ['is', 'not', 1],
      ['not', 'gold', 1],
      ['gold', 'END', 1],
      ['all', 'is', 1],
      ['is', 'well', 1],
      ['well', 'that', 1],
      ['that', 'ends', 1],
      ['ends', 'well', 1],
      ['well', 'END', 1],
    ];
    const expected = new Map<string, number>();
    for (const [a, b, c] of pairs) {
      expected.set(`${a} ${b}`, c);
      expected.set(`${b} ${a}`, c);
    }
    validateCsr(counts.matrix);
    const dense = csrToDense(counts.matrix);
    for (const a of counts.labels) {
      for (const b of counts.labels) {
        expect(cell(counts, dense, a, b), `${a} × ${b}`).toBe(expected.get(`${a} ${b}`) ?? 0);
      }
    }
    // Rows written out, in the article's order, as a second reading of the same table.
    const order = ['START', 'all', 'that', 'glitters', 'is', 'not', 'gold', 'well', 'ends', 'END'];
    const table = order.map((a) => order.map((b) => cell(counts, dense, a, b)));
    expect(table).toEqual([
      [0, 2, 0, 0, 0, 0, 0, 0, 0, 0],
      [2, 0, 1, 0, 1, 0, 0, 0, 0, 0],
      [0, 1, 0, 1, 0, 0, 0, 1, 1, 0],
      [0, 0, 1, 0, 1, 0, 0, 0, 0, 0],
      [0, 1, 0, 1, 0, 1, 0, 1, 0, 0],
      [0, 0, 0, 0, 1, 0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
      [0, 0, 1, 0, 1, 0, 0, 0, 1, 1],
      [0, 0, 1, 0, 0, 0, 0, 1, 0, 0],
      [0, 0, 0, 0, 0, 0, 1, 1, 0, 0],
    ]);
  });

  it('reduces to 2-D by U·Σ (values from numpy.linalg.svd of the same matrix)', () => {
    const { embeddings, svd } = factorizeCounts(counts, { dim: 2, weighting: 'counts', eig: 1 });
    expect(svd.s[0]).toBeCloseTo(3.15477, 4);
    expect(svd.s[1]).toBeCloseTo(2.92742, 4);
    const expected: Record<string, [number, number]> = {
      START: [0.8929, 1.0798],
      all: [1.4084, -1.5805],
      that: [1.3817, 1.1695],
      is: [1.2758, 1.2978],
      well: [1.2682, -0.9124],
      END: [0.5034, 0.2917],
    };
    expectRowsUpToColumnSigns(embeddings, expected);
  });

  it('reproduces the article\'s [0.705, 0.484] for "All" in the original variant', () => {
    // "All's" and "isn't" stay words (split on spaces, case kept); the 10 labels are START, END and
    // the 8 words. U·Σ rows do not depend on the order of the labels (a permutation of rows and
    // columns permutes U's rows), only column signs are free.
    const original = countCooccurrences(corpusOf(ORIGINAL), { window: 1, sentenceMarkers: true });
    expect(original.labels).toHaveLength(10);
    expect(new Set(original.labels)).toEqual(
      new Set(['START', 'END', 'All', 'that', 'glitters', "isn't", 'gold', "All's", 'well', 'ends']),
    );
    const { embeddings, svd } = factorizeCounts(original, { dim: 2, weighting: 'counts', eig: 1 });
    expect(svd.s[0]).toBeCloseTo(2.71298, 4);
    expect(svd.s[1]).toBeCloseTo(2.19353, 4);
    expectRowsUpToColumnSigns(embeddings, { All: [0.7056, 0.4841], "All's": [0.7056, -0.4841], that: [1.3942, -1.0618] });
    const all = embeddings.getOrThrow('All');
    expect(Math.abs(all[0]!)).toBeCloseTo(0.705, 2);
    expect(Math.abs(all[1]!)).toBeCloseTo(0.484, 2);
  });
});

function expectRowsUpToColumnSigns(
  embeddings: { getOrThrow(label: string): Float32Array },
  expected: Record<string, [number, number]>,
): void {
  const labels = Object.keys(expected);
  for (let t = 0; t < 2; t++) {
    // One sign per column, fixed by the first label, must fit every row.
    const first = embeddings.getOrThrow(labels[0]!)[t]!;
    const sign = Math.sign(first) * Math.sign(expected[labels[0]!]![t]!) || 1;
    for (const label of labels) {
      expect(embeddings.getOrThrow(label)[t]! * sign, `${label}[${t}]`).toBeCloseTo(expected[label]![t]!, 3);
    }
  }
}

/** Naive dense counter, straight from the definition, for the property tests. */
function naiveCounts(
  sentences: number[][],
  size: number,
  window: number,
  direction: 'symmetric' | 'left' | 'right',
  weighting: boolean,
): Float64Array {
  const out = new Float64Array(size * size);
  for (const s of sentences) {
    for (let i = 0; i < s.length; i++) {
      for (let j = 0; j < s.length; j++) {
        const d = Math.abs(i - j);
        if (d === 0 || d > window) continue;
        if (direction === 'left' && j > i) continue;
        if (direction === 'right' && j < i) continue;
        out[s[i]! * size + s[j]!]! += weighting ? 1 / d : 1;
      }
    }
  }
  return out;
}

describe('countCooccurrences', () => {
  const sentenceArb = fc.array(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 12 }), {
    minLength: 1,
    maxLength: 6,
  });

  it('equals the naive count for every window, direction and weighting', () => {
    fc.assert(
      fc.property(
        sentenceArb,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('symmetric' as const, 'left' as const, 'right' as const),
        fc.boolean(),
        (raw, window, direction, distanceWeighting) => {
          const words = raw.map((s) => s.map((x) => `w${x}`));
          const corpus = Corpus.fromSentences(words, { minCount: 1 });
          const counts = countCooccurrences(corpus, { window, direction, distanceWeighting });
          validateCsr(counts.matrix);
          const size = counts.labels.length;
          const ids = words.map((s) => s.map((w) => counts.labels.indexOf(w)));
          const expected = naiveCounts(ids, size, window, direction, distanceWeighting);
          const got = csrToDense(counts.matrix);
          for (let p = 0; p < got.length; p++) expect(got[p]).toBeCloseTo(expected[p]!, 10);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('left counts are the transpose of right counts; symmetric counts are symmetric', () => {
    fc.assert(
      fc.property(sentenceArb, (raw) => {
        const corpus = Corpus.fromSentences(raw.map((s) => s.map((x) => `w${x}`)), { minCount: 1 });
        const left = countCooccurrences(corpus, { window: 3, direction: 'left' }).matrix;
        const right = countCooccurrences(corpus, { window: 3, direction: 'right' }).matrix;
        const both = countCooccurrences(corpus, { window: 3 }).matrix;
        expect(Array.from(csrToDense(csrTranspose(left)))).toEqual(Array.from(csrToDense(right)));
        expect(Array.from(csrToDense(csrTranspose(both)))).toEqual(Array.from(csrToDense(both)));
      }),
      { numRuns: 60 },
    );
  });

  it('maxVocab drops rare words before laying the windows', () => {
    const corpus = corpusOf(['a b a c a b d']);
    const counts = countCooccurrences(corpus, { window: 1, maxVocab: 2 });
    expect(counts.labels).toEqual(['a', 'b']);
    // Sentence becomes "a b a a b": pairs a-b, b-a, a-a, a-b.
    const dense = csrToDense(counts.matrix);
    expect(Array.from(dense)).toEqual([2, 3, 3, 0]);
    const byCount = countCooccurrences(corpus, { window: 1, minCount: 2 });
    expect(byCount.labels).toEqual(['a', 'b']);
  });

  it('uses hash rows beyond the dense budget and agrees with the naive count', () => {
    // 3000 labels → only 888 dense rows; the rest go through the hash tables (and their growth).
    const sentences: string[][] = [];
    let state = 12345;
    for (let s = 0; s < 200; s++) {
      const sentence: string[] = [];
      for (let i = 0; i < 60; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        sentence.push(`w${(state >>> 8) % 3000}`);
      }
      sentences.push(sentence);
    }
    const corpus = Corpus.fromSentences(sentences, { minCount: 1 });
    const counts = countCooccurrences(corpus, { window: 4, distanceWeighting: true });
    validateCsr(counts.matrix);
    const size = counts.labels.length;
    const index = new Map(counts.labels.map((w, i) => [w, i]));
    const expected = naiveCounts(sentences.map((s) => s.map((w) => index.get(w)!)), size, 4, 'symmetric', true);
    const got = csrToDense(counts.matrix);
    let worst = 0;
    for (let p = 0; p < got.length; p++) worst = Math.max(worst, Math.abs(got[p]! - expected[p]!));
    expect(worst).toBeLessThan(1e-9);
  });

  it('rejects bad options with precise errors', () => {
    const corpus = corpusOf(SIMPLE);
    expect(() => countCooccurrences(corpus, { window: 0 })).toThrow(/window must be an integer ≥ 1, got 0/);
    expect(() => countCooccurrences(corpus, { maxVocab: 1.5 })).toThrow(RangeError);
    expect(() => countCooccurrences(corpus, { minCount: 99 })).toThrow(/minCount/);
  });
});

describe('trainPpmiSvd', () => {
  it('returns Embeddings whose neighbours reflect shared contexts', () => {
    // Two interchangeable animal words and two interchangeable fruit words in fixed templates.
    const lines: string[] = [];
    const animals = ['cat', 'dog'];
    const fruits = ['apple', 'pear'];
    for (let i = 0; i < 40; i++) {
      const a = animals[i % 2]!;
      const f = fruits[(i >> 1) % 2]!;
      lines.push(`the ${a} runs and the ${a} sleeps`, `we eat a ${f} with a ripe ${f} today`);
    }
    const { embeddings, counts } = trainPpmiSvd(corpusOf(lines), { window: 2, dim: 4 });
    expect(embeddings.size).toBe(counts.labels.length);
    expect(embeddings.similarity('cat', 'dog')).toBeGreaterThan(0.9);
    expect(embeddings.similarity('apple', 'pear')).toBeGreaterThan(0.9);
    expect(embeddings.similarity('cat', 'apple')).toBeLessThan(0.5);
  });

  it('exact and randomized SVD give the same vectors up to sign on a small corpus', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `w${i % 7} w${(i * 3) % 11} w${(i * 5) % 13} w${i % 5} w${(i * 7) % 17}`);
    const corpus = corpusOf(lines);
    const exact = trainPpmiSvd(corpus, { window: 2, dim: 3, svd: 'exact' });
    const approx = trainPpmiSvd(corpus, { window: 2, dim: 3, svd: 'randomized', powerIterations: 8 });
    for (let t = 0; t < 3; t++) expect(approx.svd.s[t]! / exact.svd.s[t]!).toBeCloseTo(1, 4);
  });
});

describe('factorizeCounts weighting options', () => {
  const counts = countCooccurrences(corpusOf([...SIMPLE, ...ORIGINAL, 'gold is not all that glitters']), { window: 2 });

  it('eig p scales the columns of U by σ^p; addContexts adds V·Σ^p', () => {
    const u = factorizeCounts(counts, { dim: 3, eig: 0, svd: 'exact' });
    const half = factorizeCounts(counts, { dim: 3, eig: 0.5, svd: 'exact' });
    const both = factorizeCounts(counts, { dim: 3, eig: 1, svd: 'exact', addContexts: true });
    const { s, v, k } = u.svd;
    counts.labels.forEach((label, i) => {
      const a = u.embeddings.getOrThrow(label);
      const b = half.embeddings.getOrThrow(label);
      const c = both.embeddings.getOrThrow(label);
      for (let t = 0; t < 3; t++) {
        expect(b[t]!).toBeCloseTo(a[t]! * Math.sqrt(s[t]!), 5);
        expect(c[t]!).toBeCloseTo((a[t]! + v[i * k + t]!) * s[t]!, 5);
      }
    });
  });

  it('shifted PPMI keeps a subset of the PPMI entries', () => {
    const plain = factorizeCounts(counts, { dim: 2, weighting: 'ppmi' }).weighted;
    const shifted = factorizeCounts(counts, { dim: 2, weighting: 'sppmi', shift: 2 }).weighted;
    expect(shifted.data.length).toBeLessThan(plain.data.length);
    const plainDense = csrToDense(plain);
    const shiftedDense = csrToDense(shifted);
    for (let p = 0; p < plainDense.length; p++) expect(shiftedDense[p]!).toBeCloseTo(Math.max(0, plainDense[p]! - Math.log(2)), 10);
  });

  it('rejects a dim above the number of rows', () => {
    expect(() => factorizeCounts(counts, { dim: counts.labels.length + 1 })).toThrow(/dim must be an integer in \[1, /);
  });
});
