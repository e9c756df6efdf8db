// Recommendations from item embeddings: similar items, and next items for a session or user
// history from a recency-weighted mean of the items' (unit) vectors, with cold-start vectors for
// unseen items from the items sharing their metadata (Airbnb averages nearby same-type listings).
// Given the model's context (output) vectors too, next items are ranked by the skip-gram's own
// score of an item as context of the history ("in-out"), which ranks next items better than the
// cosine between input vectors on every validation split we tried (BENCHMARKS-item2vec.md).
import type { Embeddings } from '@embedkit/vectors';
import { item2vecError } from './errors';
import type { Recommendation, RecommendOptions, SessionRecommender } from './metrics';
import { TopK, checkDecay, recencyWeights } from './top-k';

/** What is known about an item besides its vector. */
export interface ItemMetadata {
  market?: string;
  category?: string;
}

/** Options of {@link Recommender}. */
export interface RecommenderOptions {
  /** Market and category of items, trained or not (unseen ones get cold-start vectors). */
  metadata?: ReadonlyMap<string, ItemMetadata>;
  /** Weight ratio between consecutive history items, newest weighs 1 (default 0.5; 1 = plain mean). */
  recencyDecay?: number;
  /**
   * The model's context (output) vectors of the same items (`ItemEmbeddingResult.contextEmbeddings`,
   * or a file written by `item2vec train --context-output`). When given, {@link Recommender.recommend}
   * scores item j by `Σ_h w_h · v_h · v'_j` (`in-out`); without them by cosine (`cosine`).
   */
  context?: Embeddings;
}

/**
 * Why `context` cannot be the context vectors of `items` (another dimension, or items without a
 * context vector), or undefined when it can. A training run writes both for the same items, so
 * any difference means a file of another model. {@link Recommender} refuses such a pair with this
 * text; the CLI says the same in its flags' words.
 */
export function contextMismatch(items: Embeddings, context: Embeddings): string | undefined {
  if (context.dim !== items.dim) return `they have ${context.dim} dimensions, the item vectors ${items.dim}`;
  const missing: string[] = [];
  let count = 0;
  for (const label of items.labels) {
    if (context.has(label)) continue;
    if (count++ < 3) missing.push(JSON.stringify(label));
  }
  if (count === 0) return undefined;
  return `${count.toLocaleString('en-US')} of ${items.size.toLocaleString('en-US')} items have no context vector (${missing.join(', ')}${count > 3 ? ', …' : ''})`;
}

/** How {@link Recommender.recommend} ranks items: cosine of input vectors, or input · context vectors. */
export type RecommendScoring = 'cosine' | 'in-out';

/** The scorings, for CLIs and validation. */
export const RECOMMEND_SCORINGS: readonly RecommendScoring[] = ['cosine', 'in-out'];

/**
 * How recommendations are made when nothing else is said (`compareRecommenders`, the CLI's
 * `eval`; `recommend` uses `in-out` whenever it is given context vectors). Chosen from what
 * `tuneItem2Vec` found on the validation splits of every data set (README, "Defaults").
 */
export const RECOMMEND_DEFAULTS: Readonly<{ recencyDecay: number; scoring: RecommendScoring }> = Object.freeze({
  recencyDecay: 0.5,
  scoring: 'in-out' as RecommendScoring,
});

/** Options of {@link Recommender.similarItems}. */
export interface SimilarItemsOptions {
  /** Keep only items of this market. */
  market?: string;
}

/**
 * Item-to-item and session-to-item recommendations over an {@link Embeddings}.
 *
 * @example
 * ```ts
 * const rec = new Recommender(result.embeddings, { metadata });
 * rec.similarItems('listing-42', 10);
 * rec.recommend(['listing-1', 'listing-7'], 10, { market: 'Paris' });
 * ```
 */
