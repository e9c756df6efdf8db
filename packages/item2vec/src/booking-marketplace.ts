// A synthetic booking marketplace with planted long-term preferences, for the user-type and
// listing-type embeddings and the personalisation features: users of one segment (device ×
// language) prefer one kind of listing (room type × price level), hosts of one kind reject one
// segment, and each trip has an exploring search (clicks, long clicks, skips) before a booking
// search whose shown listings are the candidates to re-rank.
import { createRng, type Rng } from '@embedkit/sampling';
import type { InteractionEvent } from './event-log';
import { nonNegativeInt, positiveInt, probability } from './marketplace';
import type { BookingRecord } from './types';

/** Options of {@link generateBookingMarketplace}. */
export interface BookingMarketplaceOptions {
  /** Default 1. */
  seed?: number;
  /** Number of markets (default 3). */
  markets?: number;
  /** Neighbourhoods per market: the short-term intent of a trip (default 4). */
  neighbourhoods?: number;
  /** Listings per market (default 60). */
  listingsPerMarket?: number;
  /** Number of users (default 500). */
  users?: number;
  /** Trips per user, a few days apart (default 4). */
  tripsPerUser?: number;
  /** Listings shown per search (default 12; half from the trip's neighbourhood). */
  impressions?: number;
  /** Utility of a listing in the trip's neighbourhood (default 1.5). */
  neighbourhoodWeight?: number;
  /** Utility of a listing of the user segment's preferred kind (default 1.5): the planted long-term preference. */
  preferenceWeight?: number;
  /** Chance that a host rejects a request from the segment its kind rejects (default 0.8). */
  rejectionRate?: number;
  /** Chance that the booking search ends with a request (default 0.85). */
  bookingRate?: number;
  /** Time of the first event (ms; default 2024-01-01T00:00:00Z). */
  start?: number;
}

/** A listing and its attributes. */
export interface BookingListing {
  id: string;
  market: string;
  neighbourhood: number;
  roomType: string;
  /** Price level 0, 1, 2 (cheap … expensive): planted, not an attribute a model sees. */
  priceLevel: number;
  /** Price per night. */
  price: number;
  capacity: number;
}

/** A user and the attributes of their type. */
export interface BookingUser {
  id: string;
  device: string;
  language: string;
  /** `device/language`: the planted segment. */
  segment: string;
}

/** A click in a search, with its dwell time. */
export interface SearchClick {
  item: string;
  time: number;
  dwellSeconds: number;
}

/** One trip: an exploring search, then a booking search. */
export interface MarketplaceTrip {
  user: string;
  market: string;
  neighbourhood: number;
  /** Time of the exploring search's first impression (ms). */
  time: number;
  /** Listings shown in the exploring search, in shown order. */
  explored: string[];
  clicks: SearchClick[];
  /** Listings shown in the booking search, in shown order: the candidates. */
  candidates: string[];
  /** Time of the booking request (ms). */
  bookingTime: number;
  /** The accepted booking (one of `candidates`), if any. */
  booked: string | undefined;
  /** Requests the host rejected (before `booked`). */
  rejected: string[];
}

/** The result of {@link generateBookingMarketplace}. */
export interface BookingMarketplace {
  listings: BookingListing[];
  users: BookingUser[];
  /** Planted: per segment, the preferred kind `roomType/priceLevel`. */
  preferences: Map<string, string>;
  /** Planted: per kind `roomType/priceLevel`, the segment its hosts reject. */
  rejects: Map<string, string>;
  trips: MarketplaceTrip[];
  /** Clicks (`view`) and accepted bookings (`booking`, a conversion) as events, by user and time. */
  events: InteractionEvent[];
  /** Every request, accepted or rejected, with user attributes (`device`, `language`) and listing attributes (`market`, `roomType`, `price`, `capacity`). */
  bookings: BookingRecord[];
}

const ROOM_TYPES = ['entire', 'private', 'shared'] as const;
const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
const BASE_PRICE = [45, 100, 220] as const;

/** The kind of a listing: `roomType/priceLevel`. */
export function listingKind(l: Pick<BookingListing, 'roomType' | 'priceLevel'>): string {
  return `${l.roomType}/${l.priceLevel}`;
}

