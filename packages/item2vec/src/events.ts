// Streaming readers of interaction logs: CSV/TSV (RFC 4180 quoting) and JSON Lines (flat, or one
// session per line with a nested array of events, as OTTO). Bad rows are counted by reason with a
// few examples, never silently dropped; `strict` turns the first one into an error.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { splitCsvRecord } from './csv';
import { item2vecError } from './errors';
import { EventLog, EventLogBuilder } from './event-log';

/** File formats {@link readEvents} understands. */
export type EventFormat = 'csv' | 'tsv' | 'jsonl';

/**
 * How timestamps are written: `s` / `ms` since the Unix epoch, `iso` (anything `Date.parse`
 * reads, e.g. `2018-11-07T10:00:00Z`), or `auto`: numbers ≥ 1e11 are milliseconds (1e11 s is
 * the year 5138), smaller numbers seconds, anything else ISO.
 */
export type TimestampUnit = 'auto' | 's' | 'ms' | 'iso';

/** A column: its header name (CSV), its 0-based index (CSV), or a key path such as `a.b` (JSONL). */
export type ColumnRef = string | number;

/** Which column holds what. `user`, `item` and `timestamp` are required. */
export interface EventColumns {
  /** User or session id: sessionisation groups by it. */
  user: ColumnRef;
  item: ColumnRef;
  timestamp: ColumnRef;
  /** Event type, matched against `eventTypes` and `conversionTypes`. */
  type?: ColumnRef;
  /** Market (city, country): drives same-market negatives and market filters. */
  market?: ColumnRef;
  /** Category or other item metadata for cold-start vectors. */
  category?: ColumnRef;
}

/** Options of {@link readEvents}. */
export interface ReadEventsOptions {
  columns: EventColumns;
  /** Default from the extension: `.tsv`/`.tab` → tsv, `.jsonl`/`.ndjson`/`.json` → jsonl, else csv. */
  format?: EventFormat;
  /** CSV/TSV: the first record is a header (default true). Without one, columns are indices. */
  header?: boolean;
  /** CSV/TSV field separator (default `,` for csv, tab for tsv). */
  delimiter?: string;
  /** JSONL: key of an array of events inside each line (`events` for OTTO); other keys are shared. */
  eventsField?: string;
  /** Default `auto`. */
  timestampUnit?: TimestampUnit;
  /** Keep only events of these types (others are counted as `filtered`, not bad). */
  eventTypes?: readonly string[];
  /** Event types that count as conversions (booking, purchase, click-out). */
  conversionTypes?: readonly string[];
  /** Keep only rows whose numeric `column` is ≥ `min` (e.g. MovieLens ratings ≥ 4). */
  minValue?: { column: ColumnRef; min: number };
  /** Throw `BAD_ROW` at the first bad row instead of counting it (default false). */
  strict?: boolean;
  /** How many bad rows to keep as examples (default 5). */
  maxExamples?: number;
  /** Stop after this many events (default: read everything). */
  limit?: number;
}

/** Why a row was rejected. */
export type BadRowReason =
  | 'missing column'
  | 'empty user'
  | 'empty item'
  | 'bad timestamp'
  | 'bad value'
  | 'bad quoting'
  | 'bad json';

/** One rejected row, for the report. */
export interface BadRowExample {
  /** 1-based line number in the file (the first line of a multi-line record). */
  line: number;
  reason: BadRowReason;
  /** Which column or what detail. */
  detail: string;
  /** The row, cut to 200 characters. */
  text: string;
}

/** What {@link readEvents} saw. */
export interface ReadEventsReport {
  /** Data records read (CSV rows after the header; JSONL events, nested ones included). */
  records: number;
  /** Events kept. */
  events: number;
  /** Records skipped on purpose (`eventTypes`, `minValue`). */
  filtered: number;
  /** Records rejected. */
  bad: number;
  badByReason: Partial<Record<BadRowReason, number>>;
  examples: BadRowExample[];
}

/** The result of {@link readEvents}. */
export interface ReadEventsResult {
  log: EventLog;
  report: ReadEventsReport;
}

interface ResolvedReadOptions {
  format: EventFormat;
  columns: EventColumns;
  header: boolean;
  delimiter: string;
  eventsField: string | undefined;
  timestampUnit: TimestampUnit;
  eventTypes: Set<string> | undefined;
  conversionTypes: Set<string>;
  minValue: { column: ColumnRef; min: number } | undefined;
  strict: boolean;
  maxExamples: number;
  limit: number;
}

