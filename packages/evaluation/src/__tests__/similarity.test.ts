import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { averageRanks, evaluateSimilarity, parseSimilarityPairs, pearson, spearman } from '../index';
import { embeddingsFrom } from './helpers';

const data = new URL('../../../../../shared/data/eval/', import.meta.url).pathname;
const ws = `${data}wordsim353/`;
const simlex = `${data}simlex999/`;

describe('spearman', () => {
  it('gives average ranks to ties, as scipy.stats.rankdata', () => {
    expect([...averageRanks([10, 20, 20, 5, 20])]).toEqual([2, 4, 4, 1, 4]);
  });

  it('matches values computed by scipy.stats.spearmanr / pearsonr', () => {
    // Printed by Debian's scipy: spearmanr(x, y).correlation, pearsonr(x, y)[0]
    const x = [1, 2, 2, 3, 5, 5, 5, 8];
    const y = [2, 1, 4, 4, 3, 9, 9, 7];
    expect(spearman(x, y)).toBeCloseTo(0.6895607149652165, 12);
    expect(pearson(x, y)).toBeCloseTo(0.6821523692713983, 12);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486832980505139, 12);
  });

  it('is 1 for any increasing transform, −1 for a decreasing one, NaN when constant', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 50 }), (xs) => {
        fc.pre(new Set(xs).size > 1);
        expect(spearman(xs, xs.map((v) => Math.exp(v / 100)))).toBeCloseTo(1, 9);
        expect(spearman(xs, xs.map((v) => -v * v * v))).toBeCloseTo(-1, 9);
        expect(spearman(xs, xs.map(() => 4))).toBeNaN();
      }),
    );
  });

  it('is symmetric and within [−1, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 3, maxLength: 40 }),
        (pairs) => {
          const x = pairs.map((p) => p[0]);
          const y = pairs.map((p) => p[1]);
          const rho = spearman(x, y);
          if (Number.isNaN(rho)) return;
          expect(Math.abs(rho)).toBeLessThanOrEqual(1);
          expect(spearman(y, x)).toBeCloseTo(rho, 12);
        },
      ),
    );
  });

  it('refuses samples of different lengths', () => {
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});

