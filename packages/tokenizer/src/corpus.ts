// Corpus: the encoded corpus every trainer reads. Token ids in one Int32Array (4 bytes per kept
// token), sentence boundaries in another; out-of-vocabulary tokens and sentences left empty are
// dropped.
import { stat } from 'node:fs/promises';
import { tokenizerError } from './errors';
import { emptyFile, resolveReadOptions, type ReadSentencesOptions, type ResolvedReadOptions } from './read';
import { ByteWordTable, scanFile } from './scan';
import { grow, wordTable, type CorpusReader, type CorpusSource, type EncodedBatch, type WordTable } from './stream';
import { Vocabulary, WordCounter, resolveVocabularyOptions, type VocabularyOptions } from './vocabulary';

/** Options for {@link Corpus.fromSentences}. */
export interface CorpusOptions extends VocabularyOptions {
  /** Encode with this vocabulary instead of counting one from the sentences. */
  vocabulary?: Vocabulary;
  /** Put the arrays on SharedArrayBuffers (see {@link CorpusFileOptions.shared}). Default false. */
  shared?: boolean;
}

/** Options for {@link Corpus.fromFile}: how to read and tokenize, and which words to keep. */
export interface CorpusFileOptions extends ReadSentencesOptions, VocabularyOptions {
  /** Encode with this vocabulary (one pass) instead of counting one first (two passes). */
  vocabulary?: Vocabulary;
  /**
   * Put `ids` and `sentenceOffsets` on SharedArrayBuffers, so that multi-threaded trainers hand
   * them to their workers without copying the corpus. Default false.
   */
  shared?: boolean;
  /**
   * Called with the counts of the vocabulary pass, before `minCount` applies (not called when
   * `vocabulary` is given): for statistics and checks such as `looksLikeWholeLines`.
   */
  onCount?: (counter: WordCounter) => void;
}

/**
 * Counts the words of a file in one streaming pass (the vocabulary pass), with the statistics
 * the counter keeps: tokens, sentences, distinct words. `maxSize` prunes while counting.
 *
 * @example
 * ```ts
 * const counter = await countWords('corpus.txt');
 * const vocabulary = counter.toVocabulary({ minCount: 5 });
 * console.log(counter.tokenCount, counter.sentenceCount, counter.distinctCount, vocabulary.size);
 * ```
 * @throws EmbedkitError `FILE_NOT_FOUND`, `NOT_A_FILE`, `READ_ERROR`, `BINARY_FILE`, `NOT_UTF8`, `EMPTY_FILE`.
 */
export async function countWords(
  path: string,
  options: ReadSentencesOptions & { maxSize?: number } = {},
): Promise<WordCounter> {
  const read = resolveReadOptions(options);
  const { maxSize } = resolveVocabularyOptions({ maxSize: options.maxSize }, 1);
  return countFile(path, read, maxSize);
}

/** The vocabulary pass of a file (shared with StreamingCorpus). */
export async function countFile(path: string, read: ResolvedReadOptions, maxSize: number): Promise<WordCounter> {
  return (await countWithTable(path, read, maxSize)).counter;
}

/**
 * The vocabulary pass, with its table (slot = first occurrence among the words kept by pruning);
 * `recorder` also keeps every token's slot and the sentence ends (a pipe's one pass).
 */
async function countWithTable(
  path: string,
  read: ResolvedReadOptions,
  maxSize: number,
  recorder?: SlotRecorder,
): Promise<{ counter: WordCounter; table: ByteWordTable }> {
  const table = new ByteWordTable();
  let threshold = 1;
  let pruneCount = 0;
  const sink = {
    token(slot: number): void {
      recorder?.token(slot);
      table.counts[slot] = (table.counts[slot] as number) + 1;
      // Only an insertion can exceed the bound: prune as word2vec.c's ReduceVocab.
      while (table.size > maxSize) {
        recorder?.prune(table, threshold);
        table.prune(threshold++);
        pruneCount++;
      }
    },
    endSentence(): void {
      recorder?.endSentence();
    },
  };
  const scanned = await scanFile(path, read, table, true, sink);
  if (scanned.tokens === 0) throw emptyFile(path, scanned.bytes);
  const counter = new WordCounter();
  for (let slot = 0; slot < table.size; slot++) counter.add(table.wordOf(slot), table.counts[slot] as number);
  counter.tokenCount = scanned.tokens;
  counter.sentenceCount = scanned.sentences;
  counter.pruneCount = pruneCount;
  return { counter, table };
}

/**
 * Every token's slot in the counting table, and the sentence ends, of a pass that cannot be
 * repeated (a pipe): 4 bytes per token read, rare words included until the vocabulary is known.
 */
