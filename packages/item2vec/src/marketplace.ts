// A synthetic marketplace with planted structure, for tests and demos: markets (cities), item
// categories within them, groups of items viewed together, and bookings that follow the
// session's early intent rather than its last clicks (the signal Airbnb's global context catches).
import { createRng } from '@embedkit/sampling';
import type { InteractionEvent } from './event-log';

/** Options of {@link generateMarketplace}. */
export interface MarketplaceOptions {
  /** Default 1. */
  seed?: number;
  /** Number of markets (default 3). */
  markets?: number;
  /** Categories per market (default 2). */
  categoriesPerMarket?: number;
  /** Co-viewed groups per category (default 3). */
  groupsPerCategory?: number;
  /** Items per group, besides the group's bookable item (default 6). */
  itemsPerGroup?: number;
  /** Number of users (default 300). */
  users?: number;
  /** Sessions per user (default 3); sessions of a user are a day apart. */
  sessionsPerUser?: number;
  /** Views in a session, uniformly in [min, max] (default [6, 10]). */
  sessionLength?: readonly [number, number];
  /** Chance that a view is a random item of the same market instead of the intended group (default 0.1). */
  noise?: number;
  /**
   * Views of random same-market items just before the booking (default 2): the last clicks say
   * little about what is booked; the session as a whole does.
   */
  browsingTail?: number;
  /** Chance that a session ends with a booking of its group's bookable item (default 0.7). */
  bookingRate?: number;
  /** Time of the first event (ms; default 2024-01-01T00:00:00Z). */
  start?: number;
}

/** An item of the generated marketplace and its planted labels. */
export interface MarketplaceItem {
  id: string;
  market: string;
  category: string;
  /** Index into {@link Marketplace.groups}. */
  group: number;
  /** True for the group's bookable item (booked, never merely viewed). */
  bookable: boolean;
}

/** A co-viewed group: items of one market and category that sessions browse together. */
export interface MarketplaceGroup {
  market: string;
  category: string;
  /** Items viewed in the group's sessions. */
  items: string[];
  /** The item booked at the end of the group's sessions. */
  bookable: string;
}

/** The result of {@link generateMarketplace}. */
export interface Marketplace {
  /** Events in time order per user, users interleaved; `view` and `booking` (a conversion) types. */
  events: InteractionEvent[];
  items: MarketplaceItem[];
  groups: MarketplaceGroup[];
}

/**
 * Generates interaction events with planted structure. Each session picks a market, a category
 * and a co-viewed group, views items of that group (with `noise`), browses `browsingTail`
 * random items of the market, then, with probability `bookingRate`, books the group's bookable
 * item. Views are 1–5 minutes apart, so the default 30-minute gap splits sessions correctly.
 *
 * @example
 * ```ts
 * const { events, groups } = generateMarketplace({ seed: 7 });
 * const { sessions } = sessionize(EventLog.fromEvents(events));
 * ```
 */
export function generateMarketplace(options: MarketplaceOptions = {}): Marketplace {
  const o = {
    seed: options.seed ?? 1,
    markets: positiveInt(options.markets ?? 3, 'markets'),
    categoriesPerMarket: positiveInt(options.categoriesPerMarket ?? 2, 'categoriesPerMarket'),
    groupsPerCategory: positiveInt(options.groupsPerCategory ?? 3, 'groupsPerCategory'),
    itemsPerGroup: positiveInt(options.itemsPerGroup ?? 6, 'itemsPerGroup'),
    users: positiveInt(options.users ?? 300, 'users'),
    sessionsPerUser: positiveInt(options.sessionsPerUser ?? 3, 'sessionsPerUser'),
    sessionLength: options.sessionLength ?? [6, 10],
    noise: probability(options.noise ?? 0.1, 'noise'),
    browsingTail: nonNegativeInt(options.browsingTail ?? 2, 'browsingTail'),
    bookingRate: probability(options.bookingRate ?? 0.7, 'bookingRate'),
    start: options.start ?? Date.UTC(2024, 0, 1),
  };
  const [minLen, maxLen] = o.sessionLength;
  if (!Number.isInteger(minLen) || !Number.isInteger(maxLen) || minLen < 1 || maxLen < minLen) {
    throw new RangeError(`sessionLength must be [min, max] integers with 1 ≤ min ≤ max, got [${minLen}, ${maxLen}]`);
  }
  const rng = createRng(o.seed);
  const items: MarketplaceItem[] = [];
  const groups: MarketplaceGroup[] = [];
  const marketItems: string[][] = [];
  for (let m = 0; m < o.markets; m++) {
    const market = `market${m}`;
    const inMarket: string[] = [];
    for (let c = 0; c < o.categoriesPerMarket; c++) {
      const category = `m${m}-cat${c}`;
      for (let g = 0; g < o.groupsPerCategory; g++) {
        const group = groups.length;
        const viewed: string[] = [];
        for (let i = 0; i < o.itemsPerGroup; i++) {
          const id = `m${m}c${c}g${g}-i${i}`;
          items.push({ id, market, category, group, bookable: false });
          viewed.push(id);
          inMarket.push(id);
        }
        const bookable = `m${m}c${c}g${g}-book`;
        items.push({ id: bookable, market, category, group, bookable: true });
        groups.push({ market, category, items: viewed, bookable });
      }
    }
    marketItems.push(inMarket);
  }
  const categoryOf = new Map(items.map((item) => [item.id, item.category]));
  const groupsPerMarket = o.categoriesPerMarket * o.groupsPerCategory;
  const events: InteractionEvent[] = [];
  const day = 24 * 3600 * 1000;
  for (let u = 0; u < o.users; u++) {
    const user = `user${u}`;
    let t = o.start + rng.nextInt(3600) * 1000;
    for (let s = 0; s < o.sessionsPerUser; s++) {
      const m = rng.nextInt(o.markets);
      const g = m * groupsPerMarket + rng.nextInt(groupsPerMarket);
      const group = groups[g]!;
      const market = group.market;
      const pool = marketItems[m]!;
      const views = minLen + rng.nextInt(maxLen - minLen + 1);
      const push = (item: string, type: string): void => {
        events.push({ user, item, timestamp: t, type, conversion: type === 'booking', market, category: categoryOf.get(item)! });
        t += (60 + rng.nextInt(240)) * 1000;
      };
      for (let v = 0; v < views; v++) {
        const item = rng.nextFloat() < o.noise ? pool[rng.nextInt(pool.length)]! : group.items[rng.nextInt(group.items.length)]!;
        push(item, 'view');
      }
      for (let v = 0; v < o.browsingTail; v++) {
        const item = pool[rng.nextInt(pool.length)]!;
        push(item, 'view');
      }
      if (rng.nextFloat() < o.bookingRate) push(group.bookable, 'booking');
      t += day;
    }
  }
  return { events, items, groups };
}

/** @internal */
export function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${v}`);
  return v;
}

/** @internal */
export function nonNegativeInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be an integer ≥ 0, got ${v}`);
  return v;
}

/** @internal */
export function probability(v: number, name: string): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  return v;
}
