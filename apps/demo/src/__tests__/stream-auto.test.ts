/**
 * `-stream auto` (issue 17) streams when the loaded corpus would take more than half of the free
 * memory, and says so; here the free memory is made small (24 MiB) so that a 3.5M-token corpus
 * (14 MB loaded) crosses the line.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommandLine as run } from './io';

vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os')>();
  return { ...os, freemem: () => 24 * 2 ** 20 };
});

let dir = '';
let corpus = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-stream-auto-'));
  corpus = join(dir, 'big.txt');
  const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const line = Array.from({ length: 100 }, (_, i) => words[(i * 5) % 8]).join(' ');
  await writeFile(corpus, `${line}\n`.repeat(35_000));
  // The same text gzipped (a few KiB: its size on disk says nothing of its tokens), and a vocabulary.
  await writeFile(join(dir, 'big.txt.gz'), gzipSync(`${line}\n`.repeat(35_000)));
  await writeFile(join(dir, 'vocab.txt'), words.map((w) => `${w} 437500\n`).join(''));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('-stream auto (issue 17)', () => {
  it('streams a corpus that would take more than half of the free memory, and says so', async () => {
    const output = join(dir, 'v.txt');
    const result = await run(['word2vec', '-train', corpus, '-output', output, '-size', '4', '-iter', '1', '-threads', '1', '-sample', '0']);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/Corpus: 3,500,000 tokens, 13 MiB if loaded, more than half of the 24 MiB of memory free: streamed from .*big\.txt at every epoch \(-stream 0 loads it anyway\)/);
    expect((await readFile(output, 'utf8')).split('\n')[0]).toBe('8 4');
    const loaded = await run(['word2vec', '-train', corpus, '-output', output, '-size', '4', '-iter', '1', '-threads', '1', '-sample', '0', '-stream', '0']);
    expect(loaded.code, loaded.err).toBe(0);
    expect(loaded.err).not.toMatch(/streamed from/);
  });

  it('with -read-vocab, judges a gzip corpus by its tokens, not by its compressed size', async () => {
    const output = join(dir, 'vz.txt');
    const result = await run([
      'word2vec', '-train', join(dir, 'big.txt.gz'), '-read-vocab', join(dir, 'vocab.txt'),
      '-output', output, '-size', '4', '-iter', '1', '-threads', '1', '-sample', '0',
    ]);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/Corpus: 3,500,000 tokens, 13 MiB if loaded, more than half of the 24 MiB of memory free: streamed from .*big\.txt\.gz/);
  });
});
