// Reading booking requests (for user-type and listing-type embeddings) from delimited text with a
// header, through the events reader's CSV parsing (delimiter sniffed, gzip detected), and the
// compact attribute syntax the CLI uses: `name` (category), `name:q5` (5 quantile buckets),
// `name:2/4/6` (cut points).
import { existsSync } from 'node:fs';
import { checkUnambiguous, forEachCsvRecord, indexHeader } from './csv';
import { item2vecError } from './errors';
import { parseTimestamp, type TimestampUnit } from './events';
import type { AttributeValue, BookingRecord, TypeAttribute } from './types';

/** Columns of a bookings file (header names). */
export interface BookingColumns {
  user: string;
  listing: string;
  time: string;
  /** A column whose value `1`, `true`, `yes` or `rejected` (any case) marks a host rejection. */
  rejected?: string;
}

/** Options of {@link readBookings}. */
export interface ReadBookingsOptions {
  columns: BookingColumns;
  /** Attribute columns of the user (at booking time) and of the listing. */
  userAttributes: readonly TypeAttribute[];
  listingAttributes: readonly TypeAttribute[];
  /** Unit of the time column (default `auto`, as the events reader). */
  timestampUnit?: TimestampUnit;
  /** Field separator (default `auto`: sniffed among `,` `;` tab `|`). */
  delimiter?: string;
}

/** The result of {@link readBookings}. */
export interface ReadBookingsResult {
  records: BookingRecord[];
  /** Rows left out: missing user, listing or time, or a time that does not parse. */
  bad: number;
  rejected: number;
}

const REJECTED_VALUES = new Set(['1', 'true', 'yes', 'rejected']);

/**
 * Reads booking requests from a delimited file with a header: one row per request.
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`; `MISSING_COLUMN` when the header lacks a named column
 * (the message lists the header); `AMBIGUOUS_COLUMN` when it names a mapped column twice; `BAD_FILE`
 * for binary data or damaged gzip; `NO_EVENTS` when no row could be read.
 */
export async function readBookings(path: string, options: ReadBookingsOptions): Promise<ReadBookingsResult> {
  if (!existsSync(path)) throw item2vecError('FILE_NOT_FOUND', `bookings file ${JSON.stringify(path)} does not exist; check the path`);
  const { columns } = options;
  const unit = options.timestampUnit ?? 'auto';
  const records: BookingRecord[] = [];
  let bad = 0;
  let rejected = 0;
  let index: Map<string, number> | undefined;
  let user = -1;
  let listing = -1;
  let time = -1;
  let rejectedAt = -1;
  let userAttrs: Array<[string, number]> = [];
  let listingAttrs: Array<[string, number]> = [];
  let firstBad = '';
  await forEachCsvRecord(path, (fields, line) => {
    if (index === undefined) {
      const header = indexHeader(fields);
      index = header.index;
      const find = (name: string, what: string): number => {
        const i = index!.get(name);
        if (i === undefined) {
          throw item2vecError('MISSING_COLUMN', `the header of ${path} has no column ${JSON.stringify(name)} (named by ${what}); it has: ${fields.join(', ')}: name one of these`);
        }
        checkUnambiguous(path, header, name, what);
        return i;
      };
      user = find(columns.user, 'columns.user');
      listing = find(columns.listing, 'columns.listing');
      time = find(columns.time, 'columns.time');
      if (columns.rejected !== undefined) rejectedAt = find(columns.rejected, 'columns.rejected');
      userAttrs = options.userAttributes.map((a) => [a.name, find(a.name, 'userAttributes')]);
      listingAttrs = options.listingAttributes.map((a) => [a.name, find(a.name, 'listingAttributes')]);
      return;
    }
    const u = fields[user]?.trim() ?? '';
    const l = fields[listing]?.trim() ?? '';
    let t: number;
    try {
      t = parseTimestamp(fields[time]?.trim() ?? '', unit);
    } catch {
      t = Number.NaN;
    }
    if (u === '' || l === '' || !Number.isFinite(t)) {
      if (bad === 0) {
        const reason = u === '' ? `empty ${columns.user}` : l === '' ? `empty ${columns.listing}` : `${columns.time}=${JSON.stringify(fields[time] ?? '')} is not a time (${unit})`;
        firstBad = `; the first, line ${line}: ${reason}`;
      }
      bad++;
      return;
    }
    const isRejected = rejectedAt >= 0 && REJECTED_VALUES.has((fields[rejectedAt] ?? '').trim().toLowerCase());
    if (isRejected) rejected++;
    records.push({
      user: u, listing: l, time: t, rejected: isRejected,
      userAttributes: attributesOf(fields, userAttrs), listingAttributes: attributesOf(fields, listingAttrs),
    });
  }, options.delimiter === undefined ? {} : { delimiter: options.delimiter });
  if (records.length === 0) {
    throw item2vecError('NO_EVENTS', `${path}: no booking could be read (${bad} bad rows${firstBad}); check columns.user, columns.listing, columns.time and timestampUnit`);
  }
  return { records, bad, rejected };
}

