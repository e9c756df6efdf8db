// Streamed corpora: the vocabulary pass as for an in-memory Corpus, then the file is read again
// each epoch and encoded on the fly with the same scanner, so memory holds the model and a batch
// of ids, never the corpus (gensim's corpus_file mode; the C tool seeks per thread). A plain text
// file splits into byte ranges that threads read on their own; gzip and Parquet are read by one
// reader. Both kinds of corpus meet the trainers through CorpusSource.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { EmbedkitError } from '@embedkit/errors';
import { countFile, encodeFile, type Corpus } from './corpus';
import { tokenizerError } from './errors';
import { checkReadableFile } from './files';
import { openPieceSource, parquetReaderBytes, type PieceSource } from './parquet';
import { PieceReader, emptyFile, resolveReadOptions, type ReadSentencesOptions, type ResolvedReadOptions } from './read';
import { ByteWordTable, Scanner, scanFile } from './scan';
import { Vocabulary, WordCounter, resolveVocabularyOptions, type VocabularyOptions } from './vocabulary';

/**
 * Sentences of token ids: sentence `s` is `ids[sentenceOffsets[s] .. sentenceOffsets[s + 1])`;
 * `sentenceOffsets[0]` is 0 and the last is `ids.length`.
 */
export interface EncodedBatch {
  readonly ids: Int32Array;
  readonly sentenceOffsets: Int32Array;
}

/**
 * One pass over (a part of) a corpus, a batch of whole sentences at a time. A streamed corpus's
 * batches are views on buffers the reader reuses: a batch stays valid until the second `next()`
 * after it (one in use while the next is read); copy it to keep it longer or to transfer it.
 */
export interface CorpusReader {
  /** The next batch, or undefined at the end. */
  next(): Promise<EncodedBatch | undefined>;
  /** Stops reading early (safe to call twice, and after the end). */
  close(): Promise<void>;
}

/**
 * What trainers read: a corpus in memory ({@link Corpus}) or one streamed from its file each
 * epoch ({@link StreamingCorpus}). Both give the same sentences of ids for the same file and
 * options; a trainer that only reads batches does not care which it got.
 */
export interface CorpusSource {
  /** The vocabulary the ids refer to. */
  readonly vocabulary: Vocabulary;
  /** Kept tokens per pass (for a streamed corpus, counted by its vocabulary pass, or by a pass of its own after maxSize pruning). */
  readonly tokenCount: number;
  /** Sentences per pass (for a streamed corpus an upper bound: sentences without a kept word are dropped). */
  readonly sentenceCount: number;
  /** True when each pass reads the file again. */
  readonly streaming: boolean;
  /** Starts one pass over the whole corpus. */
  read(signal?: AbortSignal): CorpusReader;
}

/** Read options without callbacks: what a worker thread needs to read its part (structured-cloneable). */
export type PartReadOptions = Pick<ResolvedReadOptions, 'tokenize' | 'maxSentenceLength' | 'chunkSize' | 'column'>;

/** A byte range of a streamed text corpus, read by one thread (structured-cloneable). */
export interface CorpusPart {
  readonly path: string;
  /** The file's size when it was split: a pass refuses a file that has changed since. */
  readonly size: number;
  /** First byte: 0, or the byte after a newline (or, inside a line longer than 1 MiB, after an ASCII whitespace byte). */
  readonly start: number;
  /** End (exclusive); the next part's start. */
  readonly end: number;
  readonly read: PartReadOptions;
}

/** Tokens per batch a reader aims at (whole sentences; a batch may be larger). */
const BATCH_TOKENS = 1 << 16;
/** A part boundary looks this far for a newline before it settles for whitespace inside a long line. */
const NEWLINE_REACH = 1 << 20;

/**
 * The vocabulary's words in the byte table the scanner looks tokens up in, slot = id. Build it
 * once per thread and hand it to {@link openCorpusPart} for every pass.
 */
export function wordTable(words: readonly string[]): WordTable {
  const table = new ByteWordTable(words.length);
  for (let id = 0; id < words.length; id++) {
    const bytes = Buffer.from(words[id] as string, 'utf8');
    if (table.slotOf(bytes, 0, bytes.length, false, true) !== id) {
      throw new RangeError(`vocabulary word ${id} has the same UTF-8 bytes as another word (lone surrogate?)`);
    }
  }
  return table;
}

