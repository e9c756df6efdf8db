/**
 * `embedkit item2vec` given bad input as a new user gives it: every case is one line that names
 * the flag and the fix, exit 2 for usage and 1 for files, no stack, and nothing read or trained
 * before the cheap checks have passed.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { item2vecCommand } from '../commands/item2vec';
import { inFlagNames } from '../cli/run';
import { runCommandLine as run } from './io';

const sample = new URL('../../../../packages/item2vec/src/__tests__/fixtures/diginetica/train-item-views.csv', import.meta.url).pathname;

let dir = '';
let views = '';
const fast = ['--dim', '8', '--epochs', '1', '--threads', '1'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-item2vec-bad-'));
  views = join(dir, 'views.csv');
  await copyFile(sample, views);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** No JavaScript stack and no "run again with --verbose" (an error the CLI did not expect). */
function expectOneLine(err: string): void {
  expect(err).not.toMatch(/\n\s+at /);
  expect(err).not.toContain('--verbose for details');
}

describe('item2vec train|eval on logs with nothing to learn from', () => {
  it('every session of one item: NO_EVENTS naming --session-column and --item-column, not an empty vocabulary', async () => {
    const path = join(dir, 'one-item.csv');
    const rows = ['session_id;user_id;item_id;timeframe;eventdate'];
    for (let s = 0; s < 20; s++) for (let t = 0; t < 3; t++) rows.push(`${s};;42;${t};2016-05-09`);
    await writeFile(path, `${rows.join('\n')}\n`);
    for (const command of ['train', 'eval']) {
      const output = command === 'train' ? ['--output', join(dir, 'x.vec')] : [];
      const r = await run(['item2vec', command, '--preset', 'diginetica', '--events', path, ...output, ...fast]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`--events ${path}: no session has two different items (20 sessions of one item`);
      expect(r.err).toContain('--session-column');
      expect(r.err).not.toContain('vocabulary');
      expectOneLine(r.err);
    }
  });

  it('eval on a log whose every held-out item repeats the query: no table of zeros called ties, an error', async () => {
    const path = join(dir, 'returning.csv');
    const rows = ['session_id;user_id;item_id;timeframe;eventdate'];
    for (let s = 0; s < 30; s++) [s % 5, 10 + (s % 5), s % 5].forEach((item, t) => rows.push(`${s};;${item};${t};2016-05-09`));
    await writeFile(path, `${rows.join('\n')}\n`);
    const r = await run(['item2vec', 'eval', '--preset', 'diginetica', '--events', path, ...fast]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('no case to evaluate (30 users skipped');
  });

  it('the library\'s memory refusal reads in flags in train, eval and tune (--dim, --min-count)', () => {
    for (const name of ['train', 'eval', 'tune']) {
      const command = item2vecCommand.subcommands.find((c) => c.name === name)!;
      expect(inFlagNames('Training 4 items × 16 dimensions needs about 1 MiB, more than the limit of 0 MiB; lower dim or raise minCount', command))
        .toContain('lower --dim or raise --min-count');
    }
  });

  it('item ids with spaces are refused before training, not by the save after it', async () => {
    const path = join(dir, 'spaced.csv');
    const rows = ['session_id;user_id;item_id;timeframe;eventdate'];
    for (let s = 0; s < 20; s++) ['a', 'b', 'sort button'].forEach((item, t) => rows.push(`${s};;${item};${t};2016-05-09`));
    await writeFile(path, `${rows.join('\n')}\n`);
    const output = join(dir, 'spaced.vec');
    const r = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', path, '--output', output, ...fast]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--events ${path}: the item "sort button" contains whitespace`);
    expect(r.err).toContain('--item-column');
    expect(r.err).not.toContain('item2vec (sequence)');
    expect(existsSync(output)).toBe(false);
  });

  it('--format parquet on a CSV names --format and the fix, not only the reader\'s NOT_PARQUET', async () => {
    const r = await run(['item2vec', 'eval', '--preset', 'diginetica', '--events', views, '--format', 'parquet', ...fast]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--events ${views}: not a Parquet file`);
    expect(r.err).toContain('leave out --format');
    expectOneLine(r.err);
  });

  it('a header-only file: NO_EVENTS after --events', async () => {
    const path = join(dir, 'header-only.csv');
    await writeFile(path, 'session_id;user_id;item_id;timeframe;eventdate\n');
    const r = await run(['item2vec', 'eval', '--preset', 'diginetica', '--events', path]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--events ${path}: no usable events: 0 records`);
  });

  it('--min-count above every item: NO_EVENTS saying --min-count', async () => {
    const r = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', join(dir, 'x.vec'), ...fast, '--min-count', '100000']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('lower --min-count');
    expect(r.err).toContain('[NO_EVENTS]');
  });
});

describe('item2vec files that are not what they should be, named by their flag', () => {
  /** A PNG signature and noise: NUL bytes in the first chunk. */
  const binary = (): Uint8Array => Uint8Array.from({ length: 2048 }, (_, i) => (i < 8 ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][i]! : (i * 31) % 256));
  let vectors = '';
  beforeAll(async () => {
    vectors = join(dir, 'tiny.vec');
    await writeFile(vectors, '2 2\na 1 0\nb 0 1\n');
  });

  it('binary data as --events, --bookings, --catalog or --markets is BAD_FILE after its flag, with no bytes printed', async () => {
    const picture = join(dir, 'picture.csv');
    await writeFile(picture, binary());
    for (const [flag, argv] of [
      ['--events', ['train', '--preset', 'diginetica', '--events', picture, '--output', join(dir, 'x.vec')]],
      ['--bookings', ['types', '--bookings', picture, '--user-column', 'u', '--listing-column', 'l', '--time-column', 't',
        '--user-attributes', 'a', '--listing-attributes', 'b', '--output', join(dir, 't.vec')]],
      ['--catalog', ['recommend', '--vectors', vectors, '--items', 'a', '--catalog', picture]],
      ['--markets', ['features', '--vectors', vectors, '--candidates', 'a', '--markets', picture]],
    ] as const) {
      const r = await run(['item2vec', ...argv]);
      expect(r.code, flag).toBe(1);
      expect(r.err).toContain(`${flag} ${picture}: is not text`);
      expect(r.err).toContain('[BAD_FILE]');
      expect(r.err.length).toBeLessThan(400);
    }
  });

  it('gzip cut short as --markets, and a header naming --item-column\'s column twice in --events', async () => {
    const cut = join(dir, 'markets.csv.gz');
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},m${i % 7}`);
    await writeFile(cut, gzipSync(`id,market\n${rows.join('\n')}\n`).subarray(0, 200));
    const markets = await run(['item2vec', 'features', '--vectors', vectors, '--candidates', 'a', '--markets', cut]);
    expect(markets.code).toBe(1);
    expect(markets.err).toContain(`--markets ${cut}: the gzip data is damaged or cut short`);
    expectOneLine(markets.err);
    const dup = join(dir, 'dup.csv');
    await writeFile(dup, 'session;item;item;t\n1;10;20;0\n1;11;21;1\n');
    const r = await run(['item2vec', 'train', '--events', dup, '--session-column', 'session', '--item-column', 'item', '--order-column', 't', '--output', join(dir, 'x.vec')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--events ${dup}: the header has 2 columns named "item"`);
    expect(r.err).toContain('[AMBIGUOUS_COLUMN]');
  });
});

