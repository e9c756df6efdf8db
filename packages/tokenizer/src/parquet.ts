// Parquet corpora: a text column read one row group at a time, each row handed to the readers as
// one line (a row is a sentence or a document, cut at maxSentenceLength like a long line). A
// column of token lists (Spark's array<string>, the input of its Word2Vec) is read as its tokens
// joined by spaces. The readers pick this source when a file starts with the Parquet magic, or
// when the path is a directory of Parquet part files (a table Spark, Hive or DuckDB wrote), read
// part after part in name order.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetFile, isParquetFile } from '@embedkit/parquet';
import { tokenizerError } from './errors';
import { checkReadableFile } from './files';
import { PieceReader, type PieceCallback, type ResolvedReadOptions } from './read';

/** What the readers pull pieces of text from: a text file, or a Parquet file's text column. */
export interface PieceSource {
  /** Bytes read so far (compressed bytes of the row groups done, for Parquet). */
  readonly bytesRead: number;
  /** The file's size. */
  readonly totalBytes: number;
  /** Reads the next chunk (a row group for Parquet); false once the file is done. */
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

/** One Parquet file or several part files, read one row group at a time, one file open at once. */
class ParquetPieceSource implements PieceSource {
  bytesRead = 0;
  totalBytes = 0;
  private part = -1;
  private file: ParquetFile | undefined;
  private column = '';
  private group = 0;
  private bytesBefore = 0; // of the parts already done
  // One buffer reused for every row's UTF-8 bytes.
  private buffer = Buffer.allocUnsafe(1 << 16);

  constructor(
    private readonly parts: readonly string[],
    private readonly options: Pick<ResolvedReadOptions, 'onProgress' | 'signal' | 'column'>,
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
    }
    return this.file;
  }

  private async sizeOfParts(first: number): Promise<number> {
    let total = first;
    for (let i = 1; i < this.parts.length; i++) total += (await stat(this.parts[i] as string)).size;
    return total;
  }

  async readChunk(onPiece: PieceCallback): Promise<boolean> {
    this.options.signal?.throwIfAborted();
    const file = await this.current();
    if (file === undefined) return false;
    const group = this.group++;
    const [values] = (await file.readRowGroup(group, [this.column])) as [unknown[]];
    for (let row = 0; row < values.length; row++) {
      const value = values[row];
      const text = typeof value === 'string' ? value : Array.isArray(value) ? value.filter((t) => typeof t === 'string').join(' ') : undefined;
      if (text === undefined || text.length === 0) continue; // null rows carry nothing
      if (text.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(text.length * 3 + 1024);
      const length = this.buffer.write(text, 0, 'utf8');
      onPiece(this.buffer, 0, length, true);
    }
    // Progress in file bytes: compressed row-group bytes inside a part, the whole part once done.
    this.bytesRead = Math.min(this.totalBytes, this.bytesRead + file.rowGroupBytes(group));
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
