// User-type and listing-type embeddings (Grbovic & Cheng 2018, section 3.2): bookings are too
// sparse to learn a vector per user or per booked listing, so users and listings are bucketed
// into types by their attributes, each user's bookings become one sequence of interleaved
// (user type, listing type) tokens in a single vector space, and host rejections become explicit
// negatives between the rejected user type and listing type. Training is @embedkit/word2vec's
// skip-gram; the rejection term is an `extraNegatives` sampler.
import { Corpus, Vocabulary } from '@embedkit/tokenizer';
import type { Rng, NegativeSampler, WorkerSamplerSpec } from '@embedkit/sampling';
import type { Embeddings } from '@embedkit/vectors';
import { trainWord2Vec } from '@embedkit/word2vec';
import type { TrainingStats, Word2VecState } from '@embedkit/word2vec';
import { item2vecError } from './errors';
import { builtModuleUrl } from './same-market-sampler';

/** An attribute value: a category (text) or a number; `undefined`, `''` or NaN when unknown. */
export type AttributeValue = string | number | undefined;

/**
 * One attribute that goes into a type id. A categorical attribute contributes `code + value`
 * (whitespace, `_` and `,` in the value become `-`; unknown: `code + '-'`). A numeric one contributes
 * `code + bucket`: bucket 1 holds values below `cuts[0]`, bucket b values in
 * `[cuts[b-2], cuts[b-1])`, the last one values ≥ the last cut; unknown values get bucket 0.
 */
export interface TypeAttribute {
  /** Key in the record's attributes. */
  name: string;
  /** Short code in the type id (default: `name`); `''` for the market, as in the paper's `US_lt1_pn3`. */
  code?: string;
  /** `category` (default) or `number`. */
  kind?: 'category' | 'number';
  /** `number`: ascending cut points. Without them, `buckets` equal-frequency buckets are learned. */
  cuts?: readonly number[];
  /** `number` without `cuts`: number of quantile buckets learned from the records (default 5). */
  buckets?: number;
}

/** Which attributes make a user type and a listing type. */
export interface TypeSchema {
  /** Listing attributes (the paper: market, listing type, price per night, capacity, reviews, …). */
  listing: readonly TypeAttribute[];
  /** User attributes as known at booking time (the paper: market, language, device, …). */
  user: readonly TypeAttribute[];
  /**
   * Cut points of the user's number of earlier accepted bookings, appended to the user type as
   * `nb<bucket>` (default `[1, 3]`: 0, 1–2, 3+), so a user's type changes as they book; `false`
   * leaves it out.
   */
  pastBookings?: readonly number[] | false;
}

/** One booking request: accepted, or rejected by the host. */
export interface BookingRecord {
  user: string;
  listing: string;
  /** Time of the request (any monotone unit: ms, s). */
  time: number;
  /** The host rejected the request: an explicit negative (default false). */
  rejected?: boolean;
  /** The user's attributes at booking time. */
  userAttributes: Readonly<Record<string, AttributeValue>>;
  /** The listing's attributes. */
  listingAttributes: Readonly<Record<string, AttributeValue>>;
}

/** The default cut points of {@link TypeSchema.pastBookings}. */
export const DEFAULT_PAST_BOOKING_CUTS: readonly number[] = Object.freeze([1, 3]);

/** A {@link TypeAttribute} with its cut points known. */
export interface ResolvedTypeAttribute {
  name: string;
  code: string;
  kind: 'category' | 'number';
  /** Empty for categories. */
  cuts: number[];
}

