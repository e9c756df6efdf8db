import { Embeddings } from '@embedkit/vectors';
import { describe, expect, it } from 'vitest';
import { Recommender, contextMismatch, type ItemMetadata } from '../index';

// Four items on the unit circle plus one far away: a (0°), b (30°), c (90°), d (180°), e (-30°).
const deg = (x: number): [number, number] => [Math.cos((x * Math.PI) / 180), Math.sin((x * Math.PI) / 180)];
const labels = ['a', 'b', 'c', 'd', 'e'];
const emb = new Embeddings(labels, 2, Float32Array.from([deg(0), deg(30), deg(90), deg(180), deg(-30)].flat()));
const metadata = new Map<string, ItemMetadata>([
  ['a', { market: 'M', category: 'x' }], ['b', { market: 'M', category: 'y' }], ['c', { market: 'N', category: 'x' }],
  ['d', { market: 'N', category: 'y' }], ['e', { market: 'M', category: 'x' }],
  ['new', { market: 'M', category: 'x' }], ['newCat', { category: 'y' }], ['bare', {}],
]);

describe('Recommender', () => {
  const rec = new Recommender(emb, { metadata, recencyDecay: 0.5 });

  it('finds similar items by cosine, itself excluded, with an optional market filter', () => {
    const sim = rec.similarItems('a', 3);
    expect(sim.map((r) => r.item)).toEqual(['b', 'e', 'c']);
    expect(sim[0]!.score).toBeCloseTo(Math.cos(Math.PI / 6), 6);
    expect(rec.similarItems('a', 5, { market: 'N' }).map((r) => r.item)).toEqual(['c', 'd']);
  });

  it('recommends from a recency-weighted mean, excluding the history', () => {
    // History [c, a] with decay 0.5: query ∝ 0.5·c + a → angle atan(0.5) ≈ 26.6°: b is nearest.
    expect(rec.recommend(['c', 'a'], 1).map((r) => r.item)).toEqual(['b']);
    // Reversed history [a, c]: query ∝ 0.5·a + c → ≈ 63.4°; b (30°) beats e; c and a are excluded.
    expect(rec.recommend(['a', 'c'], 2).map((r) => r.item)).toEqual(['b', 'e']);
    expect(rec.recommend(['a', 'c'], 2, { exclude: ['b'] }).map((r) => r.item)).toEqual(['e', 'd']);
    expect(rec.recommend(['unknown'], 3)).toEqual([]);
  });

  it('gives unseen items the mean vector of the items sharing their metadata', () => {
    // new: market M and category x → mean of a (0°) and e (-30°) → -15°.
    const v = rec.vectorOf('new')!;
    expect(Math.atan2(v[1]!, v[0]!) * (180 / Math.PI)).toBeCloseTo(-15, 4);
    expect(Math.hypot(v[0]!, v[1]!)).toBeCloseTo(1, 6);
    expect(rec.similarItems('new', 2).map((r) => r.item).sort()).toEqual(['a', 'e']);
    // newCat: only category y → mean of b (30°) and d (180°) → 105°.
    const w = rec.vectorOf('newCat')!;
    expect(Math.atan2(w[1]!, w[0]!) * (180 / Math.PI)).toBeCloseTo(105, 4);
    expect(rec.vectorOf('bare')).toBeUndefined();
    expect(() => rec.similarItems('bare', 3)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ITEM' }));
  });

  it('scores in-out with context vectors: Σ recency weight · input · context', () => {
    // Context vectors chosen so that in-out and cosine disagree: c's context points at a's input.
    const context = new Embeddings(labels, 2, Float32Array.from([[0, 1], [-1, 0], [2, 0], [0, -1], [0.5, 0.5]].flat()));
    const inOut = new Recommender(emb, { recencyDecay: 0.5, context });
    expect(inOut.scoring).toBe('in-out');
    expect(rec.scoring).toBe('cosine');
    // History [b, a]: query = 0.5·b + a = (0.5 cos 30° + 1, 0.5 sin 30°).
    const q = [0.5 * Math.cos(Math.PI / 6) + 1, 0.25];
    const recs = inOut.recommend(['b', 'a'], 3);
    expect(recs.map((r) => r.item)).toEqual(['c', 'e', 'd']);
    expect(recs[0]!.score).toBeCloseTo(2 * q[0]!, 6);
    expect(recs[1]!.score).toBeCloseTo(0.5 * q[0]! + 0.5 * q[1]!, 6);
    expect(recs[2]!.score).toBeCloseTo(-q[1]!, 6);
    // Cosine ranks e (-30°) first for the same history; c (90°) is far.
    expect(rec.recommend(['b', 'a'], 1)[0]!.item).toBe('e');
    // Context vectors must be those of the same items.
    expect(() => new Recommender(emb, { context: new Embeddings(labels, 3, new Float32Array(15)) }))
      .toThrow(expect.objectContaining({ code: 'BAD_PARAMS', message: expect.stringContaining('they have 3 dimensions, the item vectors 2') }));
    expect(() => new Recommender(emb, { context: new Embeddings(['a'], 2, new Float32Array(2)) }))
      .toThrow(expect.objectContaining({ code: 'BAD_PARAMS', message: expect.stringContaining('4 of 5 items have no context vector ("b", "c", "d", …)') }));
    expect(contextMismatch(emb, context)).toBeUndefined();
  });

  it('validates k and the decay', () => {
    expect(() => rec.similarItems('a', 0)).toThrow(RangeError);
    expect(() => new Recommender(emb, { recencyDecay: 0 })).toThrow(RangeError);
  });
});
