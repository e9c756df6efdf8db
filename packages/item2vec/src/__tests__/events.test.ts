import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { describe, expect, it } from 'vitest';
import { eventPreset, forEachCsvRecord, parseTimestamp, readEvents, sniffDelimiter } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'item2vec-events-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const shared = (rel: string): string => new URL(`../../../../../shared/data/${rel}`, import.meta.url).pathname;

async function records(path: string, delimiter?: string): Promise<{ rows: string[][]; lines: number[]; errors: Array<string | undefined>; delimiter: string }> {
  const rows: string[][] = [];
  const lines: number[] = [];
  const errors: Array<string | undefined> = [];
  const r = await forEachCsvRecord(path, (fields, line, quoteError) => {
    rows.push(fields);
    lines.push(line);
    errors.push(quoteError);
  }, delimiter === undefined ? {} : { delimiter });
  return { rows, lines, errors, delimiter: r.delimiter };
}

describe('delimited records (papaparse)', () => {
  it('splits RFC 4180 records with quotes, doubled quotes, delimiters and line breaks inside quotes', async () => {
    const path = file('rfc.csv', 'a,b,,c\n1,"Marseille, France","say ""hi""",\n2,"two\nlines",x,y\n');
    const { rows, lines, errors } = await records(path);
    expect(rows).toEqual([['a', 'b', '', 'c'], ['1', 'Marseille, France', 'say "hi"', ''], ['2', 'two\nlines', 'x', 'y']]);
    expect(lines).toEqual([1, 2, 3]);
    expect(errors).toEqual([undefined, undefined, undefined]);
  });

  it('numbers physical lines across multi-line fields and blank lines', async () => {
    const path = file('lines.csv', 'h1,h2\n"a\nb\nc",1\n\nx,2\n');
    const { rows, lines } = await records(path);
    expect(rows.map((r) => r[1])).toEqual(['h2', '1', '2']);
    expect(lines).toEqual([1, 2, 6]);
  });

  it('reports an unterminated quote', async () => {
    const path = file('open.csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    const { rows, errors } = await records(path);
    expect(rows).toHaveLength(3);
    expect(errors[2]).toMatch(/unterminated/i);
  });

  it('sniffs , ; tab and | from a sample, and gives up on one column', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n"q\tq"\t2\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    // Commas inside quotes and pipes inside fields do not fool it.
    expect(sniffDelimiter('id,city,filters\n1,"Paris, France",a|b|c\n2,"Rome, Italy",d\n')).toBe(',');
    expect(sniffDelimiter('only\none\ncolumn\n')).toBeUndefined();
  });
});

describe('parseTimestamp', () => {
  it('reads seconds, milliseconds and ISO dates into milliseconds', () => {
    expect(parseTimestamp('964982703', 'auto')).toBe(964982703000);
    expect(parseTimestamp(1659304800025, 'auto')).toBe(1659304800025);
    expect(parseTimestamp('1659304800025', 'ms')).toBe(1659304800025);
    expect(parseTimestamp('2018-11-07T00:02:19Z', 'auto')).toBe(Date.UTC(2018, 10, 7, 0, 2, 19));
    expect(parseTimestamp('10', 's')).toBe(10000);
    expect(parseTimestamp('yesterday', 'auto')).toBeNaN();
    expect(parseTimestamp('', 'auto')).toBeNaN();
    expect(parseTimestamp('2018-11-07', 's')).toBeNaN();
  });
});