class SlotRecorder {
  slots: Int32Array = new Int32Array(1 << 16);
  count = 0;
  ends: Int32Array = new Int32Array(1 << 10);
  sentences = 0;

  token(slot: number): void {
    if (this.count === this.slots.length) this.slots = grow(this.slots, this.count, this.count * 2);
    this.slots[this.count++] = slot;
  }

  endSentence(): void {
    if (this.sentences === this.ends.length) this.ends = grow(this.ends, this.sentences, this.sentences * 2);
    this.ends[this.sentences++] = this.count;
  }

  /** Before `table.prune(threshold)`: the slots it forgets become -1, the others their new slot. */
  prune(table: ByteWordTable, threshold: number): void {
    const renumbered = new Int32Array(table.size);
    let kept = 0;
    for (let slot = 0; slot < table.size; slot++) renumbered[slot] = (table.counts[slot] as number) > threshold ? kept++ : -1;
    const slots = this.slots;
    for (let i = 0; i < this.count; i++) {
      const slot = slots[i] as number;
      if (slot >= 0) slots[i] = renumbered[slot] as number;
    }
  }
}

/** True for a pipe, a socket or a character device: what can be read only once. */
async function readOnlyOnce(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && (info.isFIFO() || info.isSocket() || info.isCharacterDevice());
}

/**
 * `Corpus.fromFile` of a pipe, which cannot be read twice: one pass counts the words and keeps
 * every token's slot, then the slots become the vocabulary's ids. The same corpus as two passes
 * over a file, except after `maxSize` pruning (two passes encode a pruned word's occurrences from
 * before it came back; one pass has forgotten them).
 */
async function loadOnce(
  path: string,
  read: ResolvedReadOptions,
  minCount: number,
  maxSize: number,
  shared: boolean,
  onCount: ((counter: WordCounter) => void) | undefined,
): Promise<Corpus> {
  const recorder = new SlotRecorder();
  const { counter, table } = await countWithTable(path, read, maxSize, recorder);
  onCount?.(counter);
  const vocabulary = counter.toVocabulary({ minCount });
  const idOf = new Int32Array(table.size);
  for (let slot = 0; slot < table.size; slot++) idOf[slot] = vocabulary.idOf(table.wordOf(slot));
  const encoder = new CorpusEncoder(vocabulary, { sentences: recorder.sentences, shared });
  const { slots, ends } = recorder;
  let i = 0;
  for (let s = 0; s < recorder.sentences; s++) {
    const end = ends[s] as number;
    for (; i < end; i++) {
      const slot = slots[i] as number;
      const id = slot < 0 ? -1 : (idOf[slot] as number);
      if (id >= 0) encoder.addId(id);
    }
    encoder.endSentence();
  }
  return encoder.finish();
}


/**
 * The encoding pass of a file with `table` (the vocabulary's words, slot = id), into a Corpus
 * (shared with StreamingCorpus.load).
 */
export async function encodeFile(
  path: string,
  read: ResolvedReadOptions,
  vocabulary: Vocabulary,
  table: WordTable,
  expected: { tokens?: number; sentences?: number; shared?: boolean },
): Promise<Corpus> {
  const encoder = new CorpusEncoder(vocabulary, expected);
  const scanned = await scanFile(path, read, table, false, {
    token(slot: number): void {
      if (slot >= 0) encoder.addId(slot);
    },
    endSentence(): void {
      encoder.endSentence();
    },
  });
  if (scanned.tokens === 0) throw emptyFile(path, scanned.bytes);
  return encoder.finish();
}

/**
 * Appends ids and sentence boundaries to Int32Arrays grown by doubling, then trims them, so the
 * final corpus holds 4 bytes per kept token and the peak is at most twice that.
 */
export class CorpusEncoder {
  private ids: Int32Array;
  private offsets: Int32Array;
  private idCount = 0;
  private sentenceCount = 0;
  /** Tokens seen, kept or not. */
  tokensSeen = 0;

  private readonly shared: boolean;

  /**
   * @param expected - sizes known in advance (from a vocabulary pass over the same text): with
   * the exact token count, the ids are written in place, with no growth and no final copy.
   * `shared` puts the arrays on SharedArrayBuffers (what worker threads read without a copy).
   */
  constructor(
    readonly vocabulary: Vocabulary,
    expected: { tokens?: number; sentences?: number; shared?: boolean } = {},
  ) {
    this.shared = expected.shared === true;
    this.ids = this.alloc(Math.max(16, Math.min(expected.tokens ?? 1 << 16, 2 ** 31 - 1)));
    this.offsets = this.alloc(Math.max(16, Math.min((expected.sentences ?? 1 << 10) + 1, 2 ** 31 - 1)));
  }

