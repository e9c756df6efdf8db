/**
 * Writing a Parquet file one row group at a time (hyparquet-writer's incremental writer), so that
 * memory holds one row group however many rows are written. Pages are snappy-compressed, the
 * codec every Parquet reader has (Spark's default too).
 *
 * The file is written at the path given: callers that must not lose an existing file write to a
 * temporary name and rename (as `@embedkit/vectors` does for a Spark model directory).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { parquetError } from './errors';

/** One column's values for a row group: a name of the schema and one value per row. */
export interface ParquetColumnData {
  name: string;
  data: unknown[] | Float32Array | Float64Array | Int32Array;
  /** Force an encoding (`'PLAIN'` for unique values such as words). Default: the writer's choice. */
  encoding?: 'PLAIN';
  /**
   * Write the column's offset index (where each page starts, so that readers fetch only the pages
   * of the rows they want) when its chunk has several pages. Default true.
   */
  offsetIndex?: boolean;
}

/** Options of {@link ParquetFileWriter.writeRowGroup}. */
export interface RowGroupOptions {
  /** Uncompressed bytes a page aims at. Default 1 MiB (hyparquet-writer's, as parquet-mr's). */
  pageSize?: number;
}

/** Options of {@link ParquetFileWriter.create}. */
export interface ParquetFileWriterOptions {
  /** The flat Parquet schema: the root element, then every node depth first (the format's layout). */
  schema: SchemaElement[];
  /** Key-value pairs for the footer. Default none. */
  keyValueMetadata?: { key: string; value: string }[];
  /** The footer's `created_by`. Default `'embedkit'`. */
  createdBy?: string;
}

/** Writes its buffer to a file descriptor after each row group. */
class FileByteWriter extends ByteWriter {
  constructor(private readonly fd: number) {
    super(1 << 20);
  }

  flush(): void {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/** A Parquet file being written, one row group per {@link ParquetFileWriter.writeRowGroup} call. */
export class ParquetFileWriter {
  private fd: number | undefined;

  private constructor(
    /** The path being written. */
    readonly path: string,
    private readonly writer: ParquetWriter,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Creates (or truncates) `path` and writes the header.
   *
   * @throws EmbedkitError `READ_ERROR` when the file cannot be created.
   */
  static create(path: string, options: ParquetFileWriterOptions): ParquetFileWriter {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (error) {
      throw parquetError('READ_ERROR', `Cannot create ${path}: ${(error as Error).message}`, error);
    }
    const writer = new ParquetWriter({
      writer: new FileByteWriter(fd),
      schema: options.schema,
      codec: 'SNAPPY',
      kvMetadata: options.keyValueMetadata,
      createdBy: options.createdBy ?? 'embedkit',
    });
    return new ParquetFileWriter(path, writer, fd);
  }

  /** Writes `columns` (every column of the schema, the same number of rows each) as one row group. */
  writeRowGroup(columns: readonly ParquetColumnData[], options: RowGroupOptions = {}): void {
    const rows = columns[0]?.data.length ?? 0;
    if (rows === 0) return;
    const pageSize = options.pageSize;
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) throw new RangeError(`pageSize must be an integer >= 1, got ${pageSize}`);
    this.guard(() =>
      this.writer.write({
        columnData: columns.map((c) => ({
          name: c.name,
          data: c.data as unknown[],
          ...(c.encoding ? { encoding: c.encoding } : {}),
          ...(c.offsetIndex === false ? { offsetIndex: false } : {}),
        })),
        rowGroupSize: rows,
        ...(pageSize === undefined ? {} : { pageSize }),
      }),
    );
  }

  /** Writes the footer and closes the file. */
  finish(): void {
    this.guard(() => this.writer.finish());
    this.close();
  }

  /** Closes the file without a footer (after a failure; the caller removes it). */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  private guard(write: () => unknown): void {
    if (this.fd === undefined) throw new Error(`${this.path}: the Parquet writer is closed`);
    try {
      write();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('E')) {
        throw parquetError('READ_ERROR', `Cannot write ${this.path}: ${(error as Error).message}`, error);
      }
      throw error;
    }
  }
}
