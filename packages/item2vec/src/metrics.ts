// Ranking metrics for next-item prediction with one relevant item per case: HitRate@K, NDCG@K
// (ideal DCG = 1, so NDCG = 1 / log2(rank + 1)), MRR@K and catalogue coverage; per-case scores
// and percentile-bootstrap confidence intervals over the cases, so a tie can be called a tie.
import { createRng } from '@embedkit/sampling';
import type { EvaluationCase } from './split';

/** One recommended item. */
export interface Recommendation {
  item: string;
  score: number;
}

/** Options accepted by every recommender's `recommend`. */
export interface RecommendOptions {
  /** Keep only items of this market (needs item metadata). */
  market?: string;
  /** Items never to recommend, on top of the query items themselves. */
  exclude?: Iterable<string>;
}

/** What evaluation needs from a recommender: ranked items for a query, query items excluded. */
export interface SessionRecommender {
  recommend(items: readonly string[], k: number, options?: RecommendOptions): Recommendation[];
}

/** Offline metrics over a set of cases. */
export interface RankingMetrics {
  k: number;
  /** Fraction of cases whose target is in the top K. */
  hitRate: number;
  /** Mean of 1 / log2(rank + 1) over cases (0 when rank > K). */
  ndcg: number;
  /** Mean of 1 / rank over cases (0 when rank > K). */
  mrr: number;
  /** Distinct items recommended over all cases / `catalogueSize`. */
  coverage: number;
  /** Number of evaluated cases. */
  cases: number;
}

/**
 * Metrics from 1-based ranks (`0` or anything > k means "not in the top K").
 * `recommended` is the number of distinct items recommended, for coverage.
 */
export function rankingMetrics(ranks: ArrayLike<number>, k: number, recommended = 0, catalogueSize = 0): RankingMetrics {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
  let hits = 0;
  let dcg = 0;
  let rr = 0;
  const n = ranks.length;
  for (let i = 0; i < n; i++) {
    const r = ranks[i]!;
    if (r >= 1 && r <= k) {
      hits++;
      dcg += 1 / Math.log2(r + 1);
      rr += 1 / r;
    }
  }
  return {
    k,
    hitRate: n === 0 ? 0 : hits / n,
    ndcg: n === 0 ? 0 : dcg / n,
    mrr: n === 0 ? 0 : rr / n,
    coverage: catalogueSize > 0 ? recommended / catalogueSize : 0,
    cases: n,
  };
}

/** Options of {@link evaluateRecommender}. */
export interface EvaluateOptions {
  /** Cut-off (default 10). */
  k?: number;
  /** Number of items that could be recommended (the training catalogue), for coverage. */
  catalogueSize: number;
  /** Filter recommendations to the case's market (default false). */
  filterByMarket?: boolean;
}

/** Ranks of the target per case, from {@link rankCases}. */
export interface CaseRanks {
  /** 1-based rank of each case's target in the top K, 0 when it is not there. */
  ranks: Int32Array;
  /** Distinct items recommended over all cases (for coverage). */
  recommended: number;
}

/**
 * Asks `recommender` for the top K of every case and records the target's rank (0 = miss).
 * Targets the recommender cannot know (cold items) simply count as misses.
 */
export function rankCases(
  recommender: SessionRecommender,
  cases: readonly EvaluationCase[],
  options: Omit<EvaluateOptions, 'catalogueSize'>,
): CaseRanks {
  const k = options.k ?? 10;
  const ranks = new Int32Array(cases.length);
  const seen = new Set<string>();
  for (let c = 0; c < cases.length; c++) {
    const cs = cases[c]!;
    const opts: RecommendOptions = {};
    if (options.filterByMarket && cs.market !== undefined) opts.market = cs.market;
    const recs = recommender.recommend(cs.history, k, opts);
    let rank = 0;
    for (let i = 0; i < recs.length && i < k; i++) {
      const item = recs[i]!.item;
      seen.add(item);
      if (rank === 0 && item === cs.target) rank = i + 1;
    }
    ranks[c] = rank;
  }
  return { ranks, recommended: seen.size };
}

/**
 * Asks `recommender` for the top K of every case and scores the target's rank.
 * Targets the recommender cannot know (cold items) simply count as misses.
 */
export function evaluateRecommender(
  recommender: SessionRecommender,
  cases: readonly EvaluationCase[],
  options: EvaluateOptions,
): RankingMetrics {
  const k = options.k ?? 10;
  const { ranks, recommended } = rankCases(recommender, cases, options);
  return rankingMetrics(ranks, k, recommended, options.catalogueSize);
}

/** The per-case metrics that have a mean over cases. */
export type CaseMetric = 'hitRate' | 'ndcg' | 'mrr';