/**
 * Generates trips with planted structure. Per trip: a market and a neighbourhood; the exploring
 * search shows `impressions` listings (half from the neighbourhood), the user clicks those of
 * the neighbourhood or of the preferred kind more often and dwells longer on the preferred kind;
 * the booking search shows a fresh set, and the user requests the shown listing of highest
 * utility (`neighbourhoodWeight`, `preferenceWeight`, Gumbel noise). A host whose kind rejects
 * the user's segment rejects with `rejectionRate`; the user then requests the next best.
 *
 * @example
 * ```ts
 * const m = generateBookingMarketplace({ seed: 3 });
 * const { types } = await trainTypeEmbeddings(m.bookings, { schema: BOOKING_MARKETPLACE_SCHEMA });
 * ```
 */
export function generateBookingMarketplace(options: BookingMarketplaceOptions = {}): BookingMarketplace {
  const o = {
    seed: options.seed ?? 1,
    markets: positiveInt(options.markets ?? 3, 'markets'),
    neighbourhoods: positiveInt(options.neighbourhoods ?? 4, 'neighbourhoods'),
    listingsPerMarket: positiveInt(options.listingsPerMarket ?? 60, 'listingsPerMarket'),
    users: positiveInt(options.users ?? 500, 'users'),
    tripsPerUser: positiveInt(options.tripsPerUser ?? 4, 'tripsPerUser'),
    impressions: positiveInt(options.impressions ?? 12, 'impressions'),
    neighbourhoodWeight: finite(options.neighbourhoodWeight ?? 1.5, 'neighbourhoodWeight'),
    preferenceWeight: finite(options.preferenceWeight ?? 1.5, 'preferenceWeight'),
    rejectionRate: probability(options.rejectionRate ?? 0.8, 'rejectionRate'),
    bookingRate: probability(options.bookingRate ?? 0.85, 'bookingRate'),
    start: options.start ?? Date.UTC(2024, 0, 1),
  };
  nonNegativeInt(o.impressions - 2, 'impressions − 2 (at least 2 listings are shown)');
  if (o.impressions > o.listingsPerMarket) throw new RangeError(`impressions (${o.impressions}) must not exceed listingsPerMarket (${o.listingsPerMarket})`);
  const rng = createRng(o.seed);
  const listings: BookingListing[] = [];
  const byMarket: BookingListing[][] = [];
  for (let m = 0; m < o.markets; m++) {
    const inMarket: BookingListing[] = [];
    for (let i = 0; i < o.listingsPerMarket; i++) {
      const roomType = ROOM_TYPES[rng.nextInt(ROOM_TYPES.length)]!;
      const priceLevel = rng.nextInt(3);
      const l: BookingListing = {
        id: `m${m}-l${i}`,
        market: `market${m}`,
        neighbourhood: i % o.neighbourhoods,
        roomType,
        priceLevel,
        price: Math.round(BASE_PRICE[priceLevel]! * Math.exp(0.15 * rng.nextGaussian())),
        capacity: 1 + rng.nextInt(6),
      };
      inMarket.push(l);
      listings.push(l);
    }
    byMarket.push(inMarket);
  }
  const kinds: string[] = [];
  for (const rt of ROOM_TYPES) for (let p = 0; p < 3; p++) kinds.push(`${rt}/${p}`);
  const segments: string[] = [];
  for (const d of DEVICES) for (const lg of LANGUAGES) segments.push(`${d}/${lg}`);
  const preferences = new Map(segments.map((s) => [s, kinds[rng.nextInt(kinds.length)]!]));
  const rejects = new Map(kinds.map((k) => [k, segments[rng.nextInt(segments.length)]!]));
  const users: BookingUser[] = [];
  for (let u = 0; u < o.users; u++) {
    const device = DEVICES[rng.nextInt(DEVICES.length)]!;
    const language = LANGUAGES[rng.nextInt(LANGUAGES.length)]!;
    users.push({ id: `user${u}`, device, language, segment: `${device}/${language}` });
  }
  const trips: MarketplaceTrip[] = [];
  const events: InteractionEvent[] = [];
  const bookings: BookingRecord[] = [];
  const day = 24 * 3600 * 1000;
  const utility = new Float64Array(o.impressions);
  for (const user of users) {
    const preferred = preferences.get(user.segment)!;
    let t = o.start + rng.nextInt(30 * 24 * 3600) * 1000;
    for (let trip = 0; trip < o.tripsPerUser; trip++) {
      const m = rng.nextInt(o.markets);
      const nb = rng.nextInt(o.neighbourhoods);
      const pool = byMarket[m]!;
      const explored = showListings(rng, pool, nb, o.impressions);
      const start = t;
      const clicks: SearchClick[] = [];
      for (const l of explored) {
        const liked = listingKind(l) === preferred;
        const p = Math.min(0.95, 0.1 + (l.neighbourhood === nb ? 0.4 : 0) + (liked ? 0.3 : 0));
        if (rng.nextFloat() >= p) continue;
        const long = rng.nextFloat() < (liked ? 0.8 : 0.2);
        const dwellSeconds = long ? 60 + rng.nextInt(240) : 5 + rng.nextInt(40);
        clicks.push({ item: l.id, time: t, dwellSeconds });
        events.push({ user: user.id, item: l.id, timestamp: t, type: 'view', market: l.market, category: l.roomType });
        t += (dwellSeconds + 10) * 1000;
      }
      t += 5 * 60 * 1000;
      const shown = showListings(rng, pool, nb, o.impressions);
      for (let i = 0; i < shown.length; i++) {
        const l = shown[i]!;
        utility[i] = (l.neighbourhood === nb ? o.neighbourhoodWeight : 0) + (listingKind(l) === preferred ? o.preferenceWeight : 0) + gumbel(rng);
      }
      const rejected: string[] = [];
      let booked: string | undefined;
      const bookingTime = t;
      if (rng.nextFloat() < o.bookingRate) {
        // Request the best, then (after a rejection) the next best: at most two requests.
        for (let attempt = 0; attempt < 2 && booked === undefined; attempt++) {
          let best = -1;
          for (let i = 0; i < shown.length; i++) if (!rejected.includes(shown[i]!.id) && (best < 0 || utility[i]! > utility[best]!)) best = i;
          const l = shown[best]!;
          const isRejected = rejects.get(listingKind(l)) === user.segment && rng.nextFloat() < o.rejectionRate;
          bookings.push({
            user: user.id, listing: l.id, time: t, rejected: isRejected,
            userAttributes: { device: user.device, language: user.language },
            listingAttributes: { market: l.market, roomType: l.roomType, price: l.price, capacity: l.capacity },
          });
          if (isRejected) rejected.push(l.id);
          else {
            booked = l.id;
            events.push({ user: user.id, item: l.id, timestamp: t, type: 'booking', conversion: true, market: l.market, category: l.roomType });
          }
          t += 60 * 1000;
        }
      }
      trips.push({
        user: user.id, market: `market${m}`, neighbourhood: nb, time: start, explored: explored.map((l) => l.id), clicks,
        candidates: shown.map((l) => l.id), bookingTime, booked, rejected,
      });
      t += (2 + rng.nextInt(10)) * day;
    }
  }
  return { listings, users, preferences, rejects, trips, events, bookings };
}

