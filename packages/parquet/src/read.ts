/**
 * Reading Parquet files one row group at a time, so that memory holds the footer and one row
 * group of the columns asked for, whatever the file's size. Decoding is hyparquet's (pure
 * JavaScript, every encoding of the format); hyparquet-compressors adds the codecs beyond snappy
 * (gzip, zstd, brotli, lz4) that Spark and DuckDB may be set to write.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EmbedkitError } from '@embedkit/errors';
import { parquetError } from './errors';

/** The four bytes that open and close every Parquet file. */
export const PARQUET_MAGIC = 'PAR1';

/**
 * True when the file at `path` starts with the Parquet magic `PAR1` (a cheap test that reads 4
 * bytes; {@link ParquetFile.open} then checks the footer). False for anything unreadable.
 */
export async function isParquetFile(path: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString('latin1') === PARQUET_MAGIC;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** A top-level column of a Parquet file. */
export interface ParquetColumn {
  /** The column's name. */
  name: string;
  /**
   * Its type in short: `'string'`, `'binary'`, `'float'`, `'double'`, `'int32'`, `'int64'`,
   * `'boolean'`, `list<T>` for lists (both the 3-level and the legacy 2-level layouts),
   * `map<K,V>`, `struct`, or another physical type in lower case.
   */
  type: string;
}

/** An open Parquet file: its footer read, its row groups readable one at a time. */
export class ParquetFile {
  private constructor(
    /** The path it was opened from. */
    readonly path: string,
    /** Its size in bytes. */
    readonly byteLength: number,
    /** The decoded footer (schema, row groups, key-value metadata). */
    readonly metadata: FileMetaData,
    /** The top-level columns, in schema order. */
    readonly columns: readonly ParquetColumn[],
    private readonly buffer: AsyncBuffer,
    private handle: FileHandle | undefined,
  ) {}

  /**
   * Opens `path` and reads its footer.
   *
   * @throws EmbedkitError `FILE_NOT_FOUND`, `READ_ERROR`, `NOT_PARQUET`, `CORRUPT_FILE`.
   */
  static async open(path: string): Promise<ParquetFile> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
    let size: number;
    let handle: FileHandle;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw parquetError('READ_ERROR', `${path} is not a regular file; give a Parquet file`);
      size = info.size;
      handle = await open(path, 'r');
    } catch (error) {
      throw fsError(error, path);
    }
    const buffer = fileBuffer(handle, path, size);
    try {
      const [head, tail] = await Promise.all([buffer.slice(0, Math.min(4, size)), buffer.slice(Math.max(0, size - 4), size)]);
      const magic = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString('latin1');
      if (size < 12 || magic(head as ArrayBuffer) !== PARQUET_MAGIC) {
        throw parquetError('NOT_PARQUET', `${path} is not a Parquet file (it does not start with "${PARQUET_MAGIC}")`);
      }
      if (magic(tail as ArrayBuffer) !== PARQUET_MAGIC) {
        throw parquetError(
          'CORRUPT_FILE',
          `${path}: a Parquet file that does not end with "${PARQUET_MAGIC}": it is truncated (still being written, or an interrupted copy)`,
        );
      }
      let metadata: FileMetaData;
      try {
        metadata = await parquetMetadataAsync(buffer);
      } catch (error) {
        throw parquetError('CORRUPT_FILE', `${path}: cannot decode the Parquet footer (${(error as Error).message})`, error);
      }
      const columns = parquetSchema(metadata).children.map((node) => ({ name: node.element.name, type: describe(node) }));
      return new ParquetFile(path, size, metadata, columns, buffer, handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Rows in the whole file. */
  get rowCount(): number {
    return Number(this.metadata.num_rows);
  }

  /** Row groups in the file. */
  get rowGroupCount(): number {
    return this.metadata.row_groups.length;
  }

  /** Rows in row group `group`. */
  rowGroupRows(group: number): number {
    return Number(this.rowGroup(group).num_rows);
  }

  /** Compressed bytes of row group `group` (for progress reports). */
  rowGroupBytes(group: number): number {
    const rowGroup = this.rowGroup(group);
    let bytes = 0;
    for (const chunk of rowGroup.columns) bytes += Number(chunk.meta_data?.total_compressed_size ?? 0n);
    return bytes;
  }

  /** The value of a key in the footer's key-value metadata, or undefined. */
  keyValue(key: string): string | undefined {
    return this.metadata.key_value_metadata?.find((entry) => entry.key === key)?.value;
  }

  /**
   * The column called `name`.
   *
   * @throws EmbedkitError `COLUMN_NOT_FOUND`, whose message lists the file's columns and types.
   */
  column(name: string): ParquetColumn {
    const column = this.columns.find((c) => c.name === name);
    if (column === undefined) {
      throw parquetError('COLUMN_NOT_FOUND', `${this.path} has no column ${JSON.stringify(name)}; its columns are ${this.describeColumns()}`);
    }
    return column;
  }

  /** The columns as `name (type), …`, for messages. */
  describeColumns(): string {
    return this.columns.map((c) => `${c.name} (${c.type})`).join(', ');
  }

  /**
   * The chunk of column `name` in row group `group`: its compressed and uncompressed bytes, its
   * values (with a list's elements and nulls), and whether the file has an offset index for it (the page locations of the format's page index),
   * which lets {@link ParquetFile.readRowGroup} read a range of rows without fetching the rest.
   */
  columnChunk(group: number, name: string): { compressedBytes: number; uncompressedBytes: number; values: number; offsetIndex: boolean } {
    this.column(name);
    let compressedBytes = 0;
    let uncompressedBytes = 0;
    let values = 0;
    let offsetIndex = true;
    // A list column has one chunk per leaf; a plain column one.
    for (const chunk of this.rowGroup(group).columns) {
      if (chunk.meta_data?.path_in_schema[0] !== name) continue;
      compressedBytes += Number(chunk.meta_data.total_compressed_size);
      uncompressedBytes += Number(chunk.meta_data.total_uncompressed_size);
      values += Number(chunk.meta_data.num_values);
      if (!chunk.offset_index_offset || !chunk.offset_index_length) offsetIndex = false;
    }
    return { compressedBytes, uncompressedBytes, values, offsetIndex };
  }

  /**
   * Decodes the columns `names` of row group `group` (or only its rows `[rows.start, rows.end)`,
   * counted from the group's first row): one array per name, in that order, each with one value
   * per row (`null` for a null; strings for text; arrays for lists; plain objects for maps).
   *
   * What a row range costs (hyparquet's reader): with an offset index (see
   * {@link ParquetFile.columnChunk}) only the pages holding the rows are read and decoded; without
   * one, the column chunk's compressed bytes are read (once for consecutive ranges of the same
   * group: the last read is kept) and, for a plain column, only the pages holding the rows are
   * decompressed and decoded, while a list column is decoded from its first page on.
   *
   * @throws EmbedkitError `COLUMN_NOT_FOUND`, `CORRUPT_FILE`, `UNSUPPORTED`, `READ_ERROR`.
   */
  async readRowGroup(group: number, names: readonly string[], rows?: { start: number; end: number }): Promise<unknown[][]> {
    for (const name of names) this.column(name);
    const groupRows = this.rowGroupRows(group);
    const first = rows?.start ?? 0;
    const last = rows?.end ?? groupRows;
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last > groupRows || first > last) {
      throw new RangeError(`rows must be a range of integers within the ${groupRows} rows of row group ${group}, got [${first}, ${last})`);
    }
    let rowStart = first;
    for (let g = 0; g < group; g++) rowStart += this.rowGroupRows(g);
    const count = last - first;
    const out = names.map(() => new Array<unknown>(count));
    if (count === 0) return out;
    try {
      await parquetRead({
        file: this.buffer,
        metadata: this.metadata,
        columns: [...names],
        rowStart,
        rowEnd: rowStart + count,
        useOffsetIndex: true,
        compressors,
        onChunk: (chunk) => {
          const target = out[names.indexOf(chunk.columnName)];
          if (target === undefined) return;
          // A chunk may reach outside the range asked for (whole pages): keep the rows asked for.
          const data = chunk.columnData;
          const from = Math.max(chunk.rowStart, rowStart);
          const to = Math.min(chunk.rowEnd, rowStart + count);
          for (let row = from; row < to; row++) target[row - rowStart] = data[row - chunk.rowStart];
        },
      });
    } catch (error) {
      if (error instanceof EmbedkitError) throw error;
      const message = (error as Error).message;
      if (/compressor|codec/i.test(message)) {
        throw parquetError('UNSUPPORTED', `${this.path}: row group ${group}: ${message}; rewrite the file with snappy, gzip or zstd`, error);
      }
      throw parquetError('CORRUPT_FILE', `${this.path}: row group ${group} cannot be decoded (${message})`, error);
    }
    return out;
  }

  /** Closes the file (safe to call twice). */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private rowGroup(group: number) {
    const rowGroup = this.metadata.row_groups[group];
    if (!Number.isInteger(group) || rowGroup === undefined) {
      throw new RangeError(`row group ${group} does not exist; ${this.path} has ${this.rowGroupCount}`);
    }
    return rowGroup;
  }
}

/** Reads byte ranges of an open file as hyparquet's AsyncBuffer. */
function fileBuffer(handle: FileHandle, path: string, size: number): AsyncBuffer {
  // The last range read, kept: a row group read in row ranges without an offset index asks for
  // its whole column chunk at every range, which is then read from the file once.
  let last: { start: number; stop: number; bytes: Promise<ArrayBuffer> } | undefined;
  const read = async (start: number, stop: number): Promise<ArrayBuffer> => {
    const bytes = new Uint8Array(Math.max(0, stop - start));
    let done = 0;
    try {
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (error) {
      throw fsError(error, path);
    }
    if (done < bytes.length) throw parquetError('CORRUPT_FILE', `${path}: the file ended while reading bytes ${start} to ${stop}; it is truncated`);
    return bytes.buffer;
  };
  return {
    byteLength: size,
    slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      if (last !== undefined && last.start === start && last.stop === stop) return last.bytes;
      const bytes = read(start, stop);
      last = { start, stop, bytes };
      bytes.catch(() => {
        if (last?.bytes === bytes) last = undefined; // a failed read is tried again
      });
      return bytes;
    },
  };
}

function fsError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return parquetError('FILE_NOT_FOUND', `File not found: ${path}`, error);
  if (typeof code === 'string' && code.startsWith('E')) {
    return parquetError('READ_ERROR', `Cannot read ${path}: ${(error as Error).message}`, error);
  }
  return error;
}