function formatFromPath(path: string): EventFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  return 'csv';
}

function checkColumn(name: string, ref: ColumnRef | undefined, required: boolean): void {
  if (ref === undefined) {
    if (required) throw new TypeError(`columns.${name} is required (a header name, a 0-based index or a JSON key)`);
    return;
  }
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0) throw new RangeError(`columns.${name} must be a 0-based integer index, got ${ref}`);
  } else if (typeof ref !== 'string' || ref === '') {
    throw new TypeError(`columns.${name} must be a non-empty string or an index, got ${JSON.stringify(ref)}`);
  }
}

/** Applies defaults and validates {@link ReadEventsOptions} once. */
export function resolveReadOptions(path: string, options: ReadEventsOptions): ResolvedReadOptions {
  if (options === null || typeof options !== 'object' || options.columns === undefined) {
    throw new TypeError('readEvents needs options.columns ({ user, item, timestamp, … }) or a preset');
  }
  const c = options.columns;
  checkColumn('user', c.user, true);
  checkColumn('item', c.item, true);
  checkColumn('timestamp', c.timestamp, true);
  checkColumn('type', c.type, false);
  checkColumn('market', c.market, false);
  checkColumn('category', c.category, false);
  const format = options.format ?? formatFromPath(path);
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') {
    throw new RangeError(`format must be csv, tsv or jsonl, got ${JSON.stringify(format)}`);
  }
  const timestampUnit = options.timestampUnit ?? 'auto';
  if (!['auto', 's', 'ms', 'iso'].includes(timestampUnit)) {
    throw new RangeError(`timestampUnit must be auto, s, ms or iso, got ${JSON.stringify(timestampUnit)}`);
  }
  if ((options.eventTypes !== undefined || options.conversionTypes !== undefined) && c.type === undefined) {
    throw new TypeError('eventTypes / conversionTypes need columns.type');
  }
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : ',');
  if (typeof delimiter !== 'string' || delimiter.length === 0 || delimiter.includes('"')) {
    throw new RangeError(`delimiter must be a non-empty string without quotes, got ${JSON.stringify(delimiter)}`);
  }
  const maxExamples = options.maxExamples ?? 5;
  if (!Number.isInteger(maxExamples) || maxExamples < 0) throw new RangeError(`maxExamples must be an integer ≥ 0, got ${maxExamples}`);
  const limit = options.limit ?? Infinity;
  if (!(limit > 0)) throw new RangeError(`limit must be > 0, got ${limit}`);
  if (options.minValue !== undefined) {
    checkColumn('minValue.column', options.minValue.column, true);
    if (!Number.isFinite(options.minValue.min)) throw new RangeError(`minValue.min must be a finite number, got ${options.minValue.min}`);
  }
  return {
    format,
    columns: c,
    header: options.header ?? true,
    delimiter,
    eventsField: options.eventsField,
    timestampUnit,
    eventTypes: options.eventTypes === undefined ? undefined : new Set(options.eventTypes),
    conversionTypes: new Set(options.conversionTypes ?? []),
    minValue: options.minValue,
    strict: options.strict ?? false,
    maxExamples,
    limit,
  };
}

/**
 * Parses a timestamp into milliseconds since the epoch; NaN when unparsable.
 * Numbers (from JSON) and numeric strings follow `unit`; `auto` treats values ≥ 1e11 as ms.
 */
export function parseTimestamp(value: unknown, unit: TimestampUnit): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NaN;
    if (unit === 's') return value * 1000;
    if (unit === 'ms') return value;
    if (unit === 'iso') return NaN;
    return Math.abs(value) >= 1e11 ? value : value * 1000;
  }
  if (typeof value !== 'string') return NaN;
  const text = value.trim();
  if (text === '') return NaN;
  if (unit !== 'iso' && /^[+-]?\d+(\.\d+)?$/.test(text)) {
    return parseTimestamp(Number(text), unit === 'auto' ? 'auto' : unit);
  }
  if (unit === 's' || unit === 'ms') return NaN;
  return Date.parse(text);
}

/** Reads a field from a parsed JSON object by key path (`a.b`), falling back to `outer`. */
function jsonField(record: unknown, outer: unknown, ref: ColumnRef): unknown {
  const path = String(ref);
  let v = lookup(record, path);
  if (v === undefined && outer !== undefined) v = lookup(outer, path);
  return v;
}

