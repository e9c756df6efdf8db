// Counting a streamed corpus gives the in-memory counts exactly, batch boundaries and all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { createRng } from '@embedkit/sampling';
import { Corpus, StreamingCorpus } from '@embedkit/tokenizer';
import { countCooccurrences, countCooccurrencesFrom, trainGlove } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'embedkit-cooc-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Random sentences over a Zipf-ish vocabulary, odd lengths and empty lines included. */
function randomText(seed: number, lines: number): string {
  const rng = createRng(seed, 1);
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const n = rng.nextInt(30);
    const words: string[] = [];
    for (let k = 0; k < n; k++) words.push(`w${Math.floor(Math.sqrt(rng.nextInt(400 * 400)) / 4)}`);
    out.push(words.join(' '));
  }
  return out.join('\n');
}

describe('countCooccurrencesFrom', () => {
  for (const gzip of [false, true]) {
    it(`a streamed ${gzip ? 'gzip ' : ''}file gives the in-memory counts (batches cut anywhere)`, async () => {
      const text = randomText(7, 3000);
      const path = join(dir, `c${gzip ? '.txt.gz' : '.txt'}`);
      writeFileSync(path, gzip ? gzipSync(text) : text);
      const options = { window: 4, distanceWeighting: true, sentenceMarkers: true, maxVocab: 60 };
      const expected = countCooccurrences(await Corpus.fromFile(path, { minCount: 2 }), options);
      const streamed = await StreamingCorpus.open(path, { minCount: 2, chunkSize: 512 });
      const got = await countCooccurrencesFrom(streamed, options);
      expect(got.labels).toEqual(expected.labels);
      expect(got.tokenCount).toBe(expected.tokenCount);
      expect(Array.from(got.frequencies)).toEqual(Array.from(expected.frequencies));
      expect(Array.from(got.matrix.indptr)).toEqual(Array.from(expected.matrix.indptr));
      expect(Array.from(got.matrix.indices)).toEqual(Array.from(expected.matrix.indices));
      expect(Array.from(got.matrix.data)).toEqual(Array.from(expected.matrix.data));
    });
  }

  it('GloVe trains on a streamed corpus, and stops on its signal with ABORTED', async () => {
    const path = join(dir, 'g.txt');
    writeFileSync(path, randomText(3, 2000));
    const corpus = await StreamingCorpus.open(path, { minCount: 2, chunkSize: 256 });
    const { embeddings } = await trainGlove(corpus, { dim: 8, iterations: 2, threads: 1 });
    expect(embeddings.size).toBe(corpus.vocabulary.size);
    const controller = new AbortController();
    controller.abort();
    const error = await trainGlove(corpus, { dim: 8, iterations: 2, threads: 1, signal: controller.signal }).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'ABORTED')).toBe(true);
  });
});
