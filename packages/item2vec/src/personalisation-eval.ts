// The re-ranking evaluation on the generated booking marketplace, end to end: a time split in
// three (embeddings learn from the first part, the re-ranker is fitted on the second, scored on
// the third), listing embeddings from click sessions, type embeddings from bookings, and the
// rankers the BENCHMARKS table reports.
import { generateBookingMarketplace, type BookingMarketplace, type BookingMarketplaceOptions, BOOKING_MARKETPLACE_SCHEMA } from './booking-marketplace';
import { EventLog } from './event-log';
import { Personaliser } from './personalisation';
import { Recommender } from './recommender';
import {
  EMBEDDING_SIMILARITY, buildFeatureTable, compareRerankers, type CompareRerankersOptions, type RankerSpec, type RerankCase, type RerankComparison,
} from './rerank';
import { sessionize } from './sessions';
import { trainItemEmbeddings, type TrainItemsOptions } from './train';
import { trainTypeEmbeddings, type TrainTypesOptions, type TypeBucketer } from './types';

/**
 * Skipped listings (the paper's H_s): shown above the lowest-ranked clicked listing but not
 * clicked. `shown` is in shown order.
 */
export function skippedListings(shown: readonly string[], clicked: Iterable<string>): string[] {
  const clickedSet = new Set(clicked);
  let last = -1;
  for (let i = 0; i < shown.length; i++) if (clickedSet.has(shown[i]!)) last = i;
  const out: string[] = [];
  for (let i = 0; i < last; i++) if (!clickedSet.has(shown[i]!)) out.push(shown[i]!);
  return out;
}

/** Options of {@link marketplaceRerankCases}. */
export interface MarketplaceCaseOptions {
  /** How far back clicks, skips and bookings count (ms, default 14 days as in the paper). */
  lookbackMs?: number;
  /** A click with at least this dwell is a long click (default 60 s, the paper's). */
  longClickSeconds?: number;
  /** Names user and listing types; without it cases carry no types. */
  bucketer?: TypeBucketer;
}

/**
 * One case per trip that ends in an accepted booking: the booking search's candidates, the
 * booked listing as target, and the user's history before the booking search (clicks, long
 * clicks and skips of the trip's exploring search and of earlier trips within the lookback;
 * earlier bookings within it). Returned with each case's user and booking time, users' cases in time order.
 */
export function marketplaceRerankCases(m: BookingMarketplace, options: MarketplaceCaseOptions = {}): Array<{ user: string; time: number; case: RerankCase }> {
  const lookback = options.lookbackMs ?? 14 * 24 * 3600 * 1000;
  const longClick = options.longClickSeconds ?? 60;
  const listings = new Map(m.listings.map((l) => [l.id, l]));
  const users = new Map(m.users.map((u) => [u.id, u]));
  const tripsByUser = new Map<string, typeof m.trips>();
  for (const t of m.trips) {
    let list = tripsByUser.get(t.user);
    if (list === undefined) tripsByUser.set(t.user, (list = []));
    list.push(t);
  }
  const out: Array<{ user: string; time: number; case: RerankCase }> = [];
  for (const [userId, trips] of tripsByUser) {
    const user = users.get(userId)!;
    let pastBookings = 0;
    for (let i = 0; i < trips.length; i++) {
      const trip = trips[i]!;
      if (trip.booked !== undefined) {
        const history = { clicks: [] as string[], longClicks: [] as string[], skips: [] as string[], bookings: [] as string[] };
        for (let j = 0; j <= i; j++) {
          const past = trips[j]!;
          if (trip.bookingTime - past.time > lookback) continue;
          for (const c of past.clicks) {
            history.clicks.push(c.item);
            if (c.dwellSeconds >= longClick) history.longClicks.push(c.item);
          }
          history.skips.push(...skippedListings(past.explored, past.clicks.map((c) => c.item)));
          if (j < i && past.booked !== undefined) history.bookings.push(past.booked);
        }
        const cs: RerankCase = { candidates: trip.candidates, target: trip.booked, history };
        const b = options.bucketer;
        if (b !== undefined) {
          cs.userType = b.userType({ device: user.device, language: user.language }, pastBookings);
          cs.listingTypes = trip.candidates.map((id) => {
            const l = listings.get(id)!;
            return b.listingType({ market: l.market, roomType: l.roomType, price: l.price, capacity: l.capacity });
          });
        }
        out.push({ user: userId, time: trip.bookingTime, case: cs });
        pastBookings++;
      }
    }
  }
  return out;
}

