/**
 * `embedkit item2vec types` (user-type and listing-type vectors from a bookings file, rejections
 * as negatives) and `embedkit item2vec features` (the personalisation features of candidates).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBookingMarketplace } from '@embedkit/item2vec';
import { item2vecCommand } from '../commands/item2vec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

let dir = '';
let bookings = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-types-'));
  bookings = join(dir, 'bookings.csv');
  const m = generateBookingMarketplace({ seed: 2, users: 200 });
  const lines = ['guest;listing;ts;device;language;market;room type;price;capacity;status'];
  for (const b of m.bookings) {
    const u = b.userAttributes;
    const l = b.listingAttributes;
    lines.push([b.user, b.listing, b.time, u.device, u.language, l.market, l.roomType, l.price, l.capacity, b.rejected ? 'rejected' : 'accepted'].join(';'));
  }
  await writeFile(bookings, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const typeArgs = (output: string): string[] => [
  'item2vec', 'types', '--bookings', bookings, '--user-column', 'guest', '--listing-column', 'listing', '--time-column', 'ts',
  '--user-attributes', 'device,language', '--listing-attributes', 'market,room type,price:q3,capacity:3', '--rejected-column', 'status',
  '--epochs', '5', '--output', output,
];

describe('item2vec types', () => {
  it('trains type vectors from a bookings file and reports buckets, rejections and nearest listing types', async () => {
    const output = join(dir, 'types.vec');
    const r = await run(typeArgs(output));
    expect(r.err).not.toContain('embedkit:');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/booking requests \([\d,]+ rejected\)/);
    expect(r.err).toContain('listing price → price<bucket> cuts [');
    expect(r.err).toMatch(/[1-9][\d,]* of [\d,]+ rejections used as negatives/);
    const text = await readFile(output, 'utf8');
    expect(text.split('\n', 1)[0]).toMatch(/^\d+ 32$/);
    expect(text).toContain('u:devicedesktop_languageen_nb1 ');
    expect(text).toMatch(/\nl:marketmarket0_roomtype(entire|private|shared)_price\d_capacity\d /);
    expect(r.out.split('\n').filter((l) => l.startsWith('u:'))).toHaveLength(5);
  });

  it('names the header when a column is missing, and the flag when an attribute is malformed', async () => {
    const missing = await run([...typeArgs(join(dir, 'x.vec')), '--user-column', 'user_id']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no column "user_id"');
    expect(missing.err).toContain('guest, listing, ts');
    expect(missing.err).toContain('(named by --user-column)');
    const attribute = await run([...typeArgs(join(dir, 'x.vec')), '--user-attributes', 'device,os']);
    expect(attribute.err).toContain('no column "os" (named by --user-attributes)');
    const bad = await run([...typeArgs(join(dir, 'y.vec')), '--listing-attributes', 'price:cheap']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--listing-attributes');
    // A usage error, refused before the bookings are read.
    const twice = await run([...typeArgs(join(dir, 'z.vec')), '--listing-attributes', 'market,market']);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('--listing-attributes names the attribute "market" twice');
    for (const cuts of ['', '1//3']) {
      const empty = await run([...typeArgs(join(dir, 'w.vec')), '--past-bookings', cuts]);
      expect(empty.code, cuts).toBe(2);
      expect(empty.err).toContain('--past-bookings takes cut points');
    }
    const overwrite = await run([...typeArgs(bookings)]);
    expect(overwrite.code).not.toBe(0);
    expect(overwrite.err).toContain('--output');
  });
});

describe('item2vec features', () => {
  it('prints the features of each candidate, grouped by market', async () => {
    const vectors = join(dir, 'items.vec');
    await writeFile(vectors, '4 3\np1 1 0 0\np2 0 1 0\nr1 0 0 1\ncand 1 1 1\n');
    const markets = join(dir, 'markets.csv');
    await writeFile(markets, 'id,market\np1,Paris\np2,Paris\nr1,Rome\ncand,Paris\n');
    const r = await run(['item2vec', 'features', '--vectors', vectors, '--markets', markets, '--candidates', 'cand', '--clicks', 'p1,p2,r1', '--json']);
    expect(r.code).toBe(0);
    const [row] = JSON.parse(r.out) as Array<Record<string, number>>;
    expect(row!.embClickSim).toBeCloseTo(2 / Math.sqrt(6), 5);
    expect(row!.embSkipSim).toBe(0);
    const typesWithout = await run(['item2vec', 'features', '--vectors', vectors, '--candidates', 'cand', '--user-type', 'u:a']);
    expect(typesWithout.code).toBe(2);
    expect(typesWithout.err).toContain('--types');
    // A type the --types file has no vector for is named, not silently scored 0.
    const types = join(dir, 'few-types.vec');
    await writeFile(types, '2 2\nu:a 1 0\nl:b 0.6 0.8\n');
    const typo = await run(['item2vec', 'features', '--vectors', vectors, '--candidates', 'cand', '--types', types, '--user-type', 'u:typo', '--listing-types', 'l:b', '--json']);
    expect(typo.code).toBe(0);
    expect(typo.err).toContain('no vector in --types for u:typo');
    const known = await run(['item2vec', 'features', '--vectors', vectors, '--candidates', 'cand', '--types', types, '--user-type', 'u:a', '--listing-types', 'l:b', '--json']);
    expect(known.err).not.toContain('--types');
    expect((JSON.parse(known.out) as Array<Record<string, number>>)[0]!.userTypeListingTypeSim).toBeCloseTo(0.6, 5);
  });
});

describe('item2vec subcommands', () => {
  it('give a flag of one name one kind of value in every subcommand (--bookings is a file in types)', () => {
    const seen = new Map<string, string>();
    for (const command of item2vecCommand.subcommands) {
      for (const o of command.options) {
        const kind = `${o.type} ${o.valueName ?? ''}`;
        const first = seen.get(o.name);
        if (first === undefined) seen.set(o.name, `${kind} (${command.name})`);
        else expect(`--${o.name}: ${kind}`, `in ${command.name}, first ${first}`).toBe(`--${o.name}: ${first.replace(/ \(.*\)$/, '')}`);
      }
    }
  });
});
