// Parquet corpora: a text column read a range of rows at a time (about chunkSize bytes, whatever
// the row groups' size), each row handed to the readers as one line (a row is a sentence or a
// document, cut at maxSentenceLength like a long line). A column of token lists (Spark's
// array<string>, the input of its Word2Vec) is read as its tokens joined by spaces. The readers
// pick this source when a file starts with the Parquet magic, or when the path is a directory of
// Parquet part files (a table Spark, Hive or DuckDB wrote), read part after part in name order.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetFile, isParquetFile } from '@embedkit/parquet';
import { tokenizerError } from './errors';
import { checkReadableFile } from './files';
import { PieceReader, type PieceCallback, type ResolvedReadOptions } from './read';

/** What the readers pull pieces of text from: a text file, or a Parquet file's text column. */
export interface PieceSource {
  /** Bytes read so far (for Parquet, compressed bytes of the row groups read, by rows within a group). */
  readonly bytesRead: number;
  /** The file's size. */
  readonly totalBytes: number;
  /** Reads the next chunk (about `chunkSize` bytes of text: rows of a row group for Parquet); false once the file is done. */
  readChunk(onPiece: PieceCallback): Promise<boolean>;
  /** Closes the file (safe to call twice). */
  close(): Promise<void>;
}

const TEXT_TYPES = ['string', 'binary', 'list<string>', 'list<binary>'];

/**
 * Opens `path` for reading: a Parquet file (it starts with `PAR1`) or a directory of Parquet
 * part files through its text column (`options.column`, or its only text column), anything else
 * as text.
 *
 * @throws EmbedkitError the text readers' codes, `BAD_COLUMN`, and `@embedkit/parquet`'s
 *   `CORRUPT_FILE` / `UNSUPPORTED` for a damaged Parquet file.
 */
export async function openPieceSource(path: string, options: ResolvedReadOptions): Promise<PieceSource> {
  options.signal?.throwIfAborted();
  const parts = await parquetParts(path);
  if (parts !== undefined) return new ParquetPieceSource(parts, options);
  const stats = await checkReadableFile(path);
  if (stats.isFile() && (await isParquetFile(path))) return new ParquetPieceSource([path], options);
  if (options.column !== undefined) {
    throw tokenizerError(
      'BAD_COLUMN',
      `${path} is not a Parquet file, so it has no column ${JSON.stringify(options.column)}: a text file is read a line per sentence; drop the column`,
    );
  }
  const reader = new PieceReader(path, options.chunkSize, options);
  await reader.open();
  return reader;
}

/** Bytes of a decoded value of a list column (a string and its slot), about. */
const DECODED_VALUE_BYTES = 32;

/**
 * Bytes a reader of the Parquet corpus `path` (a file or a table's directory) holds at most
 * besides its batches and the decoded text of one read: for a row group whose text column has no
 * offset index, the column chunk's compressed bytes (hyparquet reads the chunk whole for every
 * range of rows; the file keeps it for the next range), and for a list column without one, the
 * whole row group decoded (its text twice, and about 32 bytes per value). Reads the footers only.
 */
export async function parquetReaderBytes(path: string, column: string | undefined): Promise<number> {
  let most = 0;
  let name = column;
  for (const part of (await parquetParts(path)) ?? [path]) {
    const file = await ParquetFile.open(part);
    try {
      name = textColumn(file, name);
      const list = file.column(name).type.startsWith('list<');
      for (let group = 0; group < file.rowGroupCount; group++) {
        const chunk = file.columnChunk(group, name);
        if (chunk.offsetIndex) continue;
        const decoded = list ? 2 * chunk.uncompressedBytes + DECODED_VALUE_BYTES * chunk.values : 0;
        most = Math.max(most, chunk.compressedBytes + decoded);
      }
    } finally {
      await file.close();
    }
  }
  return most;
}

/** Reads every piece of `source` in order, then closes it. */
export async function readAllPieces(source: PieceSource, onPiece: PieceCallback): Promise<void> {
  try {
    while (await source.readChunk(onPiece));
  } finally {
    await source.close();
  }
}

