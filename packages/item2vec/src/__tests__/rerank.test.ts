import { createRng } from '@embedkit/sampling';
import { Embeddings } from '@embedkit/vectors';
import { describe, expect, it } from 'vitest';
import { Personaliser } from '../personalisation';
import { evaluateMarketplaceReranking } from '../personalisation-eval';
import { Recommender } from '../recommender';
import { buildFeatureTable, compareRerankers, fitLogisticRanker, rankTargets, type FeatureTable } from '../rerank';

/** Cases whose converted candidate is drawn from softmax(2·a − 1·b) over 15 candidates. */
function plantedTable(seed: number, cases = 1500): FeatureTable {
  const rng = createRng(seed);
  const rows: Float64Array[] = [];
  const targets: number[] = [];
  for (let c = 0; c < cases; c++) {
    const n = 15;
    const r = new Float64Array(n * 3);
    const u = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      r[i * 3] = rng.nextGaussian();
      r[i * 3 + 1] = rng.nextGaussian();
      r[i * 3 + 2] = rng.nextGaussian(); // noise column
      sum += (u[i] = Math.exp(2 * r[i * 3]! - r[i * 3 + 1]!));
    }
    let x = rng.nextFloat() * sum;
    let t = 0;
    while (t < n - 1 && (x -= u[t]!) > 0) t++;
    rows.push(r);
    targets.push(t);
  }
  return { names: ['a', 'b', 'noise'], rows, targets: Int32Array.from(targets) };
}

describe('fitLogisticRanker (conditional logit)', () => {
  it('recovers planted choice weights', () => {
    for (const seed of [1, 2, 3]) {
      const m = fitLogisticRanker(plantedTable(seed), ['a', 'b', 'noise'], { l2: 0 });
      // Weights are on standardised columns (scale ≈ 1 here), so they estimate 2, −1, 0.
      expect(m.weights[0]! / m.scale[0]!).toBeGreaterThan(1.7);
      expect(m.weights[0]! / m.scale[0]!).toBeLessThan(2.3);
      expect(m.weights[1]! / m.scale[1]!).toBeGreaterThan(-1.3);
      expect(m.weights[1]! / m.scale[1]!).toBeLessThan(-0.7);
      expect(Math.abs(m.weights[2]!)).toBeLessThan(0.2);
    }
  });

  it('refuses unknown columns and bad settings', () => {
    const t = plantedTable(1, 10);
    expect(() => fitLogisticRanker(t, ['c'])).toThrow(/unknown feature "c"; the table has a, b, noise/);
    expect(() => fitLogisticRanker(t, ['a'], { iterations: 0 })).toThrow(RangeError);
    expect(() => fitLogisticRanker({ names: ['a'], rows: [], targets: new Int32Array(0) }, ['a'])).toThrow(/at least one training case/);
  });
});

describe('rankTargets', () => {
  const table: FeatureTable = { names: ['s'], rows: [Float64Array.from([0.5, 0.5, 0.5, 0.9])], targets: Int32Array.from([2]) };
  const score = (rows: Float64Array): Float64Array => rows;
  it('keeps shown order on ties when asked, and otherwise places the target at random among its ties', () => {
    expect(Array.from(rankTargets(table, score, { ties: 'shown' }))).toEqual([4]);
    const seen = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) seen.add(rankTargets(table, score, { seed })[0]!);
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });
});

describe('buildFeatureTable', () => {
  const p = new Personaliser(new Recommender(new Embeddings(['a', 'b'], 2, Float32Array.from([1, 0, 0, 1]))));
  it('refuses a target outside the candidates and extra columns of the wrong length', () => {
    expect(() => buildFeatureTable(p, [{ candidates: ['a', 'b'], target: 'c', history: {} }])).toThrow(/not among its 2 candidates/);
    expect(() => buildFeatureTable(p, [{ candidates: ['a', 'b'], target: 'a', history: {}, extra: { position: [0] } }])).toThrow(/extra.position/);
    const both = [{ candidates: ['a', 'b'], target: 'a', history: {}, extra: { position: [0, 1] } }, { candidates: ['a', 'b'], target: 'a', history: {} }];
    expect(() => buildFeatureTable(p, both)).toThrow(/same extra columns/);
  });
  it('puts the plain score, the features and the extras in named columns', () => {
    const t = buildFeatureTable(p, [{ candidates: ['a', 'b'], target: 'b', history: { clicks: ['b'] }, extra: { position: [0, 1] } }]);
    expect(t.names[0]).toBe('embSim');
    expect(t.names.at(-1)).toBe('position');
    const w = t.names.length;
    expect([t.rows[0]![0], t.rows[0]![w]]).toEqual([0, 1]);
    expect(t.rows[0]![2 * w - 1]).toBe(1);
    expect(() => compareRerankers(t, t, [{ name: 'x', column: 'embSim' }], { baseline: 'y' })).toThrow(/baseline "y"/);
  });
});

describe('re-ranking on the generated booking marketplace', () => {
  // Calibrated over seeds 1–6 (MARKETPLACE_LISTING_TRAINING, histories read as sets): the type
  // feature adds 0.03–0.08 NDCG@5 and MRR@5 over the plain embedding, the paired interval above 0
  // on seeds 1–3, 5, 6 (seed 4: a tie); the short-term features alone add nothing here.
  it('the user-type/listing-type similarity adds what the planted long-term preference holds', async () => {
    for (const seed of [1, 2]) {
      const r = await evaluateMarketplaceReranking({ marketplace: { seed }, k: 5, bootstrap: { seed, resamples: 300 } });
      expect(r.testCases).toBeGreaterThan(250);
      const withTypes = r.differences.find((d) => d.name === '+ short-term + type')!;
      expect(withTypes.baseline).toBe('embedding');
      expect(withTypes.differences.mrr.mean).toBeGreaterThan(0.02);
      expect(withTypes.differences.ndcg.verdict).toBe('better');
    }
  }, 180_000);
});
