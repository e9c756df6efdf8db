// Columnar storage of interaction events. Files of millions of events would cost ~100 bytes per
// event as objects; here each event is a few typed-array slots and every string (user, item,
// market, category, event type) is interned once in a dictionary.

/** One interaction, as produced by generators and accepted by {@link EventLog.fromEvents}. */
export interface InteractionEvent {
  /** User id (the session id when the log's sessions are given and users are not). */
  user: string;
  /** The session id, when sessions are given rather than cut on inactivity. */
  session?: string;
  /** Orders events within a given session (a sequence number); default: the timestamp. */
  order?: number;
  /** Item id (listing, movie, product…). */
  item: string;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** Event type as found in the data (`view`, `clickout item`, `orders`…). */
  type?: string;
  /** True when the event is a conversion (booking, purchase, click-out). */
  conversion?: boolean;
  /** Market (city, country, site) the event happened in. */
  market?: string;
  /** Item category or other metadata used for cold-start vectors. */
  category?: string;
}

/** A growable dictionary from strings to dense ids. */
class Interner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

/**
 * Interaction events in columns: event `i` is `users[i]`, `items[i]`, `times[i]`… where the
 * integer columns index the matching `…Names` dictionaries (`-1` = absent for markets,
 * categories and types). Build one with {@link EventLog.fromEvents} or `readEvents()`.
 */
export class EventLog {
  /** Number of events. */
  readonly size: number;
  /** Per event: index into {@link EventLog.userNames}. */
  readonly users: Int32Array;
  /** Per event: index into {@link EventLog.itemNames}. */
  readonly items: Int32Array;
  /** Per event: milliseconds since the Unix epoch. */
  readonly times: Float64Array;
  /** Per event: 1 for a conversion, else 0. */
  readonly conversions: Uint8Array;
  /** Per event: index into {@link EventLog.marketNames}, or -1. */
  readonly markets: Int32Array;
  /** Per event: index into {@link EventLog.categoryNames}, or -1. */
  readonly categories: Int32Array;
  /** Per event: index into {@link EventLog.typeNames}, or -1. */
  readonly types: Int32Array;
  /**
   * Per event: index into {@link EventLog.sessionNames} when the log's sessions are given (a
   * session column), else undefined. `sessionize` keeps given sessions as they are.
   */
  readonly sessions: Int32Array | undefined;
  /** Per event: the order within its session (NaN when not given), or undefined when no event had one. */
  readonly orders: Float64Array | undefined;
  /** Distinct user ids, in order of first appearance. */
  readonly userNames: readonly string[];
  /** Distinct item ids, in order of first appearance. */
  readonly itemNames: readonly string[];
  /** Distinct markets, in order of first appearance. */
  readonly marketNames: readonly string[];
  /** Distinct categories, in order of first appearance. */
  readonly categoryNames: readonly string[];
  /** Distinct event types, in order of first appearance. */
  readonly typeNames: readonly string[];
  /** Distinct session ids (given sessions only), in order of first appearance. */
  readonly sessionNames: readonly string[];

  /** @internal Use {@link EventLog.fromEvents} or `readEvents()`. */
  constructor(parts: {
    users: Int32Array; items: Int32Array; times: Float64Array; conversions: Uint8Array;
    markets: Int32Array; categories: Int32Array; types: Int32Array;
    sessions?: Int32Array | undefined; orders?: Float64Array | undefined;
    userNames: readonly string[]; itemNames: readonly string[]; marketNames: readonly string[];
    categoryNames: readonly string[]; typeNames: readonly string[]; sessionNames?: readonly string[];
  }) {
    this.size = parts.users.length;
    this.users = parts.users;
    this.items = parts.items;
    this.times = parts.times;
    this.conversions = parts.conversions;
    this.markets = parts.markets;
    this.categories = parts.categories;
    this.types = parts.types;
    this.userNames = parts.userNames;
    this.itemNames = parts.itemNames;
    this.marketNames = parts.marketNames;
    this.categoryNames = parts.categoryNames;
    this.typeNames = parts.typeNames;
    this.sessions = parts.sessions;
    this.orders = parts.orders;
    this.sessionNames = parts.sessionNames ?? [];
  }

  /** Event `i` as an object (for inspection and tests; not for hot loops). */
  event(i: number): InteractionEvent {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new RangeError(`event index ${i} is out of range [0, ${this.size})`);
    }
    const out: InteractionEvent = {
      user: this.userNames[this.users[i]!]!,
      item: this.itemNames[this.items[i]!]!,
      timestamp: this.times[i]!,
      conversion: this.conversions[i] === 1,
    };
    const m = this.markets[i]!;
    if (m >= 0) out.market = this.marketNames[m]!;
    const c = this.categories[i]!;
    if (c >= 0) out.category = this.categoryNames[c]!;
    const t = this.types[i]!;
    if (t >= 0) out.type = this.typeNames[t]!;
    const s = this.sessions === undefined ? -1 : this.sessions[i]!;
    if (s >= 0) out.session = this.sessionNames[s]!;
    const order = this.orders === undefined ? NaN : this.orders[i]!;
    if (!Number.isNaN(order)) out.order = order;
    return out;
  }

  /**
   * Per item (indexed like {@link EventLog.itemNames}): its most frequent market and category
   * (-1 when never given). Items are listed once per market in a marketplace, so this is
   * usually the only one.
   */
  itemMetadata(): { market: Int32Array; category: Int32Array } {
    return {
      market: mostFrequent(this.items, this.markets, this.itemNames.length, this.marketNames.length),
      category: mostFrequent(this.items, this.categories, this.itemNames.length, this.categoryNames.length),
    };
  }

  /**
   * Item metadata for the {@link Recommender} and the baselines: per item id, its most frequent
   * market and category (items with neither are left out).
   */
  metadataMap(): Map<string, { market?: string; category?: string }> {
    const { market, category } = this.itemMetadata();
    const out = new Map<string, { market?: string; category?: string }>();
    for (let i = 0; i < this.itemNames.length; i++) {
      const m = market[i]!;
      const c = category[i]!;
      if (m < 0 && c < 0) continue;
      const meta: { market?: string; category?: string } = {};
      if (m >= 0) meta.market = this.marketNames[m]!;
      if (c >= 0) meta.category = this.categoryNames[c]!;
      out.set(this.itemNames[i]!, meta);
    }
    return out;
  }

  /** Builds a log from event objects (timestamps in milliseconds). */
  static fromEvents(events: Iterable<InteractionEvent>): EventLog {
    const b = new EventLogBuilder();
    for (const e of events) {
      b.push(e.user, e.item, e.timestamp, e.type, e.conversion === true, e.market, e.category, e.session, e.order);
    }
    return b.finish();
  }
}

