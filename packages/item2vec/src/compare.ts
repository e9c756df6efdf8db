// One call that does the whole offline comparison on a temporal split: train the embedding
// modes on the training part, then score them next to popularity, item-kNN and session-kNN on the
// same cases, with bootstrap confidence intervals and a paired test of each embedding against each
// kNN baseline (the stronger of the two is the one to beat).
import { ItemKnnRecommender, PopularityRecommender } from './baselines';
import { item2vecError } from './errors';
import {
  CASE_METRICS, bootstrapIntervals, caseScores, differenceVerdict, pairedDifferences, rankCases, rankingMetrics, resolveBootstrapOptions,
  type BootstrapOptions, type CaseMetric, type ConfidenceInterval, type PairedDifference, type RankingMetrics, type SessionRecommender,
} from './metrics';
import { RECOMMEND_DEFAULTS, Recommender, type ItemMetadata, type RecommendScoring } from './recommender';
import { SessionKnnRecommender, type SessionKnnOptions } from './session-knn';
import type { Session } from './sessions';
import { temporalSplit, type TemporalSplit } from './split';
import { trainItemEmbeddings, type TrainingMode, type TrainItemsOptions } from './train';

/** Options of {@link compareRecommenders}. */
export interface CompareOptions {
  /** Cut-off K (default 10). */
  k?: number;
  /** Embedding modes to train and score (default `['item2vec']`). */
  modes?: readonly TrainingMode[];
  /** Training options shared by the modes (`mode` is set per entry of `modes`). */
  train?: Omit<TrainItemsOptions, 'mode'>;
  /** Recency decay of the embedding recommender (default {@link RECOMMEND_DEFAULTS}'s). */
  recencyDecay?: number;
  /** How the embedding recommender ranks items (default {@link RECOMMEND_DEFAULTS}'s). */
  scoring?: RecommendScoring;
  /** Recency decay of item-kNN (default 0.7, {@link ItemKnnRecommender}'s). */
  knnRecencyDecay?: number;
  /** Options of session-kNN (default {@link SessionKnnRecommender}'s). */
  sessionKnn?: Omit<SessionKnnOptions, 'metadata'>;
  /** Item markets/categories (cold start, market filter). */
  metadata?: ReadonlyMap<string, ItemMetadata>;
  /** Restrict every method's recommendations to the case's market (default false). */
  filterByMarket?: boolean;
  /** Use this split instead of computing `temporalSplit(sessions)`. */
  split?: TemporalSplit;
  /** Resampling of the confidence intervals (default 1000 resamples, 95 %, seed 1). */
  bootstrap?: BootstrapOptions;
  /** Called when a method starts (for progress output). */
  onMethod?: (method: string) => void;
}

/** One row of a comparison. */
export interface MethodResult {
  /** `item2vec`, `sequence`, `airbnb`, `popularity`, `item-knn` or `session-knn`. */
  method: string;
  metrics: RankingMetrics;
  /** Percentile-bootstrap interval of HitRate, NDCG and MRR over the evaluated cases. */
  intervals: Record<CaseMetric, ConfidenceInterval>;
  /** Training (or model building) time, seconds. */
  trainSeconds: number;
}

/** The result of {@link compareRecommenders}. */
export interface Comparison {
  k: number;
  /** Evaluated cases (users). */
  cases: number;
  /** Users left out because their target repeats an item of the query. */
  skippedRepeats: number;
  /** Distinct items in the training sessions. */
  catalogueSize: number;
  trainSessions: number;
  results: MethodResult[];
  /** The kNN baseline with the higher NDCG@K on these cases: the one an embedding has to beat. */
  strongestBaseline: string;
  /** Paired bootstrap of each embedding mode minus each kNN baseline (the strongest first) on the same cases. */
  differences: MethodDifference[];
  /** The resampling the intervals come from. */
  bootstrap: Required<BootstrapOptions>;
}

/** `method − baseline` per metric, paired over the same cases; `tie` when the interval holds 0. */
export interface MethodDifference {
  method: string;
  baseline: string;
  differences: Record<CaseMetric, PairedDifference>;
}

/**
 * Leave-last-out comparison of embedding modes against popularity and item-kNN, on the same
 * split, with the same K, exclusions and (optionally) market filter.
 *
 * @throws EmbedkitError `NO_EVENTS` when the split has no case to evaluate.
 */
