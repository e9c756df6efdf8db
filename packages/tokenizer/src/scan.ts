// The fast path of the file passes (vocabulary pass and encoding pass). Tokens are looked up by
// their UTF-8 bytes in an open-addressing hash table, as word2vec.c does, so that no string is made
// per token: only each distinct word becomes a string, once, at the end. A whitespace-delimited
// chunk that the byte rules cannot settle (non-ASCII, or punctuation in 'words' mode) is decoded
// and given to the Tokenizer, and its tokens are looked up by their bytes in the same table, so
// the results equal those of readSentences() exactly (a property test checks it).
import { openPieceSource, readAllPieces } from './parquet';
import type { ResolvedReadOptions } from './read';
import { Tokenizer, isWrittenWithoutSpaces } from './tokenize';

const EMPTY = -1;
const UNDECIDED = 0;
const SEGMENT = 1;
const KEEP = 2;
const ENTRY = 4; // int32s per table entry: hash, slot, arena offset, length
// FNV-1a, 32 bits: one xor and one multiply per byte.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
// Where each digit's name starts in DIGIT_NAMES.join('') (and, at [10], where the last ends).
const DIGIT_OFFSETS = DIGIT_NAMES.reduce((offsets, name, i) => {
  offsets.push((offsets[i] as number) + name.length);
  return offsets;
}, [0]);

/**
 * Words keyed by their UTF-8 bytes: slot → bytes, count. Slots are in order of first insertion.
 * Layout: open addressing with linear probing; entry `p` is four int32s, `table[4p …]` = the
 * word's hash, its slot (-1 when free), the offset of its bytes in `arena` and their length, side
 * by side: a lookup touches the entry's cache line and the word's bytes, nothing else. (The
 * per-slot arrays are only read to rebuild the table.)
 */
export class ByteWordTable {
  size = 0;
  counts: Float64Array;
  private table: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private starts: Int32Array;
  private lengths: Int32Array;
  private arena: Buffer;
  private arenaUsed = 0;

  constructor(capacity = 1 << 12) {
    let tableSize = 1 << 12;
    while (tableSize < capacity * 2) tableSize *= 2;
    this.table = new Int32Array(tableSize * ENTRY).fill(EMPTY);
    this.mask = tableSize - 1;
    const slots = tableSize >>> 1;
    this.hashes = new Int32Array(slots);
    this.starts = new Int32Array(slots);
    this.lengths = new Int32Array(slots);
    this.counts = new Float64Array(slots);
    this.arena = Buffer.allocUnsafe(slots * 8);
  }

  /**
   * The slot of bytes `[s, e)` of `buf` (ASCII upper case folded when `lower`), inserting it with
   * count 0 when `insert`; -1 when absent and not inserted.
   */
  slotOf(buf: Uint8Array, s: number, e: number, lower: boolean, insert: boolean): number {
    let h = FNV_OFFSET;
    for (let i = s; i < e; i++) {
      let b = buf[i] as number;
      if (lower && b >= 65 && b <= 90) b |= 32;
      h = Math.imul(h ^ b, FNV_PRIME);
    }
    return this.slotOfHashed(buf, s, e, h, lower, insert);
  }

  /** {@link ByteWordTable.slotOf} with the FNV-1a hash of the (folded) bytes already computed. */
  slotOfHashed(buf: Uint8Array, s: number, e: number, h: number, lower: boolean, insert: boolean): number {
    const len = e - s;
    const table = this.table;
    const mask = this.mask;
    let p = h & mask;
    for (;;) {
      const e4 = p * ENTRY;
      const slot = table[e4 + 1] as number;
      if (slot === EMPTY) break;
      if (table[e4] === h && table[e4 + 3] === len && this.same(table[e4 + 2] as number, buf, s, len, lower)) return slot;
      p = (p + 1) & mask;
    }
    if (!insert) return -1;
    return this.insertAt(p, h, buf, s, len, lower);
  }

  private same(a: number, buf: Uint8Array, s: number, len: number, lower: boolean): boolean {
    const arena = this.arena;
    for (let k = 0; k < len; k++) {
      let b = buf[s + k] as number;
      if (lower && b >= 65 && b <= 90) b |= 32;
      if (arena[a + k] !== b) return false;
    }
    return true;
  }

  private insertAt(p: number, h: number, buf: Uint8Array, s: number, len: number, lower: boolean): number {
    const slot = this.size;
    if (this.arenaUsed + len > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(grown, 0, 0, this.arenaUsed);
      this.arena = grown;
    }
    const arena = this.arena;
    const a = this.arenaUsed;
    for (let k = 0; k < len; k++) {
      let b = buf[s + k] as number;
      if (lower && b >= 65 && b <= 90) b |= 32;
      arena[a + k] = b;
    }
    this.arenaUsed += len;
    const e4 = p * ENTRY;
    this.table[e4] = h;
    this.table[e4 + 1] = slot;
    this.table[e4 + 2] = a;
    this.table[e4 + 3] = len;
    this.hashes[slot] = h;
    this.starts[slot] = a;
    this.lengths[slot] = len;
    this.counts[slot] = 0;
    this.size++;
    if (this.size * 2 > this.mask) this.rehash(this.size);
    return slot;
  }