  private alloc(length: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
  }

  private grow(array: Int32Array): Int32Array {
    const grown = this.alloc(array.length * 2);
    grown.set(array);
    return grown;
  }

  private trim(array: Int32Array, length: number): Int32Array {
    if (length === array.length) return array;
    const trimmed = this.alloc(length);
    trimmed.set(array.subarray(0, length));
    return trimmed;
  }

  /** Encodes one sentence; nothing is stored when none of its tokens is in the vocabulary. */
  addSentence(sentence: readonly string[]): void {
    const vocabulary = this.vocabulary;
    const start = this.idCount;
    const n = sentence.length;
    for (let i = 0; i < n; i++) {
      const id = vocabulary.idOf(sentence[i] as string);
      if (id < 0) continue;
      if (this.idCount === this.ids.length) this.ids = this.grow(this.ids);
      this.ids[this.idCount++] = id;
    }
    this.tokensSeen += n;
    if (this.idCount > start) this.endSentence();
  }

  /** Appends one id to the current sentence (for callers that look ids up themselves). */
  addId(id: number): void {
    if (this.idCount === this.ids.length) this.ids = this.grow(this.ids);
    this.ids[this.idCount++] = id;
  }

  /** Closes the current sentence (ignored when it is empty). */
  endSentence(): void {
    const start = this.sentenceCount === 0 ? 0 : (this.offsets[this.sentenceCount] as number);
    if (this.idCount === start) return;
    if (this.sentenceCount + 2 > this.offsets.length) this.offsets = this.grow(this.offsets);
    this.sentenceCount++;
    this.offsets[this.sentenceCount] = this.idCount;
  }

  /** The trimmed corpus. */
  finish(): Corpus {
    this.endSentence();
    const ids = this.trim(this.ids, this.idCount);
    const offsets = this.trim(this.offsets, this.sentenceCount + 1);
    this.ids = new Int32Array(0);
    this.offsets = new Int32Array(1);
    return new Corpus(this.vocabulary, ids, offsets);
  }
}


/**
 * The encoded corpus: `ids` holds the token ids of every sentence back to back; sentence `s` is
 * `ids[sentenceOffsets[s] .. sentenceOffsets[s + 1])`.
 *
 * @example
 * ```ts
 * const corpus = Corpus.fromSentences([['all', 'that', 'glitters'], ['all', 'is', 'well']], { minCount: 1 });
 * corpus.sentenceCount; // 2
 * corpus.vocabulary.wordOf(corpus.ids[0]); // 'all'
 * ```
 */
export class Corpus implements CorpusSource {
  /** Always false: the ids are in memory. */
  readonly streaming = false;
  /** The vocabulary the ids refer to. */
  readonly vocabulary: Vocabulary;
  /** Token ids; out-of-vocabulary tokens are dropped. */
  readonly ids: Int32Array;
  /** Length `sentenceCount + 1`; `[0] = 0`, last = `ids.length`. */
  readonly sentenceOffsets: Int32Array;
  /** Number of sentences. */
  readonly sentenceCount: number;
  /** Number of tokens (`ids.length`). */
  readonly tokenCount: number;

