/**
 * Spark MLlib's `Word2VecModel` save directory, read and written:
 *
 * ```
 * model/
 *   metadata/part-00000   one JSON line (DefaultParamsWriter's, or the RDD API's Loader's)
 *   metadata/_SUCCESS
 *   data/part-00000-….snappy.parquet   the vectors
 *   data/_SUCCESS
 * ```
 *
 * Three layouts exist, told apart by the metadata (as Spark's own readers do):
 * - `org.apache.spark.ml.feature.Word2VecModel` saved by Spark 2.2 or later: one row per word,
 *   `word: string, vector: array<float>`, over any number of part files;
 * - the same class saved by Spark 1.6 to 2.1: a single row `wordIndex: map<string,int>,
 *   wordVectors: array<float>` (the flat V×dim matrix; a word's row is its index);
 * - `org.apache.spark.mllib.feature.Word2VecModel` (the RDD API, format version 1.0): rows of
 *   `word, vector` as above, with `vectorSize` and `numWords` in the metadata.
 *
 * Reading streams the Parquet files one row group at a time into one matrix allocated from the
 * footers' row counts. Spark keeps words in a hash map, so its row order is arbitrary; ours is the
 * files' order. Writing produces the ml layout of Spark 2.2+ (or the RDD API's, on request) in a
 * temporary directory renamed into place, so an existing model survives a failed save.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetFile, ParquetFileWriter } from '@embedkit/parquet';
import type { SchemaElement } from '@embedkit/parquet';
import { replaceDirectoryAtomically } from '../atomic-write';
import { vectorsError } from '../errors';
import { allocateMatrix } from '../scan';
import type { LoadedVectors, ReadOptions } from './read';

/** The class name of the DataFrame-based API's model (`pyspark.ml.feature.Word2VecModel`). */
export const SPARK_ML_CLASS = 'org.apache.spark.ml.feature.Word2VecModel';
/** The class name of the RDD-based API's model (`pyspark.mllib.feature.Word2VecModel`). */
export const SPARK_MLLIB_CLASS = 'org.apache.spark.mllib.feature.Word2VecModel';
/** The Spark version written into new metadata: it selects the row-per-word layout (2.2+). */
export const SPARK_VERSION_WRITTEN = '3.5.0';

/** Which Spark API a written directory is for. */
export type SparkApi = 'ml' | 'mllib';

type Layout = 'rows' | 'indexed';

interface SparkMetadata {
  className: string;
  layout: Layout;
  /** The vector size the metadata announces, when it does. */
  vectorSize: number | undefined;
  /** The RDD API's word count. */
  numWords: number | undefined;
}

/** True when `path` is a directory holding `metadata/` and `data/` folders (a saved Spark model). */
export async function isSparkModelDirectory(path: string): Promise<boolean> {
  try {
    const [metadata, data] = await Promise.all([stat(join(path, 'metadata')), stat(join(path, 'data'))]);
    return metadata.isDirectory() && data.isDirectory();
  } catch {
    return false;
  }
}

/** Files Spark and Hadoop write beside the data (`_SUCCESS`, `.crc`, `_metadata`) are skipped. */
async function partFiles(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((name) => !name.startsWith('_') && !name.startsWith('.'));
  return names.sort().map((name) => join(folder, name));
}