  // Rebuilds the table for `n` slots (the arrays keep their content up to n).
  private rehash(n: number): void {
    let tableSize = this.mask + 1;
    while (tableSize <= n * 2) tableSize *= 2; // load stays within (0.25, 0.5]
    if (tableSize !== this.mask + 1) {
      const slots = tableSize >>> 1;
      this.hashes = copyInt(this.hashes, slots);
      this.starts = copyInt(this.starts, slots);
      this.lengths = copyInt(this.lengths, slots);
      const counts = new Float64Array(slots);
      counts.set(this.counts.subarray(0, Math.min(this.counts.length, slots)));
      this.counts = counts;
    }
    const table = new Int32Array(tableSize * ENTRY).fill(EMPTY);
    const mask = tableSize - 1;
    for (let slot = 0; slot < n; slot++) {
      const h = this.hashes[slot] as number;
      let p = h & mask;
      while (table[p * ENTRY + 1] !== EMPTY) p = (p + 1) & mask;
      const e4 = p * ENTRY;
      table[e4] = h;
      table[e4 + 1] = slot;
      table[e4 + 2] = this.starts[slot] as number;
      table[e4 + 3] = this.lengths[slot] as number;
    }
    this.table = table;
    this.mask = mask;
  }

  /**
   * Forgets the words whose count is at most `threshold`, keeping the others in slot order
   * (word2vec.c's ReduceVocab).
   */
  prune(threshold: number): void {
    const arena = Buffer.allocUnsafe(Math.max(this.arena.length, 64));
    let used = 0;
    let kept = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const c = this.counts[slot] as number;
      if (c <= threshold) continue;
      const a = this.starts[slot] as number;
      const len = this.lengths[slot] as number;
      this.arena.copy(arena, used, a, a + len);
      this.hashes[kept] = this.hashes[slot] as number;
      this.starts[kept] = used;
      this.lengths[kept] = len;
      this.counts[kept] = c;
      used += len;
      kept++;
    }
    this.arena = arena;
    this.arenaUsed = used;
    this.size = kept;
    this.rehash(kept);
  }

  /** The word of `slot`. */
  wordOf(slot: number): string {
    const a = this.starts[slot] as number;
    return this.arena.toString('utf8', a, a + (this.lengths[slot] as number));
  }
}

function copyInt(array: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(array.subarray(0, Math.min(array.length, length)));
  return out;
}

/** Receives each token's slot (or -1) and the sentence ends. */
export interface TokenSink {
  /** A token: its slot in the table, -1 when absent and not inserted. */
  token(slot: number): void;
  /** The end of a sentence that had at least one token. */
  endSentence(): void;
}

/**
 * Scans a file token by token into `table`: `insert` adds new words (the vocabulary pass), else
 * unknown words come out as -1 (the encoding pass). Sentences follow readSentences(): a line, cut
 * every `maxSentenceLength` tokens.
 */
export async function scanFile(
  path: string,
  options: ResolvedReadOptions,
  table: ByteWordTable,
  insert: boolean,
  sink: TokenSink,
): Promise<{ bytes: number; tokens: number; sentences: number }> {
  const scanner = new Scanner(options, table, insert, sink);
  const source = await openPieceSource(path, options);
  await readAllPieces(source, (buf, start, end, endOfLine) => scanner.piece(buf, start, end, endOfLine));
  return { bytes: source.bytesRead, tokens: scanner.tokens, sentences: scanner.sentences };
}

/** Tokens of pieces of text, looked up in a {@link ByteWordTable}, with sentence ends (readSentences' rules). */
export class Scanner {
  tokens = 0;
  sentences = 0;
  private inSentence = 0;
  private readonly tokenizer: Tokenizer;
  private readonly mode: number; // 0 words, 1 whitespace, 2 text8, 3 auto
  // 'auto': the current piece's decision (isWrittenWithoutSpaces), made at its first non-ASCII token.
  private pieceDecision = UNDECIDED;
  private readonly lower: boolean;
  private readonly keepNumbers: boolean;
  private readonly max: number;
  private readonly scratchTokens: string[] = [];
  private scratch = Buffer.allocUnsafe(256);
  private readonly digits: Buffer;

