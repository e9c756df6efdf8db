// Real-time personalisation features of Grbovic & Cheng 2018 (section 4.4, Table 6): how similar
// a candidate listing is to what the user recently clicked, long-clicked, skipped, wishlisted,
// contacted and booked, from the listing embeddings, plus UserTypeListingTypeSim from the type
// embeddings. Each history is a set, as the paper's H_c, H_s, …: a listing clicked twice counts
// once. A set may span several markets, so its listings are grouped by market, each group summed,
// and the feature is the best cosine over the groups: a Paris listing is compared with what the
// user liked in Paris, not with a blend of Paris and Rome.
import type { ItemMetadata, Recommender } from './recommender';
import { recencyWeights } from './top-k';
import type { TypeEmbeddings } from './types';

/**
 * What a user did recently (oldest first), as the paper's sets: H_c clicks, H_lc long clicks (a
 * dwell above a threshold), H_s skips (shown above a clicked listing but not clicked), H_w
 * wishlisted, H_i contacted (inquiries), H_b booked. A listing repeated in a list counts once.
 */
export interface InteractionHistory {
  clicks?: readonly string[];
  longClicks?: readonly string[];
  skips?: readonly string[];
  wishlists?: readonly string[];
  inquiries?: readonly string[];
  bookings?: readonly string[];
}

/** The features, in the order of {@link Personaliser.features}'s columns. */
export const PERSONALISATION_FEATURES = [
  'embClickSim', 'embLongClickSim', 'embSkipSim', 'embWishlistSim', 'embInqSim', 'embBookSim', 'embLastLongClickSim', 'userTypeListingTypeSim',
] as const;

/** One of {@link PERSONALISATION_FEATURES}. */
export type PersonalisationFeature = (typeof PERSONALISATION_FEATURES)[number];

const HISTORY_SETS = ['clicks', 'longClicks', 'skips', 'wishlists', 'inquiries', 'bookings'] as const;

/** Options of {@link Personaliser}. */
export interface PersonaliserOptions {
  /** Item markets for the grouping (without: one group per history set). */
  metadata?: ReadonlyMap<string, ItemMetadata>;
  /** User-type and listing-type vectors, for `userTypeListingTypeSim`. */
  types?: TypeEmbeddings;
}

/** Per-query context of {@link Personaliser.features}. */
export interface PersonalisationContext {
  /** The user's type now (`TypeBucketer.userType`). */
  userType?: string;
  /** Per candidate, its listing type (`TypeBucketer.listingType`), same order as the candidates. */
  listingTypes?: ReadonlyArray<string | undefined>;
}

/** A history reduced to unit market-group centroids per set (from {@link Personaliser.prepare}). */
export interface PreparedHistory {
  /** Per set of {@link HISTORY_SETS}: row-major `groups × dim` unit vectors (empty: no vector in the set). */
  centroids: Float32Array[];
  /** Unit vector of the last long click with a vector, or undefined. */
  lastLongClick: Float32Array | undefined;
}

/**
 * Computes the personalisation features of candidate listings from a {@link Recommender}'s unit
 * vectors (cold-start vectors included) and, optionally, type embeddings.
 *
 * @example
 * ```ts
 * const p = new Personaliser(recommender, { metadata, types });
 * const rows = p.features(['l1', 'l2'], { clicks: ['l7', 'l9'], skips: ['l3'] }, { userType, listingTypes });
 * // rows[i * 8 + j]: feature PERSONALISATION_FEATURES[j] of candidate i
 * ```
 */
export class Personaliser {
  readonly recommender: Recommender;
  readonly dim: number;
  private readonly metadata: ReadonlyMap<string, ItemMetadata>;
  private readonly types: TypeEmbeddings | undefined;
  private readonly cache = new Map<string, Float32Array | null>();

  constructor(recommender: Recommender, options: PersonaliserOptions = {}) {
    this.recommender = recommender;
    this.dim = recommender.embeddings.dim;
    this.metadata = options.metadata ?? new Map();
    this.types = options.types;
  }

  /** The unit vector of an item (cold start through the recommender), cached; undefined when none. */
  vectorOf(item: string): Float32Array | undefined {
    let v = this.cache.get(item);
    if (v === undefined) {
      v = this.recommender.vectorOf(item) ?? null;
      this.cache.set(item, v);
    }
    return v ?? undefined;
  }

