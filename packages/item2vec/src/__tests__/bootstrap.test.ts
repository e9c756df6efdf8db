import { createRng } from '@embedkit/sampling';
import { describe, expect, it } from 'vitest';
import {
  CASE_METRICS, bootstrapInterval, bootstrapIntervals, caseScores, pairedBootstrap, rankingMetrics,
} from '../index';

/** `n` per-case hits (1) or misses (0) with hit probability `p`. */
function bernoulli(n: number, p: number, seed: number): Float64Array {
  const rng = createRng(seed, 7);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextFloat() < p ? 1 : 0;
  return out;
}

describe('caseScores', () => {
  it('has rankingMetrics as its mean for every metric', () => {
    const ranks = [1, 3, 0, 11, 2, 7];
    const m = rankingMetrics(ranks, 10);
    for (const metric of CASE_METRICS) {
      const s = caseScores(ranks, 10, metric);
      expect(s).toHaveLength(ranks.length);
      expect(s.reduce((a, b) => a + b, 0) / ranks.length).toBeCloseTo(m[metric], 12);
    }
    expect(Array.from(caseScores(ranks, 10, 'hitRate'))).toEqual([1, 1, 0, 0, 1, 1]);
  });
});

describe('bootstrapInterval', () => {
  it('contains the mean and has positive width', () => {
    for (const seed of [1, 2, 3]) {
      const s = bernoulli(500, 0.3, seed);
      const ci = bootstrapInterval(s, { seed });
      expect(ci.cases).toBe(500);
      expect(ci.low).toBeLessThan(ci.mean);
      expect(ci.high).toBeGreaterThan(ci.mean);
      // Binomial standard error √(0.3·0.7/500) ≈ 0.0205: a 95 % interval is about 4 of them wide.
      expect(ci.high - ci.low).toBeGreaterThan(0.06);
      expect(ci.high - ci.low).toBeLessThan(0.1);
    }
  });

  it('narrows like 1/√n with more cases', () => {
    const small = bootstrapInterval(bernoulli(250, 0.3, 1));
    const large = bootstrapInterval(bernoulli(4000, 0.3, 1));
    const ratio = (large.high - large.low) / (small.high - small.low);
    // √(250/4000) = 0.25
    expect(ratio).toBeGreaterThan(0.18);
    expect(ratio).toBeLessThan(0.33);
  });

  it('covers the true mean about 95 % of the time', () => {
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const ci = bootstrapInterval(bernoulli(200, 0.2, 100 + t), { resamples: 400, seed: t });
      if (ci.low <= 0.2 && 0.2 <= ci.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('is reproducible from its seed and changes with it', () => {
    const s = bernoulli(300, 0.4, 5);
    expect(bootstrapInterval(s, { seed: 9 })).toEqual(bootstrapInterval(s, { seed: 9 }));
    const a = bootstrapInterval(s, { seed: 9 });
    const b = bootstrapInterval(s, { seed: 10 });
    expect(a.mean).toBe(b.mean);
    expect([a.low, a.high]).not.toEqual([b.low, b.high]);
  });

  it('gives a zero-width interval without cases and refuses bad options', () => {
    expect(bootstrapInterval(new Float64Array(0))).toEqual({ mean: 0, low: 0, high: 0, cases: 0 });
    expect(() => bootstrapInterval(new Float64Array(3), { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapInterval(new Float64Array(3), { confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapIntervals([new Float64Array(3), new Float64Array(4)])).toThrow(/one score per case/);
  });

  it('resamples every series with the same cases', () => {
    const s = bernoulli(300, 0.4, 5);
    const [a, b] = bootstrapIntervals([s, s.slice()]);
    expect(a).toEqual(b);
  });
});

describe('pairedBootstrap', () => {
  it('detects a planted difference in either direction', () => {
    for (const seed of [1, 2, 3]) {
      const better = bernoulli(1000, 0.35, seed);
      const worse = bernoulli(1000, 0.25, seed + 50);
      const d = pairedBootstrap(better, worse, { seed });
      expect(d.verdict).toBe('better');
      expect(d.low).toBeGreaterThan(0);
      expect(d.mean).toBeCloseTo(0.1, 1);
      expect(pairedBootstrap(worse, better, { seed }).verdict).toBe('worse');
    }
  });

  it('calls identical methods a tie, and a difference of two cases in a thousand too', () => {
    const a = bernoulli(1000, 0.3, 4);
    const same = pairedBootstrap(a, a.slice());
    expect(same).toMatchObject({ mean: 0, low: 0, high: 0, verdict: 'tie', cases: 1000 });
    const b = a.slice();
    let flipped = 0;
    for (let i = 0; i < b.length && flipped < 2; i++) if (b[i] === 0) { b[i] = 1; flipped++; }
    const close = pairedBootstrap(b, a);
    expect(close.mean).toBeCloseTo(0.002, 12);
    expect(close.low).toBeLessThanOrEqual(0);
    expect(close.verdict).toBe('tie');
  });

  it('uses the pairing: a shared hard case does not blur a consistent gain', () => {
    // Per-case scores vary a lot between cases, but a beats b by 0.05 on every one of them:
    // unpaired intervals overlap, the paired difference is clearly positive.
    const base = bernoulli(200, 0.5, 8);
    const a = base.map((x) => x * 0.9 + 0.05);
    const b = base.map((x) => x * 0.9);
    const [ia, ib] = bootstrapIntervals([a, b]);
    expect(ia!.low).toBeLessThan(ib!.high);
    expect(pairedBootstrap(a, b).verdict).toBe('better');
  });
});