  constructor(
    options: ResolvedReadOptions,
    private readonly table: ByteWordTable,
    private readonly insert: boolean,
    private readonly sink: TokenSink,
  ) {
    const t = options.tokenize;
    this.tokenizer = new Tokenizer(t);
    this.mode = t.mode === 'words' ? 0 : t.mode === 'whitespace' ? 1 : t.mode === 'text8' ? 2 : 3;
    this.lower = t.mode === 'text8' ? true : t.lowercase;
    this.keepNumbers = t.keepNumbers;
    this.max = options.maxSentenceLength;
    this.digits = Buffer.from(DIGIT_NAMES.join(''), 'latin1');
  }

  private emit(slot: number): void {
    this.tokens++;
    this.sink.token(slot);
    if (++this.inSentence === this.max) {
      this.sentences++;
      this.inSentence = 0;
      this.sink.endSentence();
    }
  }

  piece(buf: Buffer, start: number, end: number, endOfLine: boolean): void {
    const mode = this.mode;
    const lower = this.lower;
    const table = this.table;
    const insert = this.insert;
    this.pieceDecision = UNDECIDED;
    let i = start;
    while (i < end) {
      let b = buf[i] as number;
      if (b === 32 || (b >= 9 && b <= 13)) {
        i++;
        continue;
      }
      const s = i;
      let nonAscii = false;
      let letter = false;
      let upper = false;
      let digit = false;
      let other = false; // ASCII other than letters and digits
      // Classify and hash (upper case folded) in one pass over the bytes.
      let h = FNV_OFFSET;
      while (i < end) {
        b = buf[i] as number;
        if (b >= 97 && b <= 122) letter = true;
        else if (b >= 65 && b <= 90) {
          letter = true;
          upper = true;
          if (lower) b |= 32;
        } else if (b >= 48 && b <= 57) digit = true;
        else if (b === 32 || (b >= 9 && b <= 13)) break;
        else if (b >= 128) nonAscii = true;
        else other = true;
        h = Math.imul(h ^ b, FNV_PRIME);
        i++;
      }
      if (nonAscii) {
        if (mode === 3) this.autoSlow(buf, s, i, end);
        else this.slow(buf, s, i);
      } else if (mode === 1 || mode === 3) this.emit(table.slotOfHashed(buf, s, i, h, upper && lower, insert));
      else if (mode === 0) {
        if (other) this.slow(buf, s, i);
        else if (letter || this.keepNumbers) this.emit(table.slotOfHashed(buf, s, i, h, upper && lower, insert));
      } else if (other || digit || upper) this.text8Chunk(buf, s, i);
      else this.emit(table.slotOfHashed(buf, s, i, h, false, insert)); // text8: a plain a-z word
    }
    if (endOfLine && this.inSentence > 0) {
      this.sentences++;
      this.inSentence = 0;
      this.sink.endSentence();
    }
  }

  // text8 over an ASCII chunk: letter runs are words, each digit is a word, the rest separates.
  private text8Chunk(buf: Buffer, s: number, e: number): void {
    const table = this.table;
    let w = -1;
    for (let k = s; k <= e; k++) {
      const b = k < e ? (buf[k] as number) : 32;
      if ((b >= 97 && b <= 122) || (b >= 65 && b <= 90)) {
        if (w < 0) w = k;
        continue;
      }
      if (w >= 0) {
        this.emit(table.slotOf(buf, w, k, true, this.insert));
        w = -1;
      }
      if (b >= 48 && b <= 57) {
        const d = b - 48;
        const offset = DIGIT_OFFSETS[d] as number;
        this.emit(table.slotOf(this.digits, offset, DIGIT_OFFSETS[d + 1] as number, false, this.insert));
      }
    }
  }

  // A chunk the byte rules cannot settle: decode, tokenize, look each token up by its bytes.
  private slow(buf: Buffer, s: number, e: number): void {
    const tokens = this.scratchTokens;
    tokens.length = 0;
    this.tokenizer.tokenizeInto(buf.toString('utf8', s, e), tokens);
    this.emitTokens(tokens);
  }

  // 'auto' on a non-ASCII chunk: the piece is decided once, from this chunk to its end (the ASCII
  // tokens before it cannot change the decision), then the chunk is tokenized accordingly.
  private autoSlow(buf: Buffer, s: number, e: number, pieceEnd: number): void {
    if (this.pieceDecision === UNDECIDED) {
      this.pieceDecision = isWrittenWithoutSpaces(buf.toString('utf8', s, pieceEnd)) ? SEGMENT : KEEP;
    }
    const tokens = this.scratchTokens;
    tokens.length = 0;
    this.tokenizer.autoTokensInto(buf.toString('utf8', s, e), this.pieceDecision === SEGMENT, tokens);
    this.emitTokens(tokens);
  }

  private emitTokens(tokens: readonly string[]): void {
    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k] as string;
      if (token.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(token.length * 3 + 64);
      const n = this.scratch.write(token, 0, 'utf8');
      this.emit(this.table.slotOf(this.scratch, 0, n, false, this.insert));
    }
  }
}
