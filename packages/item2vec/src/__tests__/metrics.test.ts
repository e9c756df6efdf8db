import { describe, expect, it } from 'vitest';
import {
  EventLog, ItemKnnRecommender, PopularityRecommender, evaluateRecommender, rankingMetrics, sessionize, temporalSplit,
  type Session, type SessionRecommender,
} from '../index';

const session = (user: string, items: string[], start: number, converted: boolean[] = items.map(() => false)): Session => {
  let conversion: string | undefined;
  converted.forEach((c, i) => { if (c) conversion = items[i]; });
  return { user, items, times: items.map((_, i) => start + i), converted, conversion, market: undefined };
};

describe('rankingMetrics', () => {
  it('matches hand-computed HitRate, NDCG and MRR', () => {
    // ranks 1, 3, miss (0), 11 (beyond k=10), 2
    const m = rankingMetrics([1, 3, 0, 11, 2], 10, 7, 20);
    expect(m.hitRate).toBeCloseTo(3 / 5, 12);
    expect(m.ndcg).toBeCloseTo((1 + 1 / Math.log2(4) + 1 / Math.log2(3)) / 5, 12); // (1 + 0.5 + 0.6309…)/5
    expect(m.ndcg).toBeCloseTo(0.42618595, 7);
    expect(m.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 2) / 5, 12);
    expect(m.coverage).toBeCloseTo(7 / 20, 12);
    expect(m.cases).toBe(5);
  });
  it('handles k = 1 and no cases', () => {
    expect(rankingMetrics([1, 2], 1)).toMatchObject({ hitRate: 0.5, ndcg: 0.5, mrr: 0.5 });
    expect(rankingMetrics([], 5)).toMatchObject({ hitRate: 0, ndcg: 0, mrr: 0, cases: 0 });
    expect(() => rankingMetrics([], 0)).toThrow(RangeError);
  });
});

describe('evaluateRecommender', () => {
  it('scores a fixed recommender exactly', () => {
    const fixed: SessionRecommender = { recommend: (_items, k) => ['x', 'y', 'z'].slice(0, k).map((item, i) => ({ item, score: -i })) };
    const cases = [
      { user: 'a', history: ['q'], target: 'y', market: undefined },
      { user: 'b', history: ['q'], target: 'w', market: undefined },
    ];
    const m = evaluateRecommender(fixed, cases, { k: 2, catalogueSize: 4 });
    expect(m.hitRate).toBe(0.5);
    expect(m.ndcg).toBeCloseTo(0.5 / Math.log2(3), 12);
    expect(m.mrr).toBe(0.25);
    expect(m.coverage).toBe(0.5); // x, y of 4
  });
});

describe('temporalSplit', () => {
  it('holds out the last item of each user\'s last session and recomputes the prefix conversion', () => {
    const sessions = [
      session('u1', ['a', 'b', 'c'], 100, [false, true, false]),
      session('u1', ['d', 'e'], 10, [false, true]), // earlier session listed later
      session('u2', ['a', 'b'], 50, [false, true]),
      session('u3', ['a', 'b', 'a'], 0),
    ];
    const split = temporalSplit(sessions);
    expect(split.cases).toEqual([
      { user: 'u1', history: ['a', 'b'], target: 'c', market: undefined },
      { user: 'u2', history: ['a'], target: 'b', market: undefined },
    ]);
    expect(split.skippedRepeats).toBe(1);
    // u1's last session keeps its prefix (conversion b), u2's 1-item prefix is dropped.
    expect(split.train.map((s) => [s.user, s.items, s.conversion])).toEqual([
      ['u1', ['a', 'b'], 'b'], ['u1', ['d', 'e'], 'e'], ['u3', ['a', 'b'], undefined],
    ]);
  });
  it('never leaks a converted target through the prefix', () => {
    const split = temporalSplit([session('u', ['a', 'b', 'c'], 0, [false, false, true])]);
    expect(split.train[0]!.conversion).toBeUndefined();
    expect(split.cases[0]!.target).toBe('c');
  });
});

describe('baselines', () => {
  const train = [
    session('1', ['a', 'b', 'c'], 0), session('2', ['a', 'b'], 0), session('3', ['c', 'd'], 0), session('4', ['a', 'd'], 0),
    session('5', ['e', 'a'], 0),
  ];
  it('popularity ranks by count, excludes seen items, ties by first appearance', () => {
    const pop = new PopularityRecommender(train);
    expect(pop.recommend([], 3).map((r) => r.item)).toEqual(['a', 'b', 'c']);
    expect(pop.recommend(['a'], 2).map((r) => r.item)).toEqual(['b', 'c']);
    expect(pop.recommend(['a'], 2, { exclude: ['c'] }).map((r) => r.item)).toEqual(['b', 'd']);
  });
  it('item-kNN is cosine over session co-occurrence counts (hand-computed)', () => {
    const knn = new ItemKnnRecommender(train);
    // n(a)=4, n(b)=2, n(c)=2, n(d)=2, n(e)=1; c(a,b)=2, c(a,c)=1, c(a,d)=1, c(a,e)=1
    expect(knn.similarity('a', 'b')).toBeCloseTo(2 / Math.sqrt(8), 6);
    expect(knn.similarity('a', 'c')).toBeCloseTo(1 / Math.sqrt(8), 6);
    expect(knn.similarity('a', 'e')).toBeCloseTo(1 / 2, 6);
    expect(knn.similarity('b', 'd')).toBe(0);
    const recs = knn.recommend(['a'], 4);
    expect(recs.map((r) => r.item)).toEqual(['b', 'e', 'c', 'd']);
    expect(recs[0]!.score).toBeCloseTo(2 / Math.sqrt(8), 6);
    // Recency: history [b, d] with decay 0.5 → scores from d weigh 1, from b 0.5.
    const knn2 = new ItemKnnRecommender(train, { recencyDecay: 0.5 });
    const r2 = knn2.recommend(['b', 'd'], 2);
    // c: 0.5 · sim(b,c) + sim(d,c) = 0.5 · 0.5 + 0.5; a: 0.5 · 2/√8 + 1/√8.
    expect(r2.map((r) => r.item)).toEqual(['c', 'a']);
    expect(r2[0]!.score).toBeCloseTo(0.75, 6);
    expect(r2[1]!.score).toBeCloseTo(0.5 * (2 / Math.sqrt(8)) + 1 / Math.sqrt(8), 6);
  });
  it('fills with popular items and filters by market', () => {
    const metadata = new Map([['a', { market: 'M' }], ['b', { market: 'N' }], ['c', { market: 'M' }], ['d', { market: 'N' }], ['e', { market: 'M' }]]);
    const knn = new ItemKnnRecommender(train, { metadata });
    expect(knn.recommend(['e'], 3).map((r) => r.item)).toEqual(['a', 'b', 'c']);
    expect(knn.recommend(['b'], 3, { market: 'M' }).map((r) => r.item)).toEqual(['a', 'c', 'e']);
  });
});

describe('end to end on events', () => {
  it('splits sessionised events', () => {
    const log = EventLog.fromEvents([
      { user: 'u', item: 'a', timestamp: 0 }, { user: 'u', item: 'b', timestamp: 1000 }, { user: 'u', item: 'c', timestamp: 2000 },
    ]);
    const { cases, train } = temporalSplit(sessionize(log).sessions);
    expect(cases).toHaveLength(1);
    expect(train[0]!.items).toEqual(['a', 'b']);
  });
});
