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

describe('Corpus', () => {
  it('encodes the article documents', () => {
    const c = Corpus.fromSentences(docs.map((d) => tokenize(d)), { minCount: 2 });
    expect(c.vocabulary.words).toEqual(['all', 'that', 'is', 'well']);
    expect(Array.from(c.ids)).toEqual([0, 1, 2, 0, 2, 3, 1, 3]);
    expect(Array.from(c.sentenceOffsets)).toEqual([0, 3, 8]);
    expect(c.sentenceCount).toBe(2);
    expect(c.tokenCount).toBe(8);
  });

  it('drops sentences left empty', () => {
    const c = Corpus.fromSentences([['a', 'a'], ['b'], ['a']], { minCount: 2 });
    expect(Array.from(c.sentenceOffsets)).toEqual([0, 2, 3]);
  });
});