async function readMetadata(dir: string): Promise<SparkMetadata> {
  const folder = join(dir, 'metadata');
  const files = await partFiles(folder);
  let line: string | undefined;
  for (const file of files) {
    line = (await readFile(file, 'utf8')).split('\n').find((l) => l.trim() !== '');
    if (line !== undefined) break;
  }
  if (line === undefined) {
    throw vectorsError('PARSE_ERROR', `${folder}: no metadata line found; a Spark model's metadata/ holds one JSON line in part-00000`);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(line) as Record<string, unknown>;
  } catch (error) {
    throw vectorsError('PARSE_ERROR', `${folder}: the metadata is not JSON (${(error as Error).message})`, error);
  }
  const className = json.class;
  if (className === SPARK_MLLIB_CLASS) {
    if (json.version !== '1.0') {
      throw vectorsError('UNKNOWN_FORMAT', `${folder}: ${SPARK_MLLIB_CLASS} format version ${JSON.stringify(json.version)} is unknown; only 1.0 exists`);
    }
    return { className, layout: 'rows', vectorSize: positiveInteger(json.vectorSize), numWords: positiveInteger(json.numWords) };
  }
  if (className !== SPARK_ML_CLASS) {
    throw vectorsError(
      'UNKNOWN_FORMAT',
      `${folder}: the model is a ${JSON.stringify(className)}, not a Word2VecModel; save the Word2Vec model itself (not a pipeline or another stage)`,
    );
  }
  const version = /^(\d+)\.(\d+)/.exec(String(json.sparkVersion ?? ''));
  if (version === null) throw vectorsError('PARSE_ERROR', `${folder}: sparkVersion ${JSON.stringify(json.sparkVersion)} is not a version`);
  const major = Number(version[1]);
  const minor = Number(version[2]);
  // Spark's own rule (Word2VecModelReader): before 2.2 the model was saved as one indexed row.
  const layout: Layout = major < 2 || (major === 2 && minor < 2) ? 'indexed' : 'rows';
  const params = (json.paramMap ?? {}) as Record<string, unknown>;
  const defaults = (json.defaultParamMap ?? {}) as Record<string, unknown>;
  return { className, layout, vectorSize: positiveInteger(params.vectorSize ?? defaults.vectorSize), numWords: undefined };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Reads a Spark `Word2VecModel` directory (any of the three layouts). */
export async function readSparkModel(dir: string, options: ReadOptions): Promise<LoadedVectors> {
  const metadata = await readMetadata(dir);
  const dataFolder = join(dir, 'data');
  const paths = await partFiles(dataFolder);
  if (paths.length === 0) throw vectorsError('EMPTY_FILE', `${dataFolder}: no Parquet part file; the model directory is incomplete`);
  const files: ParquetFile[] = [];
  try {
    for (const path of paths) files.push(await ParquetFile.open(path));
    const reader = new SparkReader(dir, metadata, options);
    if (metadata.layout === 'indexed') await reader.readIndexed(files);
    else await reader.readRows(files);
    return reader.result();
  } finally {
    for (const file of files) await file.close();
  }
}

class SparkReader {
  private labels: string[] = [];
  private index = new Map<string, number>();
  private data: Float32Array = new Float32Array(0);
  private dim = 0;
  private rows = 0;

  constructor(
    private readonly dir: string,
    private readonly metadata: SparkMetadata,
    private readonly options: ReadOptions,
  ) {}

  result(): LoadedVectors {
    if (this.rows === 0) throw vectorsError('EMPTY_FILE', `${this.dir}: the model holds no word vectors`);
    const used = this.rows * this.dim;
    return {
      labels: this.labels,
      dim: this.dim,
      data: this.data.length === used ? this.data : this.data.slice(0, used),
      index: this.index,
      format: 'spark',
    };
  }

  private requireColumn(file: ParquetFile, name: string, type: string): void {
    const column = file.columns.find((c) => c.name === name);
    if (column === undefined || column.type !== type) {
      throw vectorsError(
        'PARSE_ERROR',
        `${file.path}: expected a column ${name} (${type}) as Spark's ${this.metadata.className} writes` +
          (this.metadata.layout === 'indexed' ? ' before Spark 2.2' : '') +
          `; the file has ${file.describeColumns()}`,
      );
    }
  }

  private setDim(dim: number, where: string, rows: number): void {
    const announced = this.metadata.vectorSize;
    if (announced !== undefined && announced !== dim) {
      this.fail('HEADER_MISMATCH', where, `the vector has ${dim} values but the metadata says vectorSize ${announced}`);
    }
    this.dim = dim;
    // In WebAssembly memory, ready for the nearest-neighbour scan (no move on the first query).
    this.data = allocateMatrix(Math.min(rows, this.options.limit), dim);
  }

  private fail(code: 'PARSE_ERROR' | 'HEADER_MISMATCH' | 'WRONG_DIMENSION' | 'NON_FINITE_VALUE' | 'DUPLICATE_LABEL', where: string, message: string): never {
    throw vectorsError(code, `${where}: ${message}`);
  }

  /** Adds one word and its vector (already checked to hold `dim` values). */
  private add(word: unknown, values: ArrayLike<number>, from: number, where: string): void {
    if (typeof word !== 'string' || word.length === 0) {
      this.fail('PARSE_ERROR', where, `the word is ${word === null ? 'null' : JSON.stringify(word)}; expected a non-empty string`);
    }
    const first = this.index.get(word);
    if (first !== undefined) this.fail('DUPLICATE_LABEL', where, `word ${JSON.stringify(word)} already appeared as vector #${first + 1}; words must be unique`);
    const dim = this.dim;
    const data = this.data;
    const offset = this.rows * dim;
    for (let j = 0; j < dim; j++) {
      const v = values[from + j] as number;
      if (v - v !== 0) this.fail('NON_FINITE_VALUE', where, `component ${j} of ${JSON.stringify(word)} is ${v}; expected a finite number`);
      data[offset + j] = v;
    }
    this.index.set(word, this.rows);
    this.labels.push(word);
    this.rows++;
  }

  /** The row-per-word layout: every part file, one row group at a time. */
  async readRows(files: ParquetFile[]): Promise<void> {
    let total = 0;
    for (const file of files) {
      this.requireColumn(file, 'word', 'string');
      this.requireColumn(file, 'vector', 'list<float>');
      total += file.rowCount;
    }
    const limit = this.options.limit;
    for (const file of files) {
      for (let group = 0; group < file.rowGroupCount && this.rows < limit; group++) {
        const [words, vectors] = (await file.readRowGroup(group, ['word', 'vector'])) as [unknown[], unknown[]];
        for (let r = 0; r < words.length && this.rows < limit; r++) {
          const where = `${file.path}: row group ${group}, row ${r}`;
          const vector = vectors[r];
          if (!Array.isArray(vector)) this.fail('PARSE_ERROR', where, `the vector of ${JSON.stringify(words[r])} is null; expected ${this.dim || 'some'} floats`);
          if (this.dim === 0) {
            if (vector.length === 0) this.fail('PARSE_ERROR', where, `the vector of ${JSON.stringify(words[r])} is empty`);
            this.setDim(vector.length, where, total);
          }
          if (vector.length !== this.dim) {
            this.fail('WRONG_DIMENSION', where, `${JSON.stringify(words[r])} has ${vector.length} values; expected ${this.dim} like the rows before it`);
          }
          this.add(words[r], vector as number[], 0, where);
        }
      }
    }
    const numWords = this.metadata.numWords;
    if (numWords !== undefined && limit === Infinity && numWords !== this.rows) {
      this.fail('HEADER_MISMATCH', this.dir, `the metadata announces ${numWords} words but the data holds ${this.rows}`);
    }
  }

  /** The layout of Spark 1.6 to 2.1: one row, a word → index map and the flat matrix. */
  async readIndexed(files: ParquetFile[]): Promise<void> {
    const file = files.find((f) => f.rowCount > 0);
    if (file === undefined) return;
    this.requireColumn(file, 'wordIndex', 'map<string,int32>');
    this.requireColumn(file, 'wordVectors', 'list<float>');
    let group = 0;
    while (file.rowGroupRows(group) === 0) group++;
    const [indexes, matrices] = (await file.readRowGroup(group, ['wordIndex', 'wordVectors'])) as [unknown[], unknown[]];
    const where = `${file.path}: row group ${group}, row 0`;
    const wordIndex = indexes[0];
    const flat = matrices[0];
    if (wordIndex === null || typeof wordIndex !== 'object' || !Array.isArray(flat)) {
      this.fail('PARSE_ERROR', where, 'wordIndex or wordVectors is null; expected the whole model in this row');
    }
    const entries = Object.entries(wordIndex as Record<string, unknown>);
    const words = entries.length;
    if (words === 0 || flat.length % words !== 0) {
      this.fail('HEADER_MISMATCH', where, `wordVectors holds ${flat.length} floats, not a multiple of the ${words} words of wordIndex`);
    }
    this.setDim(flat.length / words, where, words);
    // Rows in index order: the order Spark trained them in (frequency order).
    const byIndex = new Array<string | undefined>(words);
    for (const [word, position] of entries) {
      if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position >= words || byIndex[position] !== undefined) {
        this.fail('PARSE_ERROR', where, `wordIndex maps ${JSON.stringify(word)} to ${String(position)}; expected distinct indexes 0 to ${words - 1}`);
      }
      byIndex[position] = word;
    }
    const limit = Math.min(this.options.limit, words);
    for (let row = 0; row < limit; row++) this.add(byIndex[row], flat as number[], row * this.dim, where);
  }
}

