import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextRange, createRng, listSamples } from '@embedkit/sampling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventLog, generateMarketplace, pairsPerEpoch, readItem2VecParams, resolveTrainItemsOptions, sessionize, temporalSplit, tuneItem2Vec, tuningSplit, writeItem2VecParams,
  type Item2VecParams, type Session, type TuneOptions,
} from '../index';

const { sessions } = sessionize(EventLog.fromEvents(generateMarketplace({ seed: 3, users: 150, markets: 2 }).events));

/** `sessions` with every test target (last item of each user's last session) renamed to `prefix` + user. */
function withTestTargets(all: readonly Session[], prefix: string): Session[] {
  const test = temporalSplit(all);
  const targetOf = new Map(test.cases.map((c) => [c.user, c.target]));
  const lastOf = new Map<string, number>();
  all.forEach((s, i) => {
    const prev = lastOf.get(s.user);
    if (prev === undefined || s.times[s.times.length - 1]! >= all[prev]!.times[all[prev]!.times.length - 1]!) lastOf.set(s.user, i);
  });
  return all.map((s, i) => {
    if (lastOf.get(s.user) !== i || !targetOf.has(s.user)) return s;
    return { ...s, items: [...s.items.slice(0, -1), `${prefix}${s.user}`] };
  });
}

// Small and fast: 8 dimensions, a few epochs, two values per searched parameter.
const quick: TuneOptions = {
  budgetSeconds: 120,
  start: { dim: 8, epochs: 2, seed: 1, threads: 1 },
  space: { negativeExponent: [0.5, -0.5], mode: ['sequence'], window: [2, 5], epochs: [2, 4], sample: [0], alpha: [0.05], recencyDecay: [0.5, 1] },
};

describe('tuningSplit', () => {
  it('carves validation from the training period: no test target is ever in it', () => {
    const marked = withTestTargets(sessions, 'TEST-');
    const { validation, heldOutCases } = tuningSplit(marked);
    expect(heldOutCases).toBe(temporalSplit(marked).cases.length);
    expect(heldOutCases).toBeGreaterThan(100);
    expect(validation.cases.length).toBeGreaterThan(50);
    const seen = [...validation.train.flatMap((s) => s.items), ...validation.cases.flatMap((c) => [...c.history, c.target])];
    expect(seen.length).toBeGreaterThan(1000);
    expect(seen.filter((item) => item.startsWith('TEST-'))).toEqual([]);
  });
});