/** A vocabulary as the scanner looks words up (see {@link wordTable}). */
export type WordTable = ByteWordTable;

/**
 * Encodes what the scanner emits into batches of whole sentences: the ids of the sentence still
 * open at the end of a read wait for the next batch. Batches are views on two output buffers used
 * in turn (no garbage per batch: a streamed epoch of 140M tokens would otherwise allocate 0.5 GB
 * of short-lived arrays per pass, which the allocator does not always give back), so a batch stays
 * valid until the second `take` after it: one batch in use while the next is read.
 */
class BatchEncoder {
  private ids: Int32Array = new Int32Array(BATCH_TOKENS * 2);
  private count = 0;
  private ends: Int32Array = new Int32Array(1024);
  private sentences = 0;
  private open = 0; // where the open sentence starts
  private readonly outIds = [new Int32Array(0), new Int32Array(0)];
  private readonly outOffsets = [new Int32Array(0), new Int32Array(0)];
  private turn = 0;

  token(slot: number): void {
    if (slot < 0) return;
    if (this.count === this.ids.length) this.ids = grow(this.ids, this.count, this.count * 2);
    this.ids[this.count++] = slot;
  }

  endSentence(): void {
    if (this.count === this.open) return; // no kept word: dropped, as in memory
    if (this.sentences === this.ends.length) this.ends = grow(this.ends, this.sentences, this.sentences * 2);
    this.ends[this.sentences++] = this.count;
    this.open = this.count;
  }

  /** Tokens in whole sentences, ready to go. */
  get ready(): number {
    return this.open;
  }

  /** The whole sentences as a batch (views, see the class); the open sentence stays. */
  take(): EncodedBatch {
    const n = this.open;
    const t = this.turn;
    this.turn = 1 - t;
    if ((this.outIds[t] as Int32Array).length < n) this.outIds[t] = new Int32Array(Math.max(n, BATCH_TOKENS * 2));
    if ((this.outOffsets[t] as Int32Array).length < this.sentences + 1) this.outOffsets[t] = new Int32Array(Math.max(this.sentences + 1, 1024));
    const ids = (this.outIds[t] as Int32Array).subarray(0, n);
    const offsets = (this.outOffsets[t] as Int32Array).subarray(0, this.sentences + 1);
    ids.set(this.ids.subarray(0, n));
    offsets[0] = 0;
    offsets.set(this.ends.subarray(0, this.sentences), 1);
    this.ids.copyWithin(0, n, this.count);
    this.count -= n;
    this.open = 0;
    this.sentences = 0;
    return { ids, sentenceOffsets: offsets };
  }
}

/** A longer copy of `array`'s first `used` values (the readers' growing buffers). */
export function grow(array: Int32Array, used: number, length: number): Int32Array {
  const grown = new Int32Array(length);
  grown.set(array.subarray(0, used));
  return grown;
}

/** Why a later pass of a streamed corpus fails when its file was moved or changed. */
const READ_AGAIN =
  'a streamed corpus is read again at every pass: leave its file in place and unchanged until training ends, or load it into memory (-stream 0 on the command line)';

/**
 * A reading error of a later pass (the file removed, truncated, unreadable, or a Parquet file
 * damaged since): the same code and message, and why the file is read again.
 */
function readAgainError(error: unknown): unknown {
  if (!(error instanceof EmbedkitError)) return error;
  const code = error.code as string;
  if (code !== 'FILE_NOT_FOUND' && code !== 'READ_ERROR' && code !== 'NOT_A_FILE' && code !== 'CORRUPT_FILE') return error;
  return new EmbedkitError(code, `${error.message}; ${READ_AGAIN}`, { cause: error });
}

/** Refuses a file whose size is not the one it had when counted (or split). */
async function checkUnchanged(path: string, size: number): Promise<void> {
  const now = (await checkReadableFile(path)).size;
  if (now !== size) {
    throw tokenizerError('READ_ERROR', `${path} has changed since it was counted (${size.toLocaleString('en-US')} bytes then, ${now.toLocaleString('en-US')} now)`);
  }
}

/** Reads a piece source (opened lazily) into batches. */
class SourceReader implements CorpusReader {
  private source: PieceSource | undefined;
  private done = false;
  private readonly encoder = new BatchEncoder();
  private readonly scanner: Scanner;

