// Session-based kNN (Ludewig & Jannach 2018, "Evaluation of session-based recommendation
// algorithms", SKNN and V-SKNN; Jannach & Ludewig 2017): the neighbours of the current session
// are past sessions, not items. Among the most recent sessions sharing an item with it, the k most
// similar vote for their items with their similarity. V-SKNN weights the session's items by
// position (the last counts most) and each shared item by its IDF. The paper found these simple
// neighbourhood methods competitive with, and often better than, neural session models.
import { Catalogue, PopularityRecommender, fillWithPopular, type BaselineOptions } from './baselines';
import type { Recommendation, RecommendOptions, SessionRecommender } from './metrics';
import { checkK } from './recommender';
import type { Session } from './sessions';
import { TopK, checkDecay } from './top-k';

/** How the current session's items are weighted in the similarity (the last item weighs 1). */
export type SessionKnnWeighting = 'none' | 'linear' | 'exponential';

/** The weightings, for CLIs and validation. */
export const SESSION_KNN_WEIGHTINGS: readonly SessionKnnWeighting[] = ['none', 'linear', 'exponential'];

/** Options of {@link SessionKnnRecommender}. */
export interface SessionKnnOptions extends BaselineOptions {
  /** Neighbour sessions that vote, the k of kNN (default 50: at least as good as 100 and 500 on every validation split). */
  neighbours?: number;
  /**
   * Candidate sessions: only the `sampleSize` most recent sessions (by their last event) sharing
   * an item with the current one are compared (default 1000; Infinity = all).
   */
  sampleSize?: number;
  /**
   * Position weights of the current session's items (default `exponential`, which beat V-SKNN's
   * `linear` on the validation splits of MovieLens and Diginetica and lost by 0.0004 NDCG@10 on trivago's):
   * - `none`: every item weighs 1 (SKNN);
   * - `linear`: the item at 1-based position p of n weighs p / n (V-SKNN's default);
   * - `exponential`: the newest weighs 1, the one before `recencyDecay`, … (as {@link Recommender}).
   */
  weighting?: SessionKnnWeighting;
  /** Decay of the `exponential` weighting, in (0, 1] (default 0.5). */
  recencyDecay?: number;
  /** Multiply each shared item's weight by its IDF, `log(sessions / sessions holding it)` (default true). */
  idf?: boolean;
}

/** The defaults of {@link SessionKnnOptions}. */
export const SESSION_KNN_DEFAULTS = Object.freeze({
  neighbours: 50,
  sampleSize: 1000,
  weighting: 'exponential' as SessionKnnWeighting,
  recencyDecay: 0.5,
  idf: true,
});

/**
 * Session-based kNN. With the current session s (its distinct items, each weighted by position
 * `w(i)` and, with `idf`, by `idf(i)`), each candidate past session n gets the cosine-normalised
 * similarity `sim(s, n) = Σ_{i ∈ s ∩ n} w(i) · idf(i) / sqrt(|s| · |n|)` (binary cosine for SKNN:
 * `weighting: 'none', idf: false`). The `neighbours` most similar candidates, drawn from the
 * `sampleSize` most recent sessions sharing an item with s, score each item j by
 * `Σ_{n ∋ j} sim(s, n)`; items of s are never recommended, popularity fills the list when the
 * neighbours run out.
 *
 * @example
 * ```ts
 * const knn = new SessionKnnRecommender(split.train, { neighbours: 50, sampleSize: 1000 });
 * knn.recommend(['a', 'b'], 10);
 * ```
 */
export class SessionKnnRecommender implements SessionRecommender {
  readonly options: Readonly<Required<Omit<SessionKnnOptions, 'metadata'>>>;
  private readonly catalogue: Catalogue;
  /** Session s holds the distinct item ids `sessionItems[sessionStart[s] .. sessionStart[s + 1])`; sessions sorted oldest first. */
  private readonly sessionStart: Int32Array;
  private readonly sessionItems: Int32Array;
  /** Sessions holding item i, newest first: `postings[postingStart[i] .. postingStart[i + 1])`. */
  private readonly postingStart: Int32Array;
  private readonly postings: Int32Array;
  private readonly idfOf: Float64Array;
  private readonly popularity: PopularityRecommender;
  // Scratch, reused by every query (one query at a time).
  private readonly queryWeight: Float64Array;
  private readonly inQuery: Uint8Array;
  private readonly candidateMark: Uint8Array;
  private readonly itemScore: Float64Array;

