/**
 * Streaming loaders for the word2vec text, word2vec binary and GloVe text formats (fastText's
 * `.vec` is word2vec text), with format auto-detection.
 *
 * Memory is bounded by the result plus one record: the file is read in 1 MiB chunks through a
 * {@link ByteSource}. The matrix is allocated once from the header's count when the file's size
 * can hold that many vectors, and otherwise grows by doubling, so a lying header
 * ("3000000000 300") cannot make us allocate terabytes up front. With `limit`, reading stops
 * after that many vectors.
 *
 * Every problem is an `EmbedkitError<VectorsErrorCode>` naming the file, the line (text) or byte
 * offset (binary), and what was expected there.
 */
import { stat } from 'node:fs/promises';
import { isParquetFile } from '@embedkit/parquet';
import { vectorsError } from '../errors';
import { allocateMatrix } from '../scan';
import type { VectorsErrorCode } from '../errors';
import { ByteSource } from './byte-source';
import { FOREIGN_SNIFF_BYTES, foreignFormatMessage } from './foreign';
import { parseNumber } from './numbers';
import { isSparkModelDirectory, readSparkModel } from './spark';
import { decodeWord, latin1 } from './utf8';
import type { DecodedWord, UnicodeErrorPolicy } from './utf8';

/**
 * A vector file format. fastText `.vec` files are `'word2vec-text'`; `'spark'` is a Spark MLlib
 * `Word2VecModel` save directory (see `spark.ts`).
 */
export type VectorFormat = 'word2vec-text' | 'word2vec-binary' | 'glove' | 'spark';

/** Largest dimension accepted (guards allocations against corrupt headers). */
export const MAX_DIM = 1_000_000;
/** Longest text line accepted, in bytes. */
const MAX_LINE_BYTES = 64 << 20;
/** Longest word accepted in a binary file, in bytes (the C tool's limit is 100). */
const MAX_WORD_BYTES = 1 << 16;
/** Initial matrix allocation when the file size is unknown (gzip), in floats. */
const INITIAL_FLOATS = 1 << 22;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Resolved options of {@link readVectors}. */
export interface ReadOptions {
  format: 'auto' | VectorFormat;
  limit: number;
  unicodeErrors: UnicodeErrorPolicy;
  onWarning: ((message: string) => void) | undefined;
}

/** What a loader returns: everything `Embeddings` needs, already validated. */
export interface LoadedVectors {
  labels: string[];
  dim: number;
  data: Float32Array;
  index: Map<string, number>;
  format: VectorFormat;
}

/** Reads a vector file or a Spark model directory. `limit` is `Infinity` for no limit. */
export async function readVectors(path: string, options: ReadOptions): Promise<LoadedVectors> {
  let size: number | undefined;
  let directory = false;
  try {
    const info = await stat(path);
    directory = info.isDirectory();
    size = info.size;
  } catch (error) {
    throw translateFsError(error, path);
  }
  if (directory) {
    if ((options.format === 'auto' || options.format === 'spark') && (await isSparkModelDirectory(path))) {
      return readSparkModel(path, options);
    }
    throw vectorsError(
      'FILE_NOT_FOUND',
      `${path}: is a directory${options.format === 'auto' || options.format === 'spark' ? ' without metadata/ and data/' : ''}; ` +
        'expected a vector file or a Spark Word2VecModel directory (the folder model.save() wrote)',
    );
  }
  if (options.format === 'spark') {
    throw vectorsError('UNKNOWN_FORMAT', `${path}: is a file; format 'spark' reads a Spark Word2VecModel directory (holding metadata/ and data/)`);
  }
  if (options.format === 'auto' && (await isParquetFile(path))) {
    throw vectorsError(
      'UNKNOWN_FORMAT',
      `${path}: is a Parquet file; word vectors in Parquet load from a Spark Word2VecModel directory: give the folder that holds metadata/ and data/`,
    );
  }
  const source = new ByteSource(path, size);
  try {
    let format: VectorFormat;
    try {
      await refuseForeignFormats(source, path);
      format = options.format === 'auto' ? await detectFormat(source, path) : options.format;
    } catch (error) {
      throw translateFsError(error, path);
    }
    const reader = new Reader(source, path, options, format);
    try {
      if (format === 'word2vec-binary') await reader.readBinary();
      else await reader.readText(format === 'word2vec-text');
    } catch (error) {
      throw translateFsError(error, path);
    }
    return reader.result();
  } finally {
    source.close();
  }
}