function attributesOf(fields: string[], columns: Array<[string, number]>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, i] of columns) {
    const v = fields[i]?.trim();
    out[name] = v === undefined || v === '' ? undefined : v;
  }
  return out;
}

/** Most quantile buckets an attribute may ask for (`price:q1000`), as `TypeBucketer.fit` allows. */
const MAX_QUANTILE_BUCKETS = 1000;

/**
 * Parses the CLI's attribute list: `market,room_type,price:q5,capacity:2/4/6` → a category, a
 * category, 5 quantile buckets, cut points 2, 4, 6. Codes are the names (without `_`).
 *
 * @throws RangeError naming `flag` for a malformed entry, q0 or more than 1000 buckets, cut points
 * out of order, or an attribute named twice: all checked before any file is read.
 */
export function parseTypeAttributes(spec: string, flag: string): TypeAttribute[] {
  const parts = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new RangeError(`${flag} needs at least one attribute, e.g. city,price:q5`);
  const seen = new Set<string>();
  return parts.map((part) => {
    const [name, buckets, extra] = part.split(':');
    if (name === undefined || name === '' || extra !== undefined) throw new RangeError(`${flag}: ${JSON.stringify(part)} is not name, name:qN or name:a/b/c`);
    if (seen.has(name)) throw new RangeError(`${flag} names the attribute ${JSON.stringify(name)} twice; name each attribute once`);
    seen.add(name);
    const code = name.replace(/[\s_]+/g, '');
    if (buckets === undefined) return { name, code };
    const q = /^q(\d+)$/.exec(buckets);
    if (q !== null) {
      // Checked here, before the bookings are read, not when the buckets are fitted after it.
      const n = Number(q[1]);
      if (n < 1 || n > MAX_QUANTILE_BUCKETS) throw new RangeError(`${flag}: ${JSON.stringify(part)} asks for ${n} quantile buckets; give q1 to q${MAX_QUANTILE_BUCKETS}`);
      return { name, code, kind: 'number', buckets: n };
    }
    // Number('') is 0: an empty cut (`price:`, `price:1//3`) is refused, not read as a cut at 0.
    const cuts = buckets.split('/').map((c) => (c.trim() === '' ? Number.NaN : Number(c)));
    if (cuts.some((c) => !Number.isFinite(c))) throw new RangeError(`${flag}: ${JSON.stringify(part)} needs qN (quantile buckets) or cut points a/b/c after the colon`);
    if (cuts.some((c, i) => i > 0 && c <= cuts[i - 1]!)) throw new RangeError(`${flag}: the cut points of ${JSON.stringify(part)} must be strictly ascending, e.g. ${name}:1/3/5`);
    return { name, code, kind: 'number', cuts };
  });
}