export class Recommender implements SessionRecommender {
  readonly embeddings: Embeddings;
  readonly recencyDecay: number;
  /** `in-out` when constructed with context vectors, else `cosine`. */
  readonly scoring: RecommendScoring;
  private readonly dim: number;
  /** `in-out` only: raw input rows, context rows (row-major, the embeddings' row order) and the mean input norm. */
  private readonly raw: Float32Array | undefined;
  private readonly contextRows: Float32Array | undefined;
  private readonly meanNorm: number;
  /** Unit-norm rows, row-major `size × dim`. */
  private readonly unit: Float32Array;
  private readonly labels: readonly string[];
  private readonly rowOf = new Map<string, number>();
  /** Per row: market index or -1. */
  private readonly rowMarket: Int32Array;
  private readonly marketIndex = new Map<string, number>();
  private readonly metadata: ReadonlyMap<string, ItemMetadata>;
  private readonly excluded: Uint8Array;
  private coldCache = new Map<string, Float32Array | null>();

  constructor(embeddings: Embeddings, options: RecommenderOptions = {}) {
    this.embeddings = embeddings;
    this.recencyDecay = checkDecay(options.recencyDecay ?? RECOMMEND_DEFAULTS.recencyDecay);
    this.metadata = options.metadata ?? new Map();
    const n = embeddings.size;
    const dim = embeddings.dim;
    this.dim = dim;
    this.labels = embeddings.labels;
    const unit = new Float32Array(n * dim);
    const context = options.context;
    this.scoring = context === undefined ? 'cosine' : 'in-out';
    const mismatch = context === undefined ? undefined : contextMismatch(embeddings, context);
    if (mismatch !== undefined) {
      throw item2vecError('BAD_PARAMS', `the context vectors do not belong to these item vectors: ${mismatch}; pass the context vectors of the same training run (ItemEmbeddingResult.contextEmbeddings, or the file of item2vec train --context-output)`);
    }
    const raw = context === undefined ? undefined : new Float32Array(n * dim);
    const contextRows = context === undefined ? undefined : new Float32Array(n * dim);
    let normSum = 0;
    for (let r = 0; r < n; r++) {
      const label = this.labels[r]!;
      this.rowOf.set(label, r);
      const v = embeddings.get(label)!;
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += v[j]! * v[j]!;
      norm = Math.sqrt(norm);
      normSum += norm;
      const inv = norm > 0 ? 1 / norm : 0;
      const off = r * dim;
      for (let j = 0; j < dim; j++) unit[off + j] = v[j]! * inv;
      if (raw !== undefined && contextRows !== undefined) {
        raw.set(v, off);
        contextRows.set(context!.get(label)!, off);
      }
    }
    this.unit = unit;
    this.raw = raw;
    this.contextRows = contextRows;
    this.meanNorm = n > 0 ? normSum / n : 0;
    this.rowMarket = new Int32Array(n).fill(-1);
    for (let r = 0; r < n; r++) {
      const m = this.metadata.get(this.labels[r]!)?.market;
      if (m !== undefined) this.rowMarket[r] = this.marketId(m);
    }
    this.excluded = new Uint8Array(n);
  }

  private marketId(m: string): number {
    let id = this.marketIndex.get(m);
    if (id === undefined) {
      id = this.marketIndex.size;
      this.marketIndex.set(m, id);
    }
    return id;
  }

  /** True when `item` has a trained vector. */
  has(item: string): boolean {
    return this.rowOf.has(item);
  }

  /**
   * The item's unit vector, or for an unseen item the normalised mean of the trained items that
   * share its market and category (else its category, else its market); undefined when none.
   */
  vectorOf(item: string): Float32Array | undefined {
    const r = this.rowOf.get(item);
    if (r !== undefined) return this.unit.slice(r * this.dim, (r + 1) * this.dim);
    return this.coldStart(item);
  }

  private coldStart(item: string): Float32Array | undefined {
    const cached = this.coldCache.get(item);
    if (cached !== undefined) return cached ?? undefined;
    const meta = this.metadata.get(item);
    let out: Float32Array | undefined;
    if (meta !== undefined && (meta.market !== undefined || meta.category !== undefined)) {
      const tiers: Array<(m: ItemMetadata) => boolean> = [];
      if (meta.market !== undefined && meta.category !== undefined) {
        tiers.push((m) => m.market === meta.market && m.category === meta.category);
      }
      if (meta.category !== undefined) tiers.push((m) => m.category === meta.category);
      if (meta.market !== undefined) tiers.push((m) => m.market === meta.market);
      for (const match of tiers) {
        const sum = new Float64Array(this.dim);
        let count = 0;
        for (let r = 0; r < this.labels.length; r++) {
          const m = this.metadata.get(this.labels[r]!);
          if (m === undefined || !match(m)) continue;
          const off = r * this.dim;
          for (let j = 0; j < this.dim; j++) sum[j]! += this.unit[off + j]!;
          count++;
        }
        if (count > 0) {
          out = normalise(sum);
          break;
        }
      }
    }
    this.coldCache.set(item, out ?? null);
    return out;
  }