  /**
   * Wraps already encoded arrays (validated; the Corpus takes ownership).
   *
   * @throws RangeError when the offsets are not a non-decreasing sequence from 0 to `ids.length`;
   * EmbedkitError `VOCABULARY_MISMATCH` when an id is outside the vocabulary.
   */
  constructor(vocabulary: Vocabulary, ids: Int32Array, sentenceOffsets: Int32Array) {
    if (!(vocabulary instanceof Vocabulary)) throw new TypeError('vocabulary must be a Vocabulary');
    if (!(ids instanceof Int32Array)) throw new TypeError('ids must be an Int32Array');
    if (!(sentenceOffsets instanceof Int32Array)) throw new TypeError('sentenceOffsets must be an Int32Array');
    const n = sentenceOffsets.length;
    if (n === 0 || sentenceOffsets[0] !== 0 || sentenceOffsets[n - 1] !== ids.length) {
      throw new RangeError(
        `sentenceOffsets must start at 0 and end at ids.length (${ids.length}), got [${sentenceOffsets[0]} … ${sentenceOffsets[n - 1]}] (length ${n})`,
      );
    }
    for (let s = 1; s < n; s++) {
      if ((sentenceOffsets[s] as number) < (sentenceOffsets[s - 1] as number)) {
        throw new RangeError(`sentenceOffsets must be non-decreasing; offset ${s} is below offset ${s - 1}`);
      }
    }
    const size = vocabulary.size;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id < 0 || id >= size) {
        throw tokenizerError(
          'VOCABULARY_MISMATCH',
          `ids[${i}] = ${id} is outside the vocabulary (size ${size}); encode with the same vocabulary`,
        );
      }
    }
    this.vocabulary = vocabulary;
    this.ids = ids;
    this.sentenceOffsets = sentenceOffsets;
    this.sentenceCount = n - 1;
    this.tokenCount = ids.length;
  }

  /** One pass as a {@link CorpusReader}: a single batch, the arrays themselves (no copy). */
  read(): CorpusReader {
    let batch: EncodedBatch | undefined = { ids: this.ids, sentenceOffsets: this.sentenceOffsets };
    return {
      next: async () => {
        const next = batch;
        batch = undefined;
        return next;
      },
      close: async () => {
        batch = undefined;
      },
    };
  }

  /** The ids of sentence `s` (a view, no copy). */
  sentence(s: number): Int32Array {
    if (!Number.isInteger(s) || s < 0 || s >= this.sentenceCount) {
      throw new RangeError(`sentence index must be an integer in [0, ${this.sentenceCount}), got ${s}`);
    }
    return this.ids.subarray(this.sentenceOffsets[s], this.sentenceOffsets[s + 1]);
  }

  /**
   * Encodes sentences. Without `options.vocabulary`, a vocabulary is counted first (so the
   * sentences are read twice; a one-shot iterator is copied into an array first).
   *
   * @throws EmbedkitError `EMPTY_VOCABULARY` when no word reaches `minCount` (default 5).
   */
  static fromSentences(sentences: Iterable<readonly string[]>, options: CorpusOptions = {}): Corpus {
    let vocabulary = options.vocabulary;
    let source = sentences;
    if (vocabulary === undefined) {
      if (!Array.isArray(source)) source = Array.from(source);
      vocabulary = Vocabulary.fromSentences(source, options);
    }
    const encoder = new CorpusEncoder(vocabulary, { shared: options.shared === true });
    for (const sentence of source) encoder.addSentence(sentence);
    return encoder.finish();
  }

  /**
   * Reads and encodes a text file by streaming it twice: a vocabulary pass (skipped when
   * `options.vocabulary` is given), then an encoding pass into Int32Arrays grown by doubling and
   * trimmed at the end (4 bytes per kept token). A pipe (or a device, such as `/dev/stdin`), which
   * can be read only once, is read in one pass that keeps every token (4 bytes each, rare ones
   * included until the vocabulary is known) and gives the same corpus, except after `maxSize`
   * pruning, which forgets the occurrences of a word from before it was pruned. Read and tokenize options as
   * {@link readSentences}; `minCount` (default 5) and `maxSize` as {@link Vocabulary.fromSentences}.
   *
   * @throws EmbedkitError `FILE_NOT_FOUND`, `NOT_A_FILE`, `READ_ERROR`, `BINARY_FILE`, `NOT_UTF8`,
   * `EMPTY_FILE`, `EMPTY_VOCABULARY`.
   */
  static async fromFile(path: string, options: CorpusFileOptions = {}): Promise<Corpus> {
    const read = resolveReadOptions(options);
    const { minCount, maxSize } = resolveVocabularyOptions(options, 5);
    let vocabulary = options.vocabulary;
    if (vocabulary !== undefined && !(vocabulary instanceof Vocabulary)) {
      throw new TypeError('options.vocabulary must be a Vocabulary');
    }
    const shared = options.shared ?? false;
    if (typeof shared !== 'boolean') throw new TypeError(`shared must be a boolean, got ${JSON.stringify(shared)}`);
    const onCount = options.onCount;
    if (onCount !== undefined && typeof onCount !== 'function') throw new TypeError('onCount must be a function');
    let expected: { tokens?: number; sentences?: number; shared?: boolean } = { shared };
    let encodeRead = read;
    if (vocabulary === undefined && (await readOnlyOnce(path))) return loadOnce(path, read, minCount, maxSize, shared, onCount);
    if (vocabulary === undefined) {
      const counter = await countFile(path, read, maxSize);
      onCount?.(counter);
      vocabulary = counter.toVocabulary({ minCount });
      // The file's warnings were given by the first pass.
      encodeRead = { ...read, onWarning: undefined };
      // Exact unless pruning made counts approximate (then the arrays grow as needed).
      expected = { tokens: vocabulary.totalCount, sentences: counter.sentenceCount, shared };
    }
    return encodeFile(path, encodeRead, vocabulary, wordTable(vocabulary.words), expected);
  }
}
