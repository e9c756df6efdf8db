// Spark MLlib Word2VecModel directories: our writer checked against Spark's published layout
// (DefaultParamsWriter's metadata, the Parquet schema of Data(word, vector)), read back bit for
// bit, read by an independent Parquet implementation (arrow-rs, through parquet-wasm), and our
// reader run on files that implementation wrote and on the other two layouts Spark has used.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetFile, ParquetFileWriter } from '@embedkit/parquet';
import { Field, Float32, List, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import * as arrowParquet from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embeddings, SPARK_ML_CLASS, SPARK_MLLIB_CLASS, isSparkModelDirectory } from '../index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-spark-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Seeded vectors with awkward values (tiny, huge, negative zero) and labels Parquet can hold. */
function sample(count: number, dim: number, seed = 7): Embeddings {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const labels: string[] = [];
  const data = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    labels.push(i === 0 ? 'naïve café' : i === 1 ? '北京' : i === 2 ? 'tab\there' : `w${i}`);
    for (let j = 0; j < dim; j++) data[i * dim + j] = (next() - 0.5) * 10 ** Math.floor(next() * 12 - 8);
  }
  data[1] = -0;
  data[2] = 3.4e38;
  data[3] = 1.4e-45;
  return new Embeddings(labels, dim, data);
}

function bits(data: Float32Array): Uint32Array {
  return new Uint32Array(data.buffer, data.byteOffset, data.length);
}

async function dataFiles(model: string): Promise<string[]> {
  return (await readdir(join(model, 'data'))).filter((n) => n.endsWith('.parquet')).map((n) => join(model, 'data', n));
}

/** Writes a metadata/ folder the way Spark does (one JSON line, _SUCCESS). */
async function writeMetadata(model: string, json: object): Promise<void> {
  await mkdir(join(model, 'metadata'), { recursive: true });
  await mkdir(join(model, 'data'), { recursive: true });
  await writeFile(join(model, 'metadata', 'part-00000'), `${JSON.stringify(json)}\n`);
  await writeFile(join(model, 'metadata', '_SUCCESS'), '');
  await writeFile(join(model, 'metadata', '.part-00000.crc'), 'not json: Hadoop checksums are skipped');
}