/** Options of {@link writeSparkModel}. */
export interface SparkWriteOptions {
  /** `'ml'` (default): the DataFrame API's `Word2VecModel`; `'mllib'`: the RDD API's. */
  api: SparkApi;
}

/** Rows per Parquet row group: about 4 MiB of floats (hyparquet-writer holds a row group as JS arrays and levels, ~30 bytes a float). */
function rowsPerGroup(dim: number): number {
  return Math.max(1, Math.floor((4 << 20) / (4 * dim + 16)));
}

/** Spark's schema of `Data(word: String, vector: Array[Float])`, as its Parquet writer lays it out. */
const DATA_SCHEMA: SchemaElement[] = [
  { name: 'spark_schema', num_children: 2 },
  { name: 'word', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' },
  { name: 'vector', repetition_type: 'OPTIONAL', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];

/** The same schema as Spark SQL's JSON, which Spark stores in the footer and reads back first. */
const ROW_METADATA = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'word', type: 'string', nullable: true, metadata: {} },
    { name: 'vector', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true, metadata: {} },
  ],
});

/** Java's `String.hashCode`: Spark's default seed is the class name's. */
function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** The metadata line, as DefaultParamsWriter (ml) or the RDD API's Loader (mllib) writes it. */
function metadataLine(api: SparkApi, words: number, dim: number): string {
  if (api === 'mllib') return JSON.stringify({ class: SPARK_MLLIB_CLASS, version: '1.0', vectorSize: dim, numWords: words });
  const uid = `w2v_${randomBytes(6).toString('hex')}`;
  return JSON.stringify({
    class: SPARK_ML_CLASS,
    timestamp: Date.now(),
    sparkVersion: SPARK_VERSION_WRITTEN,
    uid,
    paramMap: { vectorSize: dim },
    // Word2VecBase's defaults (Spark 2.4+ reads them back); the training ones only describe.
    defaultParamMap: {
      maxIter: 1,
      seed: javaHashCode(SPARK_ML_CLASS),
      outputCol: `${uid}__output`,
      numPartitions: 1,
      windowSize: 5,
      maxSentenceLength: 1000,
      stepSize: 0.025,
      vectorSize: 100,
      minCount: 5,
    },
  });
}

