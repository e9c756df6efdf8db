// Re-ranking evaluation: what the personalisation features add over the plain listing
// embedding. Each case is a list of shown candidates with the one the user converted on; every
// candidate gets the plain embedding score, the personalisation features and any features the
// data brings (the shown position); rankers are single columns or a conditional logit fitted on
// a training set of cases; ties are broken at random (the shown order would smuggle the logged
// ranker's knowledge into any ranker with ties); ranks are scored with the package's metrics and
// bootstrap.
import {
  CASE_METRICS, bootstrapIntervals, caseScores, differenceVerdict, pairedDifferences, rankingMetrics, resolveBootstrapOptions,
  type BootstrapOptions, type CaseMetric, type ConfidenceInterval, type PairedDifference, type RankingMetrics,
} from './metrics';
import { createRng } from '@embedkit/sampling';
import { PERSONALISATION_FEATURES, type InteractionHistory, type Personaliser } from './personalisation';

/** One ranking to redo: the shown candidates and the one converted on. */
export interface RerankCase {
  /** Candidates in shown order. */
  candidates: readonly string[];
  /** The converted candidate (booked, clicked out); must be one of `candidates`. */
  target: string;
  /** The user's recent actions; `clicks` also feed the plain embedding score. */
  history: InteractionHistory;
  /** The user's type now, for `userTypeListingTypeSim`. */
  userType?: string;
  /** Per candidate, its listing type. */
  listingTypes?: ReadonlyArray<string | undefined>;
  /** Features the data brings, one value per candidate (e.g. `position`, `price`). */
  extra?: Readonly<Record<string, ArrayLike<number>>>;
}

/** The name of the plain listing-embedding score column. */
export const EMBEDDING_SIMILARITY = 'embSim';

/** Per case, the candidates' feature rows. */
export interface FeatureTable {
  /** Column names: `embSim`, the personalisation features, then the `extra` names. */
  names: string[];
  /** Per case, row-major `candidates × names.length`. */
  rows: Float64Array[];
  /** Per case, the target's index among its candidates. */
  targets: Int32Array;
}

/**
 * Computes every column for every case: `embSim` (the Recommender's recency-weighted query over
 * `history.clicks`, cosine to the candidate), the {@link PERSONALISATION_FEATURES}, and `extra`.
 *
 * @throws RangeError when a case's target is not among its candidates or an extra column has the wrong length.
 */
export function buildFeatureTable(personaliser: Personaliser, cases: readonly RerankCase[]): FeatureTable {
  const extraNames = cases.length > 0 && cases[0]!.extra !== undefined ? Object.keys(cases[0]!.extra) : [];
  const names = [EMBEDDING_SIMILARITY, ...PERSONALISATION_FEATURES, ...extraNames];
  const width = names.length;
  const p = PERSONALISATION_FEATURES.length;
  const rows: Float64Array[] = [];
  const targets = new Int32Array(cases.length);
  cases.forEach((cs, c) => {
    const n = cs.candidates.length;
    const target = cs.candidates.indexOf(cs.target);
    if (target < 0) throw new RangeError(`case ${c}: the target ${JSON.stringify(cs.target)} is not among its ${n} candidates`);
    targets[c] = target;
    const plain = personaliser.recencySimilarity(cs.candidates, cs.history.clicks ?? []);
    const context = cs.userType === undefined || cs.listingTypes === undefined ? {} : { userType: cs.userType, listingTypes: cs.listingTypes };
    const features = personaliser.features(cs.candidates, cs.history, context);
    const out = new Float64Array(n * width);
    for (let i = 0; i < n; i++) {
      out[i * width] = plain[i]!;
      for (let j = 0; j < p; j++) out[i * width + 1 + j] = features[i * p + j]!;
    }
    const keys = cs.extra === undefined ? [] : Object.keys(cs.extra);
    if (keys.length !== extraNames.length || keys.some((k) => !extraNames.includes(k))) {
      throw new RangeError(`case ${c}: extra has columns [${keys.join(', ')}], the first case [${extraNames.join(', ')}]; every case needs the same extra columns`);
    }
    extraNames.forEach((name, e) => {
      const values = cs.extra?.[name];
      if (values === undefined || values.length !== n) throw new RangeError(`case ${c}: extra.${name} needs one value per candidate (${n})`);
      for (let i = 0; i < n; i++) out[i * width + 1 + p + e] = values[i]!;
    });
    rows.push(out);
  });
  return { names, rows, targets };
}

/** A fitted linear scorer over some columns (standardised with the training means and scales; `bias` is 0 for the conditional logit, which needs none). */
export interface LinearRanker {
  columns: string[];
  weights: Float64Array;
  bias: number;
  mean: Float64Array;
  scale: Float64Array;
}

/** Options of {@link fitLogisticRanker}. */
export interface LogisticOptions {
  /** L2 penalty on the weights (default 1e-3). */
  l2?: number;
  /** Full-batch gradient steps (default 500). */
  iterations?: number;
  /** Step size (default 0.5; the columns are standardised). */
  learningRate?: number;
}