/** The short type of a schema node (see {@link ParquetColumn.type}). */
function describe(node: SchemaTree): string {
  const element = node.element;
  if (node.children.length === 0) {
    return element.repetition_type === 'REPEATED' ? `list<${leafType(element)}>` : leafType(element);
  }
  const annotation = element.logical_type?.type ?? element.converted_type;
  if (annotation === 'LIST') {
    const repeated = node.children[0];
    if (repeated === undefined) return 'list<?>';
    if (repeated.children.length === 0) return `list<${leafType(repeated.element)}>`;
    const only = repeated.children.length === 1 ? repeated.children[0] : undefined;
    return only === undefined ? 'list<struct>' : `list<${describe(only)}>`;
  }
  if (annotation === 'MAP' || annotation === 'MAP_KEY_VALUE') {
    const [key, value] = node.children[0]?.children ?? [];
    return `map<${key === undefined ? '?' : describe(key)},${value === undefined ? '?' : describe(value)}>`;
  }
  return element.repetition_type === 'REPEATED' ? 'list<struct>' : 'struct';
}

function leafType(element: SchemaElement): string {
  const logical = element.logical_type?.type;
  if (element.type === 'BYTE_ARRAY') {
    return element.converted_type === 'UTF8' || logical === 'STRING' || logical === 'ENUM' || element.converted_type === 'ENUM'
      ? 'string'
      : 'binary';
  }
  return (element.type ?? 'unknown').toLowerCase();
}
