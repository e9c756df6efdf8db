/**
 * `embedkit item2vec` on real session logs as they come: the Diginetica sample (`;`, sessions
 * given, timeframe as order) through --preset and through column options, gzip, Parquet, and
 * the same event options meaning the same in train and eval.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eventPreset, readEvents, sessionize, type Comparison } from '@embedkit/item2vec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

const sample = new URL('../../../../packages/item2vec/src/__tests__/fixtures/diginetica/train-item-views.csv', import.meta.url).pathname;
const trivagoParquet = new URL('../../../../../shared/data/sessions/trivago-100k/trivago_val_100k.parquet.snappy', import.meta.url).pathname;

let dir = '';
let views = '';
const fast = ['--dim', '8', '--epochs', '1', '--threads', '1'];

/** The number in `Sessions: N (…)` on stderr. */
const sessionCount = (err: string): number => Number(/Sessions: ([\d,]+)/.exec(err)?.[1]?.replace(/,/g, '') ?? NaN);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-item2vec-'));
  views = join(dir, 'train-item-views.csv');
  await copyFile(sample, views);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('item2vec on a Diginetica-layout file', () => {
  it('train --preset diginetica loads train-item-views.csv without conversion; the sessions are the file\'s', async () => {
    const output = join(dir, 'items.vec');
    const result = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--output', output, ...fast]);
    expect(result.err).not.toContain('embedkit:');
    expect(result.code).toBe(0);
    expect(result.err).toContain("(csv, ';'-separated)");
    expect(result.err).toContain('12,391 events kept');
    expect(result.err).toContain('given by the session column');
    // The same count as the library's given sessions, and far from one-item shreds.
    const { log } = await readEvents(sample, eventPreset('diginetica'));
    const expected = sessionize(log, { maxLength: 50 }).stats.sessions;
    expect(sessionCount(result.err)).toBe(expected);
    expect(expected).toBeGreaterThan(1_900);
    const header = (await readFile(output, 'utf8')).split('\n', 1)[0]!;
    expect(header).toMatch(/^\d+ 8$/);
    expect(Number(header.split(' ')[0])).toBeGreaterThan(3_000);
  });

  it('column options read the same file gzipped, and train and eval see the same sessions', async () => {
    const gz = join(dir, 'views.csv.gz');
    await writeFile(gz, gzipSync(await readFile(sample)));
    const columns = ['--events', gz, '--session-column', 'session_id', '--item-column', 'item_id', '--order-column', 'timeframe'];
    const train = await run(['item2vec', 'train', ...columns, '--output', join(dir, 'gz.vec'), ...fast]);
    expect(train.code).toBe(0);
    expect(train.err).toContain("(csv, ';'-separated, gzip)");
    const evaluated = await run(['item2vec', 'eval', ...columns, ...fast, '--mode', 'item2vec', '--k', '5', '--json']);
    expect(evaluated.code).toBe(0);
    expect(sessionCount(evaluated.err)).toBe(sessionCount(train.err));
    const comparison = JSON.parse(evaluated.out) as Comparison;
    expect(comparison.cases).toBeGreaterThan(500);
    expect(comparison.bootstrap).toEqual({ resamples: 1000, confidence: 0.95, seed: 1 });
    for (const r of comparison.results) {
      for (const m of ['hitRate', 'ndcg', 'mrr'] as const) {
        const ci = r.intervals[m];
        expect(ci.cases).toBe(comparison.cases);
        expect(ci.mean).toBeCloseTo(r.metrics[m], 12);
        expect(ci.low).toBeLessThanOrEqual(ci.mean);
        expect(ci.high).toBeGreaterThanOrEqual(ci.mean);
      }
    }
    // Paired against both kNN baselines, the strongest first.
    expect(comparison.differences.map((d) => d.method)).toEqual(['item2vec', 'item2vec']);
    expect(comparison.differences.map((d) => d.baseline).sort()).toEqual(['item-knn', 'session-knn']);
    expect(comparison.differences[0]!.baseline).toBe(comparison.strongestBaseline);
    const hit = comparison.differences.find((d) => d.baseline === 'item-knn')!.differences.hitRate;
    const byMethod = Object.fromEntries(comparison.results.map((r) => [r.method, r.metrics.hitRate]));
    expect(hit.mean).toBeCloseTo(byMethod['item2vec']! - byMethod['item-knn']!, 12);
    expect(hit.verdict).toBe(hit.low > 0 ? 'better' : hit.high < 0 ? 'worse' : 'tie');

    const text = await run(['item2vec', 'eval', ...columns, ...fast, '--mode', 'item2vec', '--k', '5', '--resamples', '200']);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`Means over ${comparison.cases} cases with 95 % percentile-bootstrap intervals (200 resamples, --seed 1)`);
    expect(text.out).toMatch(/item-knn\s+0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]/);
    expect(text.out).toMatch(/item2vec − item-knn( \(the strongest kNN here\))?, paired over the same cases/);
    expect(text.out).toMatch(/session-knn\s+0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]/);
    expect(text.out).toMatch(/HitRate@5\s+-?0\.\d{4} \[-?0\.\d{4}, -?0\.\d{4}\]\s+(better|worse|tie)/);
  });

  it('--gap with given sessions is refused, in every command that reads events', async () => {
    for (const command of ['train', 'eval']) {
      const extra = command === 'train' ? ['--output', join(dir, 'never.vec')] : [];
      const result = await run(['item2vec', command, '--preset', 'diginetica', '--events', views, '--gap', '10', ...extra]);
      expect(result.code).toBe(2);
      expect(result.err).toContain('--gap');
      expect(result.err).toContain('given');
    }
    expect(existsSync(join(dir, 'never.vec'))).toBe(false);
  });

  it('a wrong --delimiter is named with the one the file has', async () => {
    const result = await run(['item2vec', 'train', '--preset', 'diginetica', '--events', views, '--delimiter', ',', '--output', join(dir, 'x.vec')]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('MISSING_COLUMN');
    expect(result.err).toContain("--delimiter ';'");
  });

  it('--no-header takes column indices; --delimiter tab names the tab', async () => {
    const tsv = join(dir, 'clicks.txt');
    await writeFile(tsv, 's1\t2\ta\ns1\t1\tb\ns2\t1\tc\ns2\t2\td\n');
    const result = await run(['item2vec', 'train', '--events', tsv, '--no-header', '--delimiter', 'tab', '--session-column', '0', '--order-column', '1', '--item-column', '2', '--output', join(dir, 'tsv.vec'), ...fast]);
    expect(result.code).toBe(0);
    expect(result.err).toContain('(csv, tab-separated)');
    expect(sessionCount(result.err)).toBe(2);
    const named = await run(['item2vec', 'train', '--events', tsv, '--no-header', '--session-column', 'sid', '--item-column', '2', '--output', join(dir, 'tsv.vec')]);
    expect(named.code).toBe(2);
    expect(named.err).toContain('0-based column index');
    const preset = await run(['item2vec', 'train', '--events', views, '--preset', 'diginetica', '--no-header', '--output', join(dir, 'tsv.vec')]);
    expect(preset.code).toBe(2);
    expect(preset.err).toContain('--session-column, --order-column, --item-column, --time-column as indices');
  });

  it('without a preset, names what it needs', async () => {
    const result = await run(['item2vec', 'train', '--events', views, '--item-column', 'item_id', '--output', join(dir, 'y.vec')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--session-column');
  });

  it.skipIf(!existsSync(trivagoParquet))('reads Parquet by its bytes with the trivago preset', async () => {
    const result = await run(['item2vec', 'train', '--preset', 'trivago', '--events', trivagoParquet, '--output', join(dir, 'pq.vec'), ...fast]);
    expect(result.code).toBe(0);
    expect(result.err).toContain('(parquet)');
    expect(result.err).toContain('100,003 records');
  });
});