function columnIndices(table: FeatureTable, columns: readonly string[]): Int32Array {
  return Int32Array.from(columns, (name) => {
    const i = table.names.indexOf(name);
    if (i < 0) throw new RangeError(`unknown feature ${JSON.stringify(name)}; the table has ${table.names.join(', ')}`);
    return i;
  });
}

/**
 * Conditional (multinomial) logit over each case's candidates: P(candidate i is the converted
 * one) = softmax over the case of `w · x_i`, on standardised columns, fitted by full-batch
 * gradient descent with an L2 penalty. A choice model with one conversion per shown list, it
 * learns what separates the converted candidate from the others shown with it (a pointwise
 * logistic regression learns what separates cases as much as candidates); a few columns and
 * some ten thousand rows need no solver library.
 */
export function fitLogisticRanker(table: FeatureTable, columns: readonly string[], options: LogisticOptions = {}): LinearRanker {
  const l2 = options.l2 ?? 1e-3;
  const iterations = options.iterations ?? 500;
  const lr = options.learningRate ?? 0.5;
  if (!(l2 >= 0)) throw new RangeError(`l2 must be ≥ 0, got ${l2}`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be an integer ≥ 1, got ${iterations}`);
  if (!(lr > 0)) throw new RangeError(`learningRate must be > 0, got ${lr}`);
  const idx = columnIndices(table, columns);
  const f = idx.length;
  const width = table.names.length;
  let n = 0;
  const mean = new Float64Array(f);
  const sq = new Float64Array(f);
  for (const rows of table.rows) {
    for (let r = 0; r < rows.length; r += width) {
      n++;
      for (let j = 0; j < f; j++) {
        const x = rows[r + idx[j]!]!;
        mean[j]! += x;
        sq[j]! += x * x;
      }
    }
  }
  const cases = table.rows.length;
  if (cases === 0) throw new RangeError('fitLogisticRanker needs at least one training case');
  const scale = new Float64Array(f);
  for (let j = 0; j < f; j++) {
    mean[j]! /= n;
    const variance = sq[j]! / n - mean[j]! * mean[j]!;
    scale[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  // Standardised copies, once: the loop below reads them `iterations` times.
  const xs = table.rows.map((rows) => {
    const m = rows.length / width;
    const x = new Float64Array(m * f);
    for (let i = 0; i < m; i++) for (let j = 0; j < f; j++) x[i * f + j] = (rows[i * width + idx[j]!]! - mean[j]!) / scale[j]!;
    return x;
  });
  let longest = 0;
  for (const x of xs) longest = Math.max(longest, x.length / f);
  const weights = new Float64Array(f);
  const grad = new Float64Array(f);
  const z = new Float64Array(longest);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    for (let c = 0; c < cases; c++) {
      const x = xs[c]!;
      const m = x.length / f;
      const target = table.targets[c]!;
      let max = -Infinity;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < f; j++) s += weights[j]! * x[i * f + j]!;
        z[i] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let i = 0; i < m; i++) sum += (z[i] = Math.exp(z[i]! - max));
      // d(−log p_target)/dw = Σ_i p_i x_i − x_target
      for (let i = 0; i < m; i++) {
        const p = z[i]! / sum - (i === target ? 1 : 0);
        for (let j = 0; j < f; j++) grad[j]! += p * x[i * f + j]!;
      }
    }
    for (let j = 0; j < f; j++) weights[j]! -= lr * (grad[j]! / cases + l2 * weights[j]!);
  }
  return { columns: [...columns], weights, bias: 0, mean, scale };
}

/** A ranker to compare: one column (higher first, or lower first with `ascending`), or a fitted combination. */
export type RankerSpec =
  | { name: string; column: string; ascending?: boolean }
  | { name: string; columns: readonly string[] };

/** How {@link rankTargets} orders candidates with equal scores. */
export type TieBreak = 'random' | 'shown';

/**
 * 1-based rank of each case's target under `score` (a score per candidate row). Ties are broken
 * at random by default (seeded: the target takes a uniformly random place among the candidates
 * with its score), so a ranker that cannot tell candidates apart earns chance, not the shown
 * order's quality; `'shown'` keeps the shown order instead.
 */
export function rankTargets(
  table: FeatureTable, score: (rows: Float64Array, width: number) => Float64Array, options: { ties?: TieBreak; seed?: number } = {},
): Int32Array {
  const ties = options.ties ?? 'random';
  if (ties !== 'random' && ties !== 'shown') throw new RangeError(`ties must be random or shown, got ${String(ties)}`);
  const rng = createRng(options.seed ?? 1);
  const width = table.names.length;
  const ranks = new Int32Array(table.rows.length);
  table.rows.forEach((rows, c) => {
    const s = score(rows, width);
    const t = table.targets[c]!;
    let greater = 0;
    let tiedBefore = 0;
    let tied = 0;
    for (let i = 0; i < s.length; i++) {
      if (i === t) continue;
      if (s[i]! > s[t]!) greater++;
      else if (s[i] === s[t]) {
        tied++;
        if (i < t) tiedBefore++;
      }
    }
    ranks[c] = 1 + greater + (ties === 'shown' ? tiedBefore : tied === 0 ? 0 : rng.nextInt(tied + 1));
  });
  return ranks;
}

/** The scores of a {@link LinearRanker} for one case's rows. */
export function linearScores(ranker: LinearRanker, table: FeatureTable): (rows: Float64Array, width: number) => Float64Array {
  const idx = columnIndices(table, ranker.columns);
  return (rows, width) => {
    const out = new Float64Array(rows.length / width);
    for (let i = 0; i < out.length; i++) {
      let z = ranker.bias;
      for (let j = 0; j < idx.length; j++) z += (ranker.weights[j]! * (rows[i * width + idx[j]!]! - ranker.mean[j]!)) / ranker.scale[j]!;
      out[i] = z;
    }
    return out;
  };
}

/** Options of {@link compareRerankers}. */
export interface CompareRerankersOptions {
  /** Cut-off of the metrics (default 10). */
  k?: number;
  /** The ranker every other is compared with, paired (default the first). */
  baseline?: string;
  logistic?: LogisticOptions;
  /** Ties between candidate scores (default `random`, seeded by the bootstrap seed); see {@link rankTargets}. */
  ties?: TieBreak;
  bootstrap?: BootstrapOptions;
}

/** One row of {@link compareRerankers}. */
export interface RerankerResult {
  name: string;
  metrics: RankingMetrics;
  intervals: Record<CaseMetric, ConfidenceInterval>;
  /** The fitted weights (on standardised columns) of a combination. */
  ranker?: LinearRanker;
}

/** The result of {@link compareRerankers}. */
export interface RerankComparison {
  k: number;
  trainCases: number;
  testCases: number;
  /** Mean number of candidates per test case. */
  candidates: number;
  results: RerankerResult[];
  /** Each ranker minus the baseline, paired over the test cases. */
  differences: Array<{ name: string; baseline: string; differences: Record<CaseMetric, PairedDifference> }>;
  bootstrap: Required<BootstrapOptions>;
}

/**
 * Fits each combination on `train`, ranks `test` with every ranker, and reports HitRate, NDCG
 * and MRR at K with bootstrap intervals and paired differences against the baseline.
 */
export function compareRerankers(
  train: FeatureTable, test: FeatureTable, rankers: readonly RankerSpec[], options: CompareRerankersOptions = {},
): RerankComparison {
  const k = options.k ?? 10;
  if (rankers.length === 0) throw new RangeError('compareRerankers needs at least one ranker');
  const baseline = options.baseline ?? rankers[0]!.name;
  const baseIndex = rankers.findIndex((r) => r.name === baseline);
  if (baseIndex < 0) throw new RangeError(`baseline ${JSON.stringify(baseline)} is not one of the rankers (${rankers.map((r) => r.name).join(', ')})`);
  const bootstrap = resolveBootstrapOptions(options.bootstrap);
  const tieOptions = { ties: options.ties ?? 'random', seed: bootstrap.seed };
  const scored = rankers.map((spec) => {
    if ('column' in spec) {
      const [col] = columnIndices(test, [spec.column]);
      const sign = spec.ascending === true ? -1 : 1;
      const ranks = rankTargets(test, (rows, width) => {
        const out = new Float64Array(rows.length / width);
        for (let i = 0; i < out.length; i++) out[i] = sign * rows[i * width + col!]!;
        return out;
      }, tieOptions);
      return { name: spec.name, ranks, ranker: undefined };
    }
    const ranker = fitLogisticRanker(train, spec.columns, options.logistic);
    return { name: spec.name, ranks: rankTargets(test, linearScores(ranker, test), tieOptions), ranker };
  });
  const perCase = scored.map((s) => CASE_METRICS.map((m) => caseScores(s.ranks, k, m)));
  const series: Float64Array[] = [];
  for (const metrics of perCase) series.push(...metrics);
  const others = scored.map((_, i) => i).filter((i) => i !== baseIndex);
  for (const i of others) CASE_METRICS.forEach((_, j) => series.push(pairedDifferences(perCase[i]![j]!, perCase[baseIndex]![j]!)));
  const intervals = bootstrapIntervals(series, bootstrap);
  const byMetric = <T>(offset: number, make: (ci: ConfidenceInterval) => T): Record<CaseMetric, T> =>
    ({ hitRate: make(intervals[offset]!), ndcg: make(intervals[offset + 1]!), mrr: make(intervals[offset + 2]!) });
  let candidates = 0;
  for (const rows of test.rows) candidates += rows.length / test.names.length;
  return {
    k,
    trainCases: train.rows.length,
    testCases: test.rows.length,
    candidates: test.rows.length === 0 ? 0 : candidates / test.rows.length,
    results: scored.map((s, i) => ({
      name: s.name,
      metrics: rankingMetrics(s.ranks, k),
      intervals: byMetric(i * CASE_METRICS.length, (ci) => ci),
      ...(s.ranker === undefined ? {} : { ranker: s.ranker }),
    })),
    differences: others.map((i, o) => ({
      name: scored[i]!.name,
      baseline,
      differences: byMetric((scored.length + o) * CASE_METRICS.length, (ci) => ({ ...ci, verdict: differenceVerdict(ci) })),
    })),
    bootstrap,
  };
}
