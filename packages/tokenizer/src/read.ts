// Streaming readers: a file of any size as text pieces and sentences, in flat memory. A line is a
// sentence (a row, in a Parquet corpus: see parquet.ts); pieces are cut at newlines, and inside long lines (a single-line file such as text8)
// at the last ASCII whitespace byte of each read, which can never fall inside a word or inside a
// UTF-8 character (every byte of a multi-byte character is >= 0x80).
import { isUtf8 } from 'node:buffer';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { EmbedkitError } from '@embedkit/errors';
import { tokenizerError } from './errors';
import { checkReadableFile } from './files';
import { openPieceSource, readAllPieces } from './parquet';
import { Tokenizer, resolveTokenizeOptions, type ResolvedTokenizeOptions, type TokenizeOptions } from './tokenize';

/** Options for {@link readSentences}. */
export interface ReadSentencesOptions extends TokenizeOptions {
  /**
   * Longer lines are cut into sentences of this many tokens (the last one shorter), as gensim's
   * `LineSentence` and word2vec.c do. Default 10000.
   */
  maxSentenceLength?: number;
  /**
   * Bytes per read (of a Parquet corpus: about this many characters of its text column, whatever the
   * row groups' size). Default 1 MiB. Small values are for tests.
   */
  chunkSize?: number;
  /** Called after each read with the bytes read so far and the file size (0 when unknown). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops reading (rejecting with the signal's reason) between two reads. */
  signal?: AbortSignal;
  /**
   * The text column of a Parquet corpus (a file starting with `PAR1`), one row a sentence or a
   * document; a column of token lists (`list<string>`) reads as its tokens. Default: the file's
   * only text column. Refused for a text file.
   */
  column?: string;
  /**
   * Told once per file about the first invalid UTF-8 byte, with its line (the bytes are read as
   * U+FFFD). Default: none.
   */
  onWarning?: (message: string) => void;
}

/** Options after defaults, validated once. */
export interface ResolvedReadOptions {
  tokenize: ResolvedTokenizeOptions;
  maxSentenceLength: number;
  chunkSize: number;
  onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined;
  signal: AbortSignal | undefined;
  column: string | undefined;
  onWarning: ((message: string) => void) | undefined;
}

/** Applies the defaults of {@link ReadSentencesOptions} and validates them. */
export function resolveReadOptions(options: ReadSentencesOptions = {}): ResolvedReadOptions {
  const maxSentenceLength = options.maxSentenceLength ?? 10_000;
  const chunkSize = options.chunkSize ?? 1 << 20;
  if (!Number.isInteger(maxSentenceLength) || maxSentenceLength < 1) {
    throw new RangeError(`maxSentenceLength must be an integer >= 1, got ${String(maxSentenceLength)}`);
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 1 << 30) {
    throw new RangeError(`chunkSize must be an integer in [1, 2^30] bytes, got ${String(chunkSize)}`);
  }
  const { onProgress, signal, onWarning } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError('onProgress must be a function');
  }
  if (onWarning !== undefined && typeof onWarning !== 'function') throw new TypeError('onWarning must be a function');
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  const column = options.column;
  if (column !== undefined && (typeof column !== 'string' || column.length === 0)) {
    throw new TypeError(`column must be a non-empty string, got ${JSON.stringify(column)}`);
  }
  return { tokenize: resolveTokenizeOptions(options), maxSentenceLength, chunkSize, onProgress, signal, column, onWarning };
}

// A piece of a line with no whitespace at all (a "word") longer than this is cut at a character
// boundary anyway, so that memory stays bounded whatever the input.
const MAX_CARRY_BYTES = 1 << 20;
// The first bytes are checked for binary content.
const SNIFF_BYTES = 1 << 16;