describe('item2vec options whose problem the library would find late, in its own words', () => {
  it('--event-types without a type column is a usage error naming --type-column', async () => {
    const r = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', join(dir, 'x.vec'), '--event-types', 'view']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--event-types picks events by their type, but no type column is mapped: add --type-column NAME (the diginetica preset has none)');
    expectOneLine(r.err);
  });

  it('--sample above 1 is refused by the parser in train, eval and before reading, not by the trainer after it', async () => {
    for (const command of ['train', 'eval']) {
      const output = command === 'train' ? ['--output', join(dir, 'x.vec')] : [];
      const r = await run(['item2vec', command, '--preset', 'diginetica', '--events', views, ...output, '--sample', '5']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--sample');
      expect(r.err).not.toContain('Read ');
    }
  });

  it('a diverged run names --alpha, the flag that fixes it', async () => {
    const r = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', join(dir, 'x.vec'), ...fast, '--alpha', '10']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[DIVERGED]');
    expect(r.err).toContain('Lower --alpha');
  });
});

describe('item2vec --params checked with the other inputs, before reading the events', () => {
  it('a directory or a missing file is named by --params in train and eval', async () => {
    const train = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', join(dir, 'x.vec'), '--params', dir]);
    expect(train.code).toBe(1);
    expect(train.err).toContain(`--params ${dir}: is a directory`);
    expect(train.err).not.toContain('Read ');
    const missing = join(dir, 'tuned.json');
    const evaluated = await run(['item2vec', 'eval', '--preset', 'diginetica', '--events', views, '--params', missing]);
    expect(evaluated.code).toBe(1);
    expect(evaluated.err).toContain(`--params ${missing}: no such file`);
    expect(evaluated.err).not.toContain('Read ');
  });
});

describe('item2vec --params with a wrong field', () => {
  it('names --params and the field', async () => {
    const path = join(dir, 'tuned.json');
    await writeFile(path, JSON.stringify({
      format: 'embedkit-item2vec-params', version: 1,
      train: { mode: 'item2vec', window: 5, negativeExponent: 0.5, epochs: 1, sample: 0, alpha: 0.025, dim: 8, negative: 5, dimm: 64 },
      recommend: { recencyDecay: 0.5, scoring: 'in-out' },
    }));
    const r = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', join(dir, 'x.vec'), '--params', path]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--params ${path}: train.dimm is not a setting`);
    expect(r.err).toContain('[BAD_PARAMS]');
    const notJson = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', join(dir, 'x.vec'), '--params', views]);
    expect(notJson.code).toBe(1);
    expect(notJson.err).toContain(`--params ${views}: the params file is not JSON`);
  });
});

