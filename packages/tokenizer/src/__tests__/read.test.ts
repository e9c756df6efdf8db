import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { Corpus, Vocabulary, countWords, looksLikeWholeLines, readSentences, tokenize, type ReadSentencesOptions, type WordCounter } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'embedkit-tokenizer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function fixture(content: string | Uint8Array): string {
  const path = join(dir, `f${fileNo++}.txt`);
  writeFileSync(path, content);
  return path;
}

async function collect(path: string, options?: ReadSentencesOptions): Promise<string[][]> {
  const out: string[][] = [];
  for await (const s of readSentences(path, options)) out.push(s);
  return out;
}

// What the reader must produce: each line tokenized, cut into pieces of at most `max` tokens.
function reference(text: string, max: number, options?: ReadSentencesOptions): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    const tokens = tokenize(line, options);
    for (let i = 0; i < tokens.length; i += max) out.push(tokens.slice(i, i + max));
  }
  return out;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isEmbedkitError(error) ? error.code : `not an EmbedkitError: ${String(error)}`;
  }
  return undefined;
}

const zhwiki = fileURLToPath(new URL('../../../../../shared/data/zhwiki/raw/AA/wiki_00', import.meta.url));

describe('readSentences', () => {
  it('reads the article documents, a line per sentence', async () => {
    const path = fixture('all that glitters is not gold\nall is well that ends well\n');
    expect(await collect(path)).toEqual([
      ['all', 'that', 'glitters', 'is', 'not', 'gold'],
      ['all', 'is', 'well', 'that', 'ends', 'well'],
    ]);
  });

  it('handles CRLF, a BOM, blank lines and a missing final newline', async () => {
    const path = fixture('\uFEFFHello world\r\n\r\n\n  \nlast line');
    for (const mode of ['words', 'whitespace', 'text8'] as const) {
      for (const chunkSize of [1, 2, 3, 5, 1 << 20]) {
        expect(await collect(path, { mode, chunkSize })).toEqual([['hello', 'world'], ['last', 'line']]);
        expect((await countWords(path, { mode, chunkSize })).toVocabulary({ minCount: 1 }).words).toEqual(
          ['hello', 'world', 'last', 'line'],
        );
      }
    }
  });

  it('stops cleanly when the consumer breaks early', async () => {
    const path = fixture('one two\nthree four\nfive\n');
    for await (const sentence of readSentences(path)) {
      expect(sentence).toEqual(['one', 'two']);
      break;
    }
    expect(await collect(path)).toHaveLength(3);
  });

  it('replaces invalid UTF-8 with U+FFFD', async () => {
    const path = fixture(Buffer.concat([Buffer.from('abc '), Buffer.from([0xff]), Buffer.from(' d\xe9f caf'), Buffer.from([0xc3])]));
    expect(await collect(path, { mode: 'whitespace' })).toEqual([['abc', '\uFFFD', 'déf', 'caf\uFFFD']]);
  });

  it('cuts a text8-style single line into sentences across tiny read chunks', async () => {
    const words: string[] = [];
    for (let i = 0; i < 500; i++) words.push(`w${(i * 7919) % 97}x`);
    const text = words.join(' ');
    // One line without a newline, like text8 (which ends with a space: the last sentence must
    // still come out when its last piece was handed out before the end of the file).
    for (const path of [fixture(text), fixture(`${text} `), fixture(`  ${text}\t \n`)]) {
      for (const chunkSize of [1, 2, 3, 7, 64, 1000, 1 << 20]) {
        const sentences = await collect(path, { chunkSize, maxSentenceLength: 64 });
        expect(sentences.map((s) => s.length)).toEqual([...Array(7).fill(64), 500 - 7 * 64]);
        expect(sentences.flat()).toEqual(words);
        const counter = await countWords(path, { chunkSize, maxSentenceLength: 64 });
        expect([counter.tokenCount, counter.sentenceCount]).toEqual([500, 8]);
      }
    }
  });

  it('never cuts a UTF-8 character or a word at a chunk boundary', async () => {
    const text = 'Zürich café 中国人民 naïve 東京は日本の首都です 🙂x ok\n'.repeat(5);
    const path = fixture(text);
    const expected = reference(text, 10_000);
    for (let chunkSize = 1; chunkSize <= 12; chunkSize++) {
      expect(await collect(path, { chunkSize })).toEqual(expected);
    }
  });

  it('property: tokens, their order and sentences survive chunking at any chunk size', async () => {
    const piece = fc.constantFrom('a', 'B', 'é', '中', '国', ' ', ' ', '\n', '\r\n', '\t', '.', ',', '7', 'ab', '🙂', 'ß');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<ReadSentencesOptions['mode']>('auto', 'words', 'whitespace', 'text8'),
        async (parts, chunkSize, maxSentenceLength, mode) => {
          const text = `x ${parts.join('')}`; // at least one token
          const path = fixture(text);
          const expected = reference(text, maxSentenceLength, { mode });
          const got = await collect(path, { chunkSize, maxSentenceLength, mode }).catch((e: unknown) => e);
          if (expected.length === 0) expect(isEmbedkitError(got, 'EMPTY_FILE')).toBe(true);
          else expect(got).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.skipIf(!existsSync(zhwiki))('reads zhwiki as lines of words', async () => {
    let sentences = 0;
    let han = 0;
    let multi = 0;
    for await (const sentence of readSentences(zhwiki)) {
      sentences++;
      for (const t of sentence) {
        if (/^\p{Script=Han}+$/u.test(t)) {
          han++;
          if ([...t].length > 1) multi++;
        }
      }
    }
    expect(sentences).toBeGreaterThan(5000);
    expect(han).toBeGreaterThan(100_000);
    expect(multi / han).toBeGreaterThan(0.3);
  });
});

describe('bad input', () => {
  it('refuses an empty file, a blank file, a directory and a missing path with typed errors', async () => {
    expect(await codeOf(collect(fixture('')))).toBe('EMPTY_FILE');
    expect(await codeOf(collect(fixture(' \n\r\n ... \n')))).toBe('EMPTY_FILE');
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expect(await codeOf(collect(sub))).toBe('NOT_A_FILE');
    expect(await codeOf(collect(join(dir, 'missing.txt')))).toBe('FILE_NOT_FOUND');
    expect(await codeOf(Corpus.fromFile(join(dir, 'missing.txt')))).toBe('FILE_NOT_FOUND');
    expect(await codeOf(countWords(sub))).toBe('NOT_A_FILE');
  });

  it('refuses binary junk: NUL bytes, random bytes, UTF-16', async () => {
    const nul = Buffer.from('some text then \u0000\u0001\u0002 binary');
    expect(await codeOf(collect(fixture(nul)))).toBe('BINARY_FILE');
    // NUL far from the start, found in a later chunk
    expect(await codeOf(collect(fixture(Buffer.concat([Buffer.from('word '.repeat(30000)), Buffer.from([0])]))))).toBe('BINARY_FILE');
    const random = Buffer.alloc(5000);
    let x = 12345;
    for (let i = 0; i < random.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      random[i] = ((x >>> 16) % 255) + 1; // no NUL: the UTF-8 check must catch it
    }
    expect(await codeOf(collect(fixture(random)))).toBe('BINARY_FILE');
    expect(await codeOf(collect(fixture(Buffer.from('\uFEFFhello world', 'utf16le'))))).toBe('BINARY_FILE');
  });

  it('calls a Latin-1 file not UTF-8, not binary, and names the conversion', async () => {
    const french = 'le café était très agréable à côté de la forêt où les élèves étudiaient\n'.repeat(200);
    const latin1 = fixture(Buffer.from(french, 'latin1'));
    expect(await codeOf(collect(latin1))).toBe('NOT_UTF8');
    await expect(countWords(latin1)).rejects.toThrow(`iconv -f latin1 -t utf-8 ${latin1}`);
  });

  it('warns once, with the line, about an invalid UTF-8 byte, at any chunk size', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `ligne ${i} café`);
    const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
    const at = bytes.indexOf('ligne 250 ');
    const bad = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe9]), bytes.subarray(at), Buffer.from([0xff, 0x0a])]);
    const path = fixture(bad);
    for (const chunkSize of [1, 7, 64, 1 << 20]) {
      const warnings: string[] = [];
      const counter = await countWords(path, { mode: 'whitespace', chunkSize, onWarning: (m) => warnings.push(m) });
      expect(counter.tokenCount).toBe(1201);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`${path}:251: invalid UTF-8 (byte 0xe9)`);
    }
    // Corpus.fromFile reads the file twice but warns once.
    const warnings: string[] = [];
    await Corpus.fromFile(path, { minCount: 1, onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    // Valid text, multi-byte characters cut by every chunk boundary: no warning.
    const clean: string[] = [];
    await countWords(fixture('中国 café 🙂 '.repeat(100)), { chunkSize: 5, onWarning: (m) => clean.push(m) });
    expect(clean).toEqual([]);
  });

  it('does not hang on endless devices', async () => {
    for (const device of ['/dev/zero', '/dev/urandom']) {
      if (existsSync(device)) expect(await codeOf(countWords(device))).toBe('BINARY_FILE');
    }
  });

  it('cuts a "word" longer than 1 MiB instead of holding a line without whitespace whole', async () => {
    const path = fixture('a'.repeat(3_000_000));
    const sentences = await collect(path, { mode: 'whitespace', chunkSize: 1 << 16 });
    const tokens = sentences.flat();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(tokens.every((t) => t.length <= (1 << 20) + (1 << 16))).toBe(true);
    expect(tokens.join('').length).toBe(3_000_000);
  });

  it('names the fix when no word reaches minCount', async () => {
    const path = fixture('a a a b\n');
    await expect(Corpus.fromFile(path)).rejects.toThrow(
      'Empty vocabulary: no word occurs at least 5 times (the most frequent occurs 3 times); lower minCount',
    );
    expect(await codeOf(Corpus.fromFile(path))).toBe('EMPTY_VOCABULARY');
  });

  it('rejects bad options', async () => {
    await expect(collect('x', { chunkSize: 0 })).rejects.toThrow(RangeError);
    await expect(collect('x', { maxSentenceLength: 1.5 })).rejects.toThrow(RangeError);
    await expect(Corpus.fromFile('x', { minCount: -1 })).rejects.toThrow(RangeError);
  });
});

