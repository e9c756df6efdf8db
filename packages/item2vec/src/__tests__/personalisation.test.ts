import { Embeddings } from '@embedkit/vectors';
import { describe, expect, it } from 'vitest';
import { PERSONALISATION_FEATURES, Personaliser } from '../personalisation';
import { skippedListings } from '../personalisation-eval';
import { Recommender } from '../recommender';
import { TypeBucketer, TypeEmbeddings } from '../types';

// Hand-made listing vectors: p1, p2 in Paris, r1 in Rome, and a Paris candidate at equal angles.
const listings = new Embeddings(['p1', 'p2', 'r1', 'cand', 'far'], 3, Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, -1, 0, 0]));
const metadata = new Map([
  ['p1', { market: 'Paris' }], ['p2', { market: 'Paris' }], ['r1', { market: 'Rome' }], ['cand', { market: 'Paris' }], ['far', { market: 'Paris' }],
]);
const types = new TypeEmbeddings(
  new Embeddings(['u:a', 'l:b', 'l:c'], 2, Float32Array.from([1, 0, 0.6, 0.8, 0, 1])),
  TypeBucketer.fit({ listing: [{ name: 'x' }], user: [{ name: 'y' }] }),
);
const column = (name: (typeof PERSONALISATION_FEATURES)[number]): number => PERSONALISATION_FEATURES.indexOf(name);

describe('Personaliser (Grbovic & Cheng 2018, Table 6)', () => {
  const p = new Personaliser(new Recommender(listings, { recencyDecay: 0.5 }), { metadata, types });

  it('computes each set as the max cosine over its market groups, the last long click and the type similarity', () => {
    const rows = p.features(['cand', 'far'], { clicks: ['p1', 'p2', 'r1'], longClicks: ['p2', 'r1'], skips: ['unknown'], bookings: ['p1'] }, {
      userType: 'u:a', listingTypes: ['l:b', 'l:never-booked'],
    });
    const w = PERSONALISATION_FEATURES.length;
    // Paris group p1 + p2 = (1, 1, 0): cos with (1, 1, 1) = 2 / √6; Rome group (0, 0, 1): 1 / √3.
    expect(rows[column('embClickSim')]).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(rows[column('embLongClickSim')]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(rows[column('embLastLongClickSim')]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(rows[column('embBookSim')]).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(rows[column('embSkipSim')]).toBe(0); // no vector in the set
    expect(rows[column('embWishlistSim')]).toBe(0); // no set
    expect(rows[column('userTypeListingTypeSim')]).toBeCloseTo(0.6, 6);
    // The second candidate: opposite of p1, orthogonal to the rest; its type has no vector.
    expect(rows[w + column('embClickSim')]).toBeCloseTo(0, 6); // max(-1/√2 Paris, 0 Rome)
    expect(rows[w + column('embBookSim')]).toBeCloseTo(-1, 6);
    expect(rows[w + column('userTypeListingTypeSim')]).toBe(0);
    expect(Array.from(rows).every(Number.isFinite)).toBe(true);
  });

  it('without markets, a set is one group (the sum of all its vectors)', () => {
    const flat = new Personaliser(new Recommender(listings));
    const rows = flat.features(['cand'], { clicks: ['p1', 'p2', 'r1'] });
    expect(rows[column('embClickSim')]).toBeCloseTo(1, 6);
  });

  it('reads each history as a set: a listing clicked twice counts once (the paper\'s H_c)', () => {
    const once = p.features(['cand', 'far'], { clicks: ['p1', 'p2', 'r1'], skips: ['p2'] });
    const repeated = p.features(['cand', 'far'], { clicks: ['p1', 'p1', 'p2', 'r1', 'p1'], skips: ['p2', 'p2'] });
    expect(Array.from(repeated)).toEqual(Array.from(once));
    // Counted twice, the Paris group would be 2·p1 + p2 = (2, 1, 0): cos 3 / √15, not 2 / √6.
    expect(repeated[column('embClickSim')]).toBeCloseTo(2 / Math.sqrt(6), 6);
  });

  it('prepares a history once for many candidate lists', () => {
    const prepared = p.prepare({ clicks: ['p1', 'p2', 'r1'] });
    expect(Array.from(p.features(['cand'], prepared))).toEqual(Array.from(p.features(['cand'], { clicks: ['p1', 'p2', 'r1'] })));
  });

  it('gives the plain embedding score: cosine to the recency-weighted mean of the clicks', () => {
    // 0.5 · p1 + 1 · p2 = (0.5, 1, 0); cos with (1, 1, 1) = 1.5 / (√1.25 · √3).
    const s = p.recencySimilarity(['cand', 'nothing'], ['p1', 'p2']);
    expect(s[0]).toBeCloseTo(1.5 / (Math.sqrt(1.25) * Math.sqrt(3)), 6);
    expect(s[1]).toBe(0);
    expect(Array.from(p.recencySimilarity(['cand'], []))).toEqual([0]);
  });

  it('refuses bad input with messages that name the fix', () => {
    expect(() => p.features(['cand'], { clicks: ['p1'] }, { userType: 'u:a', listingTypes: [] })).toThrow(/one per candidate/);
    expect(() => p.features(['cand'], { clicks: 'p1' as unknown as string[] })).toThrow(/history.clicks must be an array/);
    expect(() => p.features('cand' as unknown as string[], {})).toThrow(TypeError);
    expect(() => p.features(['cand'], null as never)).toThrow(/history must be an object/);
    const withoutTypes = new Personaliser(new Recommender(listings));
    expect(() => withoutTypes.features(['cand'], {}, { userType: 'u:a', listingTypes: ['l:b'] })).toThrow(/pass \{ types \}/);
  });
});

describe('skippedListings (the paper\'s H_s)', () => {
  it('are the listings shown above the lowest clicked one and not clicked', () => {
    expect(skippedListings(['a', 'b', 'c', 'd', 'e'], ['b', 'd'])).toEqual(['a', 'c']);
    expect(skippedListings(['a', 'b'], [])).toEqual([]);
    expect(skippedListings(['a', 'b'], ['a'])).toEqual([]);
  });
});