function translateFsError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return vectorsError('FILE_NOT_FOUND', `${path}: no such file; check the path`, error);
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
    return vectorsError('PARSE_ERROR', `${path}: not a valid gzip file (${(error as Error).message})`, error);
  }
  return error;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0b || c === 0x0c;
}

/** Index of byte `value` in `bytes[from, end)`, or -1. */
function find(bytes: Uint8Array, value: number, from: number, end: number): number {
  const i = bytes.indexOf(value, from);
  return i < 0 || i >= end ? -1 : i;
}

/** Parses "count dim" (both positive integers); undefined when the line is not such a header. */
function parseHeader(text: string): { count: number; dim: number } | undefined {
  const match = /^\s*(\d{1,15})\s+(\d{1,15})\s*$/.exec(text);
  if (match === null) return undefined;
  return { count: Number(match[1]), dim: Number(match[2]) };
}

/** True when `bytes[start, end)` is a word followed by one or more numbers (a GloVe/text row). */
function looksLikeRow(bytes: Uint8Array, start: number, end: number, dim: number): boolean {
  const tokens = latin1(bytes, start, end).trim().split(/[ \t]+/);
  if (tokens.length < 2 || (dim > 0 && tokens.length !== dim + 1)) return false;
  const encoder = new TextEncoder();
  for (let i = 1; i < tokens.length; i++) {
    const t = encoder.encode(tokens[i]);
    if (parseNumber(t, 0, t.length) === undefined) return false;
  }
  return true;
}

/** Throws `UNSUPPORTED_FORMAT` for a file we recognise but do not read (a Python pickle), whatever `format` says. */
async function refuseForeignFormats(source: ByteSource, path: string): Promise<void> {
  while (source.end - source.pos < FOREIGN_SNIFF_BYTES && (await source.more()));
  const message = foreignFormatMessage(path, source.bytes.subarray(source.pos, source.end));
  if (message !== undefined) throw vectorsError('UNSUPPORTED_FORMAT', message);
}