/**
 * The type schema of the generated marketplace, after the paper's: a listing's market, room type,
 * price per night (3 quantile buckets) and capacity (1–2, 3+); a user's device and language (and,
 * by default, the number of earlier bookings).
 */
export const BOOKING_MARKETPLACE_SCHEMA = Object.freeze({
  listing: [
    { name: 'market', code: '' },
    { name: 'roomType', code: 'rt' },
    { name: 'price', code: 'pn', kind: 'number', buckets: 3 },
    { name: 'capacity', code: 'c', kind: 'number', cuts: [3] },
  ],
  user: [
    { name: 'device', code: 'dt' },
    { name: 'language', code: 'lg' },
  ],
} as const);

/** `count` distinct listings of `pool`, half (rounded up) from neighbourhood `nb` when it has them, shuffled. */
function showListings(rng: Rng, pool: readonly BookingListing[], nb: number, count: number): BookingListing[] {
  const local = pool.filter((l) => l.neighbourhood === nb);
  const chosen = new Set<BookingListing>();
  const want = Math.min(local.length, Math.ceil(count / 2));
  while (chosen.size < want) chosen.add(local[rng.nextInt(local.length)]!);
  while (chosen.size < count) chosen.add(pool[rng.nextInt(pool.length)]!);
  const out = [...chosen];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function gumbel(rng: Rng): number {
  return -Math.log(-Math.log(Math.max(1e-12, rng.nextFloat())));
}

function finite(v: number, name: string): number {
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
  return v;
}
