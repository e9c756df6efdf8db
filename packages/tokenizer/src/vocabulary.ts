// Vocabulary: word ↔ id with counts, in frequency order. Built from counts, from sentences (sync or
// async), or loaded from the C tool's `-save-vocab` file; `maxSize` bounds memory while counting by
// pruning rare words progressively, as word2vec.c's ReduceVocab and gensim's max_vocab_size do.
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tokenizerError } from './errors';
import { PieceReader } from './read';

/** Options for building a {@link Vocabulary}. */
export interface VocabularyOptions {
  /** Words occurring fewer times are left out (the C tool's `-min-count`). Default 5. */
  minCount?: number;
  /**
   * Upper bound on the number of distinct words held while counting. When it is exceeded, words
   * seen at most `t` times are forgotten and `t` grows by one (starting at 1), as word2vec.c's
   * ReduceVocab and gensim's `max_vocab_size`: memory stays bounded, counts of rare words become
   * approximate. Default: no bound.
   */
  maxSize?: number;
}

/** Options for {@link Vocabulary.save}. */
export interface VocabularySaveOptions {
  /**
   * Write the C tool's end-of-sentence entry `</s>` as the first line (default true). word2vec.c's
   * `-read-vocab` treats whatever word is on the first line as its sentence terminator (id 0, kept
   * whatever its count), so a file without it would turn the most frequent word into one.
   */
  sentenceMarker?: boolean;
  /** The count written for `</s>`: the C tool writes the number of lines of the training file. Default 0. */
  sentenceCount?: number;
}

/** Options for {@link Vocabulary.load}. */
export interface VocabularyLoadOptions {
  /** Words below this count are left out. Default 1: keep every word of the file. */
  minCount?: number;
  /** Keep at most this many words (the most frequent). Default: all. */
  maxSize?: number;
}

/** Options after defaults. */
export interface ResolvedVocabularyOptions {
  minCount: number;
  maxSize: number;
}

/** The C tool's end-of-sentence token, first line of its vocabulary files. */
export const SENTENCE_MARKER = '</s>';

/** Applies the defaults of {@link VocabularyOptions} and validates them. */
export function resolveVocabularyOptions(
  options: VocabularyOptions | undefined,
  defaultMinCount: number,
): ResolvedVocabularyOptions {
  const minCount = options?.minCount ?? defaultMinCount;
  const maxSize = options?.maxSize ?? Number.POSITIVE_INFINITY;
  if (typeof minCount !== 'number' || !Number.isFinite(minCount) || minCount < 0) {
    throw new RangeError(`minCount must be a finite number >= 0, got ${String(minCount)}`);
  }
  if (
    typeof maxSize !== 'number' ||
    Number.isNaN(maxSize) ||
    maxSize < 1 ||
    (Number.isFinite(maxSize) && !Number.isInteger(maxSize))
  ) {
    throw new RangeError(`maxSize must be an integer >= 1 (or Infinity), got ${String(maxSize)}`);
  }
  return { minCount, maxSize };
}

/**
 * Counts words, pruning rare ones when more than `maxSize` distinct words are held (see
 * {@link VocabularyOptions.maxSize}). Also counts tokens and sentences, for statistics.
 *
 * @example
 * ```ts
 * const counter = new WordCounter();
 * for (const sentence of sentences) counter.addSentence(sentence);
 * const vocabulary = counter.toVocabulary({ minCount: 1 });
 * ```
 */
export class WordCounter {
  /** Tokens added, including those of words later pruned. */
  tokenCount = 0;
  /** Sentences added with {@link WordCounter.addSentence}. */
  sentenceCount = 0;
  /** Number of times rare words were pruned to respect `maxSize`. */
  pruneCount = 0;

  // word -> slot; counts[slot]. Slots are in order of first occurrence (ties rule of Vocabulary).
  private slots = new Map<string, number>();
  private words: string[] = [];
  private counts = new Float64Array(1024);
  private readonly maxSize: number;
  private pruneThreshold = 1;

  constructor(options: { maxSize?: number } = {}) {
    this.maxSize = resolveVocabularyOptions({ maxSize: options.maxSize }, 1).maxSize;
  }

