import { existsSync } from 'node:fs';
import { createRng } from '@embedkit/sampling';
import { describe, expect, it } from 'vitest';
import {
  EventLog, Recommender, SameMarketSampler, compareRecommenders, encodeSessions, generateMarketplace, resolveTrainItemsOptions, reviveSameMarketSampler,
  sessionize, trainItemEmbeddings, word2vecOptionsFor, type Marketplace,
} from '../index';

/** Mean reciprocal rank of each group's bookable item among all bookable items, from the group's viewed items. */
function bookingMrr(m: Marketplace, rec: Recommender): number {
  const bookables = m.groups.map((g) => rec.vectorOf(g.bookable)!);
  let sum = 0;
  let n = 0;
  m.groups.forEach((g, gi) => {
    for (const x of g.items) {
      const v = rec.vectorOf(x);
      if (v === undefined) continue;
      const scores = bookables.map((w) => w.reduce((acc, wj, j) => acc + wj * v[j]!, 0));
      const mine = scores[gi]!;
      sum += 1 / (1 + scores.filter((s, j) => j !== gi && s > mine).length);
      n++;
    }
  });
  return sum / n;
}

/** Fraction of each viewed item's 5 nearest neighbours in its own co-viewed group. */
function groupPurity(m: Marketplace, rec: Recommender): number {
  const group = new Map(m.items.map((i) => [i.id, i.group]));
  let hit = 0;
  let n = 0;
  for (const item of m.items) {
    if (item.bookable || !rec.has(item.id)) continue;
    for (const r of rec.similarItems(item.id, 5)) {
      n++;
      if (group.get(r.item) === item.group) hit++;
    }
  }
  return hit / n;
}

describe('generateMarketplace', () => {
  it('plants markets, categories, groups and bookings, deterministically per seed', () => {
    const m = generateMarketplace({ seed: 3, users: 20 });
    expect(m.groups).toHaveLength(3 * 2 * 3);
    expect(m.items).toHaveLength(18 * 7);
    expect(generateMarketplace({ seed: 3, users: 20 }).events).toEqual(m.events);
    const { sessions } = sessionize(EventLog.fromEvents(m.events));
    expect(sessions).toHaveLength(20 * 3); // the 30-minute gap recovers the generated sessions
    const groupOf = new Map(m.items.map((i) => [i.id, m.groups[i.group]!]));
    for (const s of sessions) {
      if (s.conversion === undefined) continue;
      expect(s.items.at(-1)).toBe(s.conversion);
      expect(groupOf.get(s.conversion)!.market).toBe(s.market);
    }
    expect(sessions.filter((s) => s.conversion !== undefined).length).toBeGreaterThan(30);
  });
});