function isUnknown(v: AttributeValue): boolean {
  return v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

function asNumber(v: AttributeValue): number {
  if (isUnknown(v)) return Number.NaN;
  return typeof v === 'number' ? v : Number(v);
}

/** 1-based bucket of `x` among ascending `cuts` (0 for NaN). */
export function bucketOf(x: number, cuts: readonly number[]): number {
  if (Number.isNaN(x)) return 0;
  let b = 0;
  while (b < cuts.length && x >= cuts[b]!) b++;
  return b + 1;
}

/** Cut points of `buckets` equal-frequency buckets of `values` (distinct, ascending). */
function quantileCuts(values: number[], buckets: number): number[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  const cuts: number[] = [];
  for (let b = 1; b < buckets; b++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / buckets))]!;
    if (cuts.length === 0 || q > cuts[cuts.length - 1]!) cuts.push(q);
  }
  // A cut at the minimum would leave bucket 1 empty.
  if (cuts.length > 0 && cuts[0]! <= sorted[0]!) cuts.shift();
  return cuts;
}

function resolveAttributes(
  side: 'user' | 'listing', attributes: readonly TypeAttribute[], records: readonly BookingRecord[],
): ResolvedTypeAttribute[] {
  if (!Array.isArray(attributes)) throw new TypeError(`schema.${side} must be an array of attributes`);
  const seen = new Set<string>();
  return attributes.map((a, i) => {
    if (a === null || typeof a !== 'object' || typeof a.name !== 'string' || a.name.length === 0) {
      throw new TypeError(`schema.${side}[${i}] needs a non-empty name`);
    }
    if (seen.has(a.name)) throw new RangeError(`schema.${side} names the attribute ${JSON.stringify(a.name)} twice`);
    seen.add(a.name);
    const kind = a.kind ?? (a.cuts !== undefined || a.buckets !== undefined ? 'number' : 'category');
    if (kind !== 'category' && kind !== 'number') throw new RangeError(`schema.${side}[${i}].kind must be category or number, got ${String(kind)}`);
    const code = a.code ?? a.name;
    if (/[\s_]/.test(code)) throw new RangeError(`schema.${side}[${i}].code must not contain whitespace or _, got ${JSON.stringify(code)}`);
    if (kind === 'category') return { name: a.name, code, kind, cuts: [] };
    let cuts: number[];
    if (a.cuts !== undefined) {
      cuts = [...a.cuts];
      for (let c = 0; c < cuts.length; c++) {
        if (!Number.isFinite(cuts[c]!) || (c > 0 && cuts[c]! <= cuts[c - 1]!)) {
          throw new RangeError(`schema.${side}[${i}].cuts must be finite and strictly ascending, got [${cuts.join(', ')}]`);
        }
      }
    } else {
      const buckets = a.buckets ?? 5;
      if (!Number.isInteger(buckets) || buckets < 1 || buckets > 1000) {
        throw new RangeError(`schema.${side}[${i}].buckets must be an integer in [1, 1000], got ${buckets}`);
      }
      const values: number[] = [];
      for (const r of records) {
        const x = asNumber((side === 'user' ? r.userAttributes : r.listingAttributes)[a.name]);
        if (Number.isFinite(x)) values.push(x);
      }
      cuts = quantileCuts(values, buckets);
    }
    return { name: a.name, code, kind, cuts };
  });
}

function typePart(a: ResolvedTypeAttribute, value: AttributeValue): string {
  if (a.kind === 'number') return `${a.code}${bucketOf(asNumber(value), a.cuts)}`;
  if (isUnknown(value)) return `${a.code}-`;
  return `${a.code}${String(value).replace(/[\s_,]+/g, '-')}`;
}

/**
 * Turns attributes into type ids with fixed buckets (learned once from records by
 * {@link TypeBucketer.fit}). User types start with `u:`, listing types with `l:`, so both live in
 * one vocabulary without clashing: `u:dtmobile_lgen_nb2`, `l:Paris_rtentire_pn3`.
 */
export class TypeBucketer {
  readonly user: readonly ResolvedTypeAttribute[];
  readonly listing: readonly ResolvedTypeAttribute[];
  /** Cut points of the number of earlier bookings, or empty when left out. */
  readonly pastBookingCuts: readonly number[];

