// Sessionisation: a user's time-ordered events cut into sessions on inactivity gaps, as Airbnb
// does for click sessions (Grbovic & Cheng 2018: a new session after 30 minutes of inactivity).
// Logs that name their sessions (a session column: Diginetica, YooChoose) keep them as given,
// ordered within by their order column (or time): cutting them again on gaps would treat a
// sequence number as a clock.
import type { EventLog } from './event-log';

/** Options of {@link sessionize}. */
export interface SessionizeOptions {
  /**
   * Inactivity gap in milliseconds (default 30 minutes). A new session starts when the time
   * between two consecutive events of a user is strictly GREATER than `maxGap`; a gap exactly
   * equal to it keeps the session going ("more than 30 minutes of inactivity" ends a session).
   * `Infinity` makes one session per user (MovieLens-style histories). Not used when the log's
   * sessions are given (`EventLog.sessions`): those are kept as they are.
   */
  maxGap?: number;
  /**
   * Longest session, in items after collapsing repeats (default 50). Longer sessions are cut into
   * consecutive chunks of at most `maxLength` items, each keeping the session's conversion and
   * market; chunks shorter than `minLength` are dropped like short sessions.
   */
  maxLength?: number;
  /** Sessions with fewer items are dropped (default 2: a single item teaches no co-occurrence). */
  minLength?: number;
  /** Collapse immediate repeats (`A A B` → `A B`), e.g. duplicate events or several views of one photo gallery (default true). */
  collapseRepeats?: boolean;
}

/** One session: a user's consecutive items with no gap longer than `maxGap`. */
export interface Session {
  user: string;
  /** Items in time order. */
  items: string[];
  /** Time of each item (ms; the first event of a collapsed run). */
  times: number[];
  /** Per item: true when one of its events (in a collapsed run, any) was a conversion. */
  converted: boolean[];
  /**
   * The last converted item of the session (the booked listing, the clicked-out hotel, the last
   * ordered product), or undefined. It is also in `items` when the conversion event is an item
   * event, which is the usual case.
   */
  conversion: string | undefined;
  /** The session's most frequent market (ties: the latest), or undefined. */
  market: string | undefined;
}

/** Counts from {@link sessionize}. */
export interface SessionizeStats {
  users: number;
  /** True when the sessions came from the log's session column rather than inactivity gaps. */
  given: boolean;
  /** Sessions kept. */
  sessions: number;
  /** Items in the kept sessions. */
  items: number;
  /** Sessions (or chunks) dropped for being shorter than `minLength`. */
  droppedShort: number;
  /** Sessions cut because they were longer than `maxLength`. */
  split: number;
  /** Events removed by collapsing immediate repeats. */
  collapsed: number;
}

/** The result of {@link sessionize}. */
export interface SessionizeResult {
  sessions: Session[];
  stats: SessionizeStats;
}

interface ResolvedSessionizeOptions {
  maxGap: number;
  maxLength: number;
  minLength: number;
  collapseRepeats: boolean;
}

/** Default inactivity gap: 30 minutes, as Airbnb. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60 * 1000;

function resolveSessionizeOptions(options: SessionizeOptions): ResolvedSessionizeOptions {
  const maxGap = options.maxGap ?? DEFAULT_SESSION_GAP_MS;
  if (!(maxGap >= 0)) throw new RangeError(`maxGap must be ≥ 0 milliseconds (Infinity for one session per user), got ${maxGap}`);
  const maxLength = options.maxLength ?? 50;
  if (!(maxLength >= 1) || (maxLength !== Infinity && !Number.isInteger(maxLength))) {
    throw new RangeError(`maxLength must be an integer ≥ 1 (or Infinity), got ${maxLength}`);
  }
  const minLength = options.minLength ?? 2;
  if (!Number.isInteger(minLength) || minLength < 1) throw new RangeError(`minLength must be an integer ≥ 1, got ${minLength}`);
  return { maxGap, maxLength, minLength, collapseRepeats: options.collapseRepeats ?? true };
}

/**
 * Cuts each user's events into sessions. The input may be in any order: events are grouped by
 * user and sorted by time (stable: events with equal timestamps keep their file order).
 * Users come out in order of first appearance, each user's sessions in time order.
 *
 * When the log's sessions are given (read with a session column), each session is kept whole
 * (no gap split; `maxGap` is not used), its events sorted by their order value (else their
 * time; ties keep file order), sessions in order of first appearance. `maxLength`, `minLength`
 * and `collapseRepeats` apply either way.
 */
