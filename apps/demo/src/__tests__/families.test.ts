import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sotuSentences } from '@embedkit/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyBert } from '../../../../packages/encoders/src/__tests__/tiny-bert';
import { runCommandLine as run } from './io';

/** The fields of a saved row the tests read. */
interface FamilyRow {
  id: string;
  label: string;
  status: string;
  contextVariation: number | null;
  senseAccuracy: number | null;
  senseItems: number | null;
  newSourceWordCoverage: number | null;
  heldOutTokenCoverage: number | null;
  trainCpuSecondsPerMillion: number | null;
  notes: string[];
}

let dir: string;
let corpus: string;
/** The bilm row of the first run (trained and saved there, loaded by the second). */
let trainedBilm: FamilyRow | undefined;

const STATIC_IDS = ['word2vec-sg', 'word2vec-cbow', 'glove', 'ppmi-svd', 'fasttext-sg'];

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
    const { code, out, err } = await run(['families', '--quick', '--corpus', corpus, '--output', output, '--update', markdown, '--threads', '1', '--contextual-seconds', '5']);
    expect(err).not.toMatch(/failed/u);
    expect(code).toBe(0);
    const saved = JSON.parse(await readFile(output, 'utf8')) as { rows: FamilyRow[]; sizes: { senseItems: number } };
    const ids = saved.rows.map((row) => row.id);
    for (const id of ['word2vec-sg', 'word2vec-cbow', 'glove', 'ppmi-svd', 'fasttext-sg', 'bilm', 'onnx-bert', 'openai-3-small', 'cohere', 'gemini', 'vertex', 'bedrock-titan']) {
      expect(ids).toContain(id);
    }
    for (const label of ['word2vec skip-gram', 'word2vec CBOW', 'GloVe', 'PPMI-SVD', 'fastText-style subwords']) expect(out).toContain(`| ${label}`);
    const byId = new Map(saved.rows.map((row) => [row.id, row]));
    // Static rows: one vector per word whatever its sentence, so no context and a tie on every
    // sense item (exactly 50 %); each was trained, at a cost.
    for (const id of STATIC_IDS) {
      const row = byId.get(id)!;
      expect(row.status, id).toBe('measured');
      expect(row.contextVariation, id).toBeCloseTo(0, 4);
      expect(row.senseItems, id).toBeGreaterThanOrEqual(10);
      expect(row.senseAccuracy, id).toBe(0.5);
      expect(row.trainCpuSecondsPerMillion, id).toBeGreaterThan(0);
    }
    // Subwords cover the new words, held-out tokens and sense-test words that word2vec cannot;
    // the word-level rows share one vocabulary (min-count 5), hence one coverage.
    const word2vec = byId.get('word2vec-sg')!;
    const fasttext = byId.get('fasttext-sg')!;
    expect(fasttext.newSourceWordCoverage).toBe(1);
    expect(fasttext.heldOutTokenCoverage).toBe(1);
    expect(word2vec.newSourceWordCoverage).toBeLessThan(0.6);
    expect(word2vec.heldOutTokenCoverage).toBeLessThan(1);
    expect(fasttext.senseItems).toBe(saved.sizes.senseItems);
    expect(word2vec.senseItems).toBeLessThan(saved.sizes.senseItems);
    for (const id of ['word2vec-cbow', 'glove', 'ppmi-svd']) {
      expect(byId.get(id)!.newSourceWordCoverage, id).toBe(word2vec.newSourceWordCoverage);
      expect(byId.get(id)!.senseItems, id).toBe(word2vec.senseItems);
    }
    // The contextual row is trained here (5 s) and measured: a word's vector changes with its
    // sentence, so no sense item ties (a whole number of items right, not a half).
    const bilm = byId.get('bilm')!;
    trainedBilm = bilm;
    expect(bilm.status).toBe('measured');
    expect(bilm.contextVariation).toBeGreaterThan(0);
    // The tiny corpus knows about half the sense-test words (the full corpus knows all 48).
    expect(bilm.senseItems).toBeGreaterThanOrEqual(10);
    const itemsRight = bilm.senseAccuracy! * bilm.senseItems!;
    expect(Math.abs(itemsRight - Math.round(itemsRight))).toBeLessThan(1e-9);
    expect(bilm.trainCpuSecondsPerMillion).toBeGreaterThan(0);
    expect(out).toContain('| ELMo-style biLM (embedkit, trained here) | contextual | 128 |');
    // No ONNX model given: the row says how to measure it.
    expect(byId.get('onnx-bert')!.status).toBe('not-measured');
    expect(await readFile(join(dir, 'families-bilm', 'bilm.json'), 'utf8')).toContain('embedkit-bilm');
    // The hosted prices as a dated table with their sources.
    expect(out).toMatch(/\| OpenAI text-embedding-3-small \| 0\.02 \| https:\/\/\S+ \| \d{4}-\d{2}-\d{2} \|/u);
    const section = await readFile(markdown, 'utf8');
    expect(section).toMatch(/^# Bench\n\n<!-- bench:families -->\nMeasured /u);
    expect(section).not.toContain('OLD-CONTENT');
    expect(section).toMatch(/<!-- \/bench:families -->\n\nafter\n$/u);
    expect(section).toContain('npx -y pnpm@12.4.2 embedkit families --corpus');
  }, 600_000); // a hang guard: every row trains and is measured, on a machine that may be shared

  it('loads a saved bilm (--contextual-model) and measures a local ONNX export (--onnx-model)', async () => {
    // dir/families-bilm is the bilm the first test's run trained and saved beside its result.
    const onnxDir = await writeTinyBert(join(dir, 'tiny-bert'));
    const output = join(dir, 'loaded.json');
    const result = await run(['families', '--quick', '--corpus', corpus, '--rows', 'word2vec-sg,bilm,onnx-bert', '--contextual-model', join(dir, 'families-bilm'), '--onnx-model', onnxDir, '--output', output, '--threads', '1']);
    expect(result.err).not.toMatch(/failed/u);
    expect(result.code).toBe(0);
    const rows = new Map((JSON.parse(await readFile(output, 'utf8')) as { rows: FamilyRow[] }).rows.map((row) => [row.id, row]));
    const bilm = rows.get('bilm')!;
    expect(bilm.status).toBe('measured');
    expect(bilm.label).toBe('ELMo-style biLM (embedkit, loaded)');
    expect(bilm.notes.join(' ')).toMatch(/loaded from .*families-bilm \(trained \d+ s/u);
    // Its training cost is the one measured when the first run trained it, read from its bilm.json.
    expect(trainedBilm).toBeDefined();
    expect(bilm.trainCpuSecondsPerMillion).toBe(trainedBilm!.trainCpuSecondsPerMillion);
    const onnx = rows.get('onnx-bert')!;
    expect(onnx.status).toBe('measured');
    expect(onnx.contextVariation).toBeGreaterThan(0);
    expect(onnx.trainCpuSecondsPerMillion).toBeNull();
    expect(rows.get('word2vec-sg')!.contextVariation).toBeCloseTo(0, 4);
  }, 300_000);

  it('marks hosted rows "not measured" without a key, and measures one against a 127.0.0.1 server when the key is set', async () => {
    // A stand-in for the OpenAI API in its documented shape: one vector per input, its words hashed
    // into a few of the 1536 dimensions (so texts that share words are similar).
    let requests = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        requests++;
        const input = (JSON.parse(body) as { input: string[] }).input;
        const data = input.map((text, index) => {
          const embedding = new Array<number>(1536).fill(0);
          for (const word of text.toLowerCase().split(/\s+/u).filter(Boolean)) {
            let h = 7;
            for (const c of word) h = (h * 31 + c.charCodeAt(0)) % 1536;
            embedding[h]! += 1;
          }
          embedding[1535] = 0.01;
          return { object: 'embedding', index, embedding };
        });
        const tokens = input.reduce((n, t) => n + t.split(' ').length, 0);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: tokens, total_tokens: tokens } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const output = join(dir, 'hosted.json');
    const rows = ['word2vec-sg', 'openai-3-small', 'cohere'];
    const saved = process.env;
    try {
      process.env = { ...saved, COHERE_API_KEY: '' };
      delete process.env['OPENAI_API_KEY'];
      let result = await run(['families', '--quick', '--corpus', corpus, '--rows', rows.join(','), '--output', output, '--threads', '1']);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/\| OpenAI text-embedding-3-small \(not measured: set OPENAI_API_KEY to measure it\)/u);
      expect(result.out).toMatch(/\| Cohere embed \(not measured: set COHERE_API_KEY/u);
      expect(requests).toBe(0);
      let json = JSON.parse(await readFile(output, 'utf8')) as { rows: { id: string; status: string; usdPerMillionTokens: number | null; dimension: number | null; newSourceAccuracy: number | null }[] };
      const documented = json.rows.find((row) => row.id === 'openai-3-small')!;
      expect(documented).toMatchObject({ status: 'not-measured', dimension: 1536, newSourceAccuracy: null });
      expect(documented.usdPerMillionTokens).toBeGreaterThan(0);

      const { port } = server.address() as AddressInfo;
      process.env = { ...saved, OPENAI_API_KEY: 'test-key', EMBEDKIT_OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` };
      result = await run(['families', '--quick', '--corpus', corpus, '--rows', 'openai-3-small', '--output', output]);
      expect(result.code).toBe(0);
      expect(requests).toBeGreaterThan(0);
      expect(result.err).not.toContain('test-key');
      json = JSON.parse(await readFile(output, 'utf8')) as typeof json;
      const measured = json.rows.find((row) => row.id === 'openai-3-small')!;
      expect(measured.status).toBe('measured');
      // Hashed words separate ham from spam better than chance.
      expect(measured.newSourceAccuracy).toBeGreaterThan(0.6);
    } finally {
      process.env = saved;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses an --onnx-model folder it cannot use before any work, in flag words with the file it expects', async () => {
    // The loader's own messages name its options (modelFile, outputName), which the CLI has no flags for.
    const empty = join(dir, 'empty-export');
    await mkdir(empty, { recursive: true });
    let result = await run(['families', '--onnx-model', empty, '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--onnx-model .*empty-export holds no ONNX model: looked for model\.onnx, .*Put the export's \.onnx file in that folder as model\.onnx, beside its tokenizer\.json/u);
    expect(result.err).not.toMatch(/modelFile/u);
    const twoOutputs = await writeTinyBert(join(dir, 'two-outputs'), { outputName: 'hidden', extraOutput: 'pre_activation' });
    result = await run(['families', '--onnx-model', twoOutputs, '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--onnx-model .*two-outputs: model\.onnx has no output named last_hidden_state/u);
    expect(result.err).not.toMatch(/outputName/u);
  });

  it('refuses a missing corpus and unknown rows before any work, naming the flag', async () => {
    let result = await run(['families', '--corpus', join(dir, 'nope.txt')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--corpus');
    result = await run(['families', '--rows', 'word2vec-sg,bert-huge', '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Unknown --rows bert-huge: known rows are word2vec-sg/u);
    result = await run(['families', '--contextual-model', dir, '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--contextual-model .* holds no bilm\.json/u);
    result = await run(['families', '--onnx-model', join(dir, 'no-model'), '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--onnx-model');
    result = await run(['families', '--contextual-model', join(dir, 'families-bilm'), '--contextual-seconds', '5', '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--contextual-seconds and --contextual-model/u);
    // The saved bilm was trained on `corpus`: another training text would not hold the held-out text out.
    const otherCorpus = join(dir, 'other-corpus.txt');
    await writeFile(otherCorpus, 'the bank gave the farmer a loan\n');
    result = await run(['families', '--corpus', otherCorpus, '--rows', 'bilm', '--contextual-model', join(dir, 'families-bilm'), '--output', join(dir, 'x.json')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/--contextual-model .* was trained on another text than this run's/u);
  });
});