  constructor(user: readonly ResolvedTypeAttribute[], listing: readonly ResolvedTypeAttribute[], pastBookingCuts: readonly number[]) {
    if (listing.length === 0) throw new RangeError('schema.listing needs at least one attribute');
    if (user.length === 0 && pastBookingCuts.length === 0) throw new RangeError('schema.user needs at least one attribute (or keep pastBookings)');
    this.user = user;
    this.listing = listing;
    this.pastBookingCuts = pastBookingCuts;
  }

  /** Resolves the schema; numeric attributes without cuts get quantile buckets of `records`. */
  static fit(schema: TypeSchema, records: readonly BookingRecord[] = []): TypeBucketer {
    if (schema === null || typeof schema !== 'object') throw new TypeError('schema must be an object { user, listing }');
    const past = schema.pastBookings ?? DEFAULT_PAST_BOOKING_CUTS;
    let pastCuts: number[] = [];
    if (past !== false) {
      pastCuts = [...past];
      if (pastCuts.length === 0 || pastCuts.some((c, i) => !Number.isFinite(c) || (i > 0 && c <= pastCuts[i - 1]!))) {
        throw new RangeError(`schema.pastBookings must be strictly ascending finite cut points or false, got [${pastCuts.join(', ')}]`);
      }
    }
    return new TypeBucketer(resolveAttributes('user', schema.user, records), resolveAttributes('listing', schema.listing, records), pastCuts);
  }

  /** The listing type id of a listing's attributes. */
  listingType(attributes: Readonly<Record<string, AttributeValue>>): string {
    return `l:${this.listing.map((a) => typePart(a, attributes[a.name])).join('_')}`;
  }

  /** The user type id at a booking, given the user's number of earlier accepted bookings. */
  userType(attributes: Readonly<Record<string, AttributeValue>>, pastBookings = 0): string {
    const parts = this.user.map((a) => typePart(a, attributes[a.name]));
    if (this.pastBookingCuts.length > 0) parts.push(`nb${bucketOf(pastBookings, this.pastBookingCuts)}`);
    return `u:${parts.join('_')}`;
  }

  /** One line per attribute: how its buckets are cut (for reports and `--help`-like output). */
  describe(): string[] {
    const line = (side: string, a: ResolvedTypeAttribute): string =>
      a.kind === 'category' ? `${side} ${a.name} → ${a.code === '' ? '' : a.code}<value>` : `${side} ${a.name} → ${a.code}<bucket> cuts [${a.cuts.join(', ')}]`;
    const out = [...this.user.map((a) => line('user', a)), ...this.listing.map((a) => line('listing', a))];
    if (this.pastBookingCuts.length > 0) out.push(`user earlier bookings → nb<bucket> cuts [${this.pastBookingCuts.join(', ')}]`);
    return out;
  }
}

/** Booking sequences of (user type, listing type) tokens, from {@link buildBookingSequences}. */
export interface BookingSequences {
  /** Per user with ≥ 1 accepted booking, in time order: `[u1, l1, u2, l2, …]`. */
  sequences: string[][];
  /** The users of `sequences`, same order. */
  users: string[];
  /** `[userType, listingType]` of every rejected request (user type at the time of the request). */
  rejections: Array<[string, string]>;
  /** Accepted bookings in the sequences. */
  bookings: number;
}

/**
 * Orders each user's requests by time (stable) and writes the accepted ones as interleaved
 * `user type, listing type` tokens; the user type is the one at booking time (attributes of that
 * record, earlier accepted bookings counted so far). Rejected requests are not in the sequences:
 * they become `rejections` pairs.
 */