describe('item2vec recommend with the wrong files', () => {
  let vectors = '';
  let contextVectors = '';
  let item = '';
  beforeAll(async () => {
    vectors = join(dir, 'items.vec');
    contextVectors = join(dir, 'items.ctx.vec');
    const r = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', vectors, '--context-output', contextVectors, ...fast]);
    expect(r.code).toBe(0);
    item = (await readFile(vectors, 'utf8')).split('\n')[1]!.split(' ')[0]!;
  });

  it('a vectors file in another format names --vectors and --format', async () => {
    const r = await run(['item2vec', 'recommend', '--vectors', views, '--items', item]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--vectors ${views}: cannot tell its format`);
    expect(r.err).toContain('pass --format word2vec-text');
    // and --format is an option of recommend (one meaning in every command reading vectors)
    const read = await run(['item2vec', 'recommend', '--vectors', vectors, '--format', 'word2vec-text', '--items', item, '--k', '3']);
    expect(read.code).toBe(0);
    expect(read.out.trim().split('\n').filter((l) => /^\s+\d+\./.test(l))).toHaveLength(3);
  });

  it('a missing --vectors, --context-vectors or --catalog, or a directory as --catalog, is named by its flag', async () => {
    const missing = join(dir, 'missing.vec');
    for (const [flag, args] of [
      ['--vectors', ['--vectors', missing]],
      ['--context-vectors', ['--vectors', vectors, '--context-vectors', missing]],
      ['--catalog', ['--vectors', vectors, '--catalog', missing]],
    ] as const) {
      const r = await run(['item2vec', 'recommend', ...args, '--items', item]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${flag} ${missing}: no such file`);
    }
    const directory = await run(['item2vec', 'recommend', '--vectors', vectors, '--catalog', dir, '--items', item]);
    expect(directory.code).toBe(1);
    expect(directory.err).toContain(`--catalog ${dir}: is a directory`);
    expectOneLine(directory.err);
  });

  it('unknown items only: exit 1 saying what an item id looks like, from the vectors file', async () => {
    const r = await run(['item2vec', 'recommend', '--vectors', vectors, '--items', 'no-such-item,nor-this']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('warning: no vector for no-such-item, nor-this');
    expect(r.err).toContain(`None of the --items has a vector in --vectors ${vectors}`);
    expect(r.err).toContain(`(e.g. ${item}, `);
    expect(r.out).toBe('');
  });

  it('--context-vectors naming the --vectors file is a usage error, not scores of item vectors against themselves', async () => {
    const r = await run(['item2vec', 'recommend', '--vectors', vectors, '--context-vectors', vectors, '--items', item]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--context-vectors ${vectors} is the --vectors file`);
    expect(r.out).toBe('');
  });
});

describe('item2vec types|features with bad options and files', () => {
  const bookingArgs = (bookings: string): string[] => [
    'item2vec', 'types', '--bookings', bookings, '--user-column', 'guest', '--listing-column', 'listing', '--time-column', 'ts',
    '--user-attributes', 'device', '--listing-attributes', 'price:q3', '--output', join(dir, 'types.vec'),
  ];

  it('attribute buckets, --past-bookings and --delimiter are usage errors before the bookings are read', async () => {
    // The bookings file has no rows: a check made after reading it would end in NO_EVENTS (exit 1).
    const later = join(dir, 'no-bookings.csv');
    await writeFile(later, 'guest,listing,ts,device,price\n');
    for (const [extra, message] of [
      [['--listing-attributes', 'price:q0'], '--listing-attributes: "price:q0" asks for 0 quantile buckets'],
      [['--listing-attributes', 'price:5/1'], 'must be strictly ascending'],
      [['--past-bookings', '3/1'], '--past-bookings cut points must be strictly ascending'],
      [['--delimiter', ''], '--delimiter needs a value'],
    ] as const) {
      const r = await run([...bookingArgs(later), ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err).toContain(message);
    }
  });

  it('no readable booking: --bookings, the first bad row, and the flags that fix it', async () => {
    const path = join(dir, 'bookings-times.csv');
    await writeFile(path, 'guest,listing,ts,device,price\nu1,l1,yesterday,mobile,10\n');
    const r = await run(bookingArgs(path));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--bookings ${path}: no booking could be read (1 bad rows; the first, line 2: ts="yesterday" is not a time (auto))`);
    expect(r.err).toContain('check --user-column, --listing-column, --time-column and --time-unit');
  });

  it('features: a vectors file in another format names --vectors and --format', async () => {
    const r = await run(['item2vec', 'features', '--vectors', views, '--candidates', '1']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--vectors ${views}: cannot tell its format`);
    expect(r.err).toContain('--format');
  });
});