describe('readEvents', () => {
  const columns = { user: 'user', item: 'item', timestamp: 'ts', type: 'type', market: 'city' } as const;

  it('reads CSV with quoting and a multi-line field, mapping conversions and markets', async () => {
    const path = file('a.csv', 'user,item,ts,type,city\nu1,i1,100,view,"Paris, France"\nu1,i2,160,book,"Multi\nline"\n\nu2,i1,2018-11-07T00:00:00Z,view,Rome\n');
    const { log, report } = await readEvents(path, { columns, conversionTypes: ['book'] });
    expect(report).toMatchObject({ records: 3, events: 3, bad: 0, filtered: 0 });
    expect(log.event(0)).toMatchObject({ user: 'u1', item: 'i1', timestamp: 100_000, market: 'Paris, France', conversion: false });
    expect(log.event(1)).toMatchObject({ item: 'i2', market: 'Multi\nline', conversion: true, type: 'book' });
    expect(log.event(2).timestamp).toBe(Date.UTC(2018, 10, 7));
  });

  it('counts bad rows by reason with line numbers, and filters by event type', async () => {
    const path = file('b.csv', [
      'user,item,ts,type,city',
      'u1,i1,100,view,X', // 2 ok
      'u1,,100,view,X', // 3 empty item
      ',i1,100,view,X', // 4 empty user
      'u1,i1,soon,view,X', // 5 bad timestamp
      'u1,i1', // 6 missing column
      'u1,i9,100,filter,X', // 7 filtered
      'u1,i2,200,view,X', // 8 ok
    ].join('\n'));
    const { report } = await readEvents(path, { columns, eventTypes: ['view'], maxExamples: 2 });
    expect(report.events).toBe(2);
    expect(report.filtered).toBe(1);
    expect(report.bad).toBe(4);
    expect(report.badByReason).toEqual({ 'empty item': 1, 'empty user': 1, 'bad timestamp': 1, 'missing column': 1 });
    expect(report.examples.map((e) => e.line)).toEqual([3, 4]);
    expect(report.examples[0]!.text).toBe('u1,,100,view,X');
  });

  it('fails under strict with a typed error naming the line', async () => {
    const path = file('c.csv', 'user,item,ts\nu1,i1,100\nu1,i2,oops\n');
    const error = await readEvents(path, { columns: { user: 'user', item: 'item', timestamp: 'ts' }, strict: true }).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'BAD_ROW')).toBe(true);
    expect((error as Error).message).toContain(':3:');
  });

  it('rejects a mapping that names a missing header column, and missing files', async () => {
    const path = file('d.csv', 'user,item,ts\nu1,i1,100\n');
    await expect(readEvents(path, { columns: { user: 'user', item: 'sku', timestamp: 'ts' } })).rejects.toMatchObject({ code: 'MISSING_COLUMN' });
    await expect(readEvents(join(dir, 'nope.csv'), { columns: { user: 'user', item: 'sku', timestamp: 'ts' } })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const bad = file('e.csv', 'user,item,ts\nu1,i1,x\n');
    await expect(readEvents(bad, { columns: { user: 'user', item: 'item', timestamp: 'ts' } })).rejects.toMatchObject({ code: 'NO_EVENTS' });
  });

  it('reads TSV without header by column index', async () => {
    const path = file('f.tsv', 'u1\ti1\t1000\nu1\ti2\t2000\n');
    const { log } = await readEvents(path, { columns: { user: 0, item: 1, timestamp: 2 }, header: false, timestampUnit: 's' });
    expect(log.size).toBe(2);
    expect(log.event(1).timestamp).toBe(2_000_000);
  });

  it('reads JSON Lines, flat and nested, and counts bad JSON', async () => {
    const flat = file('g.jsonl', '{"u":"a","i":1,"t":"2020-01-01T00:00:00Z"}\n{not json}\n{"u":"a","i":2,"t":"2020-01-01T00:01:00Z"}\n');
    const r1 = await readEvents(flat, { columns: { user: 'u', item: 'i', timestamp: 't' } });
    expect(r1.report).toMatchObject({ events: 2, bad: 1, badByReason: { 'bad json': 1 } });
    const nested = file('h.jsonl', '{"session":7,"events":[{"aid":1,"ts":1659304800025,"type":"clicks"},{"aid":2,"ts":1659304800999,"type":"orders"}]}\n');
    const r2 = await readEvents(nested, eventPreset('otto'));
    expect(r2.log.event(1)).toMatchObject({ user: '7', item: '2', conversion: true, type: 'orders' });
  });

  it('applies the MovieLens rating threshold', async () => {
    const path = file('ratings.csv', 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,2.5,964981247\n1,6,x,964982224\n');
    const { report } = await readEvents(path, eventPreset('movielens', { minRating: 4 }));
    expect(report).toMatchObject({ events: 1, filtered: 1, bad: 1, badByReason: { 'bad value': 1 } });
  });

  it('handles a byte-order mark and CRLF line ends', async () => {
    const path = file('crlf.csv', '\ufeffuser,item,ts\r\nu,a,1\r\nu,"b\r\nc",2\r\n');
    const { log, report } = await readEvents(path, { columns: { user: 'user', item: 'item', timestamp: 'ts' } });
    expect(report.bad).toBe(0);
    expect(log.itemNames).toEqual(['a', 'b\r\nc']); // a quoted line break is kept as written (RFC 4180)
  });

  it('stops at limit', async () => {
    const path = file('i.csv', 'user,item,ts\nu,a,1\nu,b,2\nu,c,3\n');
    const { log } = await readEvents(path, { columns: { user: 'user', item: 'item', timestamp: 'ts' }, limit: 2 });
    expect(log.size).toBe(2);
  });

  const trivago = shared('sessions/trivago-100k/trivago_val_100k.csv');
  it.skipIf(!existsSync(trivago))('reads the trivago sample with its preset (item actions only)', async () => {
    const { log, report } = await readEvents(trivago, eventPreset('trivago'));
    expect(report.records).toBe(100_003);
    expect(report.filtered).toBe(12_391);
    expect(report.events + report.bad).toBe(68_538 + 13_597 + 5_477);
    let conversions = 0;
    for (let i = 0; i < log.size; i++) conversions += log.conversions[i]!;
    expect(conversions).toBeGreaterThan(13_000);
    expect(log.marketNames).toContain('Marseille, France');
  });

  const otto = shared('sessions/otto-sample/train.jsonl');
  it.skipIf(!existsSync(otto))('reads the OTTO sample with its preset', async () => {
    const { log, report } = await readEvents(otto, eventPreset('otto'));
    expect(report.events).toBe(862);
    let conversions = 0;
    for (let i = 0; i < log.size; i++) conversions += log.conversions[i]!;
    expect(conversions).toBe(62);
  });

  it('rejects unknown presets with a typed error', () => {
    expect(() => eventPreset('netflix')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PRESET' }));
  });
});