/**
 * True when `path` is a directory of Parquet part files (a table Spark, Hive or DuckDB wrote),
 * which every reader of this package reads as one corpus; false for anything else.
 */
export async function isParquetTable(path: string): Promise<boolean> {
  try {
    return (await parquetParts(path)) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The part files of a directory holding Parquet parts (names sorted; `_SUCCESS`, `.crc` and other
 * hidden or underscore files skipped), or undefined when `path` is not a directory.
 */
async function parquetParts(path: string): Promise<string[] | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return undefined;
  const names = (await readdir(path)).filter((name) => !name.startsWith('_') && !name.startsWith('.')).sort();
  const parts: string[] = [];
  for (const name of names) {
    const part = join(path, name);
    if ((await stat(part)).isFile() && (await isParquetFile(part))) parts.push(part);
    else {
      throw tokenizerError(
        'NOT_A_FILE',
        `${path} is a directory, and ${name} in it is not a Parquet file; give a text file, a Parquet file, or a directory of Parquet part files`,
      );
    }
  }
  if (parts.length === 0) {
    throw tokenizerError('NOT_A_FILE', `${path} is a directory without Parquet part files; give a text file, a Parquet file, or a directory of Parquet part files`);
  }
  return parts;
}

function textColumn(file: ParquetFile, name: string | undefined): string {
  const isText = (type: string): boolean => TEXT_TYPES.includes(type);
  if (name !== undefined) {
    const column = file.columns.find((c) => c.name === name);
    if (column === undefined) {
      throw tokenizerError('BAD_COLUMN', `${file.path} has no column ${JSON.stringify(name)}; its columns are ${file.describeColumns()}`);
    }
    if (!isText(column.type)) {
      throw tokenizerError(
        'BAD_COLUMN',
        `${file.path}: column ${JSON.stringify(name)} is ${column.type}; expected text (string) or a list of tokens (list<string>)`,
      );
    }
    return name;
  }
  const texts = file.columns.filter((c) => isText(c.type));
  if (texts.length === 1) return (texts[0] as { name: string }).name;
  throw tokenizerError(
    'BAD_COLUMN',
    texts.length === 0
      ? `${file.path} is a Parquet file without a text column (its columns are ${file.describeColumns()})`
      : `${file.path} is a Parquet file with ${texts.length} text columns (${texts.map((c) => c.name).join(', ')}); name the one to read (-column NAME on the command line)`,
  );
}

/**
 * One Parquet file or several part files, one file open at once, read a range of rows at a time:
 * each read decodes about `chunkSize` characters of the text column (see `rowsPerRead`), and each
 * {@link readChunk} hands out about `chunkSize` characters of rows, so what is held follows the
 * read size, not the row group's (a 128 MB row group is ~25M tokens). A list
 * column in a file without an offset index is decoded a row group at a time (hyparquet decodes
 * such a column from its first page at every range), and still handed out a chunk at a time.
 */
class ParquetPieceSource implements PieceSource {
  bytesRead = 0;
  totalBytes = 0;
  private part = -1;
  private file: ParquetFile | undefined;
  private column = '';
  private group = 0;
  private bytesBefore = 0; // of the parts already done
  private groupBytesBefore = 0; // of the row groups of this part already done
  private nextRow = 0; // the first row of the group not read yet
  private values: unknown[] = []; // the rows read and not all handed out
  private cursor = 0; // the next of `values` to hand out
  private chars = 0; // characters of `values` handed out
  private charsPerRow = 0; // of the reads so far (0 before the first)
  // One buffer reused for every row's UTF-8 bytes.
  private buffer = Buffer.allocUnsafe(1 << 16);

  constructor(
    private readonly parts: readonly string[],
    private readonly options: Pick<ResolvedReadOptions, 'onProgress' | 'signal' | 'column' | 'chunkSize'>,
  ) {}

  /** The open part with a row group left, opening the next parts as needed; undefined at the end. */
  private async current(): Promise<ParquetFile | undefined> {
    while (this.file === undefined || this.group >= this.file.rowGroupCount) {
      if (this.file !== undefined) {
        this.bytesBefore += this.file.byteLength;
        await this.close();
      }
      if (++this.part >= this.parts.length) return undefined;
      const file = await ParquetFile.open(this.parts[this.part] as string);
      try {
        // Every part must have the column (a table's parts share one schema).
        this.column = textColumn(file, this.options.column ?? (this.part > 0 ? this.column : undefined));
      } catch (error) {
        await file.close();
        throw error;
      }
      if (this.part === 0) this.totalBytes = await this.sizeOfParts(file.byteLength);
      this.file = file;
      this.group = 0;
      this.groupBytesBefore = 0;
      this.nextRow = 0;
    }
    return this.file;
  }

  private async sizeOfParts(first: number): Promise<number> {
    let total = first;
    for (let i = 1; i < this.parts.length; i++) total += (await stat(this.parts[i] as string)).size;
    return total;
  }

  /**
   * Rows of row group `group` a read takes: about `chunkSize` characters of text, by the characters
   * per row of the reads so far, or, at the first read, by the chunk's uncompressed bytes per row
   * (fewer than the text's when the column is dictionary-encoded: the first read may be larger).
   */
  private rowsPerRead(file: ParquetFile, group: number): number {
    const rows = file.rowGroupRows(group);
    const chunk = file.columnChunk(group, this.column);
    if (!chunk.offsetIndex && file.column(this.column).type.startsWith('list<')) return rows;
    const charsPerRow = this.charsPerRow > 0 ? this.charsPerRow : chunk.uncompressedBytes / Math.max(1, rows);
    return Math.max(1, Math.floor(this.options.chunkSize / Math.max(1, charsPerRow)));
  }

  async readChunk(onPiece: PieceCallback): Promise<boolean> {
    this.options.signal?.throwIfAborted();
    if (this.cursor >= this.values.length) {
      const file = await this.current();
      if (file === undefined) return false;
      const rows = file.rowGroupRows(this.group);
      const end = Math.min(rows, this.nextRow + this.rowsPerRead(file, this.group));
      const [values] = (await file.readRowGroup(this.group, [this.column], { start: this.nextRow, end })) as [unknown[]];
      this.values = values;
      this.cursor = 0;
      this.nextRow = end;
    }
    const values = this.values;
    let handed = 0;
    while (this.cursor < values.length && handed < this.options.chunkSize) {
      const value = values[this.cursor++];
      const text = typeof value === 'string' ? value : Array.isArray(value) ? value.filter((t) => typeof t === 'string').join(' ') : undefined;
      if (text === undefined || text.length === 0) continue; // null rows carry nothing
      handed += text.length;
      this.chars += text.length;
      if (text.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(text.length * 3 + 1024);
      const length = this.buffer.write(text, 0, 'utf8');
      onPiece(this.buffer, 0, length, true);
    }
    if (this.cursor < values.length) return true;
    if (values.length > 0) this.charsPerRow = this.chars / values.length;
    this.values = [];
    this.cursor = 0;
    this.chars = 0;
    const file = this.file as ParquetFile;
    const group = this.group;
    const rows = file.rowGroupRows(group);
    // Progress in file bytes: compressed row-group bytes (by rows read) inside a part, the whole part once done.
    const groupBytes = file.rowGroupBytes(group);
    if (this.nextRow >= rows) {
      this.groupBytesBefore += groupBytes;
      this.group++;
      this.nextRow = 0;
    }
    const inGroup = this.nextRow > 0 ? (groupBytes * this.nextRow) / rows : 0;
    this.bytesRead = Math.min(this.totalBytes, this.bytesBefore + this.groupBytesBefore + inGroup);
    if (this.group === file.rowGroupCount) this.bytesRead = this.bytesBefore + file.byteLength;
    this.options.onProgress?.(this.bytesRead, this.totalBytes);
    return this.group < file.rowGroupCount || this.part < this.parts.length - 1;
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }
}