function isAsciiSpaceByte(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/** Offset of the first byte of `[start, end)` that does not begin a valid UTF-8 character, or -1. */
function firstInvalidUtf8(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= end) return i; // not a lead byte, or cut by the end
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k] as number;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < (n === 1 ? 0x80 : n === 2 ? 0x800 : 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Receives one piece of text: bytes `[start, end)` of `buffer`, valid only during the call. */
export type PieceCallback = (buffer: Buffer, start: number, end: number, endOfLine: boolean) => void;

/**
 * Reads a file in chunks and hands out byte ranges of text: whole lines (`endOfLine` true) and,
 * inside long lines, pieces ending at whitespace (`endOfLine` false). A BOM is skipped; NUL bytes
 * and mostly-invalid UTF-8 are refused as binary. Used by every reader of this package.
 */
export class PieceReader {
  /** Bytes read so far. */
  bytesRead = 0;
  /** Size of the file, known once open (0 for pipes). */
  totalBytes = 0;
  private buffer: Buffer;
  private handle: FileHandle | undefined;
  private carry = 0; // bytes at the front of the buffer left over from the previous read
  private first = true;
  private finished = false;
  // True when the carried bytes were already searched: they hold no newline and no whitespace,
  // so a long line is not searched again at every read.
  private carryScanned = false;
  // True while a line has been handed out in part (endOfLine false) and not finished.
  private lineOpen = false;
  // Lines ended so far, and how far the buffer's bytes are checked as UTF-8 (for the warning).
  private lines = 0;
  private checkedUtf8 = 0;
  private warnedUtf8 = false;

  // A byte range [position, end) of a plain file (the streamed corpus's part), read with
  // positional reads; Infinity for the whole file.
  private position: number;
  private readonly end: number;
  private readonly fromStart: boolean;
  // A gzip file: its bytes come decompressed from this stream (no range: gzip cannot seek).
  private gunzip: AsyncIterator<Buffer> | undefined;
  private compressed: ReadStream | undefined;
  private pending: Buffer | undefined; // decompressed bytes not yet handed out

  /**
   * @param range - read only bytes `[start, end)` of a plain text file (not gzip), as if they were
   *   the whole file: the streamed corpus's part of a worker. The byte at `start` must begin a line
   *   or follow an ASCII whitespace byte (see `corpusRanges`); only a range at 0 skips a BOM or is sniffed.
   */
  constructor(
    readonly path: string,
    private readonly chunkSize: number,
    private readonly hooks: Partial<Pick<ResolvedReadOptions, 'onProgress' | 'signal' | 'onWarning'>> = {},
    range?: { start: number; end: number },
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(chunkSize * 2, 64));
    this.position = range?.start ?? 0;
    this.end = range?.end ?? Infinity;
    this.fromStart = this.position === 0;
    if (!this.fromStart) this.first = false;
  }

  /** Whether the file is gzip-compressed (known once open). */
  get gzipped(): boolean {
    return this.compressed !== undefined;
  }

  /** Checks the path and opens the file. */
  async open(): Promise<void> {
    this.hooks.signal?.throwIfAborted();
    const stats = await checkReadableFile(this.path);
    this.totalBytes = stats.size;
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      throw tokenizerError('READ_ERROR', `Cannot open ${this.path}: ${(error as Error).message}`, error);
    }
    this.handle = handle;
    if (stats.isFile() && stats.size >= 2 && this.position === 0) {
      const magic = Buffer.alloc(2);
      await handle.read(magic, 0, 2, 0).catch(() => undefined);
      if (magic[0] === 0x1f && magic[1] === 0x8b) {
        if (this.end !== Infinity) {
          await this.close();
          throw new RangeError(`${this.path} is gzip-compressed: it cannot be read by byte ranges`);
        }
        // gzip: decompressed as a stream, and sniffed on its first chunk as a pipe is.
        this.compressed = createReadStream(this.path, { fd: handle, autoClose: false, highWaterMark: Math.max(64, this.chunkSize) });
        const gunzip = this.compressed.pipe(createGunzip({ chunkSize: Math.max(64, Math.min(this.chunkSize, 1 << 20)) }));
        // Errors reach the reader through the iterator (READ_ERROR); a late one, after it was
        // closed, must not surface as an unhandled 'error' event.
        gunzip.on('error', () => undefined);
        this.compressed.on('error', () => undefined);
        this.gunzip = gunzip[Symbol.asyncIterator]();
        return;
      }
    }
    if (stats.isFile() && stats.size > 0 && this.position === 0) {
      // Sniff the first bytes with a positional read, whatever the chunk size: the streaming reads
      // below still start at offset 0. (Pipes and devices are sniffed on their first chunk.)
      const sample = Buffer.allocUnsafe(Math.min(stats.size, SNIFF_BYTES));
      try {
        const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
        this.sniff(sample, bytesRead);
        this.first = false;
      } catch (error) {
        await this.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EISDIR') {
          throw tokenizerError('NOT_A_FILE', `${this.path} is a directory; give the path of a text file`, error);
        }
        if (error instanceof EmbedkitError) throw error; // our own BINARY_FILE
        throw tokenizerError('READ_ERROR', `Cannot read ${this.path}: ${(error as Error).message}`, error);
      }
    }
  }

  /** Closes the file (safe to call twice). */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    const gunzip = this.gunzip;
    this.gunzip = undefined;
    if (gunzip !== undefined) await gunzip.return?.().catch(() => undefined);
    this.compressed?.destroy();
    if (handle !== undefined) await handle.close();
  }

  /** Bytes of the file behind what was read (compressed bytes for gzip), for progress reports. */
  private get fileBytesRead(): number {
    return this.compressed !== undefined ? this.compressed.bytesRead : this.bytesRead;
  }

  // Reads up to `length` bytes into `buf` at `offset`: positional reads inside a range,
  // decompressed bytes for gzip, sequential reads otherwise (pipes and devices included).
  private async readBytes(handle: FileHandle, buf: Buffer, offset: number, length: number): Promise<number> {
    const gunzip = this.gunzip;
    if (gunzip !== undefined) {
      let pending = this.pending;
      if (pending === undefined || pending.length === 0) {
        let next: IteratorResult<Buffer>;
        try {
          next = await gunzip.next();
        } catch (error) {
          throw tokenizerError('READ_ERROR', `${this.path} is not a valid gzip file: ${(error as Error).message}`, error);
        }
        if (next.done === true) return 0;
        pending = next.value;
      }
      const n = Math.min(length, pending.length);
      pending.copy(buf, offset, 0, n);
      this.pending = pending.subarray(n);
      return n;
    }
    if (!this.positional) return (await handle.read(buf, offset, length, null)).bytesRead;
    const want = Math.min(length, this.end - this.position);
    if (want <= 0) return 0;
    const { bytesRead } = await handle.read(buf, offset, want, this.position);
    if (bytesRead === 0 && this.end !== Infinity) {
      throw tokenizerError('READ_ERROR', `${this.path} ended at byte ${this.position}, before the end of the range being read (byte ${this.end}): the file was truncated`);
    }
    this.position += bytesRead;
    return bytesRead;
  }

  // Positional reads only inside a range; the whole file reads sequentially (pipes too).
  private get positional(): boolean {
    return this.end !== Infinity || this.position > 0;
  }

  /** Reads the whole file, calling `onPiece` for each piece in order. */
  async run(onPiece: PieceCallback): Promise<void> {
    await this.open();
    try {
      while (await this.readChunk(onPiece));
    } finally {
      await this.close();
    }
  }

  /** Reads one chunk and calls `onPiece` for the pieces it completes; false once the file is done. */
  async readChunk(onPiece: PieceCallback): Promise<boolean> {
    const handle = this.handle;
    if (this.finished) return false;
    if (handle === undefined) throw new Error('PieceReader.readChunk() called before open()');
    this.hooks.signal?.throwIfAborted();
    const chunkSize = this.chunkSize;
    const carry = this.carry;
    if (carry + chunkSize > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, carry + chunkSize));
      this.buffer.copy(grown, 0, 0, carry);
      this.buffer = grown;
    }
    const buf = this.buffer;
    let bytes: number;
    try {
      bytes = await this.readBytes(handle, buf, carry, chunkSize);
    } catch (error) {
      if (error instanceof EmbedkitError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') {
        throw tokenizerError('NOT_A_FILE', `${this.path} is a directory; give the path of a text file`, error);
      }
      throw tokenizerError('READ_ERROR', `Cannot read ${this.path}: ${(error as Error).message}`, error);
    }
    const eof = bytes === 0;
    const len = carry + bytes;
    if (bytes > 0) {
      const nul = buf.indexOf(0, carry);
      if (nul >= 0 && nul < len) {
        throw tokenizerError(
          'BINARY_FILE',
          `${this.path} holds a NUL byte at offset ${this.bytesRead + nul - carry}: it looks like binary data (or UTF-16), not UTF-8 text`,
        );
      }
    }
    this.bytesRead += bytes;
    this.hooks.onProgress?.(this.fileBytesRead, this.totalBytes);
    let pos = 0;
    if (this.first) {
      this.first = false;
      this.sniff(buf, len);
    }
    if (this.bytesRead === bytes && this.fromStart && len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      // A BOM (when a tiny chunk splits it, the tokenizers take U+FEFF for whitespace anyway).
      pos = 3;
    }
    const checkedEnd = this.checkUtf8(buf, len, eof);
    const searched = this.carryScanned ? carry : 0;
    for (;;) {
      const nl = buf.indexOf(10, pos > searched ? pos : searched);
      if (nl < 0 || nl >= len) break;
      onPiece(buf, pos, nl, true);
      this.lineOpen = false;
      this.lines++;
      pos = nl + 1;
    }
    if (eof) {
      // The last line had no final newline: end it (even when its last piece went out already).
      if (pos < len || this.lineOpen) onPiece(buf, pos, len, true);
      this.lineOpen = false;
      this.finished = true;
      this.carry = 0;
      return false;
    }
    // An incomplete line: hand out what ends at its last whitespace, keep the rest.
    const floor = pos > searched ? pos : searched;
    let cut = len;
    while (cut > floor && !isAsciiSpaceByte(buf[cut - 1] as number)) cut--;
    if (cut === floor) cut = pos; // no whitespace in the whole piece
    if (cut === pos && len - pos > MAX_CARRY_BYTES) {
      // No whitespace in a megabyte: cut before the last (maybe incomplete) UTF-8 character.
      cut = len - 1;
      while (cut > pos && ((buf[cut] as number) & 0xc0) === 0x80) cut--;
    }
    if (cut > pos) {
      onPiece(buf, pos, cut, false);
      this.lineOpen = true;
    }
    buf.copy(buf, 0, cut, len);
    this.carry = len - cut;
    this.carryScanned = true;
    this.checkedUtf8 = Math.max(0, checkedEnd - cut);
    return true;
  }

  // Checks the new complete characters of the buffer as UTF-8 (natively, one call per read) and
  // warns once, with the line, about the first invalid byte: the decoder reads it as U+FFFD.
  // Returns how far the buffer is checked (a character cut by the read's end waits for the next).
  private checkUtf8(buf: Buffer, len: number, eof: boolean): number {
    const onWarning = this.hooks.onWarning;
    if (onWarning === undefined || this.warnedUtf8) return len;
    const from = this.checkedUtf8;
    let end = len;
    if (!eof) {
      let k = len - 1;
      while (k > from && len - k < 4 && ((buf[k] as number) & 0xc0) === 0x80) k--;
      const lead = buf[k] as number;
      if (k >= from && lead >= 0xc0 && len - k < (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2)) end = k;
    }
    if (end <= from || isUtf8(buf.subarray(from, end))) return end;
    const bad = firstInvalidUtf8(buf, from, end);
    if (bad < 0) return end;
    let line = this.lines + 1;
    for (let i = buf.indexOf(10, 0); i >= 0 && i < bad; i = buf.indexOf(10, i + 1)) line++;
    this.warnedUtf8 = true;
    onWarning(
      `${this.path}:${line}: invalid UTF-8 (byte 0x${(buf[bad] as number).toString(16).padStart(2, '0')}), read as U+FFFD; ` +
        `if the file is not UTF-8, convert it first: iconv -f latin1 -t utf-8 ${this.path} > ${this.path}.utf8 ` +
        '(with its real encoding in place of latin1). Further invalid bytes are not reported.',
    );
    return end;
  }

  // Refuse what is clearly not UTF-8 text: UTF-16 byte-order marks, or a sample where more than
  // a tenth of the characters are replacement characters or control characters.
  private sniff(buf: Buffer, len: number): void {
    if (len >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
      throw tokenizerError(
        'BINARY_FILE',
        `${this.path} is UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)`,
      );
    }
    const end = Math.min(len, SNIFF_BYTES);
    const sample = buf.toString('utf8', 0, end);
    let invalid = 0;
    let controls = 0;
    const n = sample.length;
    // The last 3 characters may be a character cut by the sample's end.
    for (let i = 0; i < n - 3; i++) {
      const c = sample.charCodeAt(i);
      if (c === 0xfffd) invalid++;
      else if ((c < 32 && !(c >= 9 && c <= 13)) || c === 127) controls++;
    }
    if (n >= 16 && invalid + controls > n * 0.1) {
      // Text in an 8-bit encoding (Latin-1, Windows-1252, GBK…) is invalid UTF-8 without the
      // control characters that binary data is full of.
      if (controls <= n * 0.01) {
        throw tokenizerError(
          'NOT_UTF8',
          `${this.path} is not UTF-8 text (${invalid} of the first ${n} characters are invalid UTF-8): it looks like Latin-1, ` +
            `Windows-1252 or another 8-bit encoding. Convert it first: iconv -f latin1 -t utf-8 ${this.path} > ${this.path}.utf8 ` +
            '(with its real encoding in place of latin1, e.g. gbk)',
        );
      }
      throw tokenizerError(
        'BINARY_FILE',
        `${this.path} does not look like text (${invalid + controls} of the first ${n} characters are invalid UTF-8 or control characters); give a UTF-8 text file`,
      );
    }
  }
}

