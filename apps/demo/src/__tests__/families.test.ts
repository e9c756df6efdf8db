import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sotuSentences } from '@embedkit/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

let dir: string;
let corpus: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'families-cli-'));
  corpus = join(dir, 'tiny.txt');
  // About 40,000 tokens: the addresses of 1790–1801.
  await writeFile(corpus, sotuSentences({ range: [1790, 1801] }).map((s) => s.join(' ')).join('\n') + '\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('embedkit families', () => {
  it('prints every row on a tiny corpus, saves the JSON result and rewrites a Markdown section', async () => {
    const output = join(dir, 'families.json');
    const markdown = join(dir, 'BENCH.md');
    await writeFile(markdown, '# Bench\n\n<!-- bench:families -->\nOLD-CONTENT\n<!-- /bench:families -->\n\nafter\n');
    const { code, out, err } = await run(['families', '--quick', '--corpus', corpus, '--output', output, '--update', markdown, '--threads', '1']);
    expect(err).not.toMatch(/failed/u);
    expect(code).toBe(0);
    const saved = JSON.parse(await readFile(output, 'utf8')) as { rows: { id: string; status: string; contextVariation: number; newSourceWordCoverage: number }[] };
    const ids = saved.rows.map((row) => row.id);
    for (const id of ['word2vec-sg', 'word2vec-cbow', 'glove', 'ppmi-svd', 'fasttext-sg']) {
      expect(ids).toContain(id);
    }
    for (const label of ['word2vec skip-gram', 'word2vec CBOW', 'GloVe', 'PPMI-SVD', 'fastText-style subwords']) expect(out).toContain(`| ${label}`);
    const byId = new Map(saved.rows.map((row) => [row.id, row]));
    // Static rows: no context; subwords cover new words that word2vec cannot.
    expect(byId.get('word2vec-sg')!.contextVariation).toBeCloseTo(0, 4);
    expect(byId.get('fasttext-sg')!.newSourceWordCoverage).toBe(1);
    expect(byId.get('word2vec-sg')!.newSourceWordCoverage).toBeLessThan(0.6);
    const section = await readFile(markdown, 'utf8');
    expect(section).toMatch(/^# Bench\n\n<!-- bench:families -->\nMeasured /u);
    expect(section).not.toContain('OLD-CONTENT');
    expect(section).toMatch(/<!-- \/bench:families -->\n\nafter\n$/u);
    expect(section).toContain('npx -y pnpm@12.4.2 embedkit families --corpus');
  });

  it('refuses a missing corpus and unknown rows before any work, naming the flag', async () => {
    let result = await run(['families', '--corpus', join(dir, 'nope.txt')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--corpus');
    result = await run(['families', '--rows', 'word2vec-sg,bert-huge', '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Unknown --rows bert-huge: known rows are word2vec-sg/u);
  });
});