  /**
   * The `k` items most similar (cosine) to `item`, itself excluded. Unseen items use their
   * cold-start vector.
   *
   * @throws EmbedkitError `UNKNOWN_ITEM` when the item has neither a vector nor usable metadata.
   */
  similarItems(item: string, k: number, options: SimilarItemsOptions = {}): Recommendation[] {
    checkK(k);
    const v = this.vectorOf(item);
    if (v === undefined) {
      throw item2vecError('UNKNOWN_ITEM', `item ${JSON.stringify(item)} has no vector and no metadata shared with trained items; train with it or pass its market/category in metadata`);
    }
    return this.search(v, k, [item], undefined, options.market, this.unit);
  }

  /**
   * Next items for a session or user history (oldest first): cosine to the recency-weighted mean
   * of the items' unit vectors (the newest weighs 1, the one before `recencyDecay`, …), or with
   * context vectors the dot product of the recency-weighted sum of the items' input vectors with
   * each item's context vector (`in-out`). Items of the history are never recommended. Unknown
   * items without metadata are ignored; when none is known the result is empty.
   */
  recommend(items: readonly string[], k: number, options: RecommendOptions = {}): Recommendation[] {
    checkK(k);
    const weights = recencyWeights(items.length, this.recencyDecay);
    const query = new Float64Array(this.dim);
    const dim = this.dim;
    const raw = this.raw;
    let used = 0;
    for (let i = 0; i < items.length; i++) {
      const w = weights[i]!;
      const r = this.rowOf.get(items[i]!);
      if (raw !== undefined && r !== undefined) {
        // in-out: the raw input vector, as the skip-gram scores it against context vectors.
        for (let j = 0; j < dim; j++) query[j]! += w * raw[r * dim + j]!;
        used++;
        continue;
      }
      const v = this.vectorOf(items[i]!);
      if (v === undefined) continue;
      // A cold-start (unit) vector gets the trained items' mean norm in in-out scoring.
      const scale = raw === undefined ? w : w * this.meanNorm;
      for (let j = 0; j < dim; j++) query[j]! += scale * v[j]!;
      used++;
    }
    if (used === 0) return [];
    if (this.contextRows !== undefined) return this.search(Float32Array.from(query), k, items, options.exclude, options.market, this.contextRows);
    return this.search(normalise(query), k, items, options.exclude, options.market, this.unit);
  }

  private search(
    query: ArrayLike<number>, k: number, seen: Iterable<string>, exclude: Iterable<string> | undefined, market: string | undefined,
    rows: Float32Array,
  ): Recommendation[] {
    const marked: number[] = [];
    const mark = (label: string): void => {
      const r = this.rowOf.get(label);
      if (r !== undefined && this.excluded[r] === 0) {
        this.excluded[r] = 1;
        marked.push(r);
      }
    };
    for (const s of seen) mark(s);
    if (exclude !== undefined) for (const s of exclude) mark(s);
    const wantMarket = market === undefined ? -2 : (this.marketIndex.get(market) ?? -3);
    const dim = this.dim;
    const excluded = this.excluded;
    const rowMarket = this.rowMarket;
    const q = Float32Array.from(query);
    const top = new TopK(k);
    const n = this.labels.length;
    for (let r = 0; r < n; r++) {
      if (excluded[r] === 1) continue;
      if (wantMarket !== -2 && rowMarket[r] !== wantMarket) continue;
      const off = r * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += rows[off + j]! * q[j]!;
      top.push(dot, r);
    }
    for (const r of marked) excluded[r] = 0;
    return top.drain().map(({ id, score }) => ({ item: this.labels[id]!, score }));
  }
}

function normalise(v: Float64Array): Float32Array {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += v[j]! * v[j]!;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const out = new Float32Array(v.length);
  for (let j = 0; j < v.length; j++) out[j] = v[j]! * inv;
  return out;
}

/** @internal */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
}
