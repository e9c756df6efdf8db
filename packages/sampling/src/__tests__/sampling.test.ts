import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UnigramSampler,
  contextRange,
  createRng,
  effectiveWindow,
  keepProbability,
  keepThresholds,
  listContextBags,
  listSamples,
  reviveSampler,
} from '../index';

describe('createRng', () => {
  it('is deterministic per (seed, stream) and streams differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(42, 1);
    const d = createRng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
    expect(Array.from({ length: 8 }, () => d.nextUint32())).not.toEqual(sa);
  });

  it('gives uniform floats and ints (mean, bucket chi-square)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed, seed);
      const buckets = new Float64Array(10);
      let sum = 0;
      let outOfRange = 0;
      const n = 100_000;
      for (let i = 0; i < n; i++) {
        const f = rng.nextFloat();
        if (!(f >= 0 && f < 1)) outOfRange++;
        sum += f;
        buckets[rng.nextInt(10)]! += 1;
      }
      expect(outOfRange).toBe(0);
      expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
      let chi = 0;
      for (const b of buckets) chi += (b - n / 10) ** 2 / (n / 10);
      // 9 degrees of freedom: P(chi2 > 27.9) = 0.001.
      expect(chi).toBeLessThan(27.9);
    }
  });

  it('snapshots and restores state', () => {
    const rng = createRng(7);
    rng.nextUint32();
    const state = rng.getState();
    const x = rng.nextUint32();
    rng.setState(state);
    expect(rng.nextUint32()).toBe(x);
  });
});

describe('keepProbability', () => {
  it('matches the C tool formula and clips to 1', () => {
    const total = 1_000_000;
    const sample = 1e-3;
    const t = sample * total;
    expect(keepProbability(10_000, total, sample)).toBeCloseTo((Math.sqrt(10_000 / t) + 1) * (t / 10_000), 12);
    expect(keepProbability(10, total, sample)).toBe(1);
    expect(keepProbability(10_000, total, 0)).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (a, b) => {
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        return keepProbability(hi, 1e6, 1e-4) <= keepProbability(lo, 1e6, 1e-4) + 1e-15;
      }),
    );
  });

  it('keepThresholds keeps tokens at the stated rate', () => {
    const table = keepThresholds([100_000, 10], 100_010, 1e-3);
    const p = keepProbability(100_000, 100_010, 1e-3);
    const rng = createRng(3);
    let kept = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) if (rng.nextUint32() <= table[0]!) kept++;
    expect(Math.abs(kept / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    expect(table[1]).toBe(0xffffffff);
  });
});

describe('windows', () => {
  it('contexts stay inside the sentence and within the window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom('dynamic' as const, 'fixed' as const, 'sentence' as const),
        fc.integer(),
        (length, window, mode, seed) => {
          const rng = createRng(seed);
          const out = new Int32Array(2);
          for (let i = 0; i < length; i++) {
            const span = effectiveWindow(rng, window, mode);
            if (mode !== 'sentence' && (span < 1 || span > window)) return false;
            contextRange(i, length, span, out);
            if (out[0]! < 0 || out[1]! > length || out[0]! > i || out[1]! <= i) return false;
            if (mode !== 'sentence' && (i - out[0]! > window || out[1]! - 1 - i > window)) return false;
            if (mode === 'sentence' && (out[0] !== 0 || out[1] !== length)) return false;
          }
          return true;
        },
      ),
    );
  });

  it('dynamic windows weight a neighbour at distance d by (window - d + 1) / window', () => {
    const rng = createRng(11);
    const window = 4;
    const hits = new Float64Array(window + 1);
    const trials = 40_000;
    const out = new Int32Array(2);
    for (let t = 0; t < trials; t++) {
      contextRange(50, 101, effectiveWindow(rng, window, 'dynamic'), out);
      for (let d = 1; d <= window; d++) if (out[1]! > 50 + d) hits[d]! += 1;
    }
    for (let d = 1; d <= window; d++) expect(hits[d]! / trials).toBeCloseTo((window - d + 1) / window, 1);
  });

  it('lists the skip-gram pairs and CBOW bags of the article figure', () => {
    const s = ['thou', 'shalt', 'not', 'make'];
    expect(listSamples(s, 1).map((p) => `${p.target}>${p.context}`)).toEqual([
      'thou>shalt', 'shalt>thou', 'shalt>not', 'not>shalt', 'not>make', 'make>not',
    ]);
    expect(listSamples(s, 2, { windowMode: 'sentence' })).toHaveLength(12);
    expect(listContextBags(s, 2)[0]).toEqual({ target: 'thou', contexts: ['shalt', 'not'] });
    expect(() => listSamples(s, 2, { windowMode: 'dynamic' })).toThrow(TypeError);
    expect(() => listSamples(s, 0)).toThrow(RangeError);
  });
});