/**
 * Turns pieces of text into sentences: tokens accumulate until the end of a line, and a sentence
 * is emitted whenever `maxSentenceLength` tokens are reached. Lines without tokens emit nothing.
 */
export class SentenceAssembler {
  private current: string[] = [];

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly maxSentenceLength: number,
    private readonly onSentence: (sentence: string[]) => void,
  ) {}

  /** Adds the text of bytes `[start, end)`, ending the sentence when `endOfLine`. */
  addPiece(buf: Buffer, start: number, end: number, endOfLine: boolean): void {
    let current = this.current;
    if (end > start) this.tokenizer.tokenizeInto(buf.toString('utf8', start, end), current);
    const max = this.maxSentenceLength;
    if (current.length >= max) {
      let k = 0;
      while (current.length - k >= max) {
        this.onSentence(current.slice(k, k + max));
        k += max;
      }
      current = current.slice(k);
    }
    if (endOfLine && current.length > 0) {
      this.onSentence(current);
      current = [];
    }
    this.current = current;
  }
}

/**
 * Reads `path` sentence by sentence through a callback (no promise per sentence: the fastest way
 * to scan a file). Resolves with the number of bytes read.
 *
 * @throws the errors of {@link readSentences}.
 */
export async function forEachSentence(
  path: string,
  options: ReadSentencesOptions | ResolvedReadOptions | undefined,
  onSentence: (sentence: string[]) => void,
): Promise<{ bytes: number; tokens: number; sentences: number }> {
  const resolved = isResolved(options) ? options : resolveReadOptions(options);
  let tokens = 0;
  let sentences = 0;
  const assembler = new SentenceAssembler(new Tokenizer(resolved.tokenize), resolved.maxSentenceLength, (s) => {
    tokens += s.length;
    sentences++;
    onSentence(s);
  });
  const source = await openPieceSource(path, resolved);
  await readAllPieces(source, (buf, start, end, endOfLine) => assembler.addPiece(buf, start, end, endOfLine));
  if (tokens === 0) throw emptyFile(path, source.bytesRead);
  return { bytes: source.bytesRead, tokens, sentences };
}