/**
 * Writes `labels` / `data` as a Spark `Word2VecModel` directory at `dir`: `Word2VecModel.load`
 * (Scala, `pyspark.ml.feature`) or, with `api: 'mllib'`, `Word2VecModel.load(sc, path)` reads it.
 * An existing Spark model at `dir` is replaced only once the new one is complete; anything else
 * there is refused.
 */
export async function writeSparkModel(
  dir: string,
  labels: readonly string[],
  dim: number,
  data: Float32Array,
  options: SparkWriteOptions,
): Promise<void> {
  for (let row = 0; row < labels.length; row++) {
    if ((labels[row] as string).length === 0) {
      throw vectorsError('INVALID_LABEL', `${dir}: cannot save the empty label of row ${row}; rename it before saving`);
    }
  }
  await replaceDirectoryAtomically(dir, isSparkModelDirectory, 'a Spark model directory', async (temporary) => {
    await mkdir(join(temporary, 'metadata'));
    await mkdir(join(temporary, 'data'));
    await writeFile(join(temporary, 'metadata', 'part-00000'), `${metadataLine(options.api, labels.length, dim)}\n`);
    await writeFile(join(temporary, 'metadata', '_SUCCESS'), '');
    const name = `part-00000-${randomUUID()}-c000.snappy.parquet`;
    const writer = ParquetFileWriter.create(join(temporary, 'data', name), {
      schema: DATA_SCHEMA,
      keyValueMetadata: [
        { key: 'org.apache.spark.version', value: SPARK_VERSION_WRITTEN },
        { key: 'org.apache.spark.sql.parquet.row.metadata', value: ROW_METADATA },
      ],
    });
    try {
      const step = rowsPerGroup(dim);
      for (let start = 0; start < labels.length; start += step) {
        const end = Math.min(labels.length, start + step);
        const words = labels.slice(start, end);
        const vectors = new Array<number[]>(end - start);
        for (let row = start; row < end; row++) vectors[row - start] = Array.from(data.subarray(row * dim, (row + 1) * dim));
        writer.writeRowGroup([
          { name: 'word', data: words, encoding: 'PLAIN' },
          { name: 'vector', data: vectors },
        ]);
      }
      writer.finish();
    } catch (error) {
      writer.close();
      throw error;
    }
    await writeFile(join(temporary, 'data', '_SUCCESS'), '');
  });
}
