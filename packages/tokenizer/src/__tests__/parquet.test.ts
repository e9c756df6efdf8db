// Parquet corpora: a text column read row group by row group gives exactly what the same rows
// give as lines of a text file, through every reader (sentences, counting, encoding).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetFile, ParquetFileWriter } from '@embedkit/parquet';
import type { SchemaElement } from '@embedkit/parquet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Corpus, StreamingCorpus, countWords, forEachSentence, readSentences } from '../index';
import type { ReadSentencesOptions } from '../index';

let dir: string;
let parquet: string;
let text: string;

const optionalString = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });

/** Seeded rows: words from a small vocabulary, some non-ASCII, a very long row, nulls, blanks. */
function rows(count: number, seed: number): (string | null)[] {
  const words = ['the', 'cat', 'Sat', 'on', 'mat', 'naïve', 'café', '北京', 'x-ray', "don't", '42', 'ÉTÉ'];
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const out: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 17 === 5) {
      out.push(null);
      continue;
    }
    const length = i === 30 ? 250 : Math.floor(next() * 12);
    const tokens: string[] = [];
    for (let k = 0; k < length; k++) tokens.push(words[Math.floor(next() * words.length)] as string);
    out.push(tokens.join(next() < 0.2 ? '  ' : ' '));
  }
  return out;
}