describe('Corpus.fromFile and counts', () => {
  it('encodes a file as fromSentences does, and counts sum to the total', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 12 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 16 }),
        async (lines, minCount, chunkSize) => {
          const text = lines.map((l) => l.join(' ')).join('\n');
          const sentences = lines.filter((l) => l.length > 0);
          const total = sentences.reduce((n, s) => n + s.length, 0);
          const path = fixture(text);
          if (total === 0) {
            expect(await codeOf(Corpus.fromFile(path, { minCount, chunkSize }))).toBe('EMPTY_FILE');
            return;
          }
          const counter = await countWords(path, { chunkSize });
          expect(counter.tokenCount).toBe(total);
          expect(counter.sentenceCount).toBe(sentences.length);
          const all = counter.toVocabulary({ minCount: 1 });
          expect(all.counts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(all.totalCount).toBe(total);
          let expected: Corpus | string;
          try {
            expected = Corpus.fromSentences(sentences, { minCount });
          } catch (e) {
            expected = (e as { code: string }).code;
          }
          if (typeof expected === 'string') {
            expect(await codeOf(Corpus.fromFile(path, { minCount, chunkSize }))).toBe(expected);
            return;
          }
          const corpus = await Corpus.fromFile(path, { minCount, chunkSize });
          expect(corpus.vocabulary.words).toEqual(expected.vocabulary.words);
          expect(Array.from(corpus.ids)).toEqual(Array.from(expected.ids));
          expect(Array.from(corpus.sentenceOffsets)).toEqual(Array.from(expected.sentenceOffsets));
          expect(corpus.ids.buffer.byteLength).toBe(4 * corpus.tokenCount); // trimmed
          let kept = 0;
          for (let id = 0; id < corpus.vocabulary.size; id++) kept += corpus.vocabulary.countOf(id);
          expect(corpus.tokenCount).toBe(kept);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the byte-level fast path of the file passes', () => {
  it('property: countWords and Corpus.fromFile equal readSentences + Vocabulary, in every mode', async () => {
    const piece = fc.constantFrom('the', 'The', 'THE', 'a', 'b7', '42', ' ', ' ', ' ', '\n', '\r\n', '.', "'s", '-', 'é', 'É', '中国', '人', '\u3000', 'ﬁ', '_x', '🙂', '我们是中国人', '，喜欢吃饭。', 'ภาษาไทย', '𠀀𠀁');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { minLength: 1, maxLength: 120 }),
        fc.constantFrom<ReadSentencesOptions['mode']>('auto', 'words', 'whitespace', 'text8'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        fc.integer({ min: 1, max: 64 }),
        async (parts, mode, lowercase, keepNumbers, maxSentenceLength, maxSize, chunkSize) => {
          const path = fixture(`x ${parts.join('')}`);
          const options = { mode, lowercase, keepNumbers, maxSentenceLength, chunkSize };
          const sentences = await collect(path, options);
          const counter = await countWords(path, { ...options, maxSize });
          let reference: Vocabulary;
          try {
            reference = Vocabulary.fromSentences(sentences, { minCount: 1, maxSize });
          } catch (e) {
            // maxSize can prune every word (all seen once): both paths must say so.
            expect(isEmbedkitError(e, 'EMPTY_VOCABULARY')).toBe(true);
            expect(() => counter.toVocabulary({ minCount: 1 })).toThrow('Empty vocabulary');
            return;
          }
          expect(counter.tokenCount).toBe(sentences.reduce((n, s) => n + s.length, 0));
          expect(counter.sentenceCount).toBe(sentences.length);
          const fast = counter.toVocabulary({ minCount: 1 });
          expect(fast.words).toEqual(reference.words);
          expect(Array.from(fast.counts)).toEqual(Array.from(reference.counts));
          const corpus = await Corpus.fromFile(path, { ...options, minCount: 1, maxSize });
          const expected = Corpus.fromSentences(sentences, { vocabulary: reference });
          expect(Array.from(corpus.ids)).toEqual(Array.from(expected.ids));
          expect(Array.from(corpus.sentenceOffsets)).toEqual(Array.from(expected.sentenceOffsets));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows its hash table and prunes under maxSize on many distinct words', async () => {
    const words: string[] = [];
    for (let i = 0; i < 30_000; i++) words.push(`w${i % 50}`, `r${i}`);
    const path = fixture(words.join(' '));
    const counter = await countWords(path, { maxSize: 1000 });
    expect(counter.distinctCount).toBeLessThanOrEqual(1000);
    expect(counter.pruneCount).toBeGreaterThan(10);
    expect(counter.tokenCount).toBe(60_000);
    // Frequent words outgrow the rising threshold and keep exact counts; the rare ones are gone.
    const v = counter.toVocabulary({ minCount: 2 });
    expect(v.size).toBe(50);
    expect(Array.from(v.counts).every((c) => c === 600)).toBe(true);
    expect(v.words.slice(0, 3)).toEqual(['w0', 'w1', 'w2']);
    const all = await countWords(path);
    expect(all.distinctCount).toBe(30_050);
  });
});

describe('shared corpora', () => {
  it('puts ids and offsets on SharedArrayBuffers when asked, with the same content', async () => {
    const path = fixture('a b c a\nb a\n\nc c a d\n');
    const plain = await Corpus.fromFile(path, { minCount: 1 });
    const shared = await Corpus.fromFile(path, { minCount: 1, shared: true });
    expect(shared.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.sentenceOffsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(plain.ids.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(shared.ids)).toEqual(Array.from(plain.ids));
    expect(Array.from(shared.sentenceOffsets)).toEqual(Array.from(plain.sentenceOffsets));
    expect(shared.ids.buffer.byteLength).toBe(4 * shared.tokenCount);
    // With a given vocabulary the arrays grow, then are trimmed: still shared.
    const grown = await Corpus.fromFile(path, { vocabulary: plain.vocabulary, shared: true });
    expect(grown.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(grown.ids)).toEqual(Array.from(plain.ids));
    const fromSentences = Corpus.fromSentences([['x', 'y', 'x']], { minCount: 1, shared: true });
    expect(fromSentences.ids.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('looksLikeWholeLines', () => {
  it('flags lines read as tokens, not words; onCount hands over the counts', async () => {
    const zh = Array.from({ length: 300 }, (_, i) => `第${i}行：我们是中国人，喜欢吃饭，也喜欢读书。`).join('\n');
    const path = fixture(zh);
    let counted: WordCounter | undefined;
    await expect(Corpus.fromFile(path, { mode: 'whitespace', onCount: (c) => (counted = c) })).rejects.toThrow('Empty vocabulary');
    const report = looksLikeWholeLines(counted!);
    expect(report).toEqual({ distinctCount: 300, onceCount: 300, medianLength: 24 });
    expect(looksLikeWholeLines(await countWords(path, { mode: 'auto' }))).toBeUndefined();
    const english = Array.from({ length: 300 }, (_, i) => `the word${i} and another${i * 7} word`).join('\n');
    expect(looksLikeWholeLines(await countWords(fixture(english)))).toBeUndefined();
  });
});

describe('Vocabulary.fromSentenceStream', () => {
  it('counts a readSentences stream as countWords does', async () => {
    const path = fixture('the cat sat on the mat\nthe dog sat\n\nthe end');
    const streamed = await Vocabulary.fromSentenceStream(readSentences(path), { minCount: 2 });
    expect(streamed.words).toEqual(['the', 'sat']);
    expect(Array.from(streamed.counts)).toEqual([4, 2]);
    const counted = (await countWords(path)).toVocabulary({ minCount: 2 });
    expect(counted.words).toEqual(streamed.words);
    expect(counted.totalCount).toBe(6);
  });
});

describe('progress and cancellation', () => {
  it('reports progress up to the file size and stops on abort', async () => {
    const text = 'alpha beta gamma\n'.repeat(2000);
    const path = fixture(text);
    const seen: number[] = [];
    await countWords(path, { chunkSize: 4096, onProgress: (read, total) => {
      expect(total).toBe(text.length);
      seen.push(read);
    } });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen[seen.length - 1]).toBe(text.length);
    const controller = new AbortController();
    const reading = Corpus.fromFile(path, {
      chunkSize: 4096,
      signal: controller.signal,
      onProgress: (read) => {
        if (read > 10_000) controller.abort(new Error('stop'));
      },
    });
    await expect(reading).rejects.toThrow('stop');
  });
});

describe('Vocabulary save/load', () => {
  it('writes the C tool -save-vocab format and reads it back', async () => {
    const v = Vocabulary.fromSentences([['all', 'that', 'glitters', 'is', 'not', 'gold'], ['all', 'is', 'well', 'that', 'ends', 'well']], { minCount: 1 });
    const path = join(dir, 'vocab.txt');
    await v.save(path, { sentenceCount: 2 });
    const text = await readFile(path, 'utf8');
    expect(text).toBe('</s> 2\nall 2\nthat 2\nis 2\nwell 2\nglitters 1\nnot 1\ngold 1\nends 1\n');
    const back = await Vocabulary.load(path);
    expect(back.words).toEqual(v.words);
    expect(Array.from(back.counts)).toEqual(Array.from(v.counts));
    expect((await Vocabulary.load(path, { minCount: 2 })).size).toBe(4);
    await v.save(path, { sentenceMarker: false });
    expect((await readFile(path, 'utf8')).startsWith('all 2\n')).toBe(true);
  });

  it('reads CRLF, a BOM and unsorted files; refuses malformed ones', async () => {
    const v = await Vocabulary.load(fixture('\uFEFFb 1\r\na 3\r\n\r\nc 3\r\n'));
    expect(v.words).toEqual(['a', 'c', 'b']);
    expect(await codeOf(Vocabulary.load(fixture('a 1\nb two\n')))).toBe('PARSE_ERROR');
    expect(await codeOf(Vocabulary.load(fixture('a 1\na 2\n')))).toBe('PARSE_ERROR');
    expect(await codeOf(Vocabulary.load(fixture('')))).toBe('EMPTY_VOCABULARY');
    expect(await codeOf(Vocabulary.load(join(dir, 'nope')))).toBe('FILE_NOT_FOUND');
    expect(await codeOf(Vocabulary.load(dir))).toBe('NOT_A_FILE');
    expect(await codeOf(Vocabulary.load(fixture(Buffer.from([0x61, 0x20, 0x31, 0x0a, 0x00]))))).toBe('BINARY_FILE');
    await expect(Vocabulary.load(fixture('a 1\nb 2 3\n'))).rejects.toThrow(':2: expected "word count"');
    await expect(Vocabulary.load(fixture('the cat '.repeat(200_000)))).rejects.toThrow('line longer than 64 KiB');
  });

  it('refuses to save a word the format cannot hold', async () => {
    const v = Vocabulary.fromCounts([['two words', 3]], { minCount: 1 });
    expect(await codeOf(v.save(join(dir, 'bad.txt')))).toBe('INVALID_WORD');
    expect(existsSync(join(dir, 'bad.txt'))).toBe(false);
  });

  it('a refused save names the file given and why, not its temporary file', async () => {
    const v = Vocabulary.fromCounts([['word', 3]], { minCount: 1 });
    const missing = join(dir, 'no-such-dir', 'vocab.txt');
    expect(await codeOf(v.save(missing))).toBe('WRITE_ERROR');
    await expect(v.save(missing)).rejects.toThrow(`Cannot write ${missing}: the directory ${join(dir, 'no-such-dir')} does not exist`);
    await expect(v.save(dir)).rejects.toThrow(`Cannot write ${dir}: it is a directory`);
  });
});