export function sessionize(log: EventLog, options: SessionizeOptions = {}): SessionizeResult {
  const o = resolveSessionizeOptions(options);
  const given = log.sessions !== undefined;
  // Group key per event: the user, or for given sessions the session (events without one fall
  // back to one session per user, after all named sessions).
  const sessionCount = log.sessionNames.length;
  const keyCount = given ? sessionCount + log.userNames.length : log.userNames.length;
  const keys = given ? new Int32Array(log.size) : log.users;
  if (given) {
    const named = log.sessions!;
    for (let i = 0; i < log.size; i++) keys[i] = named[i]! >= 0 ? named[i]! : sessionCount + log.users[i]!;
  }
  const { starts, order } = groupBy(keys, keyCount);
  const times = log.times;
  const orders = given ? log.orders : undefined;
  const byTime = (a: number, b: number): number => times[a]! - times[b]! || a - b;
  // Events without an order value (NaN) sort after those with one.
  const byOrder = orders === undefined ? byTime : (a: number, b: number): number => {
    const x = orders[a]!;
    const y = orders[b]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) {
      if (Number.isNaN(x)) return 1;
      if (Number.isNaN(y)) return -1;
      return x - y;
    }
    return byTime(a, b);
  };

  const sessions: Session[] = [];
  const stats: SessionizeStats = { users: 0, given, sessions: 0, items: 0, droppedShort: 0, split: 0, collapsed: 0 };
  const marketCounts = new Map<number, number>();
  const users = new Set<number>();
  for (let k = 0; k < keyCount; k++) {
    const from = starts[k]!;
    const to = starts[k + 1]!;
    if (to === from) continue;
    const slice = order.subarray(from, to);
    if (given) {
      slice.sort(byOrder);
      users.add(log.users[slice[0]!]!);
      emitSession(log, slice, 0, slice.length, o, sessions, stats, marketCounts);
      continue;
    }
    stats.users++;
    slice.sort(byTime);
    let s = 0;
    while (s < slice.length) {
      let e = s + 1;
      while (e < slice.length && times[slice[e]!]! - times[slice[e - 1]!]! <= o.maxGap) e++;
      emitSession(log, slice, s, e, o, sessions, stats, marketCounts);
      s = e;
    }
  }
  if (given) stats.users = users.size;
  stats.sessions = sessions.length;
  return { sessions, stats };
}

/** Counting sort of event indices by key: events of key `k` are `order[starts[k] .. starts[k + 1])`, in file order. */
function groupBy(keys: Int32Array, keyCount: number): { starts: Int32Array; order: Int32Array } {
  const n = keys.length;
  const starts = new Int32Array(keyCount + 1);
  for (let i = 0; i < n; i++) starts[keys[i]! + 1]!++;
  for (let k = 0; k < keyCount; k++) starts[k + 1]! += starts[k]!;
  const order = new Int32Array(n);
  const fill = starts.slice(0, keyCount);
  for (let i = 0; i < n; i++) order[fill[keys[i]!]!++] = i;
  return { starts, order };
}

function emitSession(
  log: EventLog, slice: Int32Array, from: number, to: number, o: ResolvedSessionizeOptions,
  out: Session[], stats: SessionizeStats, marketCounts: Map<number, number>,
): void {
  const items: string[] = [];
  const times: number[] = [];
  const converted: boolean[] = [];
  let lastItem = -1;
  let conversion = -1;
  marketCounts.clear();
  let bestMarket = -1;
  let bestCount = 0;
  for (let k = from; k < to; k++) {
    const ev = slice[k]!;
    const item = log.items[ev]!;
    const isConversion = log.conversions[ev] === 1;
    if (isConversion) conversion = item;
    const m = log.markets[ev]!;
    if (m >= 0) {
      const c = (marketCounts.get(m) ?? 0) + 1;
      marketCounts.set(m, c);
      if (c >= bestCount) {
        bestCount = c;
        bestMarket = m;
      }
    }
    if (o.collapseRepeats && item === lastItem) {
      stats.collapsed++;
      if (isConversion) converted[converted.length - 1] = true;
      continue;
    }
    lastItem = item;
    items.push(log.itemNames[item]!);
    times.push(log.times[ev]!);
    converted.push(isConversion);
  }
  const user = log.userNames[log.users[slice[from]!]!]!;
  const conv = conversion >= 0 ? log.itemNames[conversion] : undefined;
  const market = bestMarket >= 0 ? log.marketNames[bestMarket] : undefined;
  if (items.length > o.maxLength) stats.split++;
  for (let c = 0; c < items.length; c += o.maxLength) {
    const end = Math.min(items.length, c + o.maxLength);
    if (end - c < o.minLength) {
      stats.droppedShort++;
      continue;
    }
    const whole = c === 0 && end === items.length;
    out.push({
      user,
      items: whole ? items : items.slice(c, end),
      times: whole ? times : times.slice(c, end),
      converted: whole ? converted : converted.slice(c, end),
      conversion: conv,
      market,
    });
    stats.items += end - c;
  }
}
