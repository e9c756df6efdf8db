// Ranking metrics for next-item prediction with one relevant item per case: HitRate@K, NDCG@K
// (ideal DCG = 1, so NDCG = 1 / log2(rank + 1)), MRR@K and catalogue coverage.
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
  return rankingMetrics(ranks, k, seen.size, options.catalogueSize);
}
