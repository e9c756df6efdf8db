import { execFileSync } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import {
  Corpus,
  StreamingCorpus,
  corpusRanges,
  openCorpusPart,
  wordTable,
  type CorpusFileOptions,
  type CorpusReader,
  type ReadSentencesOptions,
} from '../index';

const dir = mkdtempSync(join(tmpdir(), 'embedkit-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function fixture(content: string | Uint8Array, suffix = '.txt'): string {
  const path = join(dir, `s${fileNo++}${suffix}`);
  writeFileSync(path, content);
  return path;
}

/** Sentences of ids read by `reader`, in order. */
async function sentencesOf(reader: CorpusReader): Promise<number[][]> {
  const out: number[][] = [];
  for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) {
    const { ids, sentenceOffsets } = batch;
    expect(sentenceOffsets[0]).toBe(0);
    expect(sentenceOffsets[sentenceOffsets.length - 1]).toBe(ids.length);
    for (let s = 0; s + 1 < sentenceOffsets.length; s++) {
      const sentence = Array.from(ids.subarray(sentenceOffsets[s], sentenceOffsets[s + 1]));
      expect(sentence.length).toBeGreaterThan(0);
      out.push(sentence);
    }
  }
  return out;
}

async function inMemory(path: string, options: CorpusFileOptions): Promise<number[][]> {
  return sentencesOf((await Corpus.fromFile(path, options)).read());
}

/** Every part's sentences, part after part: one epoch as the threads see it together. */
async function byParts(corpus: StreamingCorpus, path: string, parts: number, reach?: number): Promise<number[][]> {
  const ranges = await corpusRanges(path, parts, reach);
  const { read, size } = (await corpus.parts(1))[0]!;
  const table = wordTable(corpus.vocabulary.words);
  const out: number[][] = [];
  for (const range of ranges) out.push(...(await sentencesOf(openCorpusPart({ path, size, ...range, read }, table))));
  return out;
}

