/**
 * `embedkit fasttext skipgram|cbow`: trains on a tiny generated corpus, writes PREFIX.vec and
 * PREFIX.bin; the .bin loads here and, when Debian's fastText is installed, in fastText itself,
 * whose print-word-vectors must give our vectors (in and out of the vocabulary).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Embeddings, SubwordEmbeddings } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

const FASTTEXT = '/usr/bin/fasttext';

// Stems with suffixes in two topics (sixteen words: train with -t 0, else subsampling drops them all).
function corpusText(): string {
  const topics = [['walk', 'talk', 'jump', 'climb'], ['paint', 'draw', 'sketch', 'print']];
  const suffixes = ['', 's', 'ed', 'er'];
  let state = 777;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) {
    const topic = topics[i % 2]!;
    lines.push(Array.from({ length: 8 }, () => topic[Math.floor(next() * topic.length)]! + suffixes[Math.floor(next() * suffixes.length)]!).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

let dir = '';
let corpus = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-fasttext-'));
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, corpusText());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('embedkit fasttext skipgram|cbow', () => {
  for (const [model, loss] of [['skipgram', 'ns'], ['cbow', 'hs']] as const) {
    it(`${model} -loss ${loss} writes PREFIX.vec and PREFIX.bin`, async () => {
      const prefix = join(dir, `${model}-${loss}`);
      const result = await run(['fasttext', model, '-input', corpus, '-output', prefix, '-dim', '8', '-epoch', '3', '-minCount', '1', '-loss', loss, '-bucket', '1000', '-thread', '1', '-t', '0']);
      expect(result.err).toMatch(/N-gram matrix: 1,000 buckets × 8 dims × 4 bytes/);
      expect(result.err.indexOf('N-gram matrix')).toBeLessThan(result.err.indexOf('Read '));
      expect(result.err).toMatch(/Vocabulary: 32 words, 4,800 tokens; the model needs ~\d+ MiB \(2 matrices of 32 × 8 float32 \+ 1,000 n-gram rows\)/);
      expect(result.code).toBe(0);
      const vec = await Embeddings.load(`${prefix}.vec`);
      const bin = await SubwordEmbeddings.load(`${prefix}.bin`);
      expect(bin.buckets).toBe(1000);
      expect(vec.size).toBe(bin.size);
      const a = vec.getOrThrow('walked');
      const b = bin.getOrThrow('walked');
      a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-5 + 1e-5 * Math.abs(x)));
      // An unseen form is nearer its stem's forms than the other topic's words.
      expect(bin.similarity('walking', 'walked')).toBeGreaterThan(bin.similarity('walking', 'painted'));
    });
  }

  it('refuses bad n-gram settings', async () => {
    const result = await run(['fasttext', 'skipgram', '-input', corpus, '-output', join(dir, 'bad'), '-minn', '5', '-maxn', '3', '-minCount', '1']);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/minN \(5\) is greater than maxN \(3\)/);
  });

  it.skipIf(!existsSync(FASTTEXT))("Debian's fasttext print-word-vectors reads PREFIX.bin and gives our vectors", async () => {
    const prefix = join(dir, 'for-fasttext');
    const result = await run(['fasttext', 'skipgram', '-input', corpus, '-output', prefix, '-dim', '8', '-epoch', '2', '-minCount', '1', '-bucket', '5000', '-thread', '1']);
    expect(result.code).toBe(0);
    const words = ['walked', 'paints', 'walking', 'repainting', 'xyz'];
    const printed = execFileSync(FASTTEXT, ['print-word-vectors', `${prefix}.bin`], { input: `${words.join('\n')}\n` }).toString();
    const model = await SubwordEmbeddings.load(`${prefix}.bin`);
    const lines = printed.trim().split('\n');
    expect(lines).toHaveLength(words.length);
    for (let i = 0; i < words.length; i++) {
      const [word, ...values] = lines[i]!.trim().split(' ');
      expect(word).toBe(words[i]);
      const ours = model.vectorFor(words[i]!);
      expect(values).toHaveLength(8);
      values.forEach((v, j) => expect(Math.abs(Number(v) - ours[j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(ours[j]!)));
    }
  });
});