describe('parseSimilarityPairs', () => {
  it('reads tab files without header', () => {
    const set = parseSimilarityPairs('tiger\tcat\t7.35\ntiger\ttiger\t10\n');
    expect(set.pairs).toEqual([
      { word1: 'tiger', word2: 'cat', score: 7.35 },
      { word1: 'tiger', word2: 'tiger', score: 10 },
    ]);
    expect(set).toMatchObject({ header: undefined, delimiter: 'tab', scoreColumn: 2, invalidLines: [] });
  });

  it('detects a header, commas and CRLF', () => {
    const set = parseSimilarityPairs('Word 1,Word 2,Human (mean)\r\nlove,sex,6.77\r\n# a comment\r\nbad,line,x\r\n');
    expect(set.header).toEqual(['Word 1', 'Word 2', 'Human (mean)']);
    expect(set.pairs).toEqual([{ word1: 'love', word2: 'sex', score: 6.77 }]);
    expect(set.delimiter).toBe('comma');
    expect(set.invalidLines).toEqual([4]);
  });

  it('reads space-separated files and finds the score after a non-numeric column', () => {
    const set = parseSimilarityPairs('word1 word2 POS SimLex999 conc(w1)\nold new A 1.58 2.72\n');
    expect(set.pairs).toEqual([{ word1: 'old', word2: 'new', score: 1.58 }]);
    expect(set.scoreColumn).toBe(3);
    const named = parseSimilarityPairs('w1\tw2\tPOS\tSimLex999\tconc\nold\tnew\tA\t1.58\t2.72\n', { scoreColumn: 'conc' });
    expect(named.pairs[0]?.score).toBe(2.72);
  });

  it('names the fix when no score column exists', () => {
    try {
      parseSimilarityPairs('a b\nc d\n');
      expect.unreachable();
    } catch (error) {
      expect(isEmbedkitError(error, 'PARSE_ERROR')).toBe(true);
      expect((error as Error).message).toMatch(/scoreColumn/);
    }
    expect(() => parseSimilarityPairs('a\tb\t1\n', { scoreColumn: 1 })).toThrow(RangeError);
  });

  const layouts: [string, number][] = [
    [`${ws}faruqui/EN-WS-353-ALL.txt`, 353],
    [`${ws}original/combined.csv`, 353],
    [`${ws}original/combined.tab`, 353],
    [`${ws}original/set1.tab`, 153],
    [`${ws}original/set2.csv`, 200],
    [`${ws}original/similarity.tab`, 203],
    [`${ws}original/relatedness.tab`, 252],
    [`${simlex}original/SimLex-999.txt`, 999],
    [`${simlex}faruqui/EN-SIMLEX-999.txt`, 999],
  ];
  for (const [path, count] of layouts) {
    it.skipIf(!existsSync(path))(`reads every pair of ${path.slice(data.length)}`, () => {
      const set = parseSimilarityPairs(readFileSync(path, 'utf8'));
      expect(set.pairs.length).toBe(count);
      expect(set.invalidLines).toEqual([]);
      for (const p of set.pairs) {
        expect(p.score).toBeGreaterThanOrEqual(0);
        expect(p.score).toBeLessThanOrEqual(10);
        expect(p.word1).toMatch(/^\S+$/);
      }
    });
  }

  it.skipIf(!existsSync(`${simlex}original/SimLex-999.txt`))('reads the same scores from both SimLex layouts', () => {
    const original = parseSimilarityPairs(readFileSync(`${simlex}original/SimLex-999.txt`, 'utf8'));
    const faruqui = parseSimilarityPairs(readFileSync(`${simlex}faruqui/EN-SIMLEX-999.txt`, 'utf8'));
    expect(original.scoreColumn).toBe(3);
    expect(original.pairs.map((p) => p.score)).toEqual(faruqui.pairs.map((p) => p.score));
  });
});

describe('evaluateSimilarity', () => {
  const e = embeddingsFrom({
    Tiger: [1, 0, 0],
    cat: [0.9, 0.3, 0],
    car: [0, 1, 0.2],
    tiger: [-1, 0, 0],
    train: [0.1, 0.9, 0.4],
    banana: [0, 0, 1],
  });
  const text = 'tiger\tcat\t6\ncar\ttrain\t8\ntiger\tbanana\t1\ncat\tunicorn\t5\nbanana\ttrain\t2\n';

  it('ranks cosine similarities against the scores, skipping unknown words', async () => {
    const result = await evaluateSimilarity(e, text);
    // "tiger" is looked up as its most frequent variant "Tiger": cosines 0.95, 0.97, 0, 0.40
    // against scores 6, 8, 1, 2 → identical order.
    expect(result.spearman).toBeCloseTo(1, 12);
    expect(result).toMatchObject({ pairs: 5, used: 4, oov: 1, oovRatio: 0.2 });
    expect(result.oovPairs).toEqual([{ word1: 'cat', word2: 'unicorn', score: 5 }]);
  });

  it('is case-sensitive on request, restricts the vocabulary and supports dummy4unknown', async () => {
    const sensitive = await evaluateSimilarity(e, text, { caseInsensitive: false });
    // "tiger" is now row 3, opposite to "cat": the best-scored pair gets the lowest cosine.
    expect(sensitive.spearman).toBeLessThan(0.5);
    const restricted = await evaluateSimilarity(e, text, { restrictTo: 5 });
    expect(restricted).toMatchObject({ used: 2, oov: 3, restrictTo: 5 });
    const dummy = await evaluateSimilarity(e, text, { restrictTo: 5, dummy4unknown: true });
    expect(dummy).toMatchObject({ used: 5, oov: 3 });
  });

  it('returns NaN correlations when nothing is in the vocabulary', async () => {
    const result = await evaluateSimilarity(e, 'a\tb\t1\nc\td\t2\n');
    expect(result.spearman).toBeNaN();
    expect(result.used).toBe(0);
  });
});