  /** Distinct words currently held. */
  get distinctCount(): number {
    return this.words.length;
  }

  /** Adds `count` occurrences of `word` (default 1). */
  add(word: string, count = 1): void {
    this.tokenCount += count;
    const slot = this.slots.get(word);
    if (slot !== undefined) {
      this.counts[slot] = (this.counts[slot] as number) + count;
      return;
    }
    this.insert(word, count);
  }

  /** Adds every token of a sentence, and counts the sentence. */
  addSentence(sentence: readonly string[]): void {
    const n = sentence.length;
    for (let i = 0; i < n; i++) {
      const word = sentence[i] as string;
      // Not hoisted: an insertion may prune, which replaces the map.
      const slot = this.slots.get(word);
      if (slot !== undefined) this.counts[slot] = (this.counts[slot] as number) + 1;
      else this.insert(word, 1);
    }
    this.tokenCount += n;
    this.sentenceCount++;
  }

  private insert(word: string, count: number): void {
    const slot = this.words.length;
    if (slot === this.counts.length) {
      const grown = new Float64Array(slot * 2);
      grown.set(this.counts);
      this.counts = grown;
    }
    this.words.push(word);
    this.counts[slot] = count;
    this.slots.set(word, slot);
    if (slot + 1 > this.maxSize) this.prune();
  }

  // word2vec.c's ReduceVocab: forget words seen at most `threshold` times, then raise the
  // threshold; repeat until the bound holds. Survivors keep their first-occurrence order.
  private prune(): void {
    while (this.words.length > this.maxSize) {
      const threshold = this.pruneThreshold++;
      const words = this.words;
      const counts = this.counts;
      const slots = new Map<string, number>();
      let kept = 0;
      for (let i = 0; i < words.length; i++) {
        const c = counts[i] as number;
        if (c > threshold) {
          const w = words[i] as string;
          words[kept] = w;
          counts[kept] = c;
          slots.set(w, kept);
          kept++;
        }
      }
      words.length = kept;
      this.slots = slots;
      this.pruneCount++;
    }
  }

  /** Iterates `[word, count]` in order of first occurrence. */
  *entries(): IterableIterator<[string, number]> {
    for (let i = 0; i < this.words.length; i++) {
      yield [this.words[i] as string, this.counts[i] as number];
    }
  }

  /** Builds the {@link Vocabulary} (`minCount` default 5). */
  toVocabulary(options: { minCount?: number } = {}): Vocabulary {
    const { minCount } = resolveVocabularyOptions({ minCount: options.minCount }, 5);
    return buildVocabulary(this.words, this.counts, this.words.length, minCount, Infinity);
  }
}

/** What {@link looksLikeWholeLines} found: the counts behind its verdict. */
export interface LineLikeTokens {
  /** Distinct tokens counted. */
  readonly distinctCount: number;
  /** Distinct tokens seen exactly once. */
  readonly onceCount: number;
  /** Median length, in characters, of the tokens seen once. */
  readonly medianLength: number;
}

/** Fewer distinct tokens than this say nothing about the tokenizer. */
const LINE_LIKE_MIN_DISTINCT = 20;
/** Median UTF-8 bytes of the tokens seen once, from which they are lines rather than words. */
const LINE_LIKE_MEDIAN_BYTES = 20;

/**
 * Whether the tokens counted look like whole lines (or clauses) rather than words: most distinct
 * tokens occur once and their median length is at least 20 UTF-8 bytes (7 Chinese characters,
 * 20 Latin letters; the rare words of English Wikipedia have a median of 8, its Chinese lines
 * read with a whitespace tokenizer one of 30). What reading text written without spaces with a
 * whitespace tokenizer gives. Returns the figures when so, else `undefined`.
 */
