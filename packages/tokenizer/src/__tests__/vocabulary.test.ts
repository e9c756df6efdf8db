import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { Corpus, Vocabulary, tokenize } from '../index';

const docs = ['all that glitters is not gold', 'all is well that ends well'];

describe('Vocabulary', () => {
  it('orders the article documents by count, ties by first occurrence', () => {
    const v = Vocabulary.fromSentences(docs.map((d) => tokenize(d)), { minCount: 1 });
    expect(v.words).toEqual(['all', 'that', 'is', 'well', 'glitters', 'not', 'gold', 'ends']);
    expect(Array.from(v.counts)).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
    expect(v.totalCount).toBe(12);
    expect(v.idOf('well')).toBe(3);
    expect(v.idOf('silver')).toBe(-1);
    expect(v.wordOf(0)).toBe('all');
    expect(() => v.wordOf(8)).toThrow(RangeError);
  });

  it('applies minCount (default 5) with the promised message', () => {
    let error: unknown;
    try {
      Vocabulary.fromSentences([['a', 'a', 'a', 'b']]);
    } catch (e) {
      error = e;
    }
    expect(isEmbedkitError(error, 'EMPTY_VOCABULARY')).toBe(true);
    expect((error as Error).message).toBe(
      'Empty vocabulary: no word occurs at least 5 times (the most frequent occurs 3 times); lower minCount',
    );
  });

  it('prunes while counting when maxSize is exceeded', () => {
    const sentences: string[][] = [];
    for (let i = 0; i < 200; i++) sentences.push(['common', `rare${i}`, 'common']);
    const v = Vocabulary.fromSentences(sentences, { minCount: 1, maxSize: 10 });
    expect(v.size).toBeLessThanOrEqual(10);
    expect(v.words[0]).toBe('common');
    expect(v.countOf(0)).toBe(400);
  });
});

describe('Vocabulary.fromCounts and the constructor', () => {
  it('sums repeated words, keeps input order on ties, applies minCount and maxSize', () => {
    const v = Vocabulary.fromCounts([['b', 2], ['a', 3], ['c', 2], ['b', 1], ['d', 1]], { minCount: 2 });
    expect(v.words).toEqual(['b', 'a', 'c']); // b and a tie at 3: b came first
    expect(Array.from(v.counts)).toEqual([3, 3, 2]);
    expect(Vocabulary.fromCounts(new Map([['x', 9], ['y', 9], ['z', 1]]), { minCount: 1, maxSize: 2 }).words).toEqual(['x', 'y']);
  });

  it('rejects inconsistent input with precise errors', () => {
    expect(() => new Vocabulary(['a', 'b'], new Float64Array([1]))).toThrow(RangeError);
    expect(() => new Vocabulary(['a', 'a'], new Float64Array([2, 1]))).toThrow(/appears twice/);
    expect(() => new Vocabulary(['a', 'b'], new Float64Array([1, 2]))).toThrow(/descending/);
    expect(() => new Vocabulary(['', 'b'], new Float64Array([2, 1]))).toThrow(TypeError);
    expect(() => Vocabulary.fromCounts([['a', -1]], { minCount: 1 })).toThrow(RangeError);
    expect(() => Vocabulary.fromCounts([['a', 1]], { minCount: Number.NaN })).toThrow(RangeError);
    expect(() => Vocabulary.fromCounts([['a', 1]], { maxSize: 0 })).toThrow(RangeError);
    const v = Vocabulary.fromCounts([['a', 1]], { minCount: 1 });
    expect(() => v.countOf(1.5)).toThrow(RangeError);
    expect(() => v.wordOf(-1)).toThrow(RangeError);
  });

  it('property: ids follow descending counts and counts sum to totalCount', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 10 }), { maxLength: 20 }), fc.integer({ min: 1, max: 4 }), (sentences, minCount) => {
        const total = sentences.reduce((n, s) => n + s.length, 0);
        let v: Vocabulary;
        try {
          v = Vocabulary.fromSentences(sentences, { minCount });
        } catch (e) {
          expect(isEmbedkitError(e, 'EMPTY_VOCABULARY')).toBe(true);
          return;
        }
        let sum = 0;
        for (let id = 0; id < v.size; id++) {
          sum += v.countOf(id);
          expect(v.idOf(v.wordOf(id))).toBe(id);
          if (id > 0) expect(v.countOf(id)).toBeLessThanOrEqual(v.countOf(id - 1));
        }
        expect(sum).toBe(v.totalCount);
        const all = Vocabulary.fromSentences(sentences, { minCount: 1 });
        expect(all.totalCount).toBe(total);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Corpus', () => {
  it('encodes the article documents', () => {
    const c = Corpus.fromSentences(docs.map((d) => tokenize(d)), { minCount: 2 });
    expect(c.vocabulary.words).toEqual(['all', 'that', 'is', 'well']);
    expect(Array.from(c.ids)).toEqual([0, 1, 2, 0, 2, 3, 1, 3]);
    expect(Array.from(c.sentenceOffsets)).toEqual([0, 3, 8]);
    expect(c.sentenceCount).toBe(2);
    expect(c.tokenCount).toBe(8);
  });

  it('accepts a one-shot iterator and validates what it is given', () => {
    function* gen() {
      yield ['a', 'b', 'a'];
      yield ['c'];
    }
    const c = Corpus.fromSentences(gen(), { minCount: 1 });
    expect(c.tokenCount).toBe(4);
    expect(Array.from(c.sentence(1))).toEqual([c.vocabulary.idOf('c')]);
    const v = c.vocabulary;
    expect(() => new Corpus(v, new Int32Array([0, 1]), new Int32Array([0, 1]))).toThrow(RangeError);
    expect(() => new Corpus(v, new Int32Array([0, 1]), new Int32Array([0, 2, 1, 2]))).toThrow(/non-decreasing/);
    let error: unknown;
    try {
      new Corpus(v, new Int32Array([0, 7]), new Int32Array([0, 2]));
    } catch (e) {
      error = e;
    }
    expect(isEmbedkitError(error, 'VOCABULARY_MISMATCH')).toBe(true);
  });

  it('drops sentences left empty', () => {
    const c = Corpus.fromSentences([['a', 'a'], ['b'], ['a']], { minCount: 2 });
    expect(Array.from(c.sentenceOffsets)).toEqual([0, 2, 3]);
  });
});
