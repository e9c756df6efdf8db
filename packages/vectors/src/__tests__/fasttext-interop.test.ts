// Interop with the real fastText tool (Debian's /usr/bin/fasttext): the `.vec` file it writes
// (a word2vec text file whose lines end with a space) loads with auto-detection, and every vector
// equals what `fasttext print-word-vectors` prints for that word. Skipped without the tool.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Embeddings } from '../index';

const FASTTEXT = '/usr/bin/fasttext';
const hasFastText = existsSync(FASTTEXT);
if (!hasFastText) console.warn(`fastText interop test skipped: ${FASTTEXT} not found (apt-get install -y fasttext)`);

describe.skipIf(!hasFastText)('fastText interop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedkit-fasttext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the .vec fastText writes, equal to print-word-vectors', async () => {
    // A small corpus with a few non-ASCII words.
    let state = 7;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const words = Array.from({ length: 40 }, (_, i) => (i % 10 === 3 ? `mot${i}é` : `w${i}`));
    const lines = Array.from({ length: 150 }, () => Array.from({ length: 15 }, () => words[next(words.length)]).join(' '));
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, lines.join('\n') + '\n');
    const prefix = join(dir, 'model');
    execFileSync(FASTTEXT, ['skipgram', '-input', corpus, '-output', prefix, '-dim', '8', '-epoch', '1', '-minCount', '1', '-thread', '1', '-verbose', '0']);

    const vectors = await Embeddings.load(`${prefix}.vec`);
    expect(vectors.dim).toBe(8);
    expect(vectors.labels).toContain('</s>');
    expect(vectors.labels).toContain('mot3é');
    const printed = execFileSync(FASTTEXT, ['print-word-vectors', `${prefix}.bin`], {
      input: vectors.labels.join('\n') + '\n',
      encoding: 'utf8',
    });
    const rows = printed.trim().split('\n');
    expect(rows).toHaveLength(vectors.size);
    let mismatches = 0;
    for (const row of rows) {
      const [word, ...values] = row.trim().split(' ');
      const ours = vectors.getOrThrow(word as string);
      expect(values).toHaveLength(8);
      values.forEach((v, j) => {
        if (Math.fround(Number(v)) !== ours[j]) mismatches++;
      });
    }
    expect(mismatches).toBe(0);
  });
});