export function looksLikeWholeLines(counter: WordCounter): LineLikeTokens | undefined {
  const lengths: number[] = [];
  let distinct = 0;
  for (const [word, count] of counter.entries()) {
    distinct++;
    if (count === 1) lengths.push(utf8Length(word));
  }
  if (distinct < LINE_LIKE_MIN_DISTINCT || lengths.length * 2 <= distinct) return undefined;
  lengths.sort((a, b) => a - b);
  const medianBytes = lengths[lengths.length >> 1] as number;
  if (medianBytes < LINE_LIKE_MEDIAN_BYTES) return undefined;
  let medianLength = 0;
  for (const [word, count] of counter.entries()) {
    if (count === 1 && utf8Length(word) === medianBytes) {
      medianLength = [...word].length;
      break;
    }
  }
  return { distinctCount: distinct, onceCount: lengths.length, medianLength };
}

function utf8Length(word: string): number {
  let bytes = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3; // a surrogate pair: 4
  }
  return bytes;
}

function buildVocabulary(
  words: readonly string[],
  counts: Float64Array,
  n: number,
  minCount: number,
  maxSize: number,
): Vocabulary {
  const order: number[] = [];
  let maxCount = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i] as number;
    if (c > maxCount) maxCount = c;
    if (c >= minCount && c > 0) order.push(i);
  }
  if (order.length === 0) {
    if (n === 0) {
      throw tokenizerError('EMPTY_VOCABULARY', 'Empty vocabulary: the input holds no words.');
    }
    throw tokenizerError(
      'EMPTY_VOCABULARY',
      `Empty vocabulary: no word occurs at least ${minCount} times ` +
        `(the most frequent occurs ${maxCount} time${maxCount === 1 ? '' : 's'}); lower minCount`,
    );
  }
  // Descending count; ties by first occurrence (the slot order), so the result is deterministic.
  order.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  const size = Math.min(order.length, maxSize);
  const sortedWords = new Array<string>(size);
  const sortedCounts = new Float64Array(size);
  for (let id = 0; id < size; id++) {
    const slot = order[id] as number;
    sortedWords[id] = words[slot] as string;
    sortedCounts[id] = counts[slot] as number;
  }
  return new Vocabulary(sortedWords, sortedCounts);
}

/**
 * Words and their counts, ids in frequency order: descending count, ties broken by first
 * occurrence. Id 0 is the most frequent word.
 *
 * @example
 * ```ts
 * const vocabulary = Vocabulary.fromSentences([['a', 'b', 'a']], { minCount: 1 });
 * vocabulary.idOf('a'); // 0
 * vocabulary.countOf(0); // 2
 * ```
 */
export class Vocabulary {
  /** id → word. */
  readonly words: readonly string[];
  /** id → count. */
  readonly counts: Float64Array;
  /** Number of words. */
  readonly size: number;
  /** Sum of the counts of the words kept (the C tool's `train_words`). */
  readonly totalCount: number;
  private readonly ids: Map<string, number>;

  /**
   * Wraps words already in id order. Prefer the `from…` factories, which count and sort.
   *
   * @param words - id → word; distinct, non-empty strings.
   * @param counts - id → count; finite, >= 0, non-increasing. Owned by the Vocabulary afterwards.
   * @throws TypeError / RangeError when the arrays are inconsistent.
   */
  constructor(words: readonly string[], counts: Float64Array) {
    if (!Array.isArray(words)) throw new TypeError('words must be an array of strings');
    if (!(counts instanceof Float64Array)) throw new TypeError('counts must be a Float64Array');
    if (words.length !== counts.length) {
      throw new RangeError(
        `words and counts differ in length (${words.length} words, ${counts.length} counts)`,
      );
    }
    const ids = new Map<string, number>();
    let total = 0;
    for (let id = 0; id < words.length; id++) {
      const w = words[id];
      if (typeof w !== 'string' || w.length === 0) {
        throw new TypeError(`words[${id}] must be a non-empty string, got ${JSON.stringify(w)}`);
      }
      if (ids.has(w)) throw new RangeError(`word ${JSON.stringify(w)} appears twice (ids ${ids.get(w)} and ${id})`);
      ids.set(w, id);
      const c = counts[id] as number;
      if (!Number.isFinite(c) || c < 0) {
        throw new RangeError(`counts[${id}] must be a finite number >= 0, got ${c}`);
      }
      if (id > 0 && c > (counts[id - 1] as number)) {
        throw new RangeError(
          `counts must be in descending order (ids are in frequency order): counts[${id}] = ${c} > counts[${id - 1}] = ${counts[id - 1]}`,
        );
      }
      total += c;
    }
    this.words = words;
    this.counts = counts;
    this.size = words.length;
    this.totalCount = total;
    this.ids = ids;
  }