function mostFrequent(keys: Int32Array, values: Int32Array, keyCount: number, valueCount: number): Int32Array {
  const out = new Int32Array(keyCount).fill(-1);
  if (valueCount === 0) return out;
  // Count (key, value) pairs in a map keyed by key * valueCount + value.
  const counts = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) {
    const v = values[i]!;
    if (v < 0) continue;
    const pair = keys[i]! * valueCount + v;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  const best = new Float64Array(keyCount);
  for (const [pair, count] of counts) {
    const key = Math.floor(pair / valueCount);
    const value = pair - key * valueCount;
    if (count > best[key]! || (count === best[key]! && value < out[key]!)) {
      best[key] = count;
      out[key] = value;
    }
  }
  return out;
}

/** @internal Appends events column by column, doubling the typed arrays as needed. */
export class EventLogBuilder {
  private capacity = 1024;
  private n = 0;
  private users = new Int32Array(this.capacity);
  private items = new Int32Array(this.capacity);
  private times = new Float64Array(this.capacity);
  private conversions = new Uint8Array(this.capacity);
  private markets = new Int32Array(this.capacity);
  private categories = new Int32Array(this.capacity);
  private types = new Int32Array(this.capacity);
  // Allocated at the first event that has one (earlier events get -1 / NaN).
  private sessions: Int32Array | undefined;
  private orders: Float64Array | undefined;
  private readonly sessionDict = new Interner();
  private readonly userDict = new Interner();
  private readonly itemDict = new Interner();
  private readonly marketDict = new Interner();
  private readonly categoryDict = new Interner();
  private readonly typeDict = new Interner();

  get size(): number {
    return this.n;
  }

  push(
    user: string, item: string, timestamp: number, type: string | undefined, conversion: boolean,
    market: string | undefined, category: string | undefined, session?: string, order?: number,
  ): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    if (session !== undefined) {
      if (this.sessions === undefined) this.sessions = new Int32Array(this.capacity).fill(-1);
      this.sessions[i] = this.sessionDict.intern(session);
    } else if (this.sessions !== undefined) {
      this.sessions[i] = -1;
    }
    if (order !== undefined && !Number.isNaN(order)) {
      if (this.orders === undefined) this.orders = new Float64Array(this.capacity).fill(NaN);
      this.orders[i] = order;
    } else if (this.orders !== undefined) {
      this.orders[i] = NaN;
    }
    this.users[i] = this.userDict.intern(user);
    this.items[i] = this.itemDict.intern(item);
    this.times[i] = timestamp;
    this.conversions[i] = conversion ? 1 : 0;
    this.markets[i] = market === undefined || market === '' ? -1 : this.marketDict.intern(market);
    this.categories[i] = category === undefined || category === '' ? -1 : this.categoryDict.intern(category);
    this.types[i] = type === undefined ? -1 : this.typeDict.intern(type);
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a as never);
      return b;
    };
    this.users = grow(this.users, (n) => new Int32Array(n));
    this.items = grow(this.items, (n) => new Int32Array(n));
    this.times = grow(this.times, (n) => new Float64Array(n));
    this.conversions = grow(this.conversions, (n) => new Uint8Array(n));
    this.markets = grow(this.markets, (n) => new Int32Array(n));
    this.categories = grow(this.categories, (n) => new Int32Array(n));
    this.types = grow(this.types, (n) => new Int32Array(n));
    if (this.sessions !== undefined) this.sessions = grow(this.sessions, (n) => new Int32Array(n));
    if (this.orders !== undefined) this.orders = grow(this.orders, (n) => new Float64Array(n));
  }

  finish(): EventLog {
    const n = this.n;
    return new EventLog({
      users: this.users.slice(0, n),
      items: this.items.slice(0, n),
      times: this.times.slice(0, n),
      conversions: this.conversions.slice(0, n),
      markets: this.markets.slice(0, n),
      categories: this.categories.slice(0, n),
      types: this.types.slice(0, n),
      sessions: this.sessions?.slice(0, n),
      orders: this.orders?.slice(0, n),
      sessionNames: this.sessionDict.names,
      userNames: this.userDict.names,
      itemNames: this.itemDict.names,
      marketNames: this.marketDict.names,
      categoryNames: this.categoryDict.names,
      typeNames: this.typeDict.names,
    });
  }
}