export async function compareRecommenders(sessions: readonly Session[], options: CompareOptions = {}): Promise<Comparison> {
  const k = options.k ?? 10;
  const split = options.split ?? temporalSplit(sessions);
  if (split.cases.length === 0) {
    // Means over no case would print as 0.0000 [0, 0] "tie" for every method: no result at all.
    throw item2vecError('NO_EVENTS',
      `the leave-last-out split has no case to evaluate (${split.skippedRepeats} users skipped: their held-out last item repeats an item before it); ` +
      'evaluation needs users whose last session ends on an item not seen earlier in it');
  }
  const catalogue = new Set<string>();
  for (const s of split.train) for (const item of s.items) catalogue.add(item);
  const evalOptions = { k, filterByMarket: options.filterByMarket ?? false };
  const decay = options.recencyDecay ?? RECOMMEND_DEFAULTS.recencyDecay;
  const scoring = options.scoring ?? RECOMMEND_DEFAULTS.scoring;
  const knnDecay = options.knnRecencyDecay ?? 0.7;
  const scored: Array<{ method: string; ranks: Int32Array; metrics: RankingMetrics; trainSeconds: number }> = [];
  const score = (method: string, rec: SessionRecommender, trainSeconds: number): void => {
    const { ranks, recommended } = rankCases(rec, split.cases, evalOptions);
    scored.push({ method, ranks, metrics: rankingMetrics(ranks, k, recommended, catalogue.size), trainSeconds });
  };
  const modes = options.modes ?? ['item2vec'];
  for (const mode of modes) {
    options.onMethod?.(mode);
    const t0 = performance.now();
    const trained = await trainItemEmbeddings(split.train, { ...options.train, mode });
    const trainSeconds = (performance.now() - t0) / 1000;
    const recOptions = {
      recencyDecay: decay,
      ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
      ...(scoring === 'in-out' ? { context: trained.contextEmbeddings } : {}),
    };
    score(mode, new Recommender(trained.embeddings, recOptions), trainSeconds);
  }
  const baselineOptions = options.metadata === undefined ? {} : { metadata: options.metadata };
  options.onMethod?.('popularity');
  let t0 = performance.now();
  const pop = new PopularityRecommender(split.train, baselineOptions);
  score('popularity', pop, (performance.now() - t0) / 1000);
  options.onMethod?.('item-knn');
  t0 = performance.now();
  const knn = new ItemKnnRecommender(split.train, { ...baselineOptions, recencyDecay: knnDecay });
  score('item-knn', knn, (performance.now() - t0) / 1000);
  options.onMethod?.('session-knn');
  t0 = performance.now();
  const sknn = new SessionKnnRecommender(split.train, { ...options.sessionKnn, ...baselineOptions });
  score('session-knn', sknn, (performance.now() - t0) / 1000);

  // The kNN baselines, strongest (higher NDCG@K) first.
  const baselines = scored
    .map((m, i) => ({ method: m.method, index: i, ndcg: m.metrics.ndcg }))
    .filter((m) => m.method === 'item-knn' || m.method === 'session-knn')
    .sort((a, b) => b.ndcg - a.ndcg);
  // One bootstrap over every series (methods × metrics, then mode − baseline × metrics), so all
  // intervals come from the same resampled cases.
  const bootstrap = resolveBootstrapOptions(options.bootstrap);
  const perCase = scored.map((m) => CASE_METRICS.map((metric) => caseScores(m.ranks, k, metric)));
  const series: Float64Array[] = [];
  for (const metrics of perCase) series.push(...metrics);
  const pairs: Array<{ method: string; baseline: string }> = [];
  for (let m = 0; m < modes.length; m++) {
    for (const b of baselines) {
      pairs.push({ method: modes[m]!, baseline: b.method });
      CASE_METRICS.forEach((_, j) => series.push(pairedDifferences(perCase[m]![j]!, perCase[b.index]![j]!)));
    }
  }
  const intervals = bootstrapIntervals(series, bootstrap);
  const byMetric = <T>(offset: number, make: (ci: ConfidenceInterval) => T): Record<CaseMetric, T> =>
    ({ hitRate: make(intervals[offset]!), ndcg: make(intervals[offset + 1]!), mrr: make(intervals[offset + 2]!) });
  const results: MethodResult[] = scored.map((m, i) => ({
    method: m.method, metrics: m.metrics, intervals: byMetric(i * CASE_METRICS.length, (ci) => ci), trainSeconds: m.trainSeconds,
  }));
  const differences: MethodDifference[] = pairs.map((pair, p) => ({
    ...pair,
    differences: byMetric((scored.length + p) * CASE_METRICS.length, (ci) => ({ ...ci, verdict: differenceVerdict(ci) })),
  }));
  return {
    k,
    cases: split.cases.length,
    skippedRepeats: split.skippedRepeats,
    catalogueSize: catalogue.size,
    trainSessions: split.train.length,
    results,
    strongestBaseline: baselines[0]!.method,
    differences,
    bootstrap,
  };
}