export function buildBookingSequences(records: readonly BookingRecord[], bucketer: TypeBucketer): BookingSequences {
  const byUser = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    checkRecord(r, i);
    let list = byUser.get(r.user);
    if (list === undefined) byUser.set(r.user, (list = []));
    list.push(i);
  }
  const sequences: string[][] = [];
  const users: string[] = [];
  const rejections: Array<[string, string]> = [];
  let bookings = 0;
  for (const [user, indices] of byUser) {
    indices.sort((a, b) => records[a]!.time - records[b]!.time || a - b);
    const tokens: string[] = [];
    let past = 0;
    for (const i of indices) {
      const r = records[i]!;
      const userType = bucketer.userType(r.userAttributes, past);
      const listingType = bucketer.listingType(r.listingAttributes);
      if (r.rejected === true) {
        rejections.push([userType, listingType]);
        continue;
      }
      tokens.push(userType, listingType);
      past++;
    }
    if (tokens.length > 0) {
      sequences.push(tokens);
      users.push(user);
      bookings += tokens.length / 2;
    }
  }
  return { sequences, users, rejections, bookings };
}

function checkRecord(r: BookingRecord, i: number): void {
  if (r === null || typeof r !== 'object') throw new TypeError(`bookings[${i}] must be an object`);
  if (typeof r.user !== 'string' || r.user.length === 0) throw new TypeError(`bookings[${i}].user must be a non-empty string`);
  if (typeof r.listing !== 'string' || r.listing.length === 0) throw new TypeError(`bookings[${i}].listing must be a non-empty string`);
  if (typeof r.time !== 'number' || !Number.isFinite(r.time)) throw new TypeError(`bookings[${i}].time must be a finite number, got ${String(r.time)}`);
  if (r.userAttributes === null || typeof r.userAttributes !== 'object') throw new TypeError(`bookings[${i}].userAttributes must be an object`);
  if (r.listingAttributes === null || typeof r.listingAttributes !== 'object') throw new TypeError(`bookings[${i}].listingAttributes must be an object`);
}

/** Plain state of a {@link RejectionSampler}, as handed to worker threads. */
export interface RejectionSamplerState {
  /** Partners of id i are `partners[offsets[i] .. offsets[i + 1])`. */
  offsets: Int32Array;
  partners: Int32Array;
}

function sharedInt32(source: ArrayLike<number>): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, source.length) * 4), 0, source.length);
  for (let i = 0; i < source.length; i++) out[i] = source[i]!;
  return out;
}

/**
 * The paper's rejection term as extra negatives: for a center that was part of a rejected
 * (user type, listing type) pair, draws one of its rejected partners (uniformly over rejection
 * events, so a pair rejected twice is drawn twice as often); for any other center, -1 (no
 * negative). Works in worker threads (`toWorker()`).
 */
export class RejectionSampler implements NegativeSampler {
  readonly offsets: Int32Array;
  readonly partners: Int32Array;

  /** @param pairs `[a, b]` vocabulary ids: b is a negative of a and a of b. `size`: vocabulary size. */
  constructor(pairs: ReadonlyArray<readonly [number, number]>, size: number) {
    const counts = new Int32Array(size + 1);
    for (const [a, b] of pairs) {
      if (!(a >= 0 && a < size && b >= 0 && b < size)) throw new RangeError(`rejection pair [${a}, ${b}] is outside the vocabulary [0, ${size})`);
      counts[a + 1]!++;
      counts[b + 1]!++;
    }
    for (let i = 0; i < size; i++) counts[i + 1]! += counts[i]!;
    const fill = counts.slice(0, size);
    const partners = new Int32Array(counts[size]!);
    for (const [a, b] of pairs) {
      partners[fill[a]!++] = b;
      partners[fill[b]!++] = a;
    }
    this.offsets = sharedInt32(counts);
    this.partners = sharedInt32(partners);
  }

  /** Rebuilds a sampler from {@link RejectionSampler.state} without copying (worker side). */
  static fromState(state: RejectionSamplerState): RejectionSampler {
    const s = Object.create(RejectionSampler.prototype) as { -readonly [K in keyof RejectionSampler]: RejectionSampler[K] };
    s.offsets = state.offsets;
    s.partners = state.partners;
    return s as RejectionSampler;
  }