function lookup(obj: unknown, path: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const direct = (obj as Record<string, unknown>)[path];
  if (direct !== undefined || !path.includes('.')) return direct;
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

const MISSING = Symbol('missing');

/** Accumulates events and the report; shared by the CSV and JSONL paths. */
class RowSink {
  readonly builder = new EventLogBuilder();
  readonly report: ReadEventsReport = { records: 0, events: 0, filtered: 0, bad: 0, badByReason: {}, examples: [] };
  constructor(private readonly o: ResolvedReadOptions, private readonly path: string) {}

  get full(): boolean {
    return this.report.events >= this.o.limit;
  }

  bad(line: number, reason: BadRowReason, detail: string, text: string): void {
    const r = this.report;
    r.bad++;
    r.badByReason[reason] = (r.badByReason[reason] ?? 0) + 1;
    const cut = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    if (this.o.strict) {
      throw item2vecError('BAD_ROW', `${this.path}:${line}: ${reason} (${detail}) in row ${JSON.stringify(cut)}; fix the row or the column mapping, or read without strict to count and skip bad rows`);
    }
    if (r.examples.length < this.o.maxExamples) r.examples.push({ line, reason, detail, text: cut });
  }

  /** `get` returns the raw value of a column, or MISSING when the row lacks it. */
  row(line: number, text: string, get: (ref: ColumnRef) => unknown): void {
    const o = this.o;
    const c = o.columns;
    this.report.records++;
    let type: string | undefined;
    if (c.type !== undefined) {
      const t = get(c.type);
      if (t === MISSING) return this.bad(line, 'missing column', `type: ${String(c.type)}`, text);
      type = asText(t) ?? '';
      if (o.eventTypes !== undefined && !o.eventTypes.has(type)) {
        this.report.filtered++;
        return;
      }
    }
    if (o.minValue !== undefined) {
      const raw = get(o.minValue.column);
      if (raw === MISSING) return this.bad(line, 'missing column', `${String(o.minValue.column)}`, text);
      const v = typeof raw === 'number' ? raw : Number(asText(raw) ?? NaN);
      if (!Number.isFinite(v) || asText(raw)?.trim() === '') {
        return this.bad(line, 'bad value', `${String(o.minValue.column)}=${JSON.stringify(asText(raw))}`, text);
      }
      if (v < o.minValue.min) {
        this.report.filtered++;
        return;
      }
    }
    const u = get(c.user);
    if (u === MISSING) return this.bad(line, 'missing column', `user: ${String(c.user)}`, text);
    const user = asText(u)?.trim() ?? '';
    if (user === '') return this.bad(line, 'empty user', String(c.user), text);
    const it = get(c.item);
    if (it === MISSING) return this.bad(line, 'missing column', `item: ${String(c.item)}`, text);
    const item = asText(it)?.trim() ?? '';
    if (item === '') return this.bad(line, 'empty item', String(c.item), text);
    const ts = get(c.timestamp);
    if (ts === MISSING) return this.bad(line, 'missing column', `timestamp: ${String(c.timestamp)}`, text);
    const time = parseTimestamp(ts, o.timestampUnit);
    if (Number.isNaN(time)) return this.bad(line, 'bad timestamp', `${String(c.timestamp)}=${JSON.stringify(asText(ts))}`, text);
    let market: string | undefined;
    if (c.market !== undefined) {
      const m = get(c.market);
      market = m === MISSING ? undefined : asText(m)?.trim();
    }
    let category: string | undefined;
    if (c.category !== undefined) {
      const k = get(c.category);
      category = k === MISSING ? undefined : asText(k)?.trim();
    }
    const conversion = type !== undefined && o.conversionTypes.has(type);
    this.builder.push(user, item, time, type, conversion, market, category);
    this.report.events++;
  }
}

/**
 * Streams an events file into an {@link EventLog}, line by line (files of millions of events are
 * fine: memory holds the columns, not the text).
 *
 * @example
 * ```ts
 * const { log, report } = await readEvents('ratings.csv', {
 *   columns: { user: 'userId', item: 'movieId', timestamp: 'timestamp' },
 *   minValue: { column: 'rating', min: 4 },
 * });
 * ```
 * @throws EmbedkitError `FILE_NOT_FOUND`, `MISSING_COLUMN` (header lacks a mapped column),
 *   `BAD_ROW` (strict mode), `NO_EVENTS` (nothing usable read).
 */
export async function readEvents(path: string, options: ReadEventsOptions): Promise<ReadEventsResult> {
  const o = resolveReadOptions(path, options);
  if (!existsSync(path)) {
    throw item2vecError('FILE_NOT_FOUND', `events file ${JSON.stringify(path)} does not exist; check the path`);
  }
  const sink = new RowSink(o, path);
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    if (o.format === 'jsonl') await readJsonl(lines, o, sink);
    else await readCsv(lines, o, sink, path);
  } finally {
    lines.close();
    input.destroy();
  }
  if (sink.report.events === 0) {
    const r = sink.report;
    const hint = r.examples[0] ? ` First bad row: line ${r.examples[0].line}, ${r.examples[0].reason} (${r.examples[0].detail}).` : '';
    throw item2vecError('NO_EVENTS', `no usable events in ${path}: ${r.records} records, ${r.filtered} filtered, ${r.bad} bad.${hint} Check the column mapping and filters.`);
  }
  return { log: sink.builder.finish(), report: sink.report };
}

