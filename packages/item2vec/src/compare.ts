// One call that does the whole offline comparison on a temporal split: train the embedding
// modes on the training part, then score them next to popularity and item-kNN on the same cases.
import { ItemKnnRecommender, PopularityRecommender } from './baselines';
import { evaluateRecommender, type RankingMetrics } from './metrics';
import { Recommender, type ItemMetadata } from './recommender';
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
  /** Recency decay of the embedding recommender (default 0.5, {@link Recommender}'s). */
  recencyDecay?: number;
  /** Recency decay of item-kNN (default 0.7, {@link ItemKnnRecommender}'s). */
  knnRecencyDecay?: number;
  /** Item markets/categories (cold start, market filter). */
  metadata?: ReadonlyMap<string, ItemMetadata>;
  /** Restrict every method's recommendations to the case's market (default false). */
  filterByMarket?: boolean;
  /** Use this split instead of computing `temporalSplit(sessions)`. */
  split?: TemporalSplit;
  /** Called when a method starts (for progress output). */
  onMethod?: (method: string) => void;
}

/** One row of a comparison. */
export interface MethodResult {
  /** `item2vec`, `sequence`, `airbnb`, `popularity` or `item-knn`. */
  method: string;
  metrics: RankingMetrics;
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
}

/**
 * Leave-last-out comparison of embedding modes against popularity and item-kNN, on the same
 * split, with the same K, exclusions and (optionally) market filter.
 */
export async function compareRecommenders(sessions: readonly Session[], options: CompareOptions = {}): Promise<Comparison> {
  const k = options.k ?? 10;
  const split = options.split ?? temporalSplit(sessions);
  const catalogue = new Set<string>();
  for (const s of split.train) for (const item of s.items) catalogue.add(item);
  const evalOptions = { k, catalogueSize: catalogue.size, filterByMarket: options.filterByMarket ?? false };
  const decay = options.recencyDecay ?? 0.5;
  const knnDecay = options.knnRecencyDecay ?? 0.7;
  const results: MethodResult[] = [];
  for (const mode of options.modes ?? ['item2vec']) {
    options.onMethod?.(mode);
    const t0 = performance.now();
    const trained = await trainItemEmbeddings(split.train, { ...options.train, mode });
    const trainSeconds = (performance.now() - t0) / 1000;
    const recOptions = options.metadata === undefined ? { recencyDecay: decay } : { recencyDecay: decay, metadata: options.metadata };
    const rec = new Recommender(trained.embeddings, recOptions);
    results.push({ method: mode, metrics: evaluateRecommender(rec, split.cases, evalOptions), trainSeconds });
  }
  const baselineOptions = options.metadata === undefined ? {} : { metadata: options.metadata };
  options.onMethod?.('popularity');
  let t0 = performance.now();
  const pop = new PopularityRecommender(split.train, baselineOptions);
  let secs = (performance.now() - t0) / 1000;
  results.push({ method: 'popularity', metrics: evaluateRecommender(pop, split.cases, evalOptions), trainSeconds: secs });
  options.onMethod?.('item-knn');
  t0 = performance.now();
  const knn = new ItemKnnRecommender(split.train, { ...baselineOptions, recencyDecay: knnDecay });
  secs = (performance.now() - t0) / 1000;
  results.push({ method: 'item-knn', metrics: evaluateRecommender(knn, split.cases, evalOptions), trainSeconds: secs });
  return {
    k,
    cases: split.cases.length,
    skippedRepeats: split.skippedRepeats,
    catalogueSize: catalogue.size,
    trainSessions: split.train.length,
    results,
  };
}
