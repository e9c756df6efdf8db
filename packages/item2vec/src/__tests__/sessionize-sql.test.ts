// The documented SQL path (sql/sessionize.sql: LAG over each user's events, a running sum of
// "gap > 30 minutes") gives exactly `sessionize`'s gap sessions, on DuckDB; and its output read
// back as a given-session log gives them again. Spark SQL runs the same standard window query.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents, sessionize } from '../index';
import type { Session } from '../index';

const sql = readFileSync(new URL('../../sql/sessionize.sql', import.meta.url), 'utf8');
const duckdb = await import('@duckdb/node-api').catch(() => undefined);
const dir = mkdtempSync(join(tmpdir(), 'item2vec-sql-'));

/** Interleaved events of 25 users with gaps below, equal to and above 30 minutes, and ties. */
function fixture(): string {
  let state = 20_161_027;
  const next = (): number => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const steps = [0, 60_000, 1_799_999, 1_800_000, 1_800_001, 7_200_000, 30_000];
  const rows: Array<[string, string, number]> = [];
  for (let u = 0; u < 25; u++) {
    let t = 1_500_000_000_000 + Math.floor(next() * 1e9);
    const n = 5 + Math.floor(next() * 30);
    for (let k = 0; k < n; k++) {
      t += steps[Math.floor(next() * steps.length)]!;
      rows.push([`u${u}`, `i${Math.floor(next() * 40)}`, t]);
    }
  }
  // Shuffle so the file is not grouped by user (the line number still breaks ties in file order).
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return ['user_id,item_id,ts,seq', ...rows.map(([u, i, t], k) => `${u},${i},${t},${k + 1}`)].join('\n') + '\n';
}

/** user → that user's sessions (item lists) in time order. */
function byUser(sessions: readonly Session[]): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const s of sessions) out.set(s.user, [...(out.get(s.user) ?? []), s.items]);
  return out;
}

const keepAll = { maxLength: Infinity, minLength: 1, collapseRepeats: false } as const;

describe.skipIf(duckdb === undefined)('sql/sessionize.sql on DuckDB', () => {
  it('cuts the same sessions as sessionize, and its output reads back as given sessions', async () => {
    const csv = join(dir, 'events.csv');
    writeFileSync(csv, fixture());
    const { log } = await readEvents(csv, { columns: { user: 'user_id', item: 'item_id', timestamp: 'ts' }, timestampUnit: 'ms' });
    const expected = byUser(sessionize(log, keepAll).sessions);

    const instance = await duckdb!.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE VIEW events AS SELECT * FROM read_csv('${csv}', header = true,
        columns = {'user_id': 'VARCHAR', 'item_id': 'VARCHAR', 'ts': 'BIGINT', 'seq': 'BIGINT'})`);
      const rows = (await connection.runAndReadAll(sql)).getRowObjects() as Array<{ session: string; user_id: string; item_id: string }>;
      const fromSql = new Map<string, string[][]>();
      let last = '';
      for (const row of rows) {
        const sessions = fromSql.get(row.user_id) ?? [];
        if (row.session !== last) sessions.push([]);
        sessions[sessions.length - 1]!.push(row.item_id);
        fromSql.set(row.user_id, sessions);
        last = row.session;
      }
      expect(fromSql).toEqual(expected);
      // The fixture exercises the edges: several sessions per user, and gaps of exactly 30 minutes.
      expect([...expected.values()].reduce((n, s) => n + s.length, 0)).toBeGreaterThan(60);

      const out = join(dir, 'sessions.csv');
      await connection.run(`COPY (${sql}) TO '${out}' (HEADER, DELIMITER ',')`);
      const given = await readEvents(out, {
        // Sorted by (user, ts, seq): the time orders each session, file order breaks its ties.
        columns: { session: 'session', user: 'user_id', item: 'item_id', timestamp: 'ts' }, timestampUnit: 'ms',
      });
      const back = sessionize(given.log, keepAll);
      expect(back.stats.given).toBe(true);
      expect(byUser(back.sessions)).toEqual(expected);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
