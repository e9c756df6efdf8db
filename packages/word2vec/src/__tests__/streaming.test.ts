// A streamed corpus trains as the in-memory one: bit-identical with one thread (same sentences,
// same random draws, same learning-rate schedule), the same planted structure recovered with
// workers reading their own byte ranges, and through one reader for a gzip file.
import { existsSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { Corpus, StreamingCorpus, countWords } from '@embedkit/tokenizer';
import { estimateMemory, resolveOptions, trainWord2Vec } from '../index';
import { CONFORMANCE_THRESHOLDS, analogyAccuracy, plantedCorpus, topicNeighbourRate } from '../conformance';

const workerBuilt = existsSync(fileURLToPath(new URL('../../dist/worker.js', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'embedkit-w2v-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The planted corpus of seed `seed` as a text file (a sentence a line), gzipped or not. */
function plantedFile(seed: number, gzip = false): { path: string; entities: number; topics: number } {
  const p = plantedCorpus(seed);
  const text = p.sentences.map((s) => s.join(' ')).join('\n');
  const path = join(dir, `planted-${seed}${gzip ? '.txt.gz' : '.txt'}`);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return { path, entities: p.entities, topics: p.topics };
}

const configs = CONFORMANCE_THRESHOLDS;

describe('streamed corpus', () => {
  for (const c of configs) {
    const name = `${c.model} ${c.hs ? 'HS' : 'NS'}`;
    const options = { model: c.model, hs: c.hs, negative: c.hs ? 0 : 5, dim: 16, epochs: 10, sample: 1e-3, seed: 3 };

    it(`${name}, 1 thread: bit-identical to the in-memory corpus`, async () => {
      const { path } = plantedFile(1);
      const memory = await trainWord2Vec(await Corpus.fromFile(path, { minCount: 1 }), { ...options, threads: 1 });
      const streamed = await trainWord2Vec(await StreamingCorpus.open(path, { minCount: 1, chunkSize: 4096 }), { ...options, threads: 1 });
      expect(streamed.stats.tokensProcessed).toBe(memory.stats.tokensProcessed);
      expect(streamed.stats.epochReports).toEqual(memory.stats.epochReports);
      expect(Buffer.from(streamed.state.wIn.buffer, streamed.state.wIn.byteOffset, streamed.state.wIn.byteLength).equals(
        Buffer.from(memory.state.wIn.buffer, memory.state.wIn.byteOffset, memory.state.wIn.byteLength),
      )).toBe(true);
    });

    it.skipIf(!workerBuilt)(`${name}, 2 threads on byte ranges and through one gzip reader: the planted structure`, async () => {
      for (const seed of [1, 2]) {
        for (const gzip of [false, true]) {
          const p = plantedFile(seed, gzip);
          const corpus = await StreamingCorpus.open(p.path, { minCount: 1, chunkSize: 2048 });
          expect(corpus.seekable).toBe(!gzip);
          const { embeddings, stats } = await trainWord2Vec(corpus, { ...options, sample: 0, seed, threads: 2 });
          expect(stats.epochReports).toHaveLength(10);
          expect(stats.tokensProcessed).toBe(corpus.tokenCount * 10);
          expect(analogyAccuracy(embeddings, p.entities)).toBeGreaterThanOrEqual(c.analogy);
          expect(topicNeighbourRate(embeddings, p.entities, p.topics)).toBeGreaterThanOrEqual(c.neighbours);
          expect(stats.epochReports[9]!.loss).toBeLessThan(stats.epochReports[0]!.loss);
        }
      }
    });
  }

  it('1 thread over several batches of the reader (84k tokens; a batch holds 65,536): still bit-identical', async () => {
    const p = plantedCorpus(4, 8, 12_000);
    const path = join(dir, 'planted-multi-batch.txt');
    writeFileSync(path, p.sentences.map((words) => words.join(' ')).join('\n'));
    for (const c of configs) {
      const options = { model: c.model, hs: c.hs, negative: c.hs ? 0 : 5, dim: 8, epochs: 2, sample: 1e-3, seed: 7, threads: 1 };
      const memory = await trainWord2Vec(await Corpus.fromFile(path, { minCount: 1 }), options);
      expect(memory.stats.tokensProcessed).toBeGreaterThan(2 * 65_536);
      const streamed = await trainWord2Vec(await StreamingCorpus.open(path, { minCount: 1 }), options);
      expect(streamed.stats.epochReports).toEqual(memory.stats.epochReports);
      expect(Array.from(streamed.state.wIn)).toEqual(Array.from(memory.state.wIn));
    }
  });

  it('1 thread with a vocabulary pruned while counting (maxSize): the same token count and bit-identical vectors', async () => {
    const p = plantedCorpus(5, 8, 6000);
    const path = join(dir, 'planted-pruned.txt');
    writeFileSync(path, p.sentences.map((words) => words.join(' ')).join('\n'));
    const distinct = (await countWords(path)).distinctCount;
    const maxSize = Math.floor(distinct / 2);
    const pruned = await countWords(path, { maxSize });
    expect(pruned.pruneCount).toBeGreaterThan(0);
    const loaded = await Corpus.fromFile(path, { minCount: 1, maxSize });
    // What made the streamed schedule differ: the pruned counts fall short of the kept tokens.
    expect(loaded.vocabulary.totalCount).toBeLessThan(loaded.tokenCount);
    const streamedCorpus = await StreamingCorpus.open(path, { minCount: 1, maxSize });
    expect(streamedCorpus.vocabulary.words).toEqual(loaded.vocabulary.words);
    expect(streamedCorpus.tokenCount).toBe(loaded.tokenCount);
    expect(streamedCorpus.sentenceCount).toBe(loaded.sentenceCount);
    for (const c of configs) {
      const options = { model: c.model, hs: c.hs, negative: c.hs ? 0 : 5, dim: 8, epochs: 2, sample: 1e-3, seed: 11, threads: 1 };
      const memory = await trainWord2Vec(loaded, options);
      const streamed = await trainWord2Vec(streamedCorpus, options);
      expect(streamed.stats.tokensProcessed).toBe(memory.stats.tokensProcessed);
      expect(streamed.stats.epochReports).toEqual(memory.stats.epochReports);
      expect(Array.from(streamed.state.wIn)).toEqual(Array.from(memory.state.wIn));
    }
  });

  it('subwords (fastText) stream too: bit-identical with 1 thread', async () => {
    const { path } = plantedFile(2);
    const options = { model: 'skipgram', dim: 16, epochs: 3, seed: 5, threads: 1, subwords: { minN: 2, maxN: 3, buckets: 1000 } } as const;
    const memory = await trainWord2Vec(await Corpus.fromFile(path, { minCount: 1 }), options);
    const streamed = await trainWord2Vec(await StreamingCorpus.open(path, { minCount: 1 }), options);
    expect(Array.from(streamed.state.wIn)).toEqual(Array.from(memory.state.wIn));
  });

  it.skipIf(!workerBuilt)('subwords with 2 workers on byte ranges', async () => {
    const p = plantedFile(1);
    const corpus = await StreamingCorpus.open(p.path, { minCount: 1 });
    const { embeddings } = await trainWord2Vec(corpus, { model: 'skipgram', dim: 16, epochs: 10, sample: 0, threads: 2, subwords: { minN: 3, maxN: 3, buckets: 500 } });
    expect(topicNeighbourRate(embeddings, p.entities, p.topics)).toBeGreaterThanOrEqual(0.9);
  });

  for (const threads of [1, 2]) {
    for (const gzip of [false, true]) {
      it.skipIf(threads > 1 && !workerBuilt)(`aborts through its AbortSignal (${threads} thread${threads > 1 ? 's' : ''}${gzip ? ', gzip' : ''})`, async () => {
        const p = plantedFile(4, gzip);
        const corpus = await StreamingCorpus.open(p.path, { minCount: 1, chunkSize: 1024 });
        const controller = new AbortController();
        const started = performance.now();
        const training = trainWord2Vec(corpus, { dim: 16, epochs: 100_000, threads, signal: controller.signal });
        setTimeout(() => controller.abort(), 200);
        const error = await training.catch((e: unknown) => e);
        expect(isEmbedkitError(error, 'ABORTED')).toBe(true);
        expect(performance.now() - started).toBeLessThan(10_000);
      });
    }
  }

  it.skipIf(!workerBuilt)('a corpus file removed or truncated during training: the reader\'s error, naming the file, not WORKER_FAILED (issue 17)', async () => {
    const p = plantedCorpus(6, 8, 6000);
    const text = p.sentences.map((words) => words.join(' ')).join('\n');
    for (const change of ['remove', 'truncate'] as const) {
      const path = join(dir, `planted-${change}.txt`);
      writeFileSync(path, text);
      const corpus = await StreamingCorpus.open(path, { minCount: 1 });
      expect(corpus.seekable).toBe(true);
      // After the first epoch the workers read their byte ranges again: the file is gone or short.
      const onEpochEnd = (): void => (change === 'remove' ? unlinkSync(path) : truncateSync(path, 100));
      const error = await trainWord2Vec(corpus, { dim: 8, epochs: 5, threads: 2, onEpochEnd }).catch((e: unknown) => e);
      const code = change === 'remove' ? 'FILE_NOT_FOUND' : 'READ_ERROR';
      expect(isEmbedkitError(error, code), String(error)).toBe(true);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(change === 'remove' ? /not found/ : /changed since it was counted|truncated/);
    }
  });

  it('the memory estimate of a streamed corpus: batches per thread and what its reader holds, not the corpus', async () => {
    const small = plantedCorpus(7, 8, 2000);
    const paths = [1, 10].map((times) => {
      const path = join(dir, `planted-x${times}.txt`);
      writeFileSync(path, Array.from({ length: times }, () => small.sentences.map((w) => w.join(' ')).join('\n')).join('\n'));
      return path;
    });
    const streamed = await Promise.all(paths.map((path) => StreamingCorpus.open(path, { minCount: 1 })));
    expect(streamed[1]!.vocabulary.words).toEqual(streamed[0]!.vocabulary.words);
    expect(streamed[1]!.tokenCount).toBe(10 * streamed[0]!.tokenCount);
    const options = { dim: 16, threads: 2 };
    const [one, ten] = streamed.map((corpus) => resolveOptions(corpus, options).estimatedBytes);
    expect(ten).toBe(one);
    const loaded = await Corpus.fromFile(paths[1]!, { minCount: 1 });
    expect(resolveOptions(loaded, options).estimatedBytes).toBe(one! - 2 * 2 * (4 << 20) + 4 * loaded.tokenCount);
    // A Parquet file without an offset index holds a row group's column chunk (readerBytes, tested in the tokenizer).
    const shape = { dim: 16, negative: 5, hs: false, threads: 2, streaming: true };
    expect(estimateMemory(100, 0, { ...shape, readerBytes: 5_000_000 }) - estimateMemory(100, 0, shape)).toBe(5_000_000);
  });

  it('refuses a per-sentence globalContext', async () => {
    const { path } = plantedFile(1);
    const corpus = await StreamingCorpus.open(path, { minCount: 1 });
    await expect(trainWord2Vec(corpus, { globalContext: new Int32Array(corpus.sentenceCount).fill(-1) })).rejects.toThrow(/streamed corpus/);
  });
});