describe('training modes', () => {
  it('map to word2vec options', () => {
    const m = generateMarketplace({ seed: 1, users: 10 });
    const encoded = encodeSessions(sessionize(EventLog.fromEvents(m.events)).sessions);
    const item2vec = word2vecOptionsFor(encoded, resolveTrainItemsOptions({ mode: 'item2vec' }));
    expect(item2vec).toMatchObject({ model: 'skipgram', windowMode: 'sentence' });
    expect(item2vec.globalContext).toBeUndefined();
    const seq = word2vecOptionsFor(encoded, resolveTrainItemsOptions({ mode: 'sequence', window: 3 }));
    expect(seq).toMatchObject({ windowMode: 'dynamic', window: 3 });
    expect(seq.extraNegatives).toBeUndefined();
    const airbnb = word2vecOptionsFor(encoded, resolveTrainItemsOptions({ mode: 'airbnb', marketNegatives: 4 }));
    expect(airbnb.globalContext).toBe(encoded.globalContext);
    expect(airbnb.extraNegatives?.count).toBe(4);
    expect(airbnb.extraNegatives?.sampler).toBeInstanceOf(SameMarketSampler);
    expect(() => resolveTrainItemsOptions({ mode: 'bert' as never })).toThrow(RangeError);
  });

  it('SameMarketSampler draws from the center item\'s market and survives the worker round trip', () => {
    const itemMarket = Int32Array.from([0, 1, 0, 1, 0, -1, 2]);
    const sampler = new SameMarketSampler(itemMarket);
    const spec = sampler.toWorker();
    expect(spec.exportName).toBe('reviveSameMarketSampler');
    expect(spec.module).toMatch(/^file:.*\.js$/);
    const clone = reviveSameMarketSampler(structuredClone(spec.state) as never);
    const rng = createRng(5);
    const rng2 = createRng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const d = sampler.draw(rng, 2);
      expect(itemMarket[d]).toBe(0);
      expect(clone.draw(rng2, 2)).toBe(d);
      seen.add(d);
    }
    expect([...seen].sort()).toEqual([0, 2, 4]);
    // No market, or a market of one item: uniform over everything.
    const any = new Set<number>();
    for (let i = 0; i < 500; i++) any.add(sampler.draw(rng, 6)).add(sampler.draw(rng, 5));
    expect(any.size).toBe(7);
  });

  // Calibrated over seeds 1–6 with these settings (pinned, so the tests do not move with the
  // package defaults; the recency decay does not enter these measures): group
  // purity sequence 0.96–0.99, airbnb 0.99–1.00, item2vec 1.00; booking MRR airbnb 0.95–0.99,
  // sequence 0.34–0.63 (smallest gap 0.37).
  it.each([1, 2])('put co-viewed items together, and airbnb beats sequence on the planted bookings (seed %i)', async (seed) => {
    const m = generateMarketplace({ seed, users: 150, markets: 2, browsingTail: 3 });
    const { sessions } = sessionize(EventLog.fromEvents(m.events));
    const common = { epochs: 10, sample: 0, window: 3, dim: 32, alpha: 0.05, negative: 5, marketNegatives: 1, seed };
    const seq = new Recommender((await trainItemEmbeddings(sessions, { ...common, mode: 'sequence' })).embeddings);
    const airbnb = new Recommender((await trainItemEmbeddings(sessions, { ...common, mode: 'airbnb' })).embeddings);
    expect(groupPurity(m, seq)).toBeGreaterThan(0.9);
    expect(groupPurity(m, airbnb)).toBeGreaterThan(0.9);
    const mSeq = bookingMrr(m, seq);
    const mAir = bookingMrr(m, airbnb);
    expect(mAir).toBeGreaterThan(0.85);
    expect(mAir - mSeq).toBeGreaterThan(0.2);
  });

  it('item2vec mode (whole-session window) groups co-viewed items', async () => {
    const m = generateMarketplace({ seed: 4, users: 100, markets: 2 });
    const { sessions } = sessionize(EventLog.fromEvents(m.events));
    const r = await trainItemEmbeddings(sessions, { mode: 'item2vec', epochs: 5, sample: 0, dim: 32, alpha: 0.05, negative: 5, seed: 4 });
    expect(r.stats.epochs).toBe(5);
    expect(groupPurity(m, new Recommender(r.embeddings))).toBeGreaterThan(0.9);
  });

  // Workers run built JavaScript: word2vec's worker and this package's dist (which the sampler's
  // toWorker() names). Build both first (`npx tsup` in each package); skipped otherwise.
  const built = ['../../dist/index.js', '../../../word2vec/dist/worker.js'].every((p) => existsSync(new URL(p, import.meta.url)));
  it.skipIf(!built)('airbnb mode trains in worker threads with the same-market sampler', async () => {
    const m = generateMarketplace({ seed: 1, users: 100, markets: 2 });
    const { sessions } = sessionize(EventLog.fromEvents(m.events));
    const r = await trainItemEmbeddings(sessions, { mode: 'airbnb', threads: 2, epochs: 5, marketNegatives: 3, seed: 1 });
    expect(r.stats.threads).toBe(2);
    expect(groupPurity(m, new Recommender(r.embeddings))).toBeGreaterThan(0.9);
  });

  it('compareRecommenders scores embeddings and the three baselines on one split', async () => {
    const m = generateMarketplace({ seed: 2, users: 120, markets: 2 });
    const log = EventLog.fromEvents(m.events);
    const { sessions } = sessionize(log);
    const c = await compareRecommenders(sessions, {
      modes: ['item2vec'], train: { epochs: 5, alpha: 0.05, seed: 2 }, metadata: log.metadataMap(),
    });
    expect(c.results.map((r) => r.method)).toEqual(['item2vec', 'popularity', 'item-knn', 'session-knn']);
    expect(c.cases + c.skippedRepeats).toBe(120);
    for (const r of c.results) expect(r.metrics.cases).toBe(c.cases);
    const by = Object.fromEntries(c.results.map((r) => [r.method, r.metrics]));
    // Planted groups make next items predictable. Seeds 1–5: HitRate@10 item2vec 0.54–0.65,
    // item-kNN 0.66–0.75, popularity 0.03–0.06.
    expect(by['item2vec']!.hitRate).toBeGreaterThan(5 * by['popularity']!.hitRate);
    expect(by['item-knn']!.hitRate).toBeGreaterThan(5 * by['popularity']!.hitRate);
    // Intervals around every mean, and the paired difference agrees with the two means.
    for (const r of c.results) {
      expect(r.intervals.ndcg.mean).toBeCloseTo(r.metrics.ndcg, 12);
      expect(r.intervals.ndcg.low).toBeLessThanOrEqual(r.metrics.ndcg);
      expect(r.intervals.ndcg.high).toBeGreaterThanOrEqual(r.metrics.ndcg);
    }
    // One paired difference per kNN baseline, the strongest (higher NDCG) first.
    expect(c.differences.map((x) => x.baseline).sort()).toEqual(['item-knn', 'session-knn']);
    expect(c.differences[0]!.baseline).toBe(c.strongestBaseline);
    const knnNdcg = (m: string): number => c.results.find((r) => r.method === m)!.metrics.ndcg;
    expect(knnNdcg(c.strongestBaseline)).toBe(Math.max(knnNdcg('item-knn'), knnNdcg('session-knn')));
    const d = c.differences.find((x) => x.baseline === 'item-knn')!;
    expect(d.method).toBe('item2vec');
    expect(d.differences.mrr.mean).toBeCloseTo(by['item2vec']!.mrr - by['item-knn']!.mrr, 12);
    expect(d.differences.mrr.cases).toBe(c.cases);
    // Popularity is far behind item-kNN here: the interval of item-kNN lies above popularity's.
    const pop = c.results.find((r) => r.method === 'popularity')!.intervals.hitRate;
    expect(c.results.find((r) => r.method === 'item-knn')!.intervals.hitRate.low).toBeGreaterThan(pop.high);
  });
});