async function readCsv(lines: AsyncIterable<string>, o: ResolvedReadOptions, sink: RowSink, path: string): Promise<void> {
  let lineNo = 0;
  let pending = '';
  let pendingStart = 0;
  let index: Map<string, number> | undefined;
  let resolveRef: (ref: ColumnRef) => number = (ref) => (typeof ref === 'number' ? ref : -1);
  for await (const raw of lines) {
    lineNo++;
    let text: string;
    if (pending !== '') {
      text = `${pending}\n${raw}`;
    } else {
      text = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      pendingStart = lineNo;
      if (text === '') continue; // blank lines (often a trailing one) are not records
    }
    const fields = splitCsvRecord(text, o.delimiter);
    if (fields === undefined) {
      pending = text;
      continue;
    }
    pending = '';
    if (index === undefined && o.header) {
      index = new Map();
      for (let i = 0; i < fields.length; i++) {
        const name = fields[i]!.trim();
        if (!index.has(name)) index.set(name, i);
      }
      const map = index;
      resolveRef = (ref) => (typeof ref === 'number' ? ref : map.get(ref) ?? -1);
      const c = o.columns;
      const refs: Array<[string, ColumnRef | undefined]> = [
        ['user', c.user], ['item', c.item], ['timestamp', c.timestamp], ['type', c.type],
        ['market', c.market], ['category', c.category], ['minValue.column', o.minValue?.column],
      ];
      for (const [name, ref] of refs) {
        if (ref !== undefined && resolveRef(ref) === -1) {
          throw item2vecError('MISSING_COLUMN', `${path}: the header has no column ${JSON.stringify(ref)} for ${name} (columns: ${fields.join(', ')}); fix the column mapping`);
        }
      }
      continue;
    }
    if (!o.header && index === undefined) {
      for (const ref of [o.columns.user, o.columns.item, o.columns.timestamp]) {
        if (typeof ref !== 'number') throw new TypeError(`without a header, columns must be 0-based indices; got ${JSON.stringify(ref)}`);
      }
      index = new Map();
    }
    sink.row(pendingStart, text, (ref) => {
      const i = resolveRef(ref);
      return i < 0 || i >= fields.length ? MISSING : fields[i];
    });
    if (sink.full) return;
  }
  if (pending !== '') sink.bad(pendingStart, 'bad quoting', 'unterminated quoted field at end of file', pending);
}

async function readJsonl(lines: AsyncIterable<string>, o: ResolvedReadOptions, sink: RowSink): Promise<void> {
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (error) {
      sink.report.records++;
      sink.bad(lineNo, 'bad json', error instanceof Error ? error.message : String(error), text);
      continue;
    }
    if (o.eventsField !== undefined) {
      const nested = lookup(obj, o.eventsField);
      if (!Array.isArray(nested)) {
        sink.report.records++;
        sink.bad(lineNo, 'missing column', `${o.eventsField} (an array of events)`, text);
        continue;
      }
      for (const record of nested) {
        sink.row(lineNo, text, (ref) => {
          const v = jsonField(record, obj, ref);
          return v === undefined ? MISSING : v;
        });
        if (sink.full) return;
      }
    } else {
      sink.row(lineNo, text, (ref) => {
        const v = jsonField(obj, undefined, ref);
        return v === undefined ? MISSING : v;
      });
      if (sink.full) return;
    }
  }
}