  /**
   * Sums each set's vectors per market, each distinct listing once, and normalises the sums
   * (once per query, not per candidate).
   */
  prepare(history: InteractionHistory): PreparedHistory {
    if (history === null || typeof history !== 'object') throw new TypeError('history must be an object of item lists ({ clicks, skips, … })');
    const dim = this.dim;
    const centroids = HISTORY_SETS.map((set) => {
      const items = history[set];
      if (items === undefined) return new Float32Array(0);
      if (!Array.isArray(items)) throw new TypeError(`history.${set} must be an array of item ids`);
      const groups = new Map<string, Float64Array>();
      // The paper's histories are sets: a listing clicked (skipped, …) twice adds its vector once.
      const distinct = new Set<string>(items);
      for (const item of distinct) {
        const v = this.vectorOf(item);
        if (v === undefined) continue;
        const market = this.metadata.get(item)?.market ?? '';
        let sum = groups.get(market);
        if (sum === undefined) groups.set(market, (sum = new Float64Array(dim)));
        for (let j = 0; j < dim; j++) sum[j]! += v[j]!;
      }
      const out = new Float32Array(groups.size * dim);
      let g = 0;
      for (const sum of groups.values()) writeUnit(sum, out, g++ * dim);
      return out;
    });
    let lastLongClick: Float32Array | undefined;
    const longClicks = history.longClicks ?? [];
    for (let i = longClicks.length - 1; i >= 0 && lastLongClick === undefined; i--) lastLongClick = this.vectorOf(longClicks[i]!);
    return { centroids, lastLongClick };
  }

  /**
   * The features of each candidate, row-major `candidates × PERSONALISATION_FEATURES.length`:
   * `emb*Sim` = max over the set's market groups of cos(candidate, group sum);
   * `embLastLongClickSim` = cos(candidate, last long click); `userTypeListingTypeSim` =
   * cos(user type, the candidate's listing type). A feature is 0 when the candidate, the set or
   * the type has no vector (never NaN).
   */
  features(candidates: readonly string[], history: InteractionHistory | PreparedHistory, context: PersonalisationContext = {}): Float64Array {
    if (!Array.isArray(candidates)) throw new TypeError('candidates must be an array of item ids');
    const prepared = history !== null && typeof history === 'object' && 'centroids' in history ? history : this.prepare(history);
    const { listingTypes, userType } = context;
    if (listingTypes !== undefined && listingTypes.length !== candidates.length) {
      throw new RangeError(`listingTypes has ${listingTypes.length} entries for ${candidates.length} candidates; give one per candidate (undefined when unknown)`);
    }
    if ((userType !== undefined || listingTypes !== undefined) && this.types === undefined) {
      throw new TypeError('userType/listingTypes were given but the Personaliser has no type embeddings: pass { types } (from trainTypeEmbeddings) to its constructor');
    }
    const width = PERSONALISATION_FEATURES.length;
    const out = new Float64Array(candidates.length * width);
    const dim = this.dim;
    for (let c = 0; c < candidates.length; c++) {
      const row = c * width;
      const v = this.vectorOf(candidates[c]!);
      if (v !== undefined) {
        for (let s = 0; s < HISTORY_SETS.length; s++) out[row + s] = maxCosine(v, prepared.centroids[s]!, dim);
        if (prepared.lastLongClick !== undefined) out[row + 6] = maxCosine(v, prepared.lastLongClick, dim);
      }
      const lt = listingTypes?.[c];
      if (userType !== undefined && lt !== undefined) out[row + 7] = this.types!.similarity(userType, lt) ?? 0;
    }
    return out;
  }

  /**
   * The plain listing-embedding score the features are compared with: cos(candidate, the
   * recency-weighted mean of the items' unit vectors), the query of `Recommender.recommend` with
   * cosine scoring (its `recencyDecay`; also when the Recommender scores in-out). 0 for a
   * candidate without a vector or an empty history.
   */
  recencySimilarity(candidates: readonly string[], items: readonly string[]): Float64Array {
    const dim = this.dim;
    const weights = recencyWeights(items.length, this.recommender.recencyDecay);
    const query = new Float64Array(dim);
    for (let i = 0; i < items.length; i++) {
      const v = this.vectorOf(items[i]!);
      if (v === undefined) continue;
      for (let j = 0; j < dim; j++) query[j]! += weights[i]! * v[j]!;
    }
    const unitQuery = new Float32Array(dim);
    writeUnit(query, unitQuery, 0);
    const out = new Float64Array(candidates.length);
    for (let c = 0; c < candidates.length; c++) {
      const v = this.vectorOf(candidates[c]!);
      if (v !== undefined) out[c] = maxCosine(v, unitQuery, dim);
    }
    return out;
  }
}

/** Writes `v / |v|` (zeros for a zero vector) into `out` at `offset`. */
function writeUnit(v: Float64Array, out: Float32Array, offset: number): void {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += v[j]! * v[j]!;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < v.length; j++) out[offset + j] = v[j]! * inv;
}

/** Max dot product of unit `v` with the unit rows of `rows` (0 when there is none). */
function maxCosine(v: Float32Array, rows: Float32Array, dim: number): number {
  const n = rows.length / dim;
  let best = n === 0 ? 0 : -Infinity;
  for (let r = 0; r < n; r++) {
    const off = r * dim;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += v[j]! * rows[off + j]!;
    if (dot > best) best = dot;
  }
  return best;
}