function isResolved(options: unknown): options is ResolvedReadOptions {
  return typeof options === 'object' && options !== null && 'tokenize' in options && 'chunkSize' in options;
}

/** The EMPTY_FILE error of every reader. */
export function emptyFile(path: string, bytes: number): Error {
  return tokenizerError(
    'EMPTY_FILE',
    bytes === 0
      ? `${path} is empty; give a non-empty text file`
      : `${path} holds no token (${bytes} bytes of whitespace or dropped characters); check the file or the tokenizer options`,
  );
}

/**
 * Reads a text file as sentences of tokens, without loading it whole: a line is a sentence (cut
 * into sentences of at most `maxSentenceLength` tokens); lines without tokens are skipped. CRLF,
 * a missing final newline and a BOM are handled; invalid UTF-8 becomes U+FFFD (and `onWarning`
 * hears of the first invalid byte, with its line); a file mostly not UTF-8 is refused.
 *
 * Each yielded array is fresh (the caller may keep it).
 *
 * @throws EmbedkitError `FILE_NOT_FOUND`, `NOT_A_FILE`, `READ_ERROR`, `BINARY_FILE`, `NOT_UTF8`, and
 * `EMPTY_FILE` (once the file is read) when the file holds no token.
 *
 * @example
 * ```ts
 * for await (const sentence of readSentences('corpus.txt')) console.log(sentence.length);
 * ```
 */
export async function* readSentences(path: string, options?: ReadSentencesOptions): AsyncIterableIterator<string[]> {
  const resolved = resolveReadOptions(options);
  const queue: string[][] = [];
  let tokens = 0;
  const assembler = new SentenceAssembler(new Tokenizer(resolved.tokenize), resolved.maxSentenceLength, (s) => {
    queue.push(s);
  });
  // One chunk (a row group for Parquet) at a time: its sentences are yielded before the next
  // read, so memory stays flat.
  const reader = await openPieceSource(path, resolved);
  try {
    let more = true;
    while (more) {
      more = await reader.readChunk((buf, start, end, endOfLine) => assembler.addPiece(buf, start, end, endOfLine));
      for (let i = 0; i < queue.length; i++) {
        const sentence = queue[i] as string[];
        tokens += sentence.length;
        yield sentence;
      }
      queue.length = 0;
    }
  } finally {
    await reader.close();
  }
  if (tokens === 0) throw emptyFile(path, reader.bytesRead);
}