/** Whether two id arrays are equal (toEqual on 100k-element arrays takes seconds). */
function sameIds(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function collect(path: string, options: ReadSentencesOptions): Promise<string[][]> {
  const sentences: string[][] = [];
  for await (const sentence of readSentences(path, options)) sentences.push(sentence);
  return sentences;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-parquet-corpus-'));
  parquet = join(dir, 'corpus.parquet');
  text = join(dir, 'corpus.txt');
  const all: (string | null)[] = [];
  const writer = ParquetFileWriter.create(parquet, {
    schema: [{ name: 'schema', num_children: 2 }, { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' }, optionalString('body')],
  });
  for (let group = 0; group < 4; group++) {
    const texts = rows(40, group + 1);
    writer.writeRowGroup([
      { name: 'id', data: texts.map((_, i) => group * 40 + i) },
      { name: 'body', data: texts },
    ]);
    all.push(...texts);
  }
  writer.finish();
  await writeFile(text, all.map((t) => t ?? '').join('\n') + '\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Parquet corpora', () => {
  const settings: ReadSentencesOptions[] = [
    { mode: 'whitespace' },
    { mode: 'words', lowercase: true, maxSentenceLength: 100 },
    { mode: 'text8' },
    { mode: 'words', lowercase: false, normalize: true, maxSentenceLength: 7 },
  ];

  it('reads the only text column row by row, exactly as the same rows as lines of text', async () => {
    for (const options of settings) {
      const fromParquet = await collect(parquet, options);
      expect(fromParquet.length).toBeGreaterThan(100);
      expect(fromParquet).toEqual(await collect(text, options));
      const seen: string[][] = [];
      await forEachSentence(parquet, options, (s) => seen.push(s));
      expect(seen).toEqual(fromParquet);
    }
  });

  it('counts and encodes a Parquet corpus as the text file (the trainers\' fast path)', async () => {
    for (const options of settings) {
      const a = await countWords(parquet, options);
      const b = await countWords(text, options);
      expect(a.tokenCount).toBe(b.tokenCount);
      expect(a.sentenceCount).toBe(b.sentenceCount);
      expect(a.toVocabulary({ minCount: 1 }).words).toEqual(b.toVocabulary({ minCount: 1 }).words);
      const x = await Corpus.fromFile(parquet, { ...options, minCount: 2 });
      const y = await Corpus.fromFile(text, { ...options, minCount: 2 });
      expect(Array.from(x.ids)).toEqual(Array.from(y.ids));
      expect(Array.from(x.sentenceOffsets)).toEqual(Array.from(y.sentenceOffsets));
      expect(x.vocabulary.words).toEqual(y.vocabulary.words);
    }
  });

  it('a StreamingCorpus reads it row group by row group each pass, as the loaded corpus (issue 17)', async () => {
    for (const options of settings) {
      const loaded = await Corpus.fromFile(parquet, { ...options, minCount: 2 });
      const streamed = await StreamingCorpus.open(parquet, { ...options, minCount: 2 });
      expect(streamed.kind).toBe('parquet');
      expect(streamed.tokenCount).toBe(loaded.tokenCount);
      for (let pass = 0; pass < 2; pass++) {
        const ids: number[] = [];
        const reader = streamed.read();
        for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) ids.push(...batch.ids);
        expect(ids).toEqual(Array.from(loaded.ids));
      }
    }
  });

  it('streams one row group at a time (the first sentences arrive after one row group\'s bytes)', async () => {
    const progress: number[] = [];
    let total = 0;
    const options: ReadSentencesOptions = {
      onProgress: (read, size) => {
        progress.push(read);
        total = size;
      },
    };
    let atFirst = -1;
    for await (const _ of readSentences(parquet, options)) {
      if (atFirst < 0) atFirst = progress.length;
    }
    expect(atFirst).toBe(1);
    expect(progress).toHaveLength(4);
    expect(progress[0]).toBeLessThan(total);
    expect(progress[3]).toBe(total);
    for (let i = 1; i < 4; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1] as number);
  });

  it('reads a directory of part files (a table Spark or DuckDB wrote) part after part, as one corpus', async () => {
    const table = join(dir, 'table.parquet');
    await mkdir(table);
    const all: (string | null)[] = [];
    for (let part = 0; part < 3; part++) {
      const texts = rows(30 + part * 10, 100 + part);
      const writer = ParquetFileWriter.create(join(table, `part-0000${part}-abc-c000.snappy.parquet`), {
        schema: [{ name: 'schema', num_children: 1 }, optionalString('body')],
      });
      writer.writeRowGroup([{ name: 'body', data: texts.slice(0, 20) }]);
      writer.writeRowGroup([{ name: 'body', data: texts.slice(20) }]);
      writer.finish();
      all.push(...texts);
      await writeFile(join(table, `.part-0000${part}-abc-c000.snappy.parquet.crc`), 'checksum');
    }
    await writeFile(join(table, '_SUCCESS'), '');
    const lines = join(dir, 'table.txt');
    await writeFile(lines, all.map((t) => t ?? '').join('\n') + '\n');
    for (const options of settings) expect(await collect(table, options)).toEqual(await collect(lines, options));
    const a = await Corpus.fromFile(table, { minCount: 1 });
    const b = await Corpus.fromFile(lines, { minCount: 1 });
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    const progress: [number, number][] = [];
    await countWords(table, { onProgress: (read, total) => progress.push([read, total]) });
    expect(progress).toHaveLength(6); // two row groups in each of three parts
    const [lastRead, total] = progress[5] as [number, number];
    expect(lastRead).toBe(total);
    // A directory that is not a table of Parquet parts.
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'notes.txt'), 'hello world\n');
    await expect(countWords(mixed)).rejects.toMatchObject({ code: 'NOT_A_FILE', message: expect.stringContaining('notes.txt') });
    const empty = join(dir, 'empty-dir');
    await mkdir(empty);
    await expect(countWords(empty)).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  });

  it('reads a column of token lists (Spark\'s array<string>) as its tokens, and the column named', async () => {
    const path = join(dir, 'tokens.parquet');
    const writer = ParquetFileWriter.create(path, {
      schema: [
        { name: 'schema', num_children: 3 },
        optionalString('title'),
        optionalString('body'),
        { name: 'words', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
    });
    writer.writeRowGroup([
      { name: 'title', data: ['One', 'Two', 'Three'] },
      { name: 'body', data: ['a b c', null, 'd e'] },
      { name: 'words', data: [['hello', 'world'], [], ['spark', 'tokens', 'here']] },
    ]);
    writer.finish();
    expect(await collect(path, { column: 'words' })).toEqual([['hello', 'world'], ['spark', 'tokens', 'here']]);
    expect(await collect(path, { column: 'body' })).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    // Three text columns and none named: which one is the user's to say.
    await expect(collect(path, {})).rejects.toMatchObject({ code: 'BAD_COLUMN', message: expect.stringContaining('title, body, words') });
    await expect(collect(path, { column: 'text' })).rejects.toMatchObject({
      code: 'BAD_COLUMN',
      message: expect.stringContaining('title (string), body (string), words (list<string>)'),
    });
  });

  it('refuses a column that is not text, and a column for a text file', async () => {
    await expect(collect(parquet, { column: 'id' })).rejects.toMatchObject({ code: 'BAD_COLUMN', message: expect.stringContaining('int32') });
    await expect(countWords(text, { column: 'body' })).rejects.toMatchObject({ code: 'BAD_COLUMN', message: expect.stringContaining('not a Parquet file') });
    expect((await collect(parquet, { column: 'body' })).length).toBeGreaterThan(100);
  });

  it('reports a Parquet file without a token as empty, and a damaged one with the Parquet code', async () => {
    const empty = join(dir, 'empty.parquet');
    const writer = ParquetFileWriter.create(empty, { schema: [{ name: 'schema', num_children: 1 }, optionalString('text')] });
    writer.writeRowGroup([{ name: 'text', data: [null, '   ', ''] }]);
    writer.finish();
    await expect(countWords(empty)).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    const damaged = join(dir, 'damaged.parquet');
    await writeFile(damaged, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7)]));
    await expect(countWords(damaged)).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });
  it('streams a large row group in batches bounded by the read size, not the row group, as the loaded corpus (issue 17)', async () => {
    // One row group of ~130k tokens (twice the 64k tokens a batch aims at), in a plain column and
    // a list column, each with an offset index and without.
    const schema: SchemaElement[] = [
      { name: 'schema', num_children: 2 },
      optionalString('body'),
      { name: 'words', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ];
    const texts = rows(26_000, 77);
    const lists = texts.map((t) => (t === null ? null : t.split(' ').filter((w) => w.length > 0)));
    const lines = join(dir, 'large.txt');
    await writeFile(lines, texts.map((t) => t ?? '').join('\n') + '\n');
    // Whitespace tokens: the 'auto' segmentation of the CJK words would only slow the test down.
    const fromText = await Corpus.fromFile(lines, { minCount: 1, mode: 'whitespace' });
    expect(fromText.tokenCount).toBeGreaterThan(2 * 65_536);
    const chunkSize = 16_384;
    const asked: number[] = [];
    const spy = vi.spyOn(ParquetFile.prototype, 'readRowGroup');
    try {
      for (const offsetIndex of [true, false]) {
        const path = join(dir, `large-${offsetIndex}.parquet`);
        const writer = ParquetFileWriter.create(path, { schema });
        writer.writeRowGroup(
          [
            { name: 'body', data: texts, offsetIndex },
            { name: 'words', data: lists, offsetIndex },
          ],
          { pageSize: 4096 },
        );
        writer.finish();
        for (const column of ['body', 'words']) {
          const loaded = await Corpus.fromFile(path, { minCount: 1, mode: 'whitespace', column });
          expect(sameIds(loaded.ids, fromText.ids)).toBe(true);
          const streamed = await StreamingCorpus.open(path, { minCount: 1, mode: 'whitespace', column, chunkSize });
          // What the reader holds besides a read: nothing with an offset index; the compressed
          // column chunk without (and, for a list column, the row group decoded).
          const file = await ParquetFile.open(path);
          const chunk = file.columnChunk(0, column);
          await file.close();
          if (offsetIndex) expect(streamed.readerBytes).toBe(0);
          else if (column === 'body') expect(streamed.readerBytes).toBe(chunk.compressedBytes);
          else expect(streamed.readerBytes).toBeGreaterThan(chunk.compressedBytes + 2 * chunk.uncompressedBytes);
          spy.mockClear();
          const ids: number[] = [];
          let batches = 0;
          let largest = 0;
          const reader = streamed.read();
          for (let batch = await reader.next(); batch !== undefined; batch = await reader.next()) {
            ids.push(...batch.ids);
            batches++;
            largest = Math.max(largest, batch.ids.length);
          }
          expect(sameIds(Int32Array.from(ids), loaded.ids)).toBe(true);
          // A batch: 64k tokens and at most one read (chunkSize characters, a token each at most) more.
          expect(largest, `${column}, offset index ${offsetIndex}`).toBeLessThanOrEqual(65_536 + chunkSize + 300);
          expect(batches).toBeGreaterThanOrEqual(2);
          asked.length = 0;
          for (const call of spy.mock.calls) {
            const range = call[2];
            asked.push(range === undefined ? texts.length : range.end - range.start);
          }
          // Rows decoded at a time: about chunkSize characters (~21 a row) after the first read
          // (sized by the chunk's encoded bytes), except a list column without an offset index
          // (hyparquet decodes it from its first page at every range).
          if (column === 'words' && !offsetIndex) expect(asked).toEqual([texts.length]);
          else {
            expect(asked.length).toBeGreaterThan(10);
            expect(asked[0]).toBeLessThan(texts.length / 4);
            expect(Math.max(...asked.slice(1)), asked.join(' ')).toBeLessThanOrEqual(chunkSize / 10);
          }
        }
      }
    } finally {
      spy.mockRestore();
    }
  });
});