describe('StreamingCorpus', () => {
  it('property: every pass, whole or by byte ranges, gives the in-memory token stream', async () => {
    // Odd line lengths, empty lines, CRLF, no final newline, multi-byte characters everywhere
    // (so range boundaries land next to them), and long runs without a newline.
    const piece = fc.constantFrom('a', 'bc', 'def ', ' ', ' ', '\n', '\n\n', '\r\n', '\t', 'é', '中国', '🙂', 'ß ', 'x'.repeat(30), ' w'.repeat(40));
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 2, max: 7 }),
        fc.constantFrom<ReadSentencesOptions['mode']>('whitespace', 'words', 'text8', 'auto'),
        fc.constantFrom(3, 10_000),
        async (pieces, chunkSize, parts, mode, maxSentenceLength) => {
          const path = fixture(`x y ${pieces.join('')}`);
          const options = { mode, chunkSize, maxSentenceLength, minCount: 1 };
          const expected = await inMemory(path, options);
          const corpus = await StreamingCorpus.open(path, options);
          expect(corpus.tokenCount).toBe(expected.flat().length);
          // One reader: identical sentences.
          expect(await sentencesOf(corpus.read())).toEqual(expected);
          // Ranges cut at newlines: identical sentences, each read by exactly one part.
          expect(await byParts(corpus, path, parts)).toEqual(expected);
          // Ranges also cut at whitespace inside lines (as in a single-line file): the same
          // tokens in the same order; sentences only gain cuts at the range starts.
          if (mode === 'auto') return; // its per-piece decision may change at a cut; tested on files with newlines above
          const cut = await byParts(corpus, path, parts, 4);
          expect(cut.flat()).toEqual(expected.flat());
          if (maxSentenceLength === 10_000) expect(cut.length - expected.length).toBeLessThanOrEqual(parts - 1);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('splits a single huge line (no newline) at whitespace, never inside a UTF-8 character', async () => {
    const words = ['naïve', 'zürich', '東京', 'a', 'bb', '🙂x'];
    const tokens: string[] = [];
    for (let i = 0, length = 0; length < 3_000_000; i++) {
      tokens.push(words[i % words.length]! + (i % 7));
      length += tokens[i]!.length + 1;
    }
    const path = fixture(tokens.join(' '));
    const options = { mode: 'whitespace' as const, minCount: 1 };
    const corpus = await StreamingCorpus.open(path, options);
    const ranges = await corpusRanges(path, 3);
    expect(ranges.map((r) => r.end - r.start).every((n) => n > 500_000)).toBe(true);
    const expected = (await inMemory(path, options)).flat();
    const got = (await byParts(corpus, path, 3)).flat();
    expect(got).toEqual(expected);
    // The C tool's sentence length applies inside each part: at most 10,000 tokens each.
    for (const sentence of await byParts(corpus, path, 3)) expect(sentence.length).toBeLessThanOrEqual(10_000);
  });

  it('streams a gzip file through one reader, and load() equals Corpus.fromFile', async () => {
    const text = 'the cat sat on the mat\n\nthe dog sat\r\nnaïve café 中国\nlast line without newline';
    const plain = fixture(text);
    const gz = fixture(gzipSync(Buffer.from(text)), '.txt.gz');
    const expected = await inMemory(plain, { minCount: 1 });
    const corpus = await StreamingCorpus.open(gz, { minCount: 1, chunkSize: 7 });
    expect(corpus.kind).toBe('gzip');
    expect(corpus.seekable).toBe(false);
    expect(await sentencesOf(corpus.read())).toEqual(expected);
    expect(await sentencesOf(corpus.read())).toEqual(expected); // a second epoch reads it again
    expect(await sentencesOf((await corpus.load()).read())).toEqual(expected);
    expect(await inMemory(gz, { minCount: 1 })).toEqual(expected);
    await expect(corpus.parts(2)).rejects.toThrow(/gzip-compressed/);
  });

  it('a given vocabulary: the first pass counts its kept tokens and sentences exactly', async () => {
    const path = fixture('a b c\nz z z\n\nb a\n');
    const vocabulary = (await Corpus.fromFile(fixture('a b\na b\n'), { minCount: 1 })).vocabulary;
    const corpus = await StreamingCorpus.open(path, { vocabulary });
    expect(corpus.tokenCount).toBe(4);
    expect(corpus.sentenceCount).toBe(2);
    expect(await sentencesOf(corpus.read())).toEqual(await inMemory(path, { vocabulary }));
  });

  it('stops on abort, and refuses what it cannot read again', async () => {
    const path = fixture('a b c\n'.repeat(50_000));
    const corpus = await StreamingCorpus.open(path, { minCount: 1, chunkSize: 1024 });
    const controller = new AbortController();
    const reader = corpus.read(controller.signal);
    expect(await reader.next()).toBeDefined();
    controller.abort(new Error('stop'));
    await expect(reader.next()).rejects.toThrow('stop');
    const bad = fixture(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), '.gz');
    const error = await StreamingCorpus.open(bad).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'READ_ERROR')).toBe(true);
    expect(String((error as Error).message)).toMatch(/not a valid gzip file/);
  });
  it('a file removed, truncated or changed between passes fails the pass with its code, the file named and why (issue 17)', async () => {
    const text = 'the cat sat on the mat\n'.repeat(100_000); // parts longer than a batch
    const expectFailure = async (pass: Promise<unknown>, code: string, problem: RegExp, path: string): Promise<void> => {
      const error = await pass.catch((e: unknown) => e);
      expect(isEmbedkitError(error, code), `${String(error)} ${problem}`).toBe(true);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(problem);
      expect((error as Error).message).toMatch(/read again at every pass.*-stream 0/);
    };
    const drain = async (reader: CorpusReader): Promise<void> => {
      while ((await reader.next()) !== undefined);
    };
    // Removed: the whole-file pass and a part's pass.
    let path = fixture(text);
    let corpus = await StreamingCorpus.open(path, { minCount: 1, chunkSize: 4096 });
    let parts = await corpus.parts(2);
    const table = wordTable(corpus.vocabulary.words);
    unlinkSync(path);
    await expectFailure(drain(corpus.read()), 'FILE_NOT_FOUND', /not found/, path);
    await expectFailure(drain(openCorpusPart(parts[1]!, table)), 'FILE_NOT_FOUND', /not found/, path);
    await expectFailure(corpus.parts(2), 'FILE_NOT_FOUND', /not found/, path);
    // Truncated before a pass, or while a part is read (after its first batch).
    path = fixture(text);
    corpus = await StreamingCorpus.open(path, { minCount: 1, chunkSize: 4096 });
    parts = await corpus.parts(2);
    const reading = openCorpusPart(parts[0]!, table);
    expect(await reading.next()).toBeDefined();
    truncateSync(path, 1000);
    await expectFailure(drain(reading), 'READ_ERROR', /ended at byte \d+, before the end of the range being read .*truncated/, path);
    await expectFailure(drain(corpus.read()), 'READ_ERROR', /has changed since it was counted \(2,300,000 bytes then, 1,000 now\)/, path);
    await expectFailure(drain(openCorpusPart(parts[1]!, table)), 'READ_ERROR', /has changed since it was counted/, path);
    // Grown (appended to): refused too, rather than trained on other text than was counted.
    path = fixture(text);
    corpus = await StreamingCorpus.open(path, { minCount: 1 });
    appendFileSync(path, 'more text\n');
    await expectFailure(drain(corpus.read()), 'READ_ERROR', /has changed since it was counted/, path);
  });
  it('a pipe: Corpus.fromFile reads it once into the corpus two passes make of the file; StreamingCorpus refuses it, naming the fixes (issue 17)', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => (i % 41 === 0 ? '' : `w${i % 97} the w${(i * 7) % 13} cat ${i % 5 === 0 ? 'rare' + i : 'sat'}`)).join('\n');
    const path = fixture(text);
    const fifo = join(dir, 'corpus.fifo');
    execFileSync('mkfifo', [fifo]);
    const fromPipe = async (options: CorpusFileOptions): Promise<Corpus> => {
      const writer = createWriteStream(fifo); // opens once the reader does
      writer.end(text);
      return Corpus.fromFile(fifo, options);
    };
    for (const options of [{ minCount: 1 }, { minCount: 3, mode: 'words' as const, maxSentenceLength: 4 }]) {
      const once = await fromPipe(options);
      const twice = await Corpus.fromFile(path, options);
      expect(once.vocabulary.words).toEqual(twice.vocabulary.words);
      expect(Array.from(once.vocabulary.counts)).toEqual(Array.from(twice.vocabulary.counts));
      expect(Array.from(once.ids)).toEqual(Array.from(twice.ids));
      expect(Array.from(once.sentenceOffsets)).toEqual(Array.from(twice.sentenceOffsets));
    }
    // maxSize pruning while counting: the same vocabulary; a word's occurrences from before it was pruned are lost.
    const pruned = await fromPipe({ minCount: 1, maxSize: 40 });
    const prunedTwice = await Corpus.fromFile(path, { minCount: 1, maxSize: 40 });
    expect(pruned.vocabulary.words).toEqual(prunedTwice.vocabulary.words);
    expect(pruned.tokenCount).toBeLessThan(prunedTwice.tokenCount);
    expect(pruned.tokenCount).toBe(pruned.vocabulary.totalCount);
    const refused = await StreamingCorpus.open(fifo, { minCount: 1 }).catch((e: unknown) => e);
    expect(isEmbedkitError(refused, 'NOT_A_FILE')).toBe(true);
    expect((refused as Error).message).toMatch(/pipe can be read only once; load it with Corpus\.fromFile .*or write it to a file first/);
  });
});
