import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetFile, ParquetFileWriter, isParquetFile } from '../index';
import type { SchemaElement } from '../index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-parquet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A Spark-like schema: an optional string, a 3-level list of required floats, a map.
const schema: SchemaElement[] = [
  { name: 'spark_schema', num_children: 3 },
  { name: 'word', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'vector', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
  { name: 'counts', repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
  { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
  { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'value', type: 'INT32', repetition_type: 'OPTIONAL' },
];

async function writeSample(path: string, groups: number, rowsPerGroup: number): Promise<void> {
  const writer = ParquetFileWriter.create(path, { schema, keyValueMetadata: [{ key: 'origin', value: 'test' }] });
  for (let g = 0; g < groups; g++) {
    const words: (string | null)[] = [];
    const vectors: number[][] = [];
    const counts: Record<string, number>[] = [];
    for (let r = 0; r < rowsPerGroup; r++) {
      const i = g * rowsPerGroup + r;
      words.push(i === 3 ? null : `wörd${i}`);
      vectors.push([Math.fround(i / 7), -i, Math.fround(1e-30 * i)]);
      counts.push({ [`k${i}`]: i });
    }
    writer.writeRowGroup([
      { name: 'word', data: words, encoding: 'PLAIN' },
      { name: 'vector', data: vectors },
      { name: 'counts', data: counts },
    ]);
  }
  writer.finish();
}

describe('ParquetFile', () => {
  it('reads back what the writer wrote, one row group at a time', async () => {
    const path = join(dir, 'sample.parquet');
    await writeSample(path, 3, 5);
    expect(await isParquetFile(path)).toBe(true);
    const file = await ParquetFile.open(path);
    try {
      expect(file.rowCount).toBe(15);
      expect(file.rowGroupCount).toBe(3);
      expect(file.columns).toEqual([
        { name: 'word', type: 'string' },
        { name: 'vector', type: 'list<float>' },
        { name: 'counts', type: 'map<string,int32>' },
      ]);
      expect(file.keyValue('origin')).toBe('test');
      for (let g = 0; g < 3; g++) {
        expect(file.rowGroupRows(g)).toBe(5);
        expect(file.rowGroupBytes(g)).toBeGreaterThan(0);
        const [words, vectors, counts] = await file.readRowGroup(g, ['word', 'vector', 'counts']);
        for (let r = 0; r < 5; r++) {
          const i = g * 5 + r;
          expect(words?.[r]).toBe(i === 3 ? null : `wörd${i}`);
          expect(vectors?.[r]).toEqual([Math.fround(i / 7), -i, Math.fround(1e-30 * i)]);
          expect(counts?.[r]).toEqual({ [`k${i}`]: i });
        }
      }
      // A subset of columns, in the order asked.
      const [vectors, words] = await file.readRowGroup(1, ['vector', 'word']);
      expect(words?.[0]).toBe('wörd5');
      expect(vectors?.[0]).toEqual([Math.fround(5 / 7), -5, Math.fround(5e-30)]);
    } finally {
      await file.close();
    }
  });

  it('names the columns it has when asked for one it lacks', async () => {
    const path = join(dir, 'columns.parquet');
    await writeSample(path, 1, 2);
    const file = await ParquetFile.open(path);
    try {
      await expect(file.readRowGroup(0, ['text'])).rejects.toMatchObject({
        code: 'COLUMN_NOT_FOUND',
        message: expect.stringContaining('word (string), vector (list<float>), counts (map<string,int32>)'),
      });
    } finally {
      await file.close();
    }
  });

  it('refuses text, truncated files and missing paths with clear codes', async () => {
    const text = join(dir, 'text.parquet');
    await writeFile(text, 'the quick brown fox\n');
    expect(await isParquetFile(text)).toBe(false);
    await expect(ParquetFile.open(text)).rejects.toMatchObject({ code: 'NOT_PARQUET' });
    const cut = join(dir, 'cut.parquet');
    await writeSample(cut, 2, 4);
    const size = (await readFile(cut)).length;
    await truncate(cut, size - 10);
    expect(await isParquetFile(cut)).toBe(true); // the head is fine
    await expect(ParquetFile.open(cut)).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining('truncated') });
    await expect(ParquetFile.open(join(dir, 'missing.parquet'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(await isParquetFile(join(dir, 'missing.parquet'))).toBe(false);
  });
  it('reads a range of a row group\'s rows as that slice of the whole group, with and without an offset index (issue 17)', async () => {
    // One row group of many small pages: plain text (dictionary-encoded: few distinct values) and
    // a list of words, each with an offset index or without.
    const textSchema: SchemaElement[] = [
      { name: 'schema', num_children: 2 },
      { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'words', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ];
    const rows = 3000;
    const texts: (string | null)[] = [];
    const words: string[][] = [];
    for (let i = 0; i < rows; i++) {
      texts.push(i % 11 === 4 ? null : `row ${i % 50} of ${(i * 7) % 13}`);
      words.push(Array.from({ length: i % 5 }, (_, k) => `w${(i + k) % 40}`));
    }
    for (const offsetIndex of [true, false]) {
      const path = join(dir, `ranges-${offsetIndex}.parquet`);
      const writer = ParquetFileWriter.create(path, { schema: textSchema });
      writer.writeRowGroup(
        [
          { name: 'text', data: texts, offsetIndex },
          { name: 'words', data: words, offsetIndex },
        ],
        { pageSize: 512 },
      );
      writer.finish();
      const file = await ParquetFile.open(path);
      try {
        const chunk = file.columnChunk(0, 'text');
        expect(chunk.offsetIndex).toBe(offsetIndex);
        expect(chunk.uncompressedBytes).toBeGreaterThan(10 * 512); // many pages
        expect(file.columnChunk(0, 'words').offsetIndex).toBe(offsetIndex);
        const [allTexts, allWords] = await file.readRowGroup(0, ['text', 'words']);
        expect(allTexts).toEqual(texts);
        expect(allWords).toEqual(words);
        for (const [start, end] of [[0, 1], [0, 700], [699, 1400], [1234, 1235], [2000, rows], [rows, rows]] as const) {
          const [t, w] = await file.readRowGroup(0, ['text', 'words'], { start, end });
          expect(t).toEqual(texts.slice(start, end));
          expect(w).toEqual(words.slice(start, end));
        }
        await expect(file.readRowGroup(0, ['text'], { start: 10, end: rows + 1 })).rejects.toThrow(RangeError);
        await expect(file.readRowGroup(0, ['text'], { start: 10, end: 5 })).rejects.toThrow(RangeError);
      } finally {
        await file.close();
      }
    }
  });
});