/** Looks at the first lines of the file (without consuming them) to tell the format. */
async function detectFormat(source: ByteSource, path: string): Promise<VectorFormat> {
  // The first non-blank line: a header, or the first GloVe row. (Nothing is consumed: pos stays
  // 0, so `more()` only appends and indices stay valid.)
  let start = source.pos;
  for (;;) {
    const bytes = source.bytes;
    if (start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    while (start < source.end && isSpace(bytes[start] as number)) start++;
    if (start < source.end) break;
    if (source.end - source.pos > MAX_LINE_BYTES || !(await source.more())) {
      throw vectorsError('EMPTY_FILE', `${path}: the file is empty; expected word vectors`);
    }
  }
  let newline = -1;
  for (;;) {
    newline = find(source.bytes, 0x0a, start, source.end);
    if (newline >= 0 || source.eof || source.end - source.pos > MAX_LINE_BYTES) break;
    await source.more();
  }
  const bytes = source.bytes;
  const firstEnd = newline >= 0 ? newline : source.end;
  const header = parseHeader(latin1(bytes, start, Math.min(firstEnd, start + 200)));
  if (header === undefined || firstEnd - start > 200) {
    if (looksLikeRow(bytes, start, firstEnd, 0)) return 'glove';
    throw vectorsError(
      'UNKNOWN_FORMAT',
      `${path}: cannot tell the format: the first line is neither a "count dim" header ` +
        '(word2vec, fastText .vec) nor a "word value value …" row (GloVe); pass format explicitly',
    );
  }
  // After a header: a text row, or a binary record (word, space, raw float32s). Nothing has been
  // consumed yet (pos is 0), so `more()` only appends and our indices stay valid.
  const recordBytes = MAX_WORD_BYTES + 4 * Math.min(header.dim, MAX_DIM) + 2;
  const rowStart = firstEnd + 1;
  let rowEnd = -1;
  for (;;) {
    rowEnd = find(source.bytes, 0x0a, rowStart, source.end);
    if (rowEnd >= 0 || source.eof || source.end - rowStart > recordBytes) break;
    await source.more();
  }
  if (newline < 0 || rowStart >= source.end) return 'word2vec-text';
  const end = rowEnd >= 0 ? rowEnd : source.end;
  // Any "word number number …" row means text, even with the wrong number of values (the text
  // reader then reports the header mismatch); raw float32 bytes essentially never look like that.
  return looksLikeRow(source.bytes, rowStart, end, 0) ? 'word2vec-text' : 'word2vec-binary';
}

/** Parses one file into a growing matrix. */
class Reader {
  private labels: string[] = [];
  private index = new Map<string, number>();
  private data: Float32Array = new Float32Array(0);
  // Byte view of `data` for copying binary vectors with one memcpy.
  private dataBytes: Uint8Array = new Uint8Array(0);
  private dim = 0;
  private rows = 0;
  private readonly decoded: DecodedWord = { word: '', lossy: false };
  private skipped = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly path: string,
    private readonly options: ReadOptions,
    private readonly format: VectorFormat,
  ) {}

  result(): LoadedVectors {
    if (this.skipped > 0) {
      this.options.onWarning?.(
        `${this.path}: skipped ${this.skipped} word(s) whose ${this.options.unicodeErrors === 'replace' ? 'replaced' : 'dropped'} ` +
          'invalid UTF-8 bytes made them equal to an earlier word (gensim keeps the first too)',
      );
    }
    return {
      labels: this.labels,
      dim: this.dim,
      data: this.data.length === this.rows * this.dim ? this.data : this.data.slice(0, this.rows * this.dim),
      index: this.index,
      format: this.format,
    };
  }

  private fail(code: VectorsErrorCode, where: string, message: string): never {
    throw vectorsError(code, `${this.path}: ${where}: ${message}`);
  }

  private setDim(dim: number, where: string, expectedRows: number, rowBytesHint = 0): void {
    if (dim < 1 || dim > MAX_DIM) {
      this.fail('PARSE_ERROR', where, `dimension ${dim} is out of range; expected 1 to ${MAX_DIM}`);
    }
    this.dim = dim;
    // An honest header lets us allocate the exact matrix once; a lying one must not make us
    // allocate more than the file can hold: every vector takes at least 4·dim bytes in binary,
    // 2·dim in text ("0 " per value). Without a size (gzip), start small and double.
    const fileSize = this.source.size;
    const bytesPerRow = this.format === 'word2vec-binary' ? 4 * dim + 2 : 2 * dim + 1;
    const cap = fileSize === undefined ? Math.floor(INITIAL_FLOATS / dim) : Math.ceil(fileSize / bytesPerRow);
    // GloVe has no count: estimate it from the first row's length (10% slack; doubling after).
    const estimate = rowBytesHint > 0 && fileSize !== undefined ? Math.ceil((fileSize / rowBytesHint) * 1.1) + 16 : Infinity;
    const rows = Math.max(1, Math.min(expectedRows, cap, estimate));
    // In WebAssembly memory, ready for the nearest-neighbour scan (no move on the first query).
    this.data = allocateMatrix(rows, dim);
    this.dataBytes = new Uint8Array(this.data.buffer, 0, this.data.byteLength);
  }

  /** Makes room for one more row. */
  private reserveRow(): number {
    const offset = this.rows * this.dim;
    if (offset + this.dim > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, offset + this.dim));
      grown.set(this.data.subarray(0, offset));
      this.data = grown;
      this.dataBytes = new Uint8Array(grown.buffer);
    }
    return offset;
  }

  /** Decodes and registers the word of the row being added; false when it is to be skipped. */
  private addWord(bytes: Uint8Array, start: number, end: number, where: string): boolean {
    const decoded = this.decoded;
    if (!decodeWord(bytes, start, end, this.options.unicodeErrors, decoded)) {
      this.fail(
        'INVALID_UTF8',
        where,
        'the word is not valid UTF-8 (the C tool writes raw bytes and may cut characters); ' +
          "load with unicodeErrors: 'replace' or 'ignore'",
      );
    }
    const word = decoded.word;
    if (word.length === 0) this.fail('PARSE_ERROR', where, 'empty word; expected a word before the values');
    const first = this.index.get(word);
    if (first !== undefined) {
      if (decoded.lossy) {
        this.skipped++;
        return false;
      }
      this.fail('DUPLICATE_LABEL', where, `word ${JSON.stringify(word)} already appeared as vector #${first + 1}; words must be unique`);
    }
    this.index.set(word, this.rows);
    this.labels.push(word);
    return true;
  }

  private async readHeaderLine(): Promise<{ count: number; dim: number }> {
    const source = this.source;
    for (;;) {
      const newline = find(source.bytes, 0x0a, source.pos, source.end);
      if (newline >= 0 || source.eof) {
        let start = source.pos;
        const bytes = source.bytes;
        if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
        const end = newline >= 0 ? newline : source.end;
        const text = latin1(bytes, start, Math.min(end, start + 200));
        if (newline < 0 && text.trim() === '') {
          this.fail('EMPTY_FILE', 'line 1', 'the file is empty; expected a "count dim" header and vectors');
        }
        const header = end - start > 200 ? undefined : parseHeader(text);
        if (header === undefined) {
          this.fail(
            'PARSE_ERROR',
            'line 1',
            `expected a "count dim" header, found ${JSON.stringify(text.slice(0, 60))}` +
              (this.format === 'word2vec-text' ? " (for a file without header use format: 'glove')" : ''),
          );
        }
        if (header.count === 0) this.fail('EMPTY_FILE', 'line 1', 'the header announces 0 vectors');
        source.pos = newline >= 0 ? newline + 1 : end;
        return header;
      }
      if (source.end - source.pos > 4096) this.fail('PARSE_ERROR', 'line 1', 'expected a "count dim" header line');
      await source.more();
    }
  }

  /** word2vec text (with header) or GloVe text (without). */
  async readText(hasHeader: boolean): Promise<void> {
    const source = this.source;
    const limit = this.options.limit;
    let count = Infinity;
    let line = 0;
    if (hasHeader) {
      const header = await this.readHeaderLine();
      count = header.count;
      line = 1;
      this.setDim(header.dim, 'line 1', Math.min(count, limit));
    }
    const target = Math.min(count, limit);
    let firstRow = true;
    for (;;) {
      let newline = find(source.bytes, 0x0a, source.pos, source.end);
      if (newline < 0) {
        if (!source.eof) {
          if (source.end - source.pos > MAX_LINE_BYTES) {
            this.fail('PARSE_ERROR', `line ${line + 1}`, `line longer than ${MAX_LINE_BYTES} bytes`);
          }
          await source.more();
          continue;
        }
        if (source.pos >= source.end) break;
        newline = source.end;
      }
      line++;
      const bytes = source.bytes;
      let start = source.pos;
      source.pos = Math.min(newline + 1, source.end);
      let end = newline;
      if (line === 1 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
      while (end > start && isSpace(bytes[end - 1] as number)) end--;
      if (end === start) continue; // blank lines (a trailing one is common) carry nothing
      if (this.rows >= target) {
        // Only reached without a limit: the body is longer than the header said.
        this.fail('HEADER_MISMATCH', `line ${line}`, `the header announces ${count} vectors but the file has more`);
      }
      this.parseTextRow(bytes, start, end, line, firstRow && hasHeader);
      firstRow = false;
      if (this.rows >= limit) break;
    }
    if (count !== Infinity && this.rows < target) {
      this.fail('HEADER_MISMATCH', `line ${line}`, `the header announces ${count} vectors but the file ends after ${this.rows}`);
    }
    if (this.rows === 0) {
      this.fail('EMPTY_FILE', `line ${line}`, 'no vectors found; expected "word value value …" lines');
    }
  }

  private parseTextRow(bytes: Uint8Array, start: number, end: number, line: number, afterHeader: boolean): void {
    const where = `line ${line}`;
    let wordEnd = start;
    while (wordEnd < end && bytes[wordEnd] !== 0x20 && bytes[wordEnd] !== 0x09) wordEnd++;
    if (wordEnd === start) this.fail('PARSE_ERROR', where, 'the line starts with whitespace; expected a word first');
    if (this.dim === 0) {
      // GloVe: the first row's value count is the dimension.
      let tokens = 0;
      for (let i = wordEnd; i < end; ) {
        while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
        if (i >= end) break;
        tokens++;
        while (i < end && bytes[i] !== 0x20 && bytes[i] !== 0x09) i++;
      }
      if (tokens === 0) this.fail('PARSE_ERROR', where, 'a word without values; expected "word value value …"');
      this.setDim(tokens, where, this.options.limit, end - start + 1);
    }
    const dim = this.dim;
    const offset = this.reserveRow();
    const data = this.data;
    let k = 0;
    let i = wordEnd;
    for (;;) {
      while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
      if (i >= end) break;
      const tokenStart = i;
      while (i < end && bytes[i] !== 0x20 && bytes[i] !== 0x09) i++;
      if (k < dim) {
        const value = parseNumber(bytes, tokenStart, i);
        if (value === undefined) {
          this.fail(
            'PARSE_ERROR',
            where,
            `value ${k + 1} of ${JSON.stringify(latin1(bytes, start, wordEnd))} is ${JSON.stringify(latin1(bytes, tokenStart, Math.min(i, tokenStart + 40)))}; expected a number`,
          );
        }
        const f = Math.fround(value);
        if (f - f !== 0) {
          this.fail(
            'NON_FINITE_VALUE',
            where,
            `value ${k + 1} of ${JSON.stringify(latin1(bytes, start, wordEnd))} is ${latin1(bytes, tokenStart, Math.min(i, tokenStart + 40))}` +
              (value - value === 0 ? ' (beyond the float32 range)' : '') + '; expected a finite number',
          );
        }
        data[offset + k] = f;
      }
      k++;
    }
    if (k !== dim) {
      const word = JSON.stringify(latin1(bytes, start, Math.min(wordEnd, start + 60)));
      if (afterHeader) {
        this.fail('HEADER_MISMATCH', where, `${word} has ${k} values but the header says dim ${dim}`);
      }
      this.fail('WRONG_DIMENSION', where, `${word} has ${k} values; expected ${dim} like the rows before it`);
    }
    if (this.addWord(bytes, start, wordEnd, where)) this.rows++;
  }

  /** The C tool's binary format. */
  async readBinary(): Promise<void> {
    const source = this.source;
    const header = await this.readHeaderLine();
    const count = header.count;
    const target = Math.min(count, this.options.limit);
    this.setDim(header.dim, 'line 1', target);
    const dim = this.dim;
    const vectorBytes = 4 * dim;
    let vectorsSeen = 0;
    while (vectorsSeen < target) {
      const bytes = source.bytes;
      // The C tool ends each vector with '\n', gensim does not: skip any newlines (gensim strips them).
      let pos = source.pos;
      while (pos < source.end && bytes[pos] === 0x0a) pos++;
      source.pos = pos;
      const space = find(bytes, 0x20, pos, Math.min(source.end, pos + MAX_WORD_BYTES + 1));
      if (space < 0 || space + 1 + vectorBytes > source.end) {
        if (space < 0 && source.end - pos > MAX_WORD_BYTES) {
          this.fail('PARSE_ERROR', `byte offset ${source.offsetOf(pos)}`, `no space within ${MAX_WORD_BYTES} bytes; expected "word " before vector #${vectorsSeen + 1}`);
        }
        if (await source.more()) continue;
        const where = `byte offset ${source.offsetOf(pos)}`;
        if (pos >= source.end) {
          this.fail('HEADER_MISMATCH', where, `the header announces ${count} vectors but the file ends after ${vectorsSeen}`);
        }
        if (space < 0) this.fail('TRUNCATED_FILE', where, `the file ends inside the word of vector #${vectorsSeen + 1}; expected "word " and ${vectorBytes} bytes`);
        this.fail(
          'TRUNCATED_FILE',
          where,
          `the file ends inside vector #${vectorsSeen + 1}: ${source.end - space - 1} of its ${vectorBytes} bytes (dim ${dim} × 4) are present`,
        );
      }
      const where = `byte offset ${source.offsetOf(pos)}`;
      const offset = this.reserveRow();
      const data = this.data;
      const from = space + 1;
      if (LITTLE_ENDIAN) {
        this.dataBytes.set(bytes.subarray(from, from + vectorBytes), offset * 4);
      } else {
        const view = new DataView(bytes.buffer, bytes.byteOffset + from, vectorBytes);
        for (let j = 0; j < dim; j++) data[offset + j] = view.getFloat32(4 * j, true);
      }
      for (let j = 0; j < dim; j++) {
        const v = data[offset + j] as number;
        if (v - v !== 0) {
          const word = JSON.stringify(latin1(bytes, pos, Math.min(space, pos + 60)));
          this.fail('NON_FINITE_VALUE', where, `component ${j} of ${word} (vector #${vectorsSeen + 1}) is ${v}; expected a finite number`);
        }
      }
      source.pos = from + vectorBytes;
      vectorsSeen++;
      if (this.addWord(bytes, pos, space, where)) this.rows++;
    }
    if (target === count) {
      // Without a limit the whole file is read: anything but whitespace after the last vector
      // means the header undercounts.
      for (;;) {
        const bytes = source.bytes;
        for (let i = source.pos; i < source.end; i++) {
          if (!isSpace(bytes[i] as number)) {
            this.fail('HEADER_MISMATCH', `byte offset ${source.offsetOf(i)}`, `the header announces ${count} vectors but the file continues after them`);
          }
        }
        source.pos = source.end;
        if (!(await source.more())) break;
      }
    }
  }
}
