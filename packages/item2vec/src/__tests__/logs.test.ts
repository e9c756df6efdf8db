// Real logs as they come: sniffed delimiters, gzip by magic bytes, Parquet by row groups,
// given sessions (Diginetica, YooChoose), and reading that streams rather than buffers.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, createGzip } from 'node:zlib';
import { ParquetFileWriter } from '@embedkit/parquet';
import { describe, expect, it } from 'vitest';
import { EventLog, eventPreset, readEvents, sessionize } from '../index';
import type { EventLog as EventLogType } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'item2vec-logs-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const fixture = (rel: string): string => new URL(`./fixtures/${rel}`, import.meta.url).pathname;
const shared = (rel: string): string => new URL(`../../../../../shared/data/${rel}`, import.meta.url).pathname;
const DIGINETICA = fixture('diginetica/train-item-views.csv');

/** The Diginetica sample's sessions computed the plain way: split lines, group, sort by timeframe, collapse repeats. */
function digineticaOracle(text: string): Map<string, string[]> {
  const bySession = new Map<string, Array<{ item: string; frame: number; at: number }>>();
  text.split('\n').slice(1).forEach((line, at) => {
    if (line === '') return;
    const [session, , item, frame] = line.split(';');
    const list = bySession.get(session!) ?? [];
    list.push({ item: item!, frame: Number(frame), at });
    bySession.set(session!, list);
  });
  const out = new Map<string, string[]>();
  for (const [session, events] of bySession) {
    events.sort((a, b) => a.frame - b.frame || a.at - b.at);
    const items: string[] = [];
    for (const e of events) if (items[items.length - 1] !== e.item) items.push(e.item);
    out.set(session, items);
  }
  return out;
}

function columnsOf(log: EventLogType): unknown {
  const rows: unknown[] = [];
  for (let i = 0; i < log.size; i++) rows.push(log.event(i));
  return rows;
}