describe('tuneItem2Vec', () => {
  it('never uses the test targets: changing them changes nothing', async () => {
    const a = await tuneItem2Vec(withTestTargets(sessions, 'A-'), { ...quick, maxTrials: 3 });
    const b = await tuneItem2Vec(withTestTargets(sessions, 'B-'), { ...quick, maxTrials: 3 });
    expect(a.trials).toHaveLength(3);
    expect(a.stoppedBy).toBe('maxTrials');
    // The first trial is the starting point: `start` over the package defaults, as training resolves it.
    const { mode, window, negativeExponent, epochs, sample, alpha, dim, negative } = resolveTrainItemsOptions(quick.start);
    expect(a.trials[0]!.train).toEqual({ mode, window, negativeExponent, epochs, sample, alpha, dim, negative });
    expect(b.trials.map((t) => [t.train, t.recommend, t.metrics])).toEqual(a.trials.map((t) => [t.train, t.recommend, t.metrics]));
    expect(a.validation.cases).toBe(tuningSplit(sessions).validation.cases.length);
    // The best is the best trial by the metric.
    expect(a.metrics.ndcg).toBe(Math.max(...a.trials.map((t) => t.metrics.ndcg)));
    expect(a.best.validation?.score).toBe(a.metrics.ndcg);
  });

  it('searches every coordinate until a pass changes nothing', async () => {
    const r = await tuneItem2Vec(sessions, quick);
    expect(r.stoppedBy).toBe('converged');
    const keys = new Set(r.trials.map((t) => JSON.stringify(t.train)));
    expect(keys.size).toBe(r.trials.length); // no setting trained twice
    expect(new Set(r.trials.map((t) => t.train.negativeExponent))).toEqual(new Set([0.5, -0.5]));
    expect(new Set(r.trials.map((t) => t.train.window))).toEqual(new Set([2, 5]));
    expect(new Set(r.trials.map((t) => t.train.epochs))).toEqual(new Set([2, 4]));
    for (const t of r.trials) expect(t.train.dim).toBe(8);
    // Planted co-viewed groups make next items predictable: far above chance (10 / 200 items).
    expect(r.metrics.hitRate).toBeGreaterThan(0.2);
  });

  it('respects the time budget', async () => {
    const budgetSeconds = 3;
    const t0 = performance.now();
    const r = await tuneItem2Vec(sessions, {
      ...quick, budgetSeconds, space: { ...quick.space, epochs: [2, 20_000], negativeExponent: [0.5, 0, -0.5, -1] },
    });
    const elapsed = (performance.now() - t0) / 1000;
    // One validation scoring (a few ms here) may run past the deadline, nothing more; the slack is
    // for a loaded machine: a 20,000-epoch trial, were it started or not aborted, takes minutes.
    expect(elapsed).toBeLessThan(budgetSeconds + 10);
    expect(r.stoppedBy).toBe('budget');
    expect(r.trials.every((t) => t.train.epochs === 2)).toBe(true);
  });

  it('aborts a trial that runs past the budget, and says so when none finished', async () => {
    const t0 = performance.now();
    await expect(tuneItem2Vec(sessions, { ...quick, budgetSeconds: 1, start: { ...quick.start, epochs: 100_000 } }))
      .rejects.toMatchObject({ code: 'BUDGET_TOO_SMALL', message: expect.stringContaining('--budget') });
    // Aborted at the deadline: a 100,000-epoch trial left to run would take many minutes.
    expect((performance.now() - t0) / 1000).toBeLessThan(15);
  });

  it('stopped by its signal before the first trial finished: ABORTED, not a budget error', async () => {
    const controller = new AbortController();
    const tuning = tuneItem2Vec(sessions, { ...quick, budgetSeconds: 60, start: { ...quick.start, epochs: 100_000 }, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(tuning).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('validates its options', async () => {
    await expect(tuneItem2Vec(sessions, { budgetSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(tuneItem2Vec(sessions, { budgetSeconds: 10, metric: 'auc' as never })).rejects.toThrow(RangeError);
    await expect(tuneItem2Vec(sessions, { budgetSeconds: 10, space: { window: [] } })).rejects.toThrow(RangeError);
    // A bad candidate value is refused before any training, not when its turn comes.
    for (const space of [{ epochs: [2, 0] }, { window: [2, 1.5] }, { alpha: [0.05, -1] }, { sample: [0, Number.NaN] }]) {
      let trials = 0;
      await expect(tuneItem2Vec(sessions, { ...quick, space: { ...quick.space, ...space }, onTrial: () => trials++ }))
        .rejects.toThrow(new RegExp(`space\\.${Object.keys(space)[0]}`));
      expect(trials).toBe(0);
    }
    // One two-item session: its only case is the test case, nothing is left to validate on.
    const one: Session = { user: 'u', items: ['a', 'b'], times: [1, 2], converted: [false, false], conversion: undefined, market: undefined };
    await expect(tuneItem2Vec([one], { budgetSeconds: 10 })).rejects.toMatchObject({ code: 'NO_EVENTS' });
  });
});

describe('pairsPerEpoch', () => {
  /** The exact expectation by brute force: every span 1..w of word2vec's dynamic window, through the trainers' own range. */
  function bruteForce(lengths: readonly number[], window: number): number {
    const range = new Int32Array(2);
    let pairs = 0;
    for (const n of lengths) {
      for (let i = 0; i < n; i++) {
        for (let span = 1; span <= window; span++) {
          contextRange(i, n, span, range);
          pairs += (range[1]! - range[0]! - 1) / window;
        }
      }
    }
    return pairs;
  }

  it('counts whole-session pairs for item2vec', () => {
    expect(pairsPerEpoch([3, 4], { mode: 'item2vec', window: 5 })).toBe(6 + 12);
  });

  it('is the exact expectation of the dynamic window for sequence, session ends included', () => {
    // window 1: every item has at most one neighbour on each side.
    expect(pairsPerEpoch([3], { mode: 'sequence', window: 1 })).toBe(4);
    // window 3 on 3 items: an end item reaches 1 neighbour with span 1, 2 with spans 2 and 3 (5 / 3).
    expect(pairsPerEpoch([3], { mode: 'sequence', window: 3 })).toBeCloseTo(5 / 3 + 2 + 5 / 3, 12);
    for (let window = 1; window <= 7; window++) {
      for (let n = 1; n <= 12; n++) expect(pairsPerEpoch([n], { mode: 'sequence', window })).toBeCloseTo(bruteForce([n], window), 9);
      const lengths = [1, 2, 5, 9, 30];
      expect(pairsPerEpoch(lengths, { mode: 'sequence', window })).toBeCloseTo(bruteForce(lengths, window), 9);
    }
  });

  it('agrees with the pairs the dynamic window actually draws', () => {
    const rng = createRng(5);
    const lengths = [2, 3, 4, 7, 12];
    let drawn = 0;
    const rounds = 4000;
    for (let r = 0; r < rounds; r++) for (const n of lengths) drawn += listSamples(Array.from({ length: n }, (_, i) => i), 5, { windowMode: 'dynamic', rng }).length;
    expect(drawn / rounds).toBeCloseTo(pairsPerEpoch(lengths, { mode: 'sequence', window: 5 }), 0);
  });
});

describe('params files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-tune-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const params: Item2VecParams = {
    train: { mode: 'sequence', window: 3, negativeExponent: -0.5, epochs: 40, sample: 1e-4, alpha: 0.05, dim: 16, negative: 10 },
    recommend: { recencyDecay: 0.3, scoring: 'in-out' },
  };

  it('round-trips what tune writes', async () => {
    const path = join(dir, 'p.json');
    await writeItem2VecParams(path, params);
    expect(await readItem2VecParams(path)).toEqual(params);
  });

  it('refuses files that are not params, naming the field', async () => {
    const write = async (name: string, text: string): Promise<string> => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    };
    await expect(readItem2VecParams(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(readItem2VecParams(await write('a.json', 'not json'))).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('not JSON') });
    await expect(readItem2VecParams(await write('b.json', '{"train": {}}'))).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('"format"') });
    const bad = { format: 'embedkit-item2vec-params', ...params, train: { ...params.train, epochs: 0 } };
    await expect(readItem2VecParams(await write('c.json', JSON.stringify(bad)))).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('epochs') });
    const badScoring = { format: 'embedkit-item2vec-params', ...params, recommend: { recencyDecay: 0.5, scoring: 'dot' } };
    await expect(readItem2VecParams(await write('d.json', JSON.stringify(badScoring)))).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('scoring') });
  });
});
