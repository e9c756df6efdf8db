// The two baselines every embedding must be compared with on the same split: most-popular items,
// and session co-occurrence item-kNN (cosine over co-occurrence counts), which Ludewig & Jannach
// (2018) found hard to beat for session-based recommendation.
import type { Recommendation, RecommendOptions, SessionRecommender } from './metrics';
import { checkK } from './recommender';
import type { ItemMetadata } from './recommender';
import type { Session } from './sessions';
import { TopK, checkDecay, recencyWeights } from './top-k';

/** Interns item ids and their markets. @internal */
export class Catalogue {
  readonly items: string[] = [];
  readonly index = new Map<string, number>();
  readonly market: number[] = [];
  readonly marketIndex = new Map<string, number>();
  constructor(private readonly metadata: ReadonlyMap<string, ItemMetadata> | undefined) {}
  id(item: string): number {
    let id = this.index.get(item);
    if (id === undefined) {
      id = this.items.length;
      this.index.set(item, id);
      this.items.push(item);
      const m = this.metadata?.get(item)?.market;
      this.market.push(m === undefined ? -1 : this.marketId(m));
    }
    return id;
  }
  marketId(m: string): number {
    let id = this.marketIndex.get(m);
    if (id === undefined) {
      id = this.marketIndex.size;
      this.marketIndex.set(m, id);
    }
    return id;
  }
  /** -2 = no filter, -3 = unknown market (nothing matches). */
  wanted(market: string | undefined): number {
    return market === undefined ? -2 : (this.marketIndex.get(market) ?? -3);
  }
  excludedSet(items: readonly string[], exclude: Iterable<string> | undefined): Set<number> {
    const out = new Set<number>();
    for (const s of items) {
      const id = this.index.get(s);
      if (id !== undefined) out.add(id);
    }
    if (exclude !== undefined) {
      for (const s of exclude) {
        const id = this.index.get(s);
        if (id !== undefined) out.add(id);
      }
    }
    return out;
  }
}

/** Options shared by the baselines. */
export interface BaselineOptions {
  /** Item markets, for `recommend(…, { market })`. */
  metadata?: ReadonlyMap<string, ItemMetadata>;
}

/** Recommends the items occurring most often in the training sessions, seen items excluded. */
export class PopularityRecommender implements SessionRecommender {
  private readonly catalogue: Catalogue;
  /** Item ids, most popular first. */
  private readonly ranked: Int32Array;
  private readonly counts: Float64Array;