  /** The id of `word`, or -1 when it is not in the vocabulary. */
  idOf(word: string): number {
    const id = this.ids.get(word);
    return id === undefined ? -1 : id;
  }

  /** True when `word` is in the vocabulary. */
  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** The word of `id`. @throws RangeError when `id` is not an integer in [0, size). */
  wordOf(id: number): string {
    this.checkId(id);
    return this.words[id] as string;
  }

  /** The count of `id`. @throws RangeError when `id` is not an integer in [0, size). */
  countOf(id: number): number {
    this.checkId(id);
    return this.counts[id] as number;
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) {
      throw new RangeError(`id must be an integer in [0, ${this.size}), got ${id}`);
    }
  }

  /**
   * Builds a vocabulary from `[word, count]` pairs (repeated words add up). Ties keep the order of
   * the input. `maxSize` keeps the most frequent words.
   *
   * @throws EmbedkitError `EMPTY_VOCABULARY` when no word reaches `minCount` (default 5).
   */
  static fromCounts(
    counts: Iterable<readonly [string, number]> | Map<string, number>,
    options?: VocabularyOptions,
  ): Vocabulary {
    const { minCount, maxSize } = resolveVocabularyOptions(options, 5);
    const slots = new Map<string, number>();
    const words: string[] = [];
    let values = new Float64Array(1024);
    for (const entry of counts) {
      const word = entry[0];
      const count = entry[1];
      if (typeof word !== 'string' || word.length === 0) {
        throw new TypeError(`words must be non-empty strings, got ${JSON.stringify(word)}`);
      }
      if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
        throw new RangeError(`the count of ${JSON.stringify(word)} must be a finite number >= 0, got ${String(count)}`);
      }
      const slot = slots.get(word);
      if (slot !== undefined) {
        values[slot] = (values[slot] as number) + count;
        continue;
      }
      if (words.length === values.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      slots.set(word, words.length);
      values[words.length] = count;
      words.push(word);
    }
    return buildVocabulary(words, values, words.length, minCount, maxSize);
  }

  /**
   * Counts the tokens of `sentences` and builds the vocabulary.
   *
   * @throws EmbedkitError `EMPTY_VOCABULARY` when no word reaches `minCount` (default 5).
   */
  static fromSentences(sentences: Iterable<readonly string[]>, options?: VocabularyOptions): Vocabulary {
    const { minCount, maxSize } = resolveVocabularyOptions(options, 5);
    const counter = new WordCounter({ maxSize });
    for (const sentence of sentences) counter.addSentence(sentence);
    return counter.toVocabulary({ minCount });
  }

  /** {@link Vocabulary.fromSentences} over an async stream, e.g. `readSentences(path)`. */
  static async fromSentenceStream(
    sentences: AsyncIterable<readonly string[]>,
    options?: VocabularyOptions,
  ): Promise<Vocabulary> {
    const { minCount, maxSize } = resolveVocabularyOptions(options, 5);
    const counter = new WordCounter({ maxSize });
    for await (const sentence of sentences) counter.addSentence(sentence);
    return counter.toVocabulary({ minCount });
  }

  /**
   * Writes the C tool's `-save-vocab` format: one `word count` line per word, in id order,
   * preceded by `</s> N` (see {@link VocabularySaveOptions.sentenceMarker}), readable by
   * word2vec.c's `-read-vocab`. Written to a temporary file in the same folder, then renamed.
   *
   * @throws EmbedkitError `INVALID_WORD` when a word contains whitespace (the format cannot hold it).
   */
  async save(path: string, options: VocabularySaveOptions = {}): Promise<void> {
    const marker = options.sentenceMarker ?? true;
    const sentenceCount = options.sentenceCount ?? 0;
    if (!Number.isInteger(sentenceCount) || sentenceCount < 0) {
      throw new RangeError(`sentenceCount must be an integer >= 0, got ${sentenceCount}`);
    }
    const lines: string[] = [];
    if (marker && !this.has(SENTENCE_MARKER)) lines.push(`${SENTENCE_MARKER} ${sentenceCount}\n`);
    for (let id = 0; id < this.size; id++) {
      const w = this.words[id] as string;
      if (/\s/u.test(w)) {
        throw tokenizerError(
          'INVALID_WORD',
          `Cannot save word ${JSON.stringify(w)} (id ${id}): the vocabulary format separates fields with whitespace`,
        );
      }
      lines.push(`${w} ${this.counts[id]}\n`);
    }
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    // The operating system's refusal, naming the file the caller gave (not the temporary one).
    const refused = (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? `the directory ${dirname(path)} does not exist`
        : code === 'EISDIR' ? 'it is a directory'
          : (error as Error).message.replaceAll(tmp, path);
      return tokenizerError('WRITE_ERROR', `Cannot write ${path}: ${reason}`, error);
    };
    const handle = await open(tmp, 'w').catch((error: unknown) => {
      throw refused(error);
    });
    try {
      // Write in slices so that a huge vocabulary never becomes one giant string.
      const step = 65536;
      for (let i = 0; i < lines.length; i += step) {
        await handle.write(lines.slice(i, i + step).join(''));
      }
      await handle.close();
      await rename(tmp, path);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw refused(error);
    }
  }

  /**
   * Reads a `word count` file (the C tool's `-save-vocab` format; gensim's `save_word2vec_format`
   * vocab files too). A leading `</s>` line is skipped. Blank lines, CRLF and a BOM are accepted.
   * Words are re-sorted by count (ties keep file order).
   *
   * @throws EmbedkitError `FILE_NOT_FOUND`, `NOT_A_FILE`, `PARSE_ERROR`, `EMPTY_VOCABULARY`.
   */
  static async load(path: string, options: VocabularyLoadOptions = {}): Promise<Vocabulary> {
    const resolved = resolveVocabularyOptions(options, 1);
    const entries: [string, number][] = [];
    const seen = new Map<string, number>();
    let lineNo = 0;
    let pending = '';
    const parseLine = (raw: string): void => {
      lineNo++;
      const line = raw.trim();
      if (line.length === 0) return;
      const fields = line.split(/[ \t]+/);
      if (fields.length !== 2 || !/^\d+$/.test(fields[1] as string)) {
        throw tokenizerError(
          'PARSE_ERROR',
          `${path}:${lineNo}: expected "word count", got ${JSON.stringify(line.slice(0, 80))}`,
        );
      }
      const word = fields[0] as string;
      if (word === SENTENCE_MARKER && seen.size === 0) {
        seen.set(word, lineNo);
        return;
      }
      const previous = seen.get(word);
      if (previous !== undefined) {
        throw tokenizerError('PARSE_ERROR', `${path}:${lineNo}: word ${JSON.stringify(word)} already appears on line ${previous}`);
      }
      seen.set(word, lineNo);
      entries.push([word, Number(fields[1])]);
    };
    // Streamed like a corpus: a BOM is skipped and binary data refused before any parsing.
    await new PieceReader(path, 1 << 20).run((buf, start, end, endOfLine) => {
      const text = buf.toString('utf8', start, end);
      if (!endOfLine) {
        pending += text;
        if (pending.length > 1 << 16) {
          // A "word count" line is short; this is some other file (a corpus?).
          throw tokenizerError('PARSE_ERROR', `${path}:${lineNo + 1}: line longer than 64 KiB; expected "word count" lines`);
        }
        return;
      }
      parseLine(pending.length > 0 ? pending + text : text);
      pending = '';
    });
    if (entries.length === 0) {
      throw tokenizerError('EMPTY_VOCABULARY', `Empty vocabulary: ${path} lists no word`);
    }
    return Vocabulary.fromCounts(entries, resolved);
  }
}
