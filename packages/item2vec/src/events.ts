// Streaming readers of interaction logs: delimited text (CSV, TSV, `;`/`|`-separated; the
// delimiter is sniffed, quoting is RFC 4180), JSON Lines (flat, or one session per line with a
// nested array of events, as OTTO), each optionally gzipped (detected by its magic bytes), and
// Parquet (read row group by row group). Bad rows are counted by reason with a few examples,
// never silently dropped; `strict` turns the first one into an error.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isEmbedkitError } from '@embedkit/errors';
import { ParquetFile, isParquetFile } from '@embedkit/parquet';
import { SNIFFED_DELIMITERS, checkUnambiguous, delimiterName, indexHeader, streamDelimited } from './csv';
import { item2vecError } from './errors';
import { EventLog, EventLogBuilder } from './event-log';
import { isRegularFile, openText, rethrowReadError } from './input';

/** File formats {@link readEvents} understands. `csv` is any delimited text (see `delimiter`). */
export type EventFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

/** The formats, for CLIs and validation. */
export const EVENT_FORMATS: readonly EventFormat[] = ['csv', 'tsv', 'jsonl', 'parquet'];

/**
 * How timestamps are written: `s` / `ms` since the Unix epoch, `iso` (anything `Date.parse`
 * reads, e.g. `2018-11-07T10:00:00Z`), or `auto`: numbers ≥ 1e11 are milliseconds (1e11 s is
 * the year 5138), smaller numbers seconds, anything else ISO. Parquet TIMESTAMP and DATE
 * columns carry their own unit and are read as such whatever this says.
 */
export type TimestampUnit = 'auto' | 's' | 'ms' | 'iso';

/**
 * A column: its header name (CSV; the column name in Parquet), its 0-based index (CSV without
 * a header; the top-level column's position in Parquet), or a key path such as `a.b` (JSONL).
 */
export type ColumnRef = string | number;

/**
 * Which column holds what. `item` is required, and `user` with `timestamp` — unless `session`
 * is given, in which case both are optional.
 */