  constructor(sessions: readonly Session[], options: SessionKnnOptions = {}) {
    const d = SESSION_KNN_DEFAULTS;
    const neighbours = options.neighbours ?? d.neighbours;
    const sampleSize = options.sampleSize ?? d.sampleSize;
    const weighting = options.weighting ?? d.weighting;
    if (!(neighbours >= 1) || (neighbours !== Infinity && !Number.isInteger(neighbours))) throw new RangeError(`neighbours must be an integer ≥ 1, got ${neighbours}`);
    if (!(sampleSize >= 1) || (sampleSize !== Infinity && !Number.isInteger(sampleSize))) throw new RangeError(`sampleSize must be an integer ≥ 1 (or Infinity), got ${sampleSize}`);
    if (!SESSION_KNN_WEIGHTINGS.includes(weighting)) throw new RangeError(`weighting must be one of ${SESSION_KNN_WEIGHTINGS.join(', ')}, got ${JSON.stringify(weighting)}`);
    this.options = { neighbours, sampleSize, weighting, recencyDecay: checkDecay(options.recencyDecay ?? d.recencyDecay), idf: options.idf ?? d.idf };
    const catalogue = new Catalogue(options.metadata);
    this.catalogue = catalogue;

    // Oldest first by last event (stable), so a larger session index is a more recent session.
    const order = sessions.map((_, i) => i);
    const end = sessions.map((s) => (s.times.length > 0 ? s.times[s.times.length - 1]! : -Infinity));
    order.sort((a, b) => end[a]! - end[b]! || a - b);
    const starts = new Int32Array(sessions.length + 1);
    const flat: number[] = [];
    const local = new Set<number>();
    for (let r = 0; r < order.length; r++) {
      local.clear();
      for (const item of sessions[order[r]!]!.items) local.add(catalogue.id(item));
      for (const id of local) flat.push(id);
      starts[r + 1] = flat.length;
    }
    this.sessionStart = starts;
    this.sessionItems = Int32Array.from(flat);
    const n = catalogue.items.length;
    const df = new Int32Array(n);
    for (let t = 0; t < flat.length; t++) df[flat[t]!]!++;
    const postingStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) postingStart[i + 1] = postingStart[i]! + df[i]!;
    const postings = new Int32Array(flat.length);
    const fill = postingStart.slice(0, n);
    // Newest session first in every posting list.
    for (let r = order.length - 1; r >= 0; r--) {
      for (let t = starts[r]!; t < starts[r + 1]!; t++) postings[fill[this.sessionItems[t]!]!++] = r;
    }
    this.postingStart = postingStart;
    this.postings = postings;
    this.idfOf = new Float64Array(n);
    for (let i = 0; i < n; i++) this.idfOf[i] = Math.log(order.length / df[i]!);
    this.popularity = new PopularityRecommender(sessions, options);
    this.queryWeight = new Float64Array(n);
    this.inQuery = new Uint8Array(n);
    this.candidateMark = new Uint8Array(order.length);
    this.itemScore = new Float64Array(n);
  }

  /** Number of training sessions. */
  get sessions(): number {
    return this.sessionStart.length - 1;
  }

  /** Position weights of a session of `n` items, oldest first (the last weighs 1). */
  private positionWeight(p: number, n: number): number {
    const o = this.options;
    if (o.weighting === 'linear') return (p + 1) / n;
    if (o.weighting === 'exponential') return o.recencyDecay ** (n - 1 - p);
    return 1;
  }

  recommend(items: readonly string[], k: number, options: RecommendOptions = {}): Recommendation[] {
    checkK(k);
    const c = this.catalogue;
    const o = this.options;
    const qw = this.queryWeight;
    // Distinct known items of the session with their weights (a repeated item keeps its latest position's).
    const queryIds: number[] = [];
    for (let p = 0; p < items.length; p++) {
      const id = c.index.get(items[p]!);
      if (id === undefined) continue;
      if (this.inQuery[id] === 0) {
        this.inQuery[id] = 1;
        queryIds.push(id);
      }
      qw[id] = this.positionWeight(p, items.length) * (o.idf ? this.idfOf[id]! : 1);
    }
    // Candidates: the sampleSize most recent sessions sharing an item. They are among the first
    // sampleSize entries of each posting list, which are newest first.
    const mark = this.candidateMark;
    const candidates: number[] = [];
    for (const id of queryIds) {
      const from = this.postingStart[id]!;
      const to = Math.min(this.postingStart[id + 1]!, from + Math.min(o.sampleSize, this.sessions));
      for (let t = from; t < to; t++) {
        const s = this.postings[t]!;
        if (mark[s] === 0) {
          mark[s] = 1;
          candidates.push(s);
        }
      }
    }
    for (const s of candidates) mark[s] = 0;
    if (candidates.length > o.sampleSize) {
      candidates.sort((a, b) => b - a);
      candidates.length = o.sampleSize;
    }
    // Similarity of each candidate, then the `neighbours` best (ties go to the more recent
    // session: TopK prefers lower ids, so sessions enter as `last - s`).
    const last = this.sessions - 1;
    const top = new TopK(Math.min(o.neighbours, Math.max(1, candidates.length)));
    const queryNorm = Math.sqrt(queryIds.length);
    for (const s of candidates) {
      const from = this.sessionStart[s]!;
      const to = this.sessionStart[s + 1]!;
      let dot = 0;
      for (let t = from; t < to; t++) dot += qw[this.sessionItems[t]!]!;
      if (dot > 0) top.push(dot / (queryNorm * Math.sqrt(to - from)), last - s);
    }
    for (const id of queryIds) {
      qw[id] = 0;
      this.inQuery[id] = 0;
    }
    // Votes of the neighbours.
    const score = this.itemScore;
    const touched: number[] = [];
    for (const { id, score: sim } of top.drain()) {
      const s = last - id;
      for (let t = this.sessionStart[s]!; t < this.sessionStart[s + 1]!; t++) {
        const j = this.sessionItems[t]!;
        if (score[j] === 0) touched.push(j);
        score[j]! += sim;
      }
    }
    const skip = c.excludedSet(items, options.exclude);
    const want = c.wanted(options.market);
    const best = new TopK(k);
    for (const j of touched) {
      if (!skip.has(j) && (want === -2 || c.market[j] === want)) best.push(score[j]!, j);
      score[j] = 0;
    }
    return fillWithPopular(best.drain().map(({ id, score: s }) => ({ item: c.items[id]!, score: s })), this.popularity, items, k, options);
  }
}
