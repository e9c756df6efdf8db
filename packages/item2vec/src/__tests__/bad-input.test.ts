// Bad input met as a new user meets it: binary files, truncated gzip in every reader, duplicate
// header names, sessions with nothing to learn from, and type attributes that cannot work. Each
// must be one EmbedkitError with a code and a message naming the problem, never a stack of
// zlib or tokenizer words.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  compareRecommenders, eventPreset, forEachCsvRecord, parseItem2VecParams, parseTypeAttributes, readBookings, readEvents, trainItemEmbeddings, tuneItem2Vec,
} from '../index';
import type { Session } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'item2vec-bad-input-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const DIGINETICA = new URL('./fixtures/diginetica/train-item-views.csv', import.meta.url).pathname;
const session = (user: string, items: string[]): Session =>
  ({ user, items, times: items.map((_, i) => i), converted: items.map(() => false), conversion: undefined, market: undefined });
const bookingColumns = { columns: { user: 'guest', listing: 'listing', time: 'ts' }, userAttributes: [], listingAttributes: [{ name: 'city' }] };

/** Bytes that are not text: a PNG signature, NUL bytes, noise. */
function binaryBytes(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  for (let i = 12; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  return bytes;
}

describe('binary data where text is expected', () => {
  const binary = file('picture.csv', binaryBytes());

  it('readEvents refuses it as BAD_FILE, without printing the bytes as a header', async () => {
    const error = await readEvents(binary, eventPreset('diginetica')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_FILE' });
    expect((error as Error).message).toContain('is not text');
    expect((error as Error).message).not.toContain('\u0000');
  });

  it('readBookings and forEachCsvRecord (catalogues, markets) refuse it the same way', async () => {
    await expect(readBookings(binary, bookingColumns)).rejects.toMatchObject({ code: 'BAD_FILE' });
    await expect(forEachCsvRecord(binary, () => {})).rejects.toMatchObject({ code: 'BAD_FILE' });
  });

  it('binary data inside gzip is BAD_FILE too, checked on the decompressed bytes', async () => {
    const gz = file('picture.csv.gz', gzipSync(binaryBytes()));
    const error = await readEvents(gz, eventPreset('diginetica')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_FILE' });
    expect((error as Error).message).toContain('the gzip data is not text');
  });

  it('an empty gzip stream is read as an empty file (NO_EVENTS, message starting with the path), not as damaged', async () => {
    const gz = file('empty.csv.gz', gzipSync(''));
    const error = await readEvents(gz, eventPreset('diginetica')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_EVENTS' });
    expect((error as Error).message.startsWith(`${gz}: no usable events: 0 records`)).toBe(true);
  });

  it('a gzipped text file is still read (its compressed bytes hold NULs)', async () => {
    const gz = file('views.csv.gz', gzipSync(readFileSync(DIGINETICA)));
    const { report } = await readEvents(gz, eventPreset('diginetica'));
    expect(report.gzip).toBe(true);
    expect(report.events).toBe(12_391);
  });
});

describe('gzip cut short', () => {
  const whole = gzipSync(readFileSync(DIGINETICA));
  const truncated = file('cut.csv.gz', whole.subarray(0, 3000));

  it('is BAD_FILE naming the file in every reader of delimited text', async () => {
    await expect(readEvents(truncated, eventPreset('diginetica'))).rejects.toMatchObject({ code: 'BAD_FILE' });
    for (const read of [() => forEachCsvRecord(truncated, () => {}), () => readBookings(truncated, bookingColumns)]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_FILE' });
      expect((error as Error).message).toContain(`${truncated}: the gzip data is damaged or cut short`);
    }
  });
});

describe('a header naming a mapped column twice', () => {
  it('readEvents refuses it as AMBIGUOUS_COLUMN instead of reading the first', async () => {
    const path = file('dup.csv', 'session_id;item_id;item_id;timeframe\n1;10;20;0\n1;11;21;1\n');
    const error = await readEvents(path, eventPreset('diginetica')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AMBIGUOUS_COLUMN' });
    expect((error as Error).message).toContain('2 columns named "item_id" (0-based positions 1, 2), mapped as item');
  });

  it('a repeated column nobody maps is fine', async () => {
    const path = file('dup-unused.csv', 'session_id;user_id;item_id;timeframe;eventdate;note;note\n1;;10;0;2016-05-09;a;b\n1;;11;1;2016-05-09;a;b\n');
    const { report } = await readEvents(path, eventPreset('diginetica'));
    expect(report.events).toBe(2);
  });

  it('readBookings refuses it too', async () => {
    const path = file('dup-bookings.csv', 'guest,listing,ts,city,city\nu1,l1,1000,Paris,Rome\n');
    await expect(readBookings(path, bookingColumns)).rejects.toMatchObject({ code: 'AMBIGUOUS_COLUMN' });
  });
});

describe('sessions with nothing to learn from', () => {
  it('one-item sessions are NO_EVENTS in item words, not the tokenizer\'s empty vocabulary', async () => {
    const sessions = Array.from({ length: 5 }, (_, i) => session(`u${i}`, ['42']));
    const error = await trainItemEmbeddings(sessions, { dim: 4, epochs: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_EVENTS' });
    expect((error as Error).message).toContain('none of the 5 sessions has two items');
  });

  it('no sessions at all is NO_EVENTS', async () => {
    await expect(trainItemEmbeddings([], { dim: 4, epochs: 1 })).rejects.toMatchObject({ code: 'NO_EVENTS' });
  });

  it('every item rarer than minCount is NO_EVENTS naming minCount', async () => {
    const sessions = [session('a', ['1', '2']), session('b', ['3', '4'])];
    const error = await trainItemEmbeddings(sessions, { dim: 4, epochs: 1, minCount: 5 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_EVENTS' });
    expect((error as Error).message).toContain('lower minCount');
  });
});

describe('splits with nothing to score', () => {
  // One session per user, ending where it began (a, b, a): every held-out item repeats the query.
  const returning = Array.from({ length: 30 }, (_, i) => session(`u${i}`, [`${i % 5}`, `${10 + (i % 5)}`, `${i % 5}`]));

  it('compareRecommenders refuses a split without cases instead of reporting 0 for every method as a tie', async () => {
    const error = await compareRecommenders(returning, { k: 5, train: { dim: 4, epochs: 1 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_EVENTS' });
    expect((error as Error).message).toContain('no case to evaluate (30 users skipped');
  });

  it('tuneItem2Vec says the validation split has no training session, not "none of the 0 sessions"', async () => {
    const error = await tuneItem2Vec(returning, { budgetSeconds: 5, start: { dim: 4 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_EVENTS' });
    expect((error as Error).message).toMatch(/^the validation split carved from the training period has no (case|training session of two items)/);
  });
});

describe('params files edited by hand', () => {
  const params = {
    format: 'embedkit-item2vec-params', version: 1,
    train: { mode: 'item2vec', window: 5, negativeExponent: 0.5, epochs: 20, sample: 0, alpha: 0.025, dim: 32, negative: 5 },
    recommend: { recencyDecay: 0.5, scoring: 'in-out' },
  };

  it('a misspelt setting is BAD_PARAMS naming it and the settings there are, not silently ignored', () => {
    expect(parseItem2VecParams(params)).toMatchObject({ train: { dim: 32 } });
    expect(() => parseItem2VecParams({ ...params, train: { ...params.train, dimm: 64 } }, 'tuned.json'))
      .toThrow(/tuned\.json: train\.dimm is not a setting \(train has mode, window, negativeExponent, epochs, sample, alpha, dim, negative\)/);
    expect(() => parseItem2VecParams({ ...params, recommend: { ...params.recommend, decay: 0.3 } })).toThrow(/recommend\.decay is not a setting/);
  });

  it('a version this package does not write is refused', () => {
    expect(() => parseItem2VecParams({ ...params, version: 2 })).toThrow(/"version" is 2, this embedkit reads version 1/);
  });
});

describe('bookings of which no row can be read', () => {
  it('NO_EVENTS names the file, the first bad row and why, and the options that fix it', async () => {
    const path = file('bookings-times.csv', 'guest,listing,ts,city\nu1,l1,yesterday,Paris\nu2,l2,tomorrow,Rome\n');
    const error = await readBookings(path, { ...bookingColumns, timestampUnit: 's' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NO_EVENTS' });
    expect((error as Error).message).toBe(
      `${path}: no booking could be read (2 bad rows; the first, line 2: ts="yesterday" is not a time (s)); check columns.user, columns.listing, columns.time and timestampUnit`,
    );
  });
});

describe('type attributes checked before the bookings are read', () => {
  it('refuses q0, too many buckets, cut points out of order and a name given twice, naming the flag', () => {
    expect(() => parseTypeAttributes('price:q0', '--listing-attributes')).toThrow(/--listing-attributes: "price:q0" asks for 0 quantile buckets; give q1 to q1000/);
    expect(() => parseTypeAttributes('price:q1001', '--listing-attributes')).toThrow(/q1 to q1000/);
    expect(() => parseTypeAttributes('price:5/1', '--listing-attributes')).toThrow(/--listing-attributes: the cut points of "price:5\/1" must be strictly ascending/);
    expect(() => parseTypeAttributes('price:1/1', '--listing-attributes')).toThrow(/strictly ascending/);
    expect(() => parseTypeAttributes('city,price:q3,city', '--user-attributes')).toThrow(/--user-attributes names the attribute "city" twice/);
    expect(parseTypeAttributes('price:q1000,size:1/2', '--listing-attributes')).toHaveLength(2);
  });
});