  constructor(sessions: readonly Session[], options: BaselineOptions = {}) {
    this.catalogue = new Catalogue(options.metadata);
    const counts: number[] = [];
    for (const s of sessions) {
      for (const item of s.items) {
        const id = this.catalogue.id(item);
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
    this.counts = Float64Array.from(counts);
    const order = Array.from({ length: counts.length }, (_, i) => i);
    order.sort((a, b) => this.counts[b]! - this.counts[a]! || a - b);
    this.ranked = Int32Array.from(order);
  }

  /** Number of distinct training items. */
  get size(): number {
    return this.ranked.length;
  }

  recommend(items: readonly string[], k: number, options: RecommendOptions = {}): Recommendation[] {
    checkK(k);
    const skip = this.catalogue.excludedSet(items, options.exclude);
    const want = this.catalogue.wanted(options.market);
    const out: Recommendation[] = [];
    for (let i = 0; i < this.ranked.length && out.length < k; i++) {
      const id = this.ranked[i]!;
      if (skip.has(id)) continue;
      if (want !== -2 && this.catalogue.market[id] !== want) continue;
      out.push({ item: this.catalogue.items[id]!, score: this.counts[id]! });
    }
    return out;
  }
}

/** Options of {@link ItemKnnRecommender}. */
export interface ItemKnnOptions extends BaselineOptions {
  /** Recency weighting of the history, as in the embedding recommender (default 0.7, chosen on the validation splits; 1 = plain sum). */
  recencyDecay?: number;
  /** Keep only each item's `neighbours` most similar items (default Infinity = all: better than 200 on MovieLens' validation split, equal elsewhere). */
  neighbours?: number;
}

/**
 * Session co-occurrence item-kNN: `sim(i, j) = c(i, j) / sqrt(n(i) · n(j))`, where `c(i, j)`
 * counts the sessions holding both items and `n(i)` those holding `i` (cosine between the items'
 * binary session vectors). A history scores item j by `Σ_h w_h · sim(h, j)` with the same recency
 * weights as {@link Recommender}; popularity breaks ties and fills the list when neighbours run out.
 */
export class ItemKnnRecommender implements SessionRecommender {
  private readonly catalogue: Catalogue;
  private readonly recencyDecay: number;
  /** Neighbours of item i: `nbrIds[nbrOffsets[i] .. nbrOffsets[i + 1])`, with similarities. */
  private readonly nbrOffsets: Int32Array;
  private readonly nbrIds: Int32Array;
  private readonly nbrSims: Float32Array;
  private readonly popularity: PopularityRecommender;
  private readonly scores: Float64Array;

  constructor(sessions: readonly Session[], options: ItemKnnOptions = {}) {
    this.recencyDecay = checkDecay(options.recencyDecay ?? 0.7);
    const keep = options.neighbours ?? Infinity;
    if (!(keep >= 1)) throw new RangeError(`neighbours must be ≥ 1, got ${keep}`);
    const catalogue = new Catalogue(options.metadata);
    this.catalogue = catalogue;
    // Distinct items per session as ids, then every ordered pair (i, j), i ≠ j, encoded as
    // i * n + j in one Float64Array; sorting it groups equal pairs, so counting needs no hash maps
    // (millions of pairs would cost ~50 bytes each in Maps, 8 bytes here).
    const sessionIds: Int32Array[] = [];
    let pairCount = 0;
    for (const s of sessions) {
      const local = new Set<number>();
      for (const item of s.items) local.add(catalogue.id(item));
      const ids = Int32Array.from(local);
      sessionIds.push(ids);
      pairCount += ids.length * (ids.length - 1);
    }
    const n = catalogue.items.length;
    const occ = new Float64Array(n);
    const pairs = new Float64Array(pairCount);
    let p = 0;
    for (const ids of sessionIds) {
      for (let a = 0; a < ids.length; a++) {
        const i = ids[a]!;
        occ[i]!++;
        for (let b = 0; b < ids.length; b++) if (a !== b) pairs[p++] = i * n + ids[b]!;
      }
    }
    pairs.sort();
    const offsets = new Int32Array(n + 1);
    const nbrIds: number[] = [];
    const nbrSims: number[] = [];
    let row: Array<[number, number]> = [];
    let rowItem = -1;
    const flush = (): void => {
      if (rowItem < 0) return;
      row.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      const m = Math.min(row.length, keep);
      for (let t = 0; t < m; t++) {
        nbrIds.push(row[t]![0]);
        nbrSims.push(row[t]![1]);
      }
      row = [];
    };
    let t = 0;
    let done = 0; // items whose offsets are written
    while (t < pairs.length) {
      const key = pairs[t]!;
      let e = t + 1;
      while (e < pairs.length && pairs[e] === key) e++;
      const i = Math.floor(key / n);
      const j = key - i * n;
      if (i !== rowItem) {
        flush();
        while (done <= i) offsets[done++] = nbrIds.length;
        rowItem = i;
      }
      row.push([j, (e - t) / Math.sqrt(occ[i]! * occ[j]!)]);
      t = e;
    }
    flush();
    while (done <= n) offsets[done++] = nbrIds.length;
    this.nbrOffsets = offsets;
    this.nbrIds = Int32Array.from(nbrIds);
    this.nbrSims = Float32Array.from(nbrSims);
    this.popularity = new PopularityRecommender(sessions, options);
    this.scores = new Float64Array(n);
  }

  /** Cosine similarity between two training items (0 when they never co-occur or are unknown). */
  similarity(a: string, b: string): number {
    const i = this.catalogue.index.get(a);
    const j = this.catalogue.index.get(b);
    if (i === undefined || j === undefined) return 0;
    for (let t = this.nbrOffsets[i]!; t < this.nbrOffsets[i + 1]!; t++) if (this.nbrIds[t] === j) return this.nbrSims[t]!;
    return 0;
  }

  recommend(items: readonly string[], k: number, options: RecommendOptions = {}): Recommendation[] {
    checkK(k);
    const c = this.catalogue;
    const skip = c.excludedSet(items, options.exclude);
    const want = c.wanted(options.market);
    const weights = recencyWeights(items.length, this.recencyDecay);
    const scores = this.scores;
    const touched: number[] = [];
    for (let h = 0; h < items.length; h++) {
      const i = c.index.get(items[h]!);
      if (i === undefined) continue;
      const w = weights[h]!;
      for (let t = this.nbrOffsets[i]!; t < this.nbrOffsets[i + 1]!; t++) {
        const j = this.nbrIds[t]!;
        if (scores[j] === 0) touched.push(j);
        scores[j]! += w * this.nbrSims[t]!;
      }
    }
    const top = new TopK(k);
    for (const j of touched) {
      if (skip.has(j) || (want !== -2 && c.market[j] !== want)) continue;
      top.push(scores[j]!, j);
    }
    for (const j of touched) scores[j] = 0;
    return fillWithPopular(top.drain().map(({ id, score }) => ({ item: c.items[id]!, score })), this.popularity, items, k, options);
  }
}

/** Tops `out` up to `k` with popular items not already in it (score 0), as the kNN baselines do when neighbours run out. @internal */
export function fillWithPopular(
  out: Recommendation[], popularity: PopularityRecommender, items: readonly string[], k: number, options: RecommendOptions,
): Recommendation[] {
  if (out.length >= k) return out;
  const have = new Set(out.map((r) => r.item));
  for (const r of popularity.recommend(items, k, options)) {
    if (out.length >= k) break;
    if (!have.has(r.item)) out.push({ item: r.item, score: 0 });
  }
  return out;
}