  constructor(
    private readonly opener: () => Promise<PieceSource>,
    read: PartReadOptions,
    table: WordTable,
  ) {
    this.scanner = new Scanner({ ...read, onProgress: undefined, signal: undefined, onWarning: undefined }, table, false, this.encoder);
  }

  async next(): Promise<EncodedBatch | undefined> {
    if (this.done) return undefined;
    let more = true;
    try {
      const source = (this.source ??= await this.opener());
      const scanner = this.scanner;
      const onPiece = (buf: Buffer, start: number, end: number, endOfLine: boolean): void => scanner.piece(buf, start, end, endOfLine);
      while (this.encoder.ready < BATCH_TOKENS && more) more = await source.readChunk(onPiece);
    } catch (error) {
      await this.close();
      throw readAgainError(error);
    }
    if (!more) await this.close();
    return this.encoder.ready > 0 ? this.encoder.take() : undefined;
  }

  async close(): Promise<void> {
    this.done = true;
    const source = this.source;
    this.source = undefined;
    await source?.close();
  }
}

/**
 * Opens part `part` of a streamed text corpus for one pass (in a worker thread too): its byte
 * range read as a file of its own, encoded with `table`. A file moved, truncated or changed in
 * size since it was split fails the pass with `FILE_NOT_FOUND` or `READ_ERROR` naming it.
 */
export function openCorpusPart(part: CorpusPart, table: WordTable, signal?: AbortSignal): CorpusReader {
  return new SourceReader(
    async () => {
      await checkUnchanged(part.path, part.size);
      const reader = new PieceReader(part.path, part.read.chunkSize, { signal }, { start: part.start, end: part.end });
      await reader.open();
      return reader;
    },
    part.read,
    table,
  );
}

/** How a corpus file can be read again: by byte ranges (plain text) or only from the start. */
type FileKind = 'text' | 'gzip' | 'parquet' | 'pipe';

async function fileKind(path: string): Promise<FileKind> {
  // A pipe is told by its stats: opening one waits for a writer, reading it takes what it holds.
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && (info.isFIFO() || info.isSocket() || info.isCharacterDevice())) return 'pipe';
  const source = await openPieceSource(path, resolveReadOptions());
  try {
    if (!(source instanceof PieceReader)) return 'parquet';
    // The reader looks at the magic bytes when it opens.
    return source.gzipped ? 'gzip' : 'text';
  } finally {
    await source.close();
  }
}

/**
 * Byte ranges that split a text file into `parts` parts at line boundaries: each boundary is
 * just after the first newline at or after `size · p / parts`, or, when no newline comes within
 * 1 MiB (a single-line file such as text8), just after the first ASCII whitespace byte, which
 * never falls inside a word or a UTF-8 character. Ranges may be empty (a tiny file, many parts).
 * `newlineReach` (default 1 MiB) is for tests.
 */
