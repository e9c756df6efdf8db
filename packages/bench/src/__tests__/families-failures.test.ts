import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIEmbedder } from '@embedkit/encoders';
import { isEmbedkitError } from '@embedkit/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopback } from '../../../encoders/src/__tests__/loopback';
import { runFamiliesComparison } from '../families/comparison';
import { familiesTable } from '../families/report';
import { hostedFailure } from '../families/row-builders';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-families-failures-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The cells of a Markdown table line, split on the `|` that are not escaped. */
const markdownCells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/u);

describe('a text too small for the comparison', () => {
  it('is refused before any training, naming --corpus, when no word reaches the static rows\' min-count', async () => {
    const tiny = join(dir, 'tiny.txt');
    await writeFile(tiny, 'the bank gave the farmer a loan\nthe river bank was green\n');
    await expect(runFamiliesComparison({ corpus: tiny, rows: ['word2vec-sg'], workDir: join(dir, 'work'), quick: true })).rejects.toThrow(
      /--corpus .*tiny\.txt has no word that occurs 5 times, the least the static models keep: give a longer text/u,
    );
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    await expect(runFamiliesComparison({ corpus: empty, rows: ['word2vec-sg'], workDir: join(dir, 'work'), quick: true })).rejects.toThrow(/--corpus .*empty\.txt is empty/u);
  });

  it("fails the rows it is too small for with the reason in flag words (not the trainers' option names, not Node's crash dump), the others run", async () => {
    const five = join(dir, 'five.txt');
    await writeFile(five, 'a a a a a\nthe bank\n');
    const result = await runFamiliesComparison({ corpus: five, rows: ['word2vec-cbow', 'ppmi-svd', 'bilm'], workDir: join(dir, 'work'), quick: true, settings: { threads: 1, contextualSeconds: 1 } });
    expect(result.isolated).toBe(true); // each row in its own process: the reason crosses a process boundary
    const byId = new Map(result.rows.map((row) => [row.id, row]));
    expect(byId.get('word2vec-cbow')!.status).toBe('measured');
    const ppmi = byId.get('ppmi-svd')!;
    expect(ppmi.status).toBe('failed');
    expect(ppmi.reason).toBe('the training text (--corpus) keeps 1 words seen 5 times or more, fewer than the 100 dimensions of PPMI-SVD: give a longer text.');
    const bilm = byId.get('bilm')!;
    expect(bilm.status).toBe('failed');
    expect(bilm.reason).toMatch(/^the training text \(--corpus\) has 9 tokens with sentence ends as the bilm reads it; it needs more than its window of 64: give a longer text\.$/u);
    // Every line of the table keeps its cells.
    const lines = familiesTable(result);
    for (const line of lines) expect(markdownCells(line)).toHaveLength(markdownCells(lines[0]!).length);
  }, 120_000);
});

describe('familiesTable', () => {
  it('escapes a | in a cell, so that a reason holding one keeps the row in its columns', async () => {
    const five = join(dir, 'five.txt');
    await writeFile(five, 'a a a a a\nthe bank\n');
    const result = await runFamiliesComparison({ corpus: five, rows: ['bilm'], workDir: join(dir, 'work'), quick: true, settings: { contextualSeconds: 1 } });
    const withPipe = { ...result, rows: result.rows.map((row) => ({ ...row, reason: 'a | b' })) };
    const lines = familiesTable(withPipe);
    expect(lines[2]).toContain('a \\| b');
    expect(markdownCells(lines[2]!)).toHaveLength(markdownCells(lines[0]!).length);
  }, 60_000);
});

describe('a hosted row whose API keeps failing', () => {
  it("says what failed and what the comparison's user can do, not the adapter's options (maxRetries)", async () => {
    const server = await startLoopback();
    server.respond(() => ({ status: 503, body: { error: { message: 'overloaded' } }, headers: { 'retry-after': '0' } }));
    try {
      const result = await runFamiliesComparison({
        rows: ['openai-3-small'],
        workDir: join(dir, 'work'),
        quick: true,
        isolate: false,
        env: { OPENAI_API_KEY: 'test-key', EMBEDKIT_OPENAI_BASE_URL: server.baseUrl },
      });
      const row = result.rows[0]!;
      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(/^OpenAI failed on all 5 attempts \(last: HTTP 503.*overloaded.*\); run the comparison again later \(each request is tried 5 times, 60 s at most each\)$/u);
      expect(row.reason).not.toMatch(/maxRetries|timeoutMs/u);
      expect(server.requests).toHaveLength(5);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a timeout on every attempt keeps its fault and loses the advice in option names (timeoutMs)', async () => {
    const server = await startLoopback();
    server.respond(() => 'hang');
    try {
      // The adapter's own TIMEOUT (short settings here; the comparison uses the defaults it names).
      const timedOut = await new OpenAIEmbedder({ env: { OPENAI_API_KEY: 'test-key' }, baseUrl: server.baseUrl, timeoutMs: 100, maxRetries: 0 }).embed(['slow']).catch((error: unknown) => error);
      expect(isEmbedkitError(timedOut, 'TIMEOUT')).toBe(true);
      const shown = hostedFailure(timedOut) as Error;
      expect(isEmbedkitError(shown, 'TIMEOUT')).toBe(true);
      expect(shown.message).toMatch(/^OpenAI did not answer within 100 ms on any of 1 attempts; run the comparison again later \(each request is tried 5 times, 60 s at most each\)$/u);
      // Other failures pass unchanged.
      const other = new Error('something else');
      expect(hostedFailure(other)).toBe(other);
    } finally {
      await server.close();
    }
  });
});