  state(): RejectionSamplerState {
    return { offsets: this.offsets, partners: this.partners };
  }

  draw(rng: Rng, centerId: number): number {
    if (centerId < 0 || centerId + 1 >= this.offsets.length) return -1;
    const from = this.offsets[centerId]!;
    const count = this.offsets[centerId + 1]! - from;
    return count === 0 ? -1 : this.partners[from + rng.nextInt(count)]!;
  }

  toWorker(): WorkerSamplerSpec {
    return { module: builtModuleUrl(), exportName: 'reviveRejectionSampler', state: this.state() };
  }
}

/** Worker-side factory of {@link RejectionSampler}. */
export function reviveRejectionSampler(state: RejectionSamplerState): RejectionSampler {
  return RejectionSampler.fromState(state);
}

/** Options of {@link trainTypeEmbeddings}. */
export interface TrainTypesOptions {
  /** Attributes of the types (required). */
  schema: TypeSchema;
  /** Vector size, default 32 (the paper's). */
  dim?: number;
  /** Sliding window over the interleaved tokens, default 5 (about two bookings each side). */
  window?: number;
  /** Negative samples per example, default 5. */
  negative?: number;
  /** Exponent of the negative distribution, default 0.75 (types are few and frequent, like words). */
  negativeExponent?: number;
  /** Rejected partners per example for centers with rejections (the paper's rejection term), default 1; 0 turns it off. */
  rejectionNegatives?: number;
  /** Passes, default 50 (booking sequences are short and few). */
  epochs?: number;
  /** Starting learning rate, default 0.025 (word2vec's skip-gram). */
  alpha?: number;
  /** Worker threads, default 1 (reproducible with `seed`). */
  threads?: number;
  /** Default 1. */
  seed?: number;
  signal?: AbortSignal;
}

/** The defaults of {@link TrainTypesOptions}. */
export const TYPE_EMBEDDING_DEFAULTS = Object.freeze({
  dim: 32,
  window: 5,
  negative: 5,
  negativeExponent: 0.75,
  rejectionNegatives: 1,
  epochs: 50,
  alpha: 0.025,
  threads: 1,
  seed: 1,
});

/** The result of {@link trainTypeEmbeddings}. */
export interface TypeEmbeddingResult {
  types: TypeEmbeddings;
  sequences: BookingSequences;
  /** Rejections whose types are both in the vocabulary (the others teach nothing). */
  rejectionsUsed: number;
  stats: TrainingStats;
}

/**
 * Type vectors and the bucketer that names types: the user's type and a listing's type in one
 * space, so `similarity(userType, listingType)` is the paper's UserTypeListingTypeSim.
 */
export class TypeEmbeddings {
  /**
   * @param bucketer names the types of attributes (absent for vectors loaded from a file: pass
   * type ids yourself).
   * @param state the trained weights, for {@link TypeEmbeddings.contextProbability} (absent for
   * vectors loaded from a file).
   */
  constructor(readonly embeddings: Embeddings, readonly bucketer?: TypeBucketer, readonly state?: Word2VecState) {}

  /**
   * The model's probability that `b` occurs in the context of `a`, σ(wIn[a] · wOut[b]): the
   * quantity the skip-gram objective and the rejection term act on directly (cosine between input
   * vectors only follows indirectly). Undefined without the trained state or for unknown types.
   */
  contextProbability(a: string, b: string): number | undefined {
    const st = this.state;
    if (st === undefined || st.wOut === null) return undefined;
    const ia = st.vocabulary.idOf(a);
    const ib = st.vocabulary.idOf(b);
    if (ia < 0 || ib < 0) return undefined;
    let dot = 0;
    for (let j = 0; j < st.dim; j++) dot += st.wIn[ia * st.dim + j]! * st.wOut[ib * st.dim + j]!;
    return 1 / (1 + Math.exp(-dot));
  }

