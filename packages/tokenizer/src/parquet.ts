// Parquet corpora: a text column read one row group at a time, each row handed to the readers as
// one line (a row is a sentence or a document, cut at maxSentenceLength like a long line). A
// column of token lists (Spark's array<string>, the input of its Word2Vec) is read as its tokens
// joined by spaces. The readers pick this source when a file starts with the Parquet magic.
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
 * Opens `path` for reading: a Parquet file (it starts with `PAR1`) through its text column
 * (`options.column`, or its only text column), anything else as text.
 *
 * @throws EmbedkitError the text readers' codes, `BAD_COLUMN`, and `@embedkit/parquet`'s
 *   `CORRUPT_FILE` / `UNSUPPORTED` for a damaged Parquet file.
 */
export async function openPieceSource(path: string, options: ResolvedReadOptions): Promise<PieceSource> {
  options.signal?.throwIfAborted();
  const stats = await checkReadableFile(path);
  if (stats.isFile() && (await isParquetFile(path))) {
    const file = await ParquetFile.open(path);
    try {
      return new ParquetPieceSource(file, textColumn(file, options.column), options);
    } catch (error) {
      await file.close();
      throw error;
    }
  }
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

class ParquetPieceSource implements PieceSource {
  bytesRead = 0;
  readonly totalBytes: number;
  private group = 0;
  // One buffer reused for every row's UTF-8 bytes.
  private buffer = Buffer.allocUnsafe(1 << 16);

  constructor(
    private readonly file: ParquetFile,
    private readonly column: string,
    private readonly hooks: Pick<ResolvedReadOptions, 'onProgress' | 'signal'>,
  ) {
    this.totalBytes = file.byteLength;
  }

  async readChunk(onPiece: PieceCallback): Promise<boolean> {
    const file = this.file;
    if (this.group >= file.rowGroupCount) return false;
    this.hooks.signal?.throwIfAborted();
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
    this.bytesRead += file.rowGroupBytes(group);
    if (this.group === file.rowGroupCount) this.bytesRead = this.totalBytes;
    this.hooks.onProgress?.(this.bytesRead, this.totalBytes);
    return this.group < file.rowGroupCount;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