describe('UnigramSampler', () => {
  // The empirical distribution of draws must match count^exponent. The threshold is the chi-square
  // 0.999 quantile for the degrees of freedom, so a correct sampler fails about once in 1000 seeds;
  // we check 3 fixed seeds per exponent (12 checks: a false failure has probability about 1.2%
  // only if the seeds were random; they are fixed, so the test is deterministic).
  const counts = [500, 200, 120, 80, 40, 20, 10, 5, 2, 1, 0, 1];
  const chi2Crit999: Record<number, number> = { 10: 29.59, 11: 31.26 };
  for (const exponent of [0.75, 1, 0, -0.5]) {
    it(`matches unigram^${exponent}`, () => {
      const sampler = new UnigramSampler(counts, { exponent });
      const weights = counts.map((c) => (c > 0 ? c ** exponent : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      for (let id = 0; id < counts.length; id++) expect(sampler.probability(id)).toBeCloseTo(weights[id]! / total, 8);
      for (const seed of [1, 2, 3]) {
        const rng = createRng(seed);
        const n = 200_000;
        const hist = new Float64Array(counts.length);
        for (let i = 0; i < n; i++) hist[sampler.draw(rng, 0)]! += 1;
        expect(hist[10]).toBe(0); // count 0: never drawn
        let chi = 0;
        let df = -1;
        for (let id = 0; id < counts.length; id++) {
          const e = (n * weights[id]!) / total;
          if (e === 0) continue;
          chi += (hist[id]! - e) ** 2 / e;
          df++;
        }
        expect(chi).toBeLessThan(chi2Crit999[df]!);
      }
    });
  }

  it('rejects bad input', () => {
    expect(() => new UnigramSampler([])).toThrow(RangeError);
    expect(() => new UnigramSampler([0, 0])).toThrow(RangeError);
    expect(() => new UnigramSampler([1, -1])).toThrow(RangeError);
    expect(() => new UnigramSampler([1], { exponent: Number.NaN })).toThrow(RangeError);
  });

  it('round-trips through its worker spec', async () => {
    const sampler = new UnigramSampler(counts);
    const spec = sampler.toWorker();
    const mod = await import('../negative');
    const revived = (mod as unknown as Record<string, (s: unknown) => UnigramSampler>)[spec.exportName]!(spec.state);
    const a = createRng(5);
    const b = createRng(5);
    for (let i = 0; i < 100; i++) expect(revived.draw(a, 0)).toBe(sampler.draw(b, 0));
    await expect(reviveSampler({ module: 'node:path', exportName: 'nope', state: null })).rejects.toThrow(TypeError);
  });
});

describe('Rng.nextGaussian', () => {
  it('draws standard normals: mean 0, variance 1, symmetric tails', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const n = 200_000;
      let sum = 0;
      let squares = 0;
      let beyond2 = 0;
      for (let i = 0; i < n; i++) {
        const x = rng.nextGaussian();
        sum += x;
        squares += x * x;
        if (Math.abs(x) > 2) beyond2++;
      }
      const mean = sum / n;
      expect(Math.abs(mean)).toBeLessThan(0.01); // standard error 0.0022
      expect(Math.abs(squares / n - 1)).toBeLessThan(0.015); // standard error 0.0032
      expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.003); // P(|Z| > 2) = 0.0455
    }
  });

  it('is reproducible from a seed', () => {
    const a = createRng(9);
    const b = createRng(9);
    for (let i = 0; i < 10; i++) expect(a.nextGaussian()).toBe(b.nextGaussian());
  });
});