/** The metrics {@link caseScores} knows, in report order. */
export const CASE_METRICS: readonly CaseMetric[] = ['hitRate', 'ndcg', 'mrr'];

/**
 * One metric per case from 1-based ranks (`0` or > k = miss): 1 or 0 for `hitRate`,
 * 1 / log2(rank + 1) for `ndcg`, 1 / rank for `mrr`. Their mean is {@link rankingMetrics}'s value.
 */
export function caseScores(ranks: ArrayLike<number>, k: number, metric: CaseMetric): Float64Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
  const n = ranks.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = ranks[i]!;
    if (r < 1 || r > k) continue;
    out[i] = metric === 'hitRate' ? 1 : metric === 'ndcg' ? 1 / Math.log2(r + 1) : 1 / r;
  }
  return out;
}

/** Options of {@link bootstrapIntervals} and {@link pairedBootstrap}. */
export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Coverage of the interval, in (0, 1) (default 0.95). */
  confidence?: number;
  /** Seed of the resampling (default 1): the same seed gives the same intervals. */
  seed?: number;
}

/** A mean over cases with its percentile-bootstrap confidence interval. */
export interface ConfidenceInterval {
  /** The mean over all cases (not a bootstrap estimate). */
  mean: number;
  /** Lower end of the interval. */
  low: number;
  /** Upper end of the interval. */
  high: number;
  /** Number of cases the mean is over. */
  cases: number;
}

/** The bootstrap interval of the difference of two methods' means on the same cases. */
export interface PairedDifference extends ConfidenceInterval {
  /** `better` when the interval lies above 0, `worse` when below, `tie` when it contains 0. */
  verdict: 'better' | 'worse' | 'tie';
}

/** Bootstrap options with defaults filled in; throws RangeError on bad values. */
export function resolveBootstrapOptions(options: BootstrapOptions = {}): Required<BootstrapOptions> {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be an integer ≥ 1, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return { resamples, confidence, seed };
}

/** Linear interpolation between order statistics of a sorted array (quantile type 7). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile-bootstrap confidence intervals of the means of several per-case series over the
 * same cases (all series must have one length). Every resample draws one set of case indices
 * and applies it to every series, so the intervals are paired: pass the per-case differences of
 * two methods as a series to get the interval of their difference.
 */
export function bootstrapIntervals(series: readonly Float64Array[], options: BootstrapOptions = {}): ConfidenceInterval[] {
  const { resamples, confidence, seed } = resolveBootstrapOptions(options);
  const n = series.length === 0 ? 0 : series[0]!.length;
  for (const s of series) {
    if (s.length !== n) throw new RangeError(`every series needs one score per case: got lengths ${n} and ${s.length}`);
  }
  const means = series.map((s) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += s[i]!;
    return n === 0 ? 0 : sum / n;
  });
  // No case, no uncertainty to estimate: a zero-width interval at the (zero) mean.
  if (n === 0) return means.map((mean) => ({ mean, low: mean, high: mean, cases: 0 }));
  const rng = createRng(seed);
  const indices = new Int32Array(n);
  const resampled = series.map(() => new Float64Array(resamples));
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = rng.nextInt(n);
    for (let j = 0; j < series.length; j++) {
      const s = series[j]!;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += s[indices[i]!]!;
      resampled[j]![b] = sum / n;
    }
  }
  const tail = (1 - confidence) / 2;
  return resampled.map((r, j) => {
    r.sort();
    return { mean: means[j]!, low: quantileSorted(r, tail), high: quantileSorted(r, 1 - tail), cases: n };
  });
}

/** The interval of one per-case series' mean ({@link bootstrapIntervals} with one series). */
export function bootstrapInterval(scores: Float64Array, options: BootstrapOptions = {}): ConfidenceInterval {
  return bootstrapIntervals([scores], options)[0]!;
}

/** The per-case differences `a − b` (same cases, same order). */
export function pairedDifferences(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length !== b.length) throw new RangeError(`paired scores need the same cases: got ${a.length} and ${b.length}`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!;
  return d;
}

/** The verdict of a difference's interval: a tie whenever it contains 0. */
export function differenceVerdict(interval: ConfidenceInterval): PairedDifference['verdict'] {
  return interval.low > 0 ? 'better' : interval.high < 0 ? 'worse' : 'tie';
}

/**
 * Paired bootstrap of the mean difference `a − b` of two methods' per-case scores on the same
 * cases: `better` / `worse` only when the interval excludes 0, otherwise `tie`.
 */
export function pairedBootstrap(a: Float64Array, b: Float64Array, options: BootstrapOptions = {}): PairedDifference {
  const interval = bootstrapInterval(pairedDifferences(a, b), options);
  return { ...interval, verdict: differenceVerdict(interval) };
}
