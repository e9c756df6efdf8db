import { parseSimilarityPairs } from '@embedkit/evaluation';
import { describe, expect, it } from 'vitest';
import {
  centroidProbeAccuracy,
  locateWord,
  measureContext,
  measureCoverage,
  measureWordSimilarity,
  wordVectors,
} from '../families/metrics';
import { SENSE_ITEMS, type SenseItem } from '../families/senses';
import { withoutCredentials } from '../families/row-builders';
import { MixingEmbedder, SentenceOnlyEmbedder, TableEmbedder } from './families-doubles';

// River words point one way, money words another; `bank` sits between them.
const TABLE = new Map<string, number[]>([
  ['bank', [1, 1, 0]],
  ['river', [1, 0, 0]],
  ['water', [0.9, 0.1, 0]],
  ['money', [0, 1, 0]],
  ['loan', [0.2, 0.8, 0]],
  ['the', [0, 0, 1]],
]);

const ITEMS: SenseItem[] = [
  // Right: both A sentences have river words, B money words.
  { word: 'bank', a: ['the river bank', 'water bank'], b: 'the money bank' },
  // Right again.
  { word: 'bank', a: ['money bank', 'loan bank'], b: 'river bank' },
  // Wrong on purpose: A2 shares B's context, not A1's.
  { word: 'bank', a: ['river bank', 'money bank'], b: 'water bank' },
];

describe('locateWord', () => {
  it('finds a whole-word token, a word split into pieces, and nothing for [UNK]', () => {
    expect(locateWord(['the', 'bank', 'is'], 'bank')).toEqual([1]);
    expect(locateWord(['[CLS]', 'the', 'ban', '##ks', '[SEP]'], 'banks')).toEqual([2, 3]);
    expect(locateWord(['\u0120The', '\u0120Bank'], 'bank')).toEqual([1]);
    expect(locateWord(['[CLS]', '[UNK]', '[SEP]'], 'zyx')).toBeNull();
    // A prefix alone does not spell the word.
    expect(locateWord(['ban', 'the'], 'bank')).toBeNull();
  });
});

describe('measureContext', () => {
  it('is 0 for a static embedder, whose sense accuracy is chance (every item ties)', async () => {
    const result = await measureContext(new TableEmbedder('static', TABLE), ITEMS);
    expect(result).not.toBeNull();
    expect(result!.variation).toBeCloseTo(0, 6);
    expect(result!.senseAccuracy).toBe(0.5);
    expect(result!.items).toBe(3);
  });

  it('is above 0 for a contextual embedder, and scores the sense items as designed (2 of 3)', async () => {
    const result = await measureContext(new MixingEmbedder('contextual', TABLE), ITEMS);
    expect(result!.variation).toBeGreaterThan(0.01);
    expect(result!.senseAccuracy).toBeCloseTo(2 / 3, 10);
  });

  it('grows with how much the context weighs', async () => {
    const weak = await measureContext(new MixingEmbedder('weak', TABLE, 0.2), ITEMS);
    const strong = await measureContext(new MixingEmbedder('strong', TABLE, 2), ITEMS);
    expect(strong!.variation).toBeGreaterThan(weak!.variation);
  });

  it('skips items whose word the model does not know, and is null without token vectors', async () => {
    const items: SenseItem[] = [...ITEMS, { word: 'unknown', a: ['unknown river', 'unknown water'], b: 'unknown money' }];
    // The static table has no vector for 'unknown' (the mixing model would make one from context).
    const result = await measureContext(new TableEmbedder('static', TABLE), items);
    expect(result!.items).toBe(3);
    expect(result!.skipped).toEqual(['unknown']);
    expect(await measureContext(new SentenceOnlyEmbedder('hosted', TABLE), ITEMS)).toBeNull();
  });
});