export interface EventColumns {
  /** User or visitor id: gap sessionisation groups by it. Defaults to `session` when that is given. */
  user?: ColumnRef;
  item: ColumnRef;
  /** When the event happened (a clock). Optional with `session`; see {@link ReadEventsOptions}. */
  timestamp?: ColumnRef;
  /**
   * The session id, for logs whose sessions are given (Diginetica, YooChoose): `sessionize`
   * then keeps these sessions as they are (no inactivity split).
   */
  session?: ColumnRef;
  /**
   * A number that orders events within a session (a sequence number, or Diginetica's
   * `timeframe`, milliseconds since the session start). Default: the timestamp, then file order.
   */
  order?: ColumnRef;
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
  /**
   * Default: `parquet` when the file starts with Parquet's magic bytes, else from the extension
   * (after a `.gz`): `.tsv`/`.tab` → tsv, `.jsonl`/`.ndjson`/`.json` → jsonl, `.parquet` →
   * parquet, anything else csv. Gzipped text is recognised by its bytes, whatever its name.
   */
  format?: EventFormat;
  /** CSV/TSV: the first record is a header (default true). Without one, columns are indices. */
  header?: boolean;
  /**
   * CSV field separator, or `auto` (the default for csv): sniffed from the first 64 KiB among
   * `,` `;` tab `|`. tsv is always tab.
   */
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
  | 'empty session'
  | 'empty item'
  | 'bad timestamp'
  | 'bad order'
  | 'bad value'
  | 'bad quoting'
  | 'bad json';

/** One rejected row, for the report. */
export interface BadRowExample {
  /** 1-based line number in the file (the first line of a multi-line record); Parquet: the row number. */
  line: number;
  reason: BadRowReason;
  /** Which column or what detail. */
  detail: string;
  /** The row, cut to 200 characters. */
  text: string;
}

/** What {@link readEvents} saw. */
export interface ReadEventsReport {
  /** The format read. */
  format: EventFormat;
  /** True when the file was gzipped (detected by its first bytes). */
  gzip: boolean;
  /** CSV/TSV: the delimiter used (given or sniffed). */
  delimiter?: string;
  /** Data records read (CSV rows after the header; JSONL events, nested ones included; Parquet rows). */
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
  format: EventFormat | undefined;
  columns: EventColumns;
  header: boolean;
  /** `auto` or a delimiter. */
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

/** The format a file name suggests (a trailing `.gz` is looked through). */
export function formatFromPath(path: string): EventFormat {
  let lower = path.toLowerCase();
  if (lower.endsWith('.gz')) lower = lower.slice(0, -3);
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  if (/\.parq(uet)?(\.[a-z0-9]+)?$/.test(lower)) return 'parquet';
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
export function resolveReadOptions(options: ReadEventsOptions): ResolvedReadOptions {
  if (options === null || typeof options !== 'object' || options.columns === undefined) {
    throw new TypeError('readEvents needs options.columns ({ user, item, timestamp, … }) or a preset');
  }
  const c = options.columns;
  const given = c.session !== undefined;
  checkColumn('session', c.session, false);
  checkColumn('user', c.user, !given);
  checkColumn('item', c.item, true);
  checkColumn('timestamp', c.timestamp, !given);
  checkColumn('order', c.order, false);
  checkColumn('type', c.type, false);
  checkColumn('market', c.market, false);
  checkColumn('category', c.category, false);
  const format = options.format;
  if (format !== undefined && !EVENT_FORMATS.includes(format)) {
    throw new RangeError(`format must be one of ${EVENT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const timestampUnit = options.timestampUnit ?? 'auto';
  if (!['auto', 's', 'ms', 'iso'].includes(timestampUnit)) {
    throw new RangeError(`timestampUnit must be auto, s, ms or iso, got ${JSON.stringify(timestampUnit)}`);
  }
  if ((options.eventTypes !== undefined || options.conversionTypes !== undefined) && c.type === undefined) {
    throw new TypeError('eventTypes / conversionTypes need columns.type');
  }
  const delimiter = options.delimiter ?? 'auto';
  if (typeof delimiter !== 'string' || delimiter.length === 0 || delimiter.includes('"') || delimiter.includes('\n') || delimiter.includes('\r')) {
    throw new RangeError(`delimiter must be "auto" or a non-empty string without quotes or line breaks, got ${JSON.stringify(delimiter)}`);
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
 * Numbers (from JSON, Parquet) and numeric strings follow `unit`; `auto` treats values ≥ 1e11
 * as ms. A `Date` (Parquet TIMESTAMP / DATE columns) is taken as it is.
 */
export function parseTimestamp(value: unknown, unit: TimestampUnit): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NaN;
    if (unit === 's') return value * 1000;
    if (unit === 'ms') return value;
    if (unit === 'iso') return NaN;
    return Math.abs(value) >= 1e11 ? value : value * 1000;
  }
  if (typeof value === 'bigint') return parseTimestamp(Number(value), unit);
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return NaN;
  const text = value.trim();
  if (text === '') return NaN;
  if (unit !== 'iso' && /^[+-]?\d+(\.\d+)?$/.test(text)) {
    return parseTimestamp(Number(text), unit === 'auto' ? 'auto' : unit);
  }
  if (unit === 's' || unit === 'ms') return NaN;
  return Date.parse(text);
}

/** A sequence number (order within a session): any finite number; NaN otherwise. */
function parseOrder(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || value.trim() === '') return NaN;
  return Number(value);
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
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_key, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
}

const MISSING = Symbol('missing');

/** Accumulates events and the report; shared by the CSV, JSONL and Parquet paths. */
class RowSink {
  readonly builder = new EventLogBuilder();
  readonly report: ReadEventsReport;
  constructor(private readonly o: ResolvedReadOptions, private readonly path: string, format: EventFormat, gzip: boolean) {
    this.report = { format, gzip, records: 0, events: 0, filtered: 0, bad: 0, badByReason: {}, examples: [] };
  }

  get full(): boolean {
    return this.report.events >= this.o.limit;
  }

  bad(line: number, reason: BadRowReason, detail: string, text: string): void {
    const r = this.report;
    r.bad++;
    r.badByReason[reason] = (r.badByReason[reason] ?? 0) + 1;
    const cut = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    if (this.o.strict) {
      const where = this.report.format === 'parquet' ? `row ${line}` : `${line}`;
      throw item2vecError('BAD_ROW', `${this.path}:${where}: ${reason} (${detail}) in row ${JSON.stringify(cut)}; fix the row or the column mapping, or read without strict to count and skip bad rows`);
    }
    if (r.examples.length < this.o.maxExamples) r.examples.push({ line, reason, detail, text: cut });
  }

  /** `get` returns the raw value of a column, or MISSING when the row lacks it. */
  row(line: number, text: () => string, get: (ref: ColumnRef) => unknown): void {
    const o = this.o;
    const c = o.columns;
    this.report.records++;
    let type: string | undefined;
    if (c.type !== undefined) {
      const t = get(c.type);
      if (t === MISSING) return this.bad(line, 'missing column', `type: ${String(c.type)}`, text());
      type = asText(t) ?? '';
      if (o.eventTypes !== undefined && !o.eventTypes.has(type)) {
        this.report.filtered++;
        return;
      }
    }
    if (o.minValue !== undefined) {
      const raw = get(o.minValue.column);
      if (raw === MISSING) return this.bad(line, 'missing column', `${String(o.minValue.column)}`, text());
      const v = typeof raw === 'number' ? raw : Number(asText(raw) ?? NaN);
      if (!Number.isFinite(v) || asText(raw)?.trim() === '') {
        return this.bad(line, 'bad value', `${String(o.minValue.column)}=${JSON.stringify(asText(raw))}`, text());
      }
      if (v < o.minValue.min) {
        this.report.filtered++;
        return;
      }
    }
    let session: string | undefined;
    if (c.session !== undefined) {
      const s = get(c.session);
      if (s === MISSING) return this.bad(line, 'missing column', `session: ${String(c.session)}`, text());
      session = asText(s)?.trim() ?? '';
      if (session === '') return this.bad(line, 'empty session', String(c.session), text());
    }
    let user = session;
    if (c.user !== undefined) {
      const u = get(c.user);
      if (u === MISSING) return this.bad(line, 'missing column', `user: ${String(c.user)}`, text());
      user = asText(u)?.trim() ?? '';
      if (user === '') return this.bad(line, 'empty user', String(c.user), text());
    }
    const it = get(c.item);
    if (it === MISSING) return this.bad(line, 'missing column', `item: ${String(c.item)}`, text());
    const item = asText(it)?.trim() ?? '';
    if (item === '') return this.bad(line, 'empty item', String(c.item), text());
    let order = NaN;
    if (c.order !== undefined) {
      const raw = get(c.order);
      if (raw === MISSING) return this.bad(line, 'missing column', `order: ${String(c.order)}`, text());
      order = parseOrder(raw);
      if (Number.isNaN(order)) return this.bad(line, 'bad order', `${String(c.order)}=${JSON.stringify(asText(raw))}`, text());
    }
    let time: number;
    if (c.timestamp !== undefined) {
      const ts = get(c.timestamp);
      if (ts === MISSING) return this.bad(line, 'missing column', `timestamp: ${String(c.timestamp)}`, text());
      time = parseTimestamp(ts, o.timestampUnit);
      if (Number.isNaN(time)) return this.bad(line, 'bad timestamp', `${String(c.timestamp)}=${JSON.stringify(asText(ts))}`, text());
    } else {
      // Sessions given without a clock: the order value, else the record's position, stands in.
      time = c.order !== undefined ? order : this.report.records;
    }
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
    this.builder.push(user!, item, time, type, conversion, market, category, session, order);
    this.report.events++;
  }
}

/**
 * Streams an events file into an {@link EventLog}: delimited text and JSON Lines chunk by chunk
 * (gzipped or not), Parquet row group by row group. Memory holds the columns of the events kept
 * and one copy of each distinct string, never the file's text.
 *
 * @example
 * ```ts
 * const { log, report } = await readEvents('ratings.csv', {
 *   columns: { user: 'userId', item: 'movieId', timestamp: 'timestamp' },
 *   minValue: { column: 'rating', min: 4 },
 * });
 * const digi = await readEvents('train-item-views.csv', eventPreset('diginetica')); // `;`, sessions given
 * ```
 * @throws EmbedkitError `FILE_NOT_FOUND`, `MISSING_COLUMN` (header or schema lacks a mapped
 *   column; a one-column header names the delimiter it probably has), `BAD_FILE` (a damaged
 *   Parquet or gzip file), `BAD_ROW` (strict mode; a quoted field that never ends), `NO_EVENTS`
 *   (nothing usable read).
 */
export async function readEvents(path: string, options: ReadEventsOptions): Promise<ReadEventsResult> {
  const o = resolveReadOptions(options);
  if (!existsSync(path)) {
    throw item2vecError('FILE_NOT_FOUND', `events file ${JSON.stringify(path)} does not exist; check the path`);
  }
  const format = o.format ?? (isRegularFile(path) && (await isParquetFile(path)) ? 'parquet' : formatFromPath(path));
  let sink: RowSink;
  if (format === 'parquet') {
    sink = new RowSink(o, path, format, false);
    await readParquet(path, o, sink);
  } else {
    const input = await openText(path);
    sink = new RowSink(o, path, format, input.gzip);
    try {
      if (format === 'jsonl') await readJsonl(input.text, o, sink);
      else await readDelimited(input.text, format === 'tsv' ? '\t' : o.delimiter, o, sink, path);
    } catch (error) {
      rethrowReadError(error, path);
    } finally {
      input.text.destroy();
    }
  }
  if (sink.report.events === 0) {
    const r = sink.report;
    const hint = r.examples[0] ? ` First bad row: line ${r.examples[0].line}, ${r.examples[0].reason} (${r.examples[0].detail}).` : '';
    throw item2vecError('NO_EVENTS', `${path}: no usable events: ${r.records} records, ${r.filtered} filtered, ${r.bad} bad.${hint} Check the column mapping and filters.`);
  }
  return { log: sink.builder.finish(), report: sink.report };
}

const COLUMN_ROLES = ['session', 'user', 'item', 'timestamp', 'order', 'type', 'market', 'category'] as const;

/** (role, ref) of every mapped column, the `minValue` column included. */
function mappedColumns(o: ResolvedReadOptions): Array<[string, ColumnRef]> {
  const out: Array<[string, ColumnRef]> = [];
  for (const role of COLUMN_ROLES) {
    const ref = o.columns[role];
    if (ref !== undefined) out.push([role, ref]);
  }
  if (o.minValue !== undefined) out.push(['minValue.column', o.minValue.column]);
  return out;
}

/**
 * The message for a header that lacks a mapped column. When the header is one column that
 * another delimiter would split into the mapped names, it says which.
 */
function missingColumnMessage(path: string, fields: string[], delimiter: string, role: string, ref: ColumnRef, names: string[]): string {
  if (fields.length === 1) {
    const only = fields[0]!;
    const likely = SNIFFED_DELIMITERS.find((d) => d !== delimiter && only.split(d).map((f) => f.trim()).filter((f) => names.includes(f)).length > 0)
      ?? SNIFFED_DELIMITERS.find((d) => d !== delimiter && only.includes(d));
    if (likely !== undefined) {
      return `${path}: the header ${JSON.stringify(only)} is one column when split on ${delimiterName(delimiter)}, so it has no column ${JSON.stringify(ref)} for ${role}; ` +
        `the file looks ${delimiterName(likely)}-separated: set the delimiter to ${JSON.stringify(likely)} (--delimiter ${likely === '\t' ? 'tab' : `'${likely}'`}) or leave it to be detected`;
    }
  }
  return `${path}: the header has no column ${JSON.stringify(ref)} for ${role} (columns: ${fields.join(', ')}); fix the column mapping`;
}

async function readDelimited(input: Readable, given: string, o: ResolvedReadOptions, sink: RowSink, path: string): Promise<void> {
  let delimiter = given;
  const mapped = mappedColumns(o);
  let resolveRef: ((ref: ColumnRef) => number) | undefined;
  if (!o.header) {
    for (const [role, ref] of mapped) {
      if (typeof ref !== 'number') throw new TypeError(`without a header, columns must be 0-based indices; columns.${role} is ${JSON.stringify(ref)}`);
    }
    resolveRef = (ref) => ref as number;
  }
  await streamDelimited(input, given, (d) => {
    delimiter = d;
    sink.report.delimiter = d;
  }, (fields, line, quoteError) => {
    if (resolveRef === undefined) {
      const header = indexHeader(fields);
      const { index } = header;
      for (const [role, ref] of mapped) {
        if (typeof ref !== 'string') continue;
        if (!index.has(ref)) {
          throw item2vecError('MISSING_COLUMN', missingColumnMessage(path, fields, delimiter, role, ref, mapped.flatMap(([, r]) => (typeof r === 'string' ? [r] : []))));
        }
        checkUnambiguous(path, header, ref, role);
      }
      resolveRef = (ref) => (typeof ref === 'number' ? ref : index.get(ref)!);
      return false;
    }
    const rowText = (): string => fields.join(delimiter);
    if (quoteError !== undefined) {
      sink.report.records++;
      sink.bad(line, 'bad quoting', quoteError, rowText());
      return false;
    }
    const at = resolveRef;
    sink.row(line, rowText, (ref) => {
      const i = at(ref);
      return i >= fields.length ? MISSING : fields[i];
    });
    return sink.full;
  });
}

async function readJsonl(text: Readable, o: ResolvedReadOptions, sink: RowSink): Promise<void> {
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const rowText = (): string => line;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (error) {
        sink.report.records++;
        sink.bad(lineNo, 'bad json', error instanceof Error ? error.message : String(error), line);
        continue;
      }
      if (o.eventsField !== undefined) {
        const nested = lookup(obj, o.eventsField);
        if (!Array.isArray(nested)) {
          sink.report.records++;
          sink.bad(lineNo, 'missing column', `${o.eventsField} (an array of events)`, line);
          continue;
        }
        for (const record of nested) {
          sink.row(lineNo, rowText, (ref) => {
            const v = jsonField(record, obj, ref);
            return v === undefined ? MISSING : v;
          });
          if (sink.full) return;
        }
      } else {
        sink.row(lineNo, rowText, (ref) => {
          const v = jsonField(obj, undefined, ref);
          return v === undefined ? MISSING : v;
        });
        if (sink.full) return;
      }
    }
  } finally {
    lines.close();
  }
}

/**
 * Parquet through `@embedkit/parquet` (the project's one Parquet stack), one row group at a time
 * (the unit of memory), reading only the mapped columns. Nulls count as empty values.
 */
async function readParquet(path: string, o: ResolvedReadOptions, sink: RowSink): Promise<void> {
  let file: ParquetFile;
  try {
    file = await ParquetFile.open(path);
  } catch (error) {
    throw parquetProblem(path, error);
  }
  try {
    const names = file.columns.map((c) => c.name);
    const nameOf = (role: string, ref: ColumnRef): string => {
      const name = typeof ref === 'number' ? names[ref] : ref;
      if (name === undefined || !names.includes(name)) {
        throw item2vecError('MISSING_COLUMN', `${path}: the Parquet file has no column ${JSON.stringify(ref)} for ${role} (columns: ${file.describeColumns()}); fix the column mapping`);
      }
      return name;
    };
    const wanted = [...new Set(mappedColumns(o).map(([role, ref]) => nameOf(role, ref)))];
    const position = new Map(wanted.map((name, i) => [name, i]));
    const refIndex = (ref: ColumnRef): number => position.get(typeof ref === 'number' ? names[ref]! : ref)!;
    let rowStart = 0;
    for (let group = 0; group < file.rowGroupCount; group++) {
      let columns: unknown[][];
      try {
        columns = await file.readRowGroup(group, wanted);
      } catch (error) {
        throw parquetProblem(path, error);
      }
      const rows = file.rowGroupRows(group);
      for (let j = 0; j < rows; j++) {
        const text = (): string => asText(Object.fromEntries(wanted.map((name, i) => [name, columns[i]![j]]))) ?? '';
        sink.row(rowStart + j + 1, text, (ref) => columns[refIndex(ref)]![j]);
        if (sink.full) return;
      }
      rowStart += rows;
    }
  } finally {
    await file.close();
  }
}

/** A Parquet reading failure as this package's `BAD_FILE` (the parquet package's message kept). */
function parquetProblem(path: string, error: unknown): unknown {
  if (isEmbedkitError(error) && error.code === 'FILE_NOT_FOUND') {
    return item2vecError('FILE_NOT_FOUND', `events file ${JSON.stringify(path)} does not exist; check the path`, error);
  }
  if (isEmbedkitError(error)) return item2vecError('BAD_FILE', `${error.message} [${String(error.code)}]`, error);
  return error;
}