export async function corpusRanges(path: string, parts: number, newlineReach = NEWLINE_REACH): Promise<{ start: number; end: number }[]> {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be an integer >= 1, got ${parts}`);
  const size = (await checkReadableFile(path)).size;
  const bounds = [0];
  const handle = await open(path, 'r');
  try {
    const window = Buffer.allocUnsafe(1 << 16);
    for (let p = 1; p < parts; p++) {
      const boundary = await boundaryAfter(handle, Math.floor((size * p) / parts), size, window, newlineReach);
      bounds.push(Math.max(boundary, bounds[bounds.length - 1] as number));
    }
  } finally {
    await handle.close();
  }
  bounds.push(size);
  const ranges: { start: number; end: number }[] = [];
  for (let p = 0; p < parts; p++) ranges.push({ start: bounds[p] as number, end: bounds[p + 1] as number });
  return ranges;
}

// The byte after the first newline at or after `from` when one comes within NEWLINE_REACH, else
// after the first ASCII whitespace byte (newlines are whitespace too); the end of the file when
// the rest is one line shorter than the reach, or holds no whitespace at all.
async function boundaryAfter(handle: FileHandle, from: number, size: number, window: Buffer, reach: number): Promise<number> {
  let whitespace = -1;
  for (let at = from; at < size; ) {
    const n = (await handle.read(window, 0, Math.min(window.length, size - at), at)).bytesRead;
    if (n === 0) break;
    const newline = window.subarray(0, n).indexOf(10);
    for (let i = 0; whitespace < 0 && i < n; i++) {
      const b = window[i] as number;
      if (b === 32 || (b >= 9 && b <= 13)) whitespace = at + i;
    }
    if (newline >= 0) return at + newline - from < reach ? at + newline + 1 : whitespace + 1;
    at += n;
    if (whitespace >= 0 && at - from >= reach) return whitespace + 1;
  }
  return size;
}

/** A pass counting the tokens of `path` in `vocabulary` and the sentences holding one (what a pass of a StreamingCorpus gives). */
async function countKept(path: string, read: ResolvedReadOptions, vocabulary: Vocabulary): Promise<{ tokens: number; sentences: number }> {
  const kept = { tokens: 0, sentences: 0, open: false };
  const sink = {
    token(slot: number): void {
      if (slot >= 0) {
        kept.tokens++;
        kept.open = true;
      }
    },
    endSentence(): void {
      if (kept.open) kept.sentences++;
      kept.open = false;
    },
  };
  const scanned = await scanFile(path, read, wordTable(vocabulary.words), false, sink);
  if (scanned.tokens === 0) throw emptyFile(path, scanned.bytes);
  return { tokens: kept.tokens, sentences: kept.sentences };
}

/** Options for {@link StreamingCorpus.open}: as {@link Corpus.fromFile}. */
export interface StreamingCorpusOptions extends ReadSentencesOptions, VocabularyOptions {
  /** Encode with this vocabulary instead of counting one (the first pass then counts its kept tokens). */
  vocabulary?: Vocabulary;
  /** Called with the counts of the vocabulary pass, before `minCount` applies (not when `vocabulary` is given). */
  onCount?: (counter: WordCounter) => void;
}

/**
 * A corpus read from its file at every pass, in flat memory: the vocabulary pass happens in
 * {@link StreamingCorpus.open}, then each {@link StreamingCorpus.read} (one reader) or
 * {@link StreamingCorpus.parts} (one byte range per thread, plain text files only) reads the file
 * again with the same tokenizer and sentence rules as {@link Corpus.fromFile}, so the ids are the
 * same; {@link StreamingCorpus.load} makes that in-memory Corpus when it fits.
 *
 * @example
 * ```ts
 * const corpus = await StreamingCorpus.open('enwiki.txt.gz', { minCount: 5 });
 * console.log(corpus.tokenCount, corpus.encodedBytes); // what an in-memory Corpus would take
 * const reader = corpus.read();
 * for (let batch = await reader.next(); batch; batch = await reader.next()) console.log(batch.ids.length);
 * ```
 */
export class StreamingCorpus implements CorpusSource {
  readonly streaming = true;
  private table: WordTable | undefined;

  private constructor(
    /** The corpus file. */
    readonly path: string,
    readonly vocabulary: Vocabulary,
    readonly tokenCount: number,
    readonly sentenceCount: number,
    private readonly options: ResolvedReadOptions,
    /** `text` files split into byte ranges; `gzip`, `parquet` and pipes are read by one reader. */
    readonly kind: FileKind,
    /**
     * Bytes a reader holds at most besides its batches (about a read's worth, `chunkSize`): for a
     * Parquet corpus, the text column chunk of a row group without an offset index (see
     * `parquetReaderBytes`); 0 for text and gzip files.
     */
    readonly readerBytes: number,
    // The file's size when counted (undefined for a Parquet table's directory).
    private readonly size: number | undefined,
  ) {}

  /**
   * Runs the vocabulary pass (or, with `options.vocabulary`, a pass counting its kept tokens; or
   * both, when `maxSize` pruned while counting and left the counts short of the kept tokens).
   *
   * @throws the errors of {@link Corpus.fromFile}.
   */
  static async open(path: string, options: StreamingCorpusOptions = {}): Promise<StreamingCorpus> {
    const read = resolveReadOptions(options);
    const { minCount, maxSize } = resolveVocabularyOptions(options, 5);
    const given = options.vocabulary;
    if (given !== undefined && !(given instanceof Vocabulary)) throw new TypeError('options.vocabulary must be a Vocabulary');
    const onCount = options.onCount;
    if (onCount !== undefined && typeof onCount !== 'function') throw new TypeError('onCount must be a function');
    const kind = await fileKind(path);
    if (kind === 'pipe') {
      throw tokenizerError(
        'NOT_A_FILE',
        `${path} is a pipe or a device, not a file: a streamed corpus is read again at every pass, and a pipe can be read only once; ` +
          'load it with Corpus.fromFile (which reads a pipe once), or write it to a file first',
      );
    }
    // Later passes have no warnings to give (the first pass gave them) and no progress to report.
    const later: ResolvedReadOptions = { ...read, onWarning: undefined, onProgress: undefined };
    const readerBytes = kind === 'parquet' ? await parquetReaderBytes(path, read.column) : 0;
    const info = await stat(path);
    const size = info.isFile() ? info.size : undefined;
    if (given !== undefined) {
      const kept = await countKept(path, read, given);
      return new StreamingCorpus(path, given, kept.tokens, kept.sentences, later, kind, readerBytes, size);
    }
    const counter = await countFile(path, read, maxSize);
    onCount?.(counter);
    const vocabulary = counter.toVocabulary({ minCount });
    if (counter.pruneCount > 0) {
      // Pruning while counting (maxSize) forgot the early occurrences of words it dropped and met
      // again: the counts are short of the tokens a pass gives, which the trainers' learning-rate
      // schedule and progress divide by. A pass counts them, as the loaded corpus does by encoding.
      const kept = await countKept(path, { ...read, onWarning: undefined }, vocabulary);
      return new StreamingCorpus(path, vocabulary, kept.tokens, kept.sentences, later, kind, readerBytes, size);
    }
    return new StreamingCorpus(path, vocabulary, vocabulary.totalCount, counter.sentenceCount, later, kind, readerBytes, size);
  }

  /** Bytes an in-memory {@link Corpus} of this file would take (4 per kept token and per sentence). */
  get encodedBytes(): number {
    return 4 * (this.tokenCount + this.sentenceCount + 1);
  }

  /** Whether {@link StreamingCorpus.parts} can split the file into byte ranges (a plain text file). */
  get seekable(): boolean {
    return this.kind === 'text';
  }

  private lookup(): WordTable {
    return (this.table ??= wordTable(this.vocabulary.words));
  }

  /**
   * One pass over the whole file, by one reader (any kind of file). A file moved, or changed in
   * size since it was counted, fails the pass with `FILE_NOT_FOUND` or `READ_ERROR` naming it.
   */
  read(signal?: AbortSignal): CorpusReader {
    const options = { ...this.options, signal };
    return new SourceReader(
      async () => {
        if (this.size !== undefined) await checkUnchanged(this.path, this.size);
        return openPieceSource(this.path, options);
      },
      this.options,
      this.lookup(),
    );
  }

  /**
   * Splits a plain text file into `count` byte ranges at line boundaries (see
   * {@link corpusRanges}), each read by {@link openCorpusPart}: every sentence falls in exactly one
   * part. A gzip or Parquet file cannot be split: read it with {@link StreamingCorpus.read}.
   */
  async parts(count: number): Promise<CorpusPart[]> {
    if (!this.seekable) {
      throw new RangeError(`${this.path} is ${this.kind === 'gzip' ? 'gzip-compressed' : 'a Parquet table'}: it cannot be split into byte ranges; read it with read()`);
    }
    const read: PartReadOptions = {
      tokenize: this.options.tokenize,
      maxSentenceLength: this.options.maxSentenceLength,
      chunkSize: this.options.chunkSize,
      column: this.options.column,
    };
    const size = this.size as number; // a text file's
    try {
      await checkUnchanged(this.path, size);
    } catch (error) {
      throw readAgainError(error);
    }
    return (await corpusRanges(this.path, count)).map((range) => ({ path: this.path, size, ...range, read }));
  }

  /** Encodes the whole file into an in-memory {@link Corpus} (the encoding pass of `Corpus.fromFile`). */
  async load(options: { shared?: boolean; signal?: AbortSignal } = {}): Promise<Corpus> {
    return encodeFile(this.path, { ...this.options, signal: options.signal }, this.vocabulary, this.lookup(), {
      tokens: this.tokenCount,
      sentences: this.sentenceCount,
      shared: options.shared === true,
    });
  }
}