  /** Cosine of two type ids; undefined when either has no vector (a type never booked). */
  similarity(a: string, b: string): number | undefined {
    if (!this.embeddings.has(a) || !this.embeddings.has(b)) return undefined;
    return this.embeddings.similarity(a, b);
  }

  /** The listing types (those seen in bookings) closest to a user type, best first. */
  listingTypesFor(userType: string, k: number): Array<{ type: string; score: number }> {
    if (!this.embeddings.has(userType)) return [];
    const out: Array<{ type: string; score: number }> = [];
    for (const label of this.embeddings.labels) {
      if (label.startsWith('l:')) out.push({ type: label, score: this.embeddings.similarity(userType, label) });
    }
    out.sort((x, y) => y.score - x.score);
    return out.slice(0, k);
  }
}

/**
 * Trains user-type and listing-type vectors from booking requests (section 3.2 of Grbovic &
 * Cheng 2018) with `@embedkit/word2vec`'s skip-gram: each user's accepted bookings are one
 * sentence `u1 l1 u2 l2 …`, and each rejected request adds its listing type as a negative of its
 * user type and vice versa (`rejectionNegatives` per example of those centers).
 *
 * @throws EmbedkitError `NO_EVENTS` when no booking is accepted.
 */
export async function trainTypeEmbeddings(records: readonly BookingRecord[], options: TrainTypesOptions): Promise<TypeEmbeddingResult> {
  if (options === undefined || options.schema === undefined) throw new TypeError('trainTypeEmbeddings needs options.schema ({ user, listing })');
  const d = TYPE_EMBEDDING_DEFAULTS;
  const rejectionNegatives = options.rejectionNegatives ?? d.rejectionNegatives;
  if (!Number.isInteger(rejectionNegatives) || rejectionNegatives < 0) {
    throw new RangeError(`rejectionNegatives must be an integer ≥ 0, got ${rejectionNegatives}`);
  }
  const bucketer = TypeBucketer.fit(options.schema, records);
  const sequences = buildBookingSequences(records, bucketer);
  if (sequences.bookings === 0) {
    throw item2vecError('NO_EVENTS', `none of the ${records.length} booking records is an accepted booking; type embeddings need accepted bookings`);
  }
  const counts = new Map<string, number>();
  for (const s of sequences.sequences) for (const t of s) counts.set(t, (counts.get(t) ?? 0) + 1);
  const vocabulary = Vocabulary.fromCounts(counts, { minCount: 1 });
  let n = 0;
  for (const s of sequences.sequences) n += s.length;
  const ids = new Int32Array(n);
  const offsets = new Int32Array(sequences.sequences.length + 1);
  n = 0;
  sequences.sequences.forEach((s, i) => {
    for (const t of s) ids[n++] = vocabulary.idOf(t);
    offsets[i + 1] = n;
  });
  const pairs: Array<[number, number]> = [];
  for (const [u, l] of sequences.rejections) {
    const a = vocabulary.idOf(u);
    const b = vocabulary.idOf(l);
    if (a >= 0 && b >= 0) pairs.push([a, b]);
  }
  const result = await trainWord2Vec(new Corpus(vocabulary, ids, offsets), {
    model: 'skipgram',
    dim: options.dim ?? d.dim,
    window: options.window ?? d.window,
    negative: options.negative ?? d.negative,
    negativeExponent: options.negativeExponent ?? d.negativeExponent,
    sample: 0,
    epochs: options.epochs ?? d.epochs,
    alpha: options.alpha ?? d.alpha,
    threads: options.threads ?? d.threads,
    seed: options.seed ?? d.seed,
    ...(rejectionNegatives > 0 && pairs.length > 0 ? { extraNegatives: { sampler: new RejectionSampler(pairs, vocabulary.size), count: rejectionNegatives } } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { types: new TypeEmbeddings(result.embeddings, bucketer, result.state), sequences, rejectionsUsed: pairs.length, stats: result.stats };
}