describe('the sense fixture', () => {
  it('has at least 40 items, each word a whole token of its three sentences', () => {
    expect(SENSE_ITEMS.length).toBeGreaterThanOrEqual(40);
    for (const item of SENSE_ITEMS) {
      for (const sentence of [...item.a, item.b]) expect(locateWord(sentence.split(' '), item.word), `${item.word}: ${sentence}`).not.toBeNull();
      expect(new Set([...item.a, item.b]).size).toBe(3);
    }
  });
});

describe('measureCoverage', () => {
  it('counts distinct words and running tokens that get a vector', async () => {
    // Types: the, river, bank, zzz, money, qqq → 4 of 6 known; tokens: 5 of 7 known.
    const sentences = [['the', 'river', 'bank', 'zzz'], ['money', 'qqq', 'the']];
    for (const embedder of [new TableEmbedder('static', TABLE), new SentenceOnlyEmbedder('hosted', TABLE)]) {
      const coverage = await measureCoverage(embedder, sentences);
      expect(coverage.typeCount).toBe(6);
      expect(coverage.tokenCount).toBe(7);
      expect(coverage.types).toBeCloseTo(4 / 6, 10);
      expect(coverage.tokens).toBeCloseTo(5 / 7, 10);
    }
  });

  it('gives the mean of the pieces as a word vector and none for an unknown word', async () => {
    const { vectors, found } = await wordVectors(new TableEmbedder('static', TABLE), ['river', 'nope']);
    expect(found).toEqual([true, false]);
    expect([...vectors]).toEqual([1, 0, 0, 0, 0, 0]);
  });
});

describe('measureWordSimilarity', () => {
  it('ranks pairs by cosine and leaves pairs with an unknown word out', async () => {
    const set = parseSimilarityPairs(['river water 9', 'money loan 8', 'river money 1', 'river nope 5', 'water loan 2'].join('\n'));
    const score = await measureWordSimilarity(new TableEmbedder('static', TABLE), set);
    expect(score.pairs).toBe(5);
    expect(score.oov).toBe(1);
    // cos(river, water) > cos(money, loan) > cos(water, loan) > cos(river, money) = 0: the human order.
    expect(score.spearman).toBeCloseTo(1, 10);
  });
});

describe('centroidProbeAccuracy', () => {
  it('separates well-separated classes perfectly and is near chance on shuffled labels', () => {
    const dim = 4;
    const rows = 200;
    const vectors = new Float32Array(rows * dim);
    const labels: string[] = [];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    for (let r = 0; r < rows; r++) {
      const c = r % 2;
      labels.push(c ? 'b' : 'a');
      for (let d = 0; d < dim; d++) vectors[r * dim + d] = (d === c ? 3 : 0) + random();
    }
    expect(centroidProbeAccuracy(vectors, dim, labels)).toBe(1);
    const shuffled = labels.map((_, r) => (Math.floor(r / 2) % 2 ? 'a' : 'b'));
    const chance = centroidProbeAccuracy(vectors, dim, shuffled);
    expect(chance).toBeGreaterThan(0.3);
    expect(chance).toBeLessThan(0.7);
  });

  it('gives rows of zeros (no known word) the most frequent training class', () => {
    // Rows 0–4 have vectors (a, a, a, b, b: each is classified right from the others); rows 5–9
    // are zeros labelled a, a, a, a, b: each takes the training folds' majority, 'a'.
    const vectors = new Float32Array([1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const labels = ['a', 'a', 'a', 'b', 'b', 'a', 'a', 'a', 'a', 'b'];
    expect(centroidProbeAccuracy(vectors, 2, labels, 5)).toBeCloseTo(9 / 10, 10);
  });
});

describe('withoutCredentials (the "served by" note of a hosted row)', () => {
  it('drops user:password from a base URL and leaves others as given', () => {
    expect(withoutCredentials('https://alice:s3cret@proxy.example.com/v1')).toBe('https://proxy.example.com/v1');
    expect(withoutCredentials('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(withoutCredentials('not a url')).not.toContain('not a url');
  });
});