/** The rankers of the evaluation: the plain embedding, then fitted combinations. */
export const PERSONALISATION_RANKERS: readonly RankerSpec[] = Object.freeze([
  { name: 'embedding', column: EMBEDDING_SIMILARITY },
  { name: '+ short-term features', columns: [EMBEDDING_SIMILARITY, 'embClickSim', 'embLongClickSim', 'embSkipSim', 'embBookSim', 'embLastLongClickSim'] },
  { name: '+ short-term + type', columns: [EMBEDDING_SIMILARITY, 'embClickSim', 'embLongClickSim', 'embSkipSim', 'embBookSim', 'embLastLongClickSim', 'userTypeListingTypeSim'] },
  { name: 'type only', column: 'userTypeListingTypeSim' },
]);

/**
 * How {@link evaluateMarketplaceReranking} trains listing vectors unless told otherwise: fixed
 * here rather than following `ITEM2VEC_DEFAULTS`, which are tuned for next-item recommendation on
 * real logs (their 100 epochs make the small generated catalogue's comparison fragile: the type
 * feature's gain stops being significant on some seeds).
 */
export const MARKETPLACE_LISTING_TRAINING: Readonly<TrainItemsOptions> = Object.freeze({ mode: 'airbnb', epochs: 30 });

/** Options of {@link evaluateMarketplaceReranking}. */
export interface MarketplaceRerankOptions extends CompareRerankersOptions {
  marketplace?: BookingMarketplaceOptions;
  /**
   * Listing embedding training (default {@link MARKETPLACE_LISTING_TRAINING}: `airbnb` mode, 30
   * epochs; what is not set takes `ITEM2VEC_DEFAULTS`').
   */
  listing?: TrainItemsOptions;
  /** Type embedding training (schema: {@link BOOKING_MARKETPLACE_SCHEMA}). */
  types?: Partial<TrainTypesOptions>;
  /** Fractions of the booking times that end the embedding and the fitting periods (default [0.6, 0.8]). */
  split?: readonly [number, number];
  rankers?: readonly RankerSpec[];
}

/**
 * Generates a marketplace, trains listing embeddings (click sessions) and type embeddings
 * (booking requests) on the first period, fits the re-rankers on the second, and compares them
 * on the third.
 */
export async function evaluateMarketplaceReranking(options: MarketplaceRerankOptions = {}): Promise<RerankComparison> {
  const m = generateBookingMarketplace(options.marketplace);
  const [a, b] = options.split ?? [0.6, 0.8];
  if (!(a > 0 && a < b && b < 1)) throw new RangeError(`split must be [a, b] with 0 < a < b < 1, got [${a}, ${b}]`);
  const times = m.trips.filter((t) => t.booked !== undefined).map((t) => t.bookingTime).sort((x, y) => x - y);
  const t1 = times[Math.floor(a * times.length)]!;
  const t2 = times[Math.floor(b * times.length)]!;
  const { sessions } = sessionize(EventLog.fromEvents(m.events.filter((e) => e.timestamp < t1)));
  const seed = options.marketplace?.seed ?? 1;
  const listing = await trainItemEmbeddings(sessions, { ...MARKETPLACE_LISTING_TRAINING, seed, ...options.listing });
  const { types } = await trainTypeEmbeddings(m.bookings.filter((r) => r.time < t1), { schema: BOOKING_MARKETPLACE_SCHEMA, seed, ...options.types });
  const metadata = new Map(m.listings.map((l) => [l.id, { market: l.market, category: l.roomType }]));
  const personaliser = new Personaliser(new Recommender(listing.embeddings, { metadata }), { metadata, types });
  const cases = marketplaceRerankCases(m, { bucketer: types.bucketer });
  const fit = cases.filter((c) => c.time >= t1 && c.time < t2).map((c) => c.case);
  const test = cases.filter((c) => c.time >= t2).map((c) => c.case);
  return compareRerankers(buildFeatureTable(personaliser, fit), buildFeatureTable(personaliser, test), options.rankers ?? PERSONALISATION_RANKERS, options);
}