describe('Diginetica train-item-views.csv (real sample, `;`, sessions given)', () => {
  it('loads with the preset without conversion: `;` sniffed, sessions are the file\'s, ordered by timeframe', async () => {
    const { log, report } = await readEvents(DIGINETICA, eventPreset('diginetica'));
    expect(report).toMatchObject({ format: 'csv', gzip: false, delimiter: ';', records: 12_391, events: 12_391, bad: 0 });
    const { sessions, stats } = sessionize(log, { maxLength: Infinity, minLength: 1 });
    expect(stats.given).toBe(true);
    const oracle = digineticaOracle(readFileSync(DIGINETICA, 'utf8'));
    expect(sessions).toHaveLength(oracle.size);
    expect(oracle.size).toBe(2_986);
    for (const s of sessions) expect(s.items).toEqual(oracle.get(s.user));
    // Not collapsed into one-item sessions: two thirds of the sessions have several items.
    const multi = sessions.filter((s) => s.items.length >= 2).length;
    expect(multi).toBe([...oracle.values()].filter((items) => items.length >= 2).length);
    expect(multi).toBeGreaterThan(1_900);
    // The session's time is its day.
    expect(sessions[0]!.times[0]).toBe(Date.UTC(2016, 4, 9));
  });

  it('the default sessionize options keep sessions of ≥ 2 items whole (no 30-minute split on timeframe)', async () => {
    const { log } = await readEvents(DIGINETICA, eventPreset('diginetica'));
    const { sessions } = sessionize(log, { maxLength: Infinity });
    const oracle = digineticaOracle(readFileSync(DIGINETICA, 'utf8'));
    const expected = [...oracle.values()].filter((items) => items.length >= 2);
    expect(sessions.map((s) => s.items)).toEqual(expected);
    // The old way (timeframe read as a clock, whose small numbers `auto` takes for seconds, cut
    // on 30-minute gaps) shreds them into one-item pieces.
    const asClock = await readEvents(DIGINETICA, { columns: { user: 'session_id', item: 'item_id', timestamp: 'timeframe' } });
    const shredded = sessionize(asClock.log, { maxLength: Infinity }).sessions;
    expect(shredded.length).toBeLessThan(expected.length / 2);
  });

  it('reads the same events gzipped, by magic bytes, whatever the name', async () => {
    const plain = await readEvents(DIGINETICA, eventPreset('diginetica'));
    const gz = file('views-gzipped-without-suffix.csv', gzipSync(readFileSync(DIGINETICA)));
    const zipped = await readEvents(gz, eventPreset('diginetica'));
    expect(zipped.report).toMatchObject({ gzip: true, delimiter: ';', events: 12_391 });
    expect(columnsOf(zipped.log)).toEqual(columnsOf(plain.log));
  });

  it('a forced wrong delimiter gets an error that names the likely one', async () => {
    const error = await readEvents(DIGINETICA, { ...eventPreset('diginetica'), delimiter: ',' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MISSING_COLUMN' });
    expect((error as Error).message).toContain('one column');
    expect((error as Error).message).toContain('";"-separated');
    expect((error as Error).message).toContain("--delimiter ';'");
  });
});

describe('delimiters, gzip and presets', () => {
  const columns = { user: 'user', item: 'item', timestamp: 'ts' } as const;

  it('sniffs tab, | and ; whatever the extension, and honours a given delimiter', async () => {
    for (const [d, name] of [['\t', 'tab.csv'], ['|', 'pipe.txt'], [';', 'semi.csv'], [',', 'comma.dat']] as const) {
      const path = file(name, ['user', 'item', 'ts'].join(d) + '\n' + ['u1', '"i,1"', '1'].join(d) + '\n' + ['u1', 'i2', '2'].join(d) + '\n');
      const { log, report } = await readEvents(path, { columns });
      expect(report.delimiter).toBe(d);
      expect(log.itemNames).toEqual(['i,1', 'i2']);
      expect((await readEvents(path, { columns, delimiter: d })).report.events).toBe(2);
    }
  });

  it('a one-column header without a mapped column names the delimiter it probably has', async () => {
    const path = file('one-col.csv', 'user:item:ts\nu1:i1:1\n');
    const error = await readEvents(path, { columns }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MISSING_COLUMN' });
    expect((error as Error).message).toContain('has no column "user"');
  });

  it('reads gzipped JSON Lines', async () => {
    const path = file('events.jsonl.gz', gzipSync('{"u":"a","i":1,"t":1}\n{"u":"a","i":2,"t":2}\n'));
    const { log, report } = await readEvents(path, { columns: { user: 'u', item: 'i', timestamp: 't' } });
    expect(report).toMatchObject({ format: 'jsonl', gzip: true, events: 2 });
    expect(log.itemNames).toEqual(['1', '2']);
  });

  it('counts a malformed quote as a bad row with its line', async () => {
    const path = file('quotes.csv', 'user,item,ts\nu1,i1,1\nu1,"i2"x,2\n');
    const { report } = await readEvents(path, { columns });
    expect(report.badByReason).toEqual({ 'bad quoting': 1 });
    expect(report.examples[0]!.line).toBe(3);
  });

  it('yoochoose: no header, sessions given, ordered by the ISO timestamp, category as metadata', async () => {
    // RecSys Challenge 2015 yoochoose-clicks.dat layout: Session ID, Timestamp, Item ID, Category.
    const path = file('yoochoose-clicks.dat', [
      '1,2014-04-07T10:54:09.868Z,214536500,0',
      '1,2014-04-07T10:51:09.277Z,214536502,0',
      '2,2014-04-07T13:56:37.614Z,214662742,S',
      '1,2014-04-07T12:57:00.306Z,214577561,0', // two hours later: still session 1
      '2,2014-04-07T13:57:19.373Z,214662742,S',
      '2,2014-04-07T13:58:37.446Z,214825110,S',
    ].join('\n'));
    const { log, report } = await readEvents(path, eventPreset('yoochoose'));
    expect(report).toMatchObject({ delimiter: ',', events: 6, bad: 0 });
    const { sessions } = sessionize(log);
    expect(sessions.map((s) => [s.user, s.items])).toEqual([
      ['1', ['214536502', '214536500', '214577561']],
      ['2', ['214662742', '214825110']],
    ]);
    expect(log.metadataMap().get('214825110')).toEqual({ category: 'S' });
  });

  it('retailrocket: ms timestamps, gap sessions per visitor, cart and transaction as conversions', async () => {
    const t = 1_433_221_332_117;
    const min = 60_000;
    const path = file('events.csv', [
      'timestamp,visitorid,event,itemid,transactionid',
      `${t},7,view,10,`,
      `${t + 5 * min},7,addtocart,11,`,
      `${t + 90 * min},7,view,12,`, // more than 30 minutes later: a new session
      `${t + 95 * min},7,transaction,13,4321`,
    ].join('\n'));
    const { log } = await readEvents(path, eventPreset('retailrocket'));
    const { sessions, stats } = sessionize(log);
    expect(stats.given).toBe(false);
    expect(sessions.map((s) => [s.items, s.conversion])).toEqual([[['10', '11'], '11'], [['12', '13'], '13']]);
  });

  it('a session column keeps given sessions whole and orders them by the order column', async () => {
    const path = file('given.csv', 'sid,user,item,seq,ts\ns1,u,a,2,100\ns1,u,b,1,999999\ns2,u,c,1,5\ns2,u,d,x,6\ns1,u,e,3,1\n');
    const { log, report } = await readEvents(path, { columns: { session: 'sid', user: 'user', item: 'item', order: 'seq', timestamp: 'ts' }, timestampUnit: 'ms' });
    expect(report.badByReason).toEqual({ 'bad order': 1 });
    const { sessions, stats } = sessionize(log, { minLength: 1 });
    expect(stats).toMatchObject({ given: true, users: 1, sessions: 2 });
    expect(sessions.map((s) => s.items)).toEqual([['b', 'a', 'e'], ['c']]);
    expect(sessions.every((s) => s.user === 'u')).toBe(true);
    await expect(readEvents(path, { columns: { item: 'item', timestamp: 'ts' } })).rejects.toThrow(/columns.user is required/);
  });

  it('EventLog.fromEvents carries sessions and orders too', () => {
    const log = EventLog.fromEvents([
      { user: 'u', item: 'a', timestamp: 0 },
      { user: 'u', item: 'b', timestamp: 0, session: 's', order: 2 },
      { user: 'u', item: 'c', timestamp: 0, session: 's', order: 1 },
    ]);
    expect(log.event(2)).toMatchObject({ session: 's', order: 1 });
    expect(log.event(0).session).toBeUndefined();
    const { sessions } = sessionize(log, { minLength: 1 });
    // Named sessions first; an event without a session falls back to one session per user.
    expect(sessions.map((s) => s.items)).toEqual([['c', 'b'], ['a']]);
  });
});

describe('Parquet (hyparquet, row group by row group)', () => {
  const columns = { user: 'user', item: 'item', timestamp: 'ts' } as const;

  function writeParquet(name: string, rows: number, rowGroupSize: number): string {
    const path = join(dir, name);
    const user = Array.from({ length: rows }, (_, i) => `u${i % 7}`);
    const item = Int32Array.from({ length: rows }, (_, i) => (i * 13) % 101);
    const ts = Array.from({ length: rows }, (_, i) => BigInt(1_600_000_000 + i * 60));
    const when = Array.from({ length: rows }, (_, i) => BigInt(Date.UTC(2020, 0, 1) + i * 1000));
    const writer = ParquetFileWriter.create(path, {
      schema: [
        { name: 'root', num_children: 4 },
        { name: 'user', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'item', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'ts', type: 'INT64', repetition_type: 'REQUIRED' },
        { name: 'when', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
      ],
    });
    for (let from = 0; from < rows; from += rowGroupSize) {
      const to = Math.min(rows, from + rowGroupSize);
      writer.writeRowGroup([
        { name: 'user', data: user.slice(from, to) },
        { name: 'item', data: item.slice(from, to) },
        { name: 'ts', data: ts.slice(from, to) },
        { name: 'when', data: when.slice(from, to) },
      ]);
    }
    writer.finish();
    return path;
  }

  it('reads a file of several row groups, by magic bytes whatever the name, mapped columns only', async () => {
    const path = writeParquet('events.bin', 2_500, 1_000);
    const { log, report } = await readEvents(path, { columns, timestampUnit: 's' });
    expect(report).toMatchObject({ format: 'parquet', records: 2_500, events: 2_500, bad: 0 });
    for (const i of [0, 999, 1_000, 2_499]) {
      expect(log.event(i)).toMatchObject({ user: `u${i % 7}`, item: String((i * 13) % 101), timestamp: (1_600_000_000 + i * 60) * 1000 });
    }
    // A TIMESTAMP column carries its unit: read as dates whatever timestampUnit says.
    const dated = await readEvents(path, { columns: { user: 'user', item: 'item', timestamp: 'when' }, timestampUnit: 's' });
    expect(dated.log.event(1_500).timestamp).toBe(Date.UTC(2020, 0, 1) + 1_500_000);
    // Stops inside the second row group.
    expect((await readEvents(path, { columns, limit: 1_200 })).log.size).toBe(1_200);
  });

  it('names the columns it has when the mapping names one it lacks; refuses a non-Parquet file', async () => {
    const path = writeParquet('small.parquet', 10, 10);
    const error = await readEvents(path, { columns: { ...columns, item: 'sku' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MISSING_COLUMN' });
    expect((error as Error).message).toMatch(/columns: user \(string\), item \(int32\), ts \(int64\), when/);
    const fake = file('fake.parquet', 'user,item,ts\nu,i,1\n');
    await expect(readEvents(fake, { columns, format: 'parquet' })).rejects.toMatchObject({ code: 'BAD_FILE' });
  });

  const parquet = shared('sessions/trivago-100k/trivago_val_100k.parquet.snappy');
  const csv = shared('sessions/trivago-100k/trivago_val_100k.csv');
  it.skipIf(!existsSync(parquet) || !existsSync(csv))('trivago: the Parquet file and its CSV twin give the same events with the same preset', async () => {
    const fromParquet = await readEvents(parquet, eventPreset('trivago'));
    const fromCsv = await readEvents(csv, eventPreset('trivago'));
    expect(fromParquet.report).toMatchObject({ format: 'parquet', records: 100_003, filtered: 12_391 });
    expect(fromParquet.report.events).toBe(fromCsv.report.events);
    expect(fromParquet.report.badByReason).toEqual(fromCsv.report.badByReason);
    const a = fromParquet.log;
    const b = fromCsv.log;
    // Element by element (vitest's deep equality on 100k-element arrays is slow).
    const same = (x: ArrayLike<unknown>, y: ArrayLike<unknown>): boolean => {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    };
    for (const key of ['userNames', 'itemNames', 'marketNames', 'typeNames', 'users', 'items', 'times', 'conversions', 'markets'] as const) {
      expect(same(a[key], b[key]), key).toBe(true);
    }
  });
});

describe('streaming', () => {
  const fifoSupported = process.platform !== 'win32' && (() => {
    try {
      execFileSync('mkfifo', [join(dir, 'probe.fifo')]);
      return true;
    } catch {
      return false;
    }
  })();

  /**
   * Writes an endless log into a FIFO (optionally gzipped) until the reader hangs up, counting
   * the bytes of log text produced. A reader that buffered the whole file would never return.
   */
  function endlessLog(name: string, gzip: boolean): { path: string; produced: () => number; done: Promise<void> } {
    const path = join(dir, name);
    execFileSync('mkfifo', [path]);
    const out = createWriteStream(path);
    const sink = gzip ? createGzip() : out;
    if (gzip) sink.pipe(out);
    let produced = 0;
    let stopped = false;
    const done = new Promise<void>((resolve) => {
      const stop = (): void => {
        stopped = true;
        sink.destroy();
        out.destroy();
        resolve();
      };
      out.on('error', stop);
      out.on('close', stop);
      sink.on('error', stop);
      let i = 0;
      const pump = (): void => {
        if (stopped) return;
        let ok = true;
        if (i === 0) ok = sink.write('user,item,ts\n');
        while (ok && !stopped) {
          let chunk = '';
          for (let k = 0; k < 1000; k++, i++) chunk += `u${i % 1000},i${(i * 7) % 5000},${1_600_000_000 + i}\n`;
          produced += chunk.length;
          ok = sink.write(chunk);
        }
        if (!stopped) sink.once('drain', pump);
      };
      pump();
    });
    return { path, produced: () => produced, done };
  }

  for (const gzip of [false, true]) {
    it.skipIf(!fifoSupported)(`reads an endless ${gzip ? 'gzipped ' : ''}log from a pipe with bounded read-ahead`, async () => {
      const log = endlessLog(`endless-${gzip ? 'gz' : 'plain'}.fifo`, gzip);
      const limit = 200_000;
      const { report } = await readEvents(log.path, { columns: { user: 'user', item: 'item', timestamp: 'ts' }, limit });
      await log.done;
      expect(report).toMatchObject({ events: limit, gzip, delimiter: ',' });
      let consumed = 0;
      for (let i = 0; i < limit; i++) consumed += `u${i % 1000},i${(i * 7) % 5000},${1_600_000_000 + i}\n`.length;
      // What was read ahead of the events kept: pipe and stream buffers, not the file.
      expect(log.produced() - consumed).toBeLessThan(gzip ? 8 * 1024 * 1024 : 2 * 1024 * 1024);
    }, 60_000);
  }
});

describe('damaged input', () => {
  it('a cut-short gzip file is BAD_FILE, not a crash', async () => {
    const whole = gzipSync(readFileSync(DIGINETICA));
    const path = file('cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await readEvents(path, eventPreset('diginetica')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_FILE' });
    expect((error as Error).message).toContain('gzip');
  });
});