const WORD_VECTOR_SCHEMA = [
  { name: 'spark_schema', num_children: 2 },
  { name: 'word', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'OPTIONAL' as const },
  { name: 'vector', repetition_type: 'OPTIONAL' as const, converted_type: 'LIST' as const, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED' as const, num_children: 1 },
  { name: 'element', type: 'FLOAT' as const, repetition_type: 'REQUIRED' as const },
];

describe('Spark Word2VecModel directories', () => {
  it('writes the ml layout Spark reads: metadata as DefaultParamsWriter, Data(word, vector) in Parquet', async () => {
    const vectors = sample(50, 7);
    const model = join(dir, 'ml-model');
    await vectors.save(model, { format: 'spark' });
    expect(await isSparkModelDirectory(model)).toBe(true);
    expect((await readdir(join(model, 'metadata'))).sort()).toEqual(['_SUCCESS', 'part-00000']);
    const dataNames = (await readdir(join(model, 'data'))).sort();
    expect(dataNames).toHaveLength(2);
    expect(dataNames[0]).toMatch(/^_SUCCESS$/);
    expect(dataNames[1]).toMatch(/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
    // No temporary directory is left beside it.
    expect((await readdir(dir)).filter((n) => n.includes('ml-model'))).toEqual(['ml-model']);

    const lines = (await readFile(join(model, 'metadata', 'part-00000'), 'utf8')).split('\n');
    expect(lines).toHaveLength(2); // one JSON line and the final newline
    const metadata = JSON.parse(lines[0] as string);
    // The fields DefaultParamsReader.parseMetadata extracts, with their JSON types.
    expect(metadata.class).toBe(SPARK_ML_CLASS);
    expect(typeof metadata.timestamp).toBe('number');
    expect(metadata.sparkVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(metadata.uid).toMatch(/^w2v_[0-9a-f]{12}$/);
    expect(metadata.paramMap).toEqual({ vectorSize: 7 });
    // Every default is a Word2VecBase param with Spark's default value.
    expect(metadata.defaultParamMap).toMatchObject({ maxIter: 1, numPartitions: 1, windowSize: 5, maxSentenceLength: 1000, stepSize: 0.025, vectorSize: 100, minCount: 5 });
    expect(metadata.defaultParamMap.outputCol).toBe(`${metadata.uid}__output`);
    expect(Number.isInteger(metadata.defaultParamMap.seed)).toBe(true);

    // The Parquet schema Spark's writer gives case class Data(word: String, vector: Array[Float]).
    const [path] = await dataFiles(model);
    const file = await ParquetFile.open(path as string);
    try {
      expect(file.metadata.schema.map((e) => [e.name, e.type, e.repetition_type, e.converted_type])).toEqual([
        ['spark_schema', undefined, undefined, undefined],
        ['word', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8'],
        ['vector', undefined, 'OPTIONAL', 'LIST'],
        ['list', undefined, 'REPEATED', undefined],
        ['element', 'FLOAT', 'REQUIRED', undefined],
      ]);
      expect(file.rowCount).toBe(50);
      expect(JSON.parse(file.keyValue('org.apache.spark.sql.parquet.row.metadata') as string)).toEqual({
        type: 'struct',
        fields: [
          { name: 'word', type: 'string', nullable: true, metadata: {} },
          { name: 'vector', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true, metadata: {} },
        ],
      });
      expect(file.keyValue('org.apache.spark.version')).toBe(metadata.sparkVersion);
    } finally {
      await file.close();
    }

    const loaded = await Embeddings.load(model);
    expect(loaded.labels).toEqual(vectors.labels);
    expect(loaded.dim).toBe(7);
    expect(bits(loaded.toMatrix())).toEqual(bits(vectors.toMatrix()));
  });

  it('is read by an independent Parquet implementation (arrow-rs) as Spark\'s schema and values', async () => {
    const vectors = sample(20, 5, 11);
    const model = join(dir, 'arrow-check');
    await vectors.save(model, { format: 'spark' });
    const [path] = await dataFiles(model);
    const table = tableFromIPC(arrowParquet.readParquet(await readFile(path as string)).intoIPCStream());
    const [word, vector] = table.schema.fields;
    expect([word?.name, String(word?.type), word?.nullable]).toEqual(['word', 'Utf8', true]);
    expect([vector?.name, String(vector?.type), vector?.nullable]).toEqual(['vector', 'List<Float32>', true]);
    expect(vector?.type.children[0]?.nullable).toBe(false); // containsNull = false, as Array[Float]
    expect(table.numRows).toBe(20);
    for (let row = 0; row < 20; row++) {
      expect(table.getChild('word')?.get(row)).toBe(vectors.labels[row]);
      const values = table.getChild('vector')?.get(row).toArray() as Float32Array;
      expect(bits(values)).toEqual(bits(vectors.vectorAt(row)));
    }
  });

  it('reads data files another writer (arrow-rs) made, over several part files, skipping _SUCCESS and .crc', async () => {
    const model = join(dir, 'foreign');
    await writeMetadata(model, { class: SPARK_ML_CLASS, timestamp: 1, sparkVersion: '3.5.1', uid: 'w2v_x', paramMap: { vectorSize: 3 }, defaultParamMap: {} });
    const parts = [
      { words: ['b', 'a'], vectors: [[1, 2, 3], [4, 5, 6]] },
      { words: ['c'], vectors: [[-1, Math.fround(0.1), 1e-30]] },
    ];
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p] as (typeof parts)[number];
      const table = new Table({
        word: vectorFromArray(part.words, new Utf8()),
        vector: vectorFromArray(part.vectors, new List(new Field('element', new Float32(), false))),
      });
      const bytes = arrowParquet.writeParquet(arrowParquet.Table.fromIPCStream(tableToIPC(table, 'stream')));
      await writeFile(join(model, 'data', `part-0000${p}-c0ffee-c000.snappy.parquet`), bytes);
      await writeFile(join(model, 'data', `.part-0000${p}-c0ffee-c000.snappy.parquet.crc`), 'checksum');
    }
    await writeFile(join(model, 'data', '_SUCCESS'), '');
    const loaded = await Embeddings.load(model);
    expect(loaded.labels).toEqual(['b', 'a', 'c']);
    expect(Array.from(loaded.get('c') as Float32Array)).toEqual([-1, Math.fround(0.1), Math.fround(1e-30)]);
    expect((await Embeddings.load(model, { limit: 2 })).labels).toEqual(['b', 'a']);
  });

  it('writes and reads the RDD API layout (org.apache.spark.mllib.feature.Word2VecModel, version 1.0)', async () => {
    const vectors = sample(12, 4, 3);
    const model = join(dir, 'mllib-model');
    await vectors.save(model, { format: 'spark', sparkApi: 'mllib' });
    const metadata = JSON.parse((await readFile(join(model, 'metadata', 'part-00000'), 'utf8')).trim());
    expect(metadata).toEqual({ class: SPARK_MLLIB_CLASS, version: '1.0', vectorSize: 4, numWords: 12 });
    const loaded = await Embeddings.load(model, { format: 'spark' });
    expect(loaded.labels).toEqual(vectors.labels);
    expect(bits(loaded.toMatrix())).toEqual(bits(vectors.toMatrix()));
    // Loader's check: numWords must match the data.
    await writeMetadata(model, { ...metadata, numWords: 13 });
    await expect(Embeddings.load(model)).rejects.toMatchObject({ code: 'HEADER_MISMATCH', message: expect.stringContaining('13 words') });
  });

  it('reads the layout of Spark 1.6 to 2.1: one row of wordIndex map and flat wordVectors, in index order', async () => {
    const model = join(dir, 'spark-2.1');
    await writeMetadata(model, { class: SPARK_ML_CLASS, timestamp: 1, sparkVersion: '2.1.0', uid: 'w2v_old', paramMap: { vectorSize: 2 } });
    const writer = ParquetFileWriter.create(join(model, 'data', 'part-00000-abc.snappy.parquet'), {
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { name: 'wordIndex', repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'value', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'wordVectors', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
      ],
    });
    writer.writeRowGroup([
      { name: 'wordIndex', data: [{ cat: 2, the: 0, dog: 1 }] },
      { name: 'wordVectors', data: [[0.5, 1, -2, 3, 4.25, -0.125]] },
    ]);
    writer.finish();
    const loaded = await Embeddings.load(model);
    expect(loaded.labels).toEqual(['the', 'dog', 'cat']);
    expect(Array.from(loaded.get('cat') as Float32Array)).toEqual([4.25, -0.125]);
    expect((await Embeddings.load(model, { limit: 1 })).labels).toEqual(['the']);
  });

  it('replaces an existing Spark model only once the new one is complete, and refuses anything else', async () => {
    const model = join(dir, 'replace');
    await sample(5, 3, 1).save(model, { format: 'spark' });
    const newer = sample(9, 2, 2);
    await newer.save(model, { format: 'spark' });
    const loaded = await Embeddings.load(model);
    expect(loaded.size).toBe(9);
    expect(bits(loaded.toMatrix())).toEqual(bits(newer.toMatrix()));
    expect((await readdir(dir)).filter((n) => n.includes('replace'))).toEqual(['replace']);

    const notes = join(dir, 'notes');
    await mkdir(notes);
    await writeFile(join(notes, 'keep.txt'), 'mine');
    await expect(newer.save(notes, { format: 'spark' })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(await readFile(join(notes, 'keep.txt'), 'utf8')).toBe('mine');
    const file = join(dir, 'file.txt');
    await writeFile(file, 'mine');
    await expect(newer.save(file, { format: 'spark' })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(await readFile(file, 'utf8')).toBe('mine');
    // An empty directory (made by mkdir -p) is fine.
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await newer.save(empty, { format: 'spark' });
    expect((await stat(join(empty, 'metadata'))).isDirectory()).toBe(true);
  });

  it('names what is wrong: a metadata/data disagreement, another model class, bad rows, a lone Parquet file', async () => {
    const base = { class: SPARK_ML_CLASS, timestamp: 1, sparkVersion: '3.0.0', uid: 'w2v_bad', paramMap: { vectorSize: 3 } };
    const write = async (name: string, metadata: object, words: unknown[], vectors: unknown[]): Promise<string> => {
      const model = join(dir, name);
      await writeMetadata(model, metadata);
      const writer = ParquetFileWriter.create(join(model, 'data', 'part-00000.parquet'), { schema: WORD_VECTOR_SCHEMA });
      writer.writeRowGroup([
        { name: 'word', data: words },
        { name: 'vector', data: vectors },
      ]);
      writer.finish();
      return model;
    };
    const mismatch = await write('mismatch', base, ['a'], [[1, 2]]);
    await expect(Embeddings.load(mismatch)).rejects.toMatchObject({ code: 'HEADER_MISMATCH', message: expect.stringContaining('vectorSize 3') });
    const ragged = await write('ragged', base, ['a', 'b'], [[1, 2, 3], [1, 2]]);
    await expect(Embeddings.load(ragged)).rejects.toMatchObject({ code: 'WRONG_DIMENSION', message: expect.stringContaining('row group 0, row 1') });
    const nullWord = await write('null-word', base, [null], [[1, 2, 3]]);
    await expect(Embeddings.load(nullWord)).rejects.toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('null') });
    const nullVector = await write('null-vector', base, ['a'], [null]);
    await expect(Embeddings.load(nullVector)).rejects.toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('null') });
    const nan = await write('nan', base, ['a'], [[1, Number.NaN, 3]]);
    await expect(Embeddings.load(nan)).rejects.toMatchObject({ code: 'NON_FINITE_VALUE' });
    const twice = await write('twice', base, ['a', 'a'], [[1, 2, 3], [4, 5, 6]]);
    await expect(Embeddings.load(twice)).rejects.toMatchObject({ code: 'DUPLICATE_LABEL' });
    const kmeans = await write('kmeans', { ...base, class: 'org.apache.spark.ml.clustering.KMeansModel' }, ['a'], [[1, 2, 3]]);
    await expect(Embeddings.load(kmeans)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT', message: expect.stringContaining('KMeansModel') });
    // The data file alone: point at the directory instead.
    await expect(Embeddings.load(join(twice, 'data', 'part-00000.parquet'))).rejects.toMatchObject({
      code: 'UNKNOWN_FORMAT',
      message: expect.stringContaining('metadata/ and data/'),
    });
    // A directory that is not a model, and format 'spark' on a file.
    await expect(Embeddings.load(join(twice, 'data'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('Spark Word2VecModel directory') });
    await expect(Embeddings.load(join(twice, 'metadata', 'part-00000'), { format: 'spark' })).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });
});
