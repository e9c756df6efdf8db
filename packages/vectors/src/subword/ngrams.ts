/**
 * fastText's character n-gram scheme, bit for bit, so that n-gram rows of a fastText model and
 * of our trainer are addressed alike.
 *
 * A word is wrapped as `<word>`. Its n-grams are the runs of n consecutive characters, for n
 * from `minN` to `maxN`, taken from every character start. fastText walks the UTF-8 bytes but
 * never starts or ends an n-gram inside a character (it skips continuation bytes `10xxxxxx`),
 * so n counts characters — Unicode code points — never bytes: "中文" gives `<中`, `中文`, `文>`,
 * `<中文`, `中文>`, `<中文>` for n in 2..4. Two details of `Dictionary::computeSubwords`:
 * the one-character n-grams `<` and `>` are never used (only when minN is 1 does this matter),
 * and the whole `<word>` *is* an n-gram when it is at most `maxN` characters long (fastText's
 * `print-ngrams model.bin a` lists `<a>`). The special token `</s>` has no n-grams.
 *
 * Each n-gram is hashed with 32-bit FNV-1a over its UTF-8 bytes, where fastText XORs each byte
 * as a *signed* char sign-extended to 32 bits (`uint32_t(int8_t(c))`): bytes ≥ 0x80 are XORed
 * as `0xFFFFFF00 | byte`. This differs from textbook FNV-1a for every non-ASCII n-gram and is
 * what makes our ids match fastText's for "é" or "中文". The row is `nwords + hash % buckets`.
 *
 * Cost: one pass over the bytes per start character, so O(characters × (maxN − minN + 1)) with
 * the hash updated incrementally; no string is built per n-gram.
 */
import type { SubwordSettings } from './settings';

/** FNV-1a 32-bit offset basis. */
const FNV_OFFSET_BASIS = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
const FNV_PRIME = 0x01000193;

/** fastText's end-of-sentence token, which gets no n-grams. */
export const END_OF_SENTENCE = '</s>';

/**
 * Longest word (in UTF-16 code units) whose n-grams are computed: 1,048,576. The work is
 * linear in the length, but a longer "word" is almost surely not a word (a base64 blob, a
 * minified line), and its n-gram list would take hundreds of MB.
 */
export const MAX_WORD_LENGTH = 1 << 20;

const encoder = new TextEncoder();

/**
 * fastText's `Dictionary::hash` of `bytes[start, end)`: FNV-1a 32-bit with each byte
 * sign-extended as a signed char. Returns an unsigned 32-bit integer.
 */
export function fastTextHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = FNV_OFFSET_BASIS | 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    h ^= b < 0x80 ? b : b | 0xffffff00;
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** {@link fastTextHash} of the UTF-8 encoding of `text`. */
export function fastTextHashString(text: string): number {
  return fastTextHash(encoder.encode(text));
}

/** `<word>` as UTF-8, after checking the word. */
function wrappedBytes(word: string): Uint8Array {
  if (typeof word !== 'string') throw new TypeError(`expected a word (string), got ${typeof word}`);
  if (word.length > MAX_WORD_LENGTH) {
    throw new RangeError(
      `word of ${word.length} UTF-16 code units is longer than the ${MAX_WORD_LENGTH} allowed for n-grams ` +
        '(split the text into words first)',
    );
  }
  return encoder.encode(`<${word}>`);
}

/**
 * Calls the n-gram loop over `bytes` (the UTF-8 of `<word>`), writing each n-gram's bucket
 * (`hash % buckets`) into `out` from index 0, and, when `spans` is given, its byte range
 * (`start`, `end`) into `spans[2k]`, `spans[2k + 1]`. Returns the count. `out` must have room
 * for {@link maxNgramCount} entries.
 */
function ngramBuckets(
  bytes: Uint8Array,
  minN: number,
  maxN: number,
  buckets: number,
  out: Int32Array,
  spans: Int32Array | undefined,
): number {
  const size = bytes.length;
  let count = 0;
  for (let i = 0; i < size; i++) {
    // Never start inside a character.
    if (((bytes[i] as number) & 0xc0) === 0x80) continue;
    let h = FNV_OFFSET_BASIS | 0;
    let j = i;
    for (let n = 1; j < size && n <= maxN; n++) {
      // Take one whole character: its first byte, then its continuation bytes.
      let b = bytes[j++] as number;
      h = Math.imul(h ^ (b < 0x80 ? b : b | 0xffffff00), FNV_PRIME);
      while (j < size && (((b = bytes[j] as number) & 0xc0) === 0x80)) {
        h = Math.imul(h ^ (b | 0xffffff00), FNV_PRIME);
        j++;
      }
      // Skip the lone boundary marks `<` and `>`.
      if (n >= minN && !(n === 1 && (i === 0 || j === size))) {
        out[count] = (h >>> 0) % buckets;
        if (spans !== undefined) {
          spans[2 * count] = i;
          spans[2 * count + 1] = j;
        }
        count++;
      }
    }
  }
  return count;
}

/** An upper bound of the number of n-grams of a `<word>` of `byteLength` UTF-8 bytes. */
function maxNgramCount(byteLength: number, minN: number, maxN: number): number {
  return byteLength * (maxN - Math.max(minN, 1) + 1);
}

function enabled(settings: SubwordSettings): boolean {
  return settings.maxN > 0 && settings.maxN >= settings.minN && settings.buckets > 0;
}

/**
 * The buckets (0 ≤ b < buckets, not offset by the vocabulary size) of the n-grams of `word`,
 * in fastText's order (by start character, then by length). Empty when n-grams are off and
 * for `</s>`.
 *
 * @throws RangeError for a word longer than {@link MAX_WORD_LENGTH}.
 */
export function ngramBucketsOf(word: string, settings: SubwordSettings): Int32Array {
  const bytes = wrappedBytes(word);
  if (!enabled(settings) || word === END_OF_SENTENCE) return new Int32Array(0);
  const out = new Int32Array(maxNgramCount(bytes.length, settings.minN, settings.maxN));
  const count = ngramBuckets(bytes, settings.minN, settings.maxN, settings.buckets, out, undefined);
  return out.slice(0, count);
}

/**
 * The n-grams of `word` as strings, in the same order as {@link ngramBucketsOf} (what
 * fastText's `print-ngrams` lists after the word itself).
 */
export function ngramsOf(word: string, settings: Pick<SubwordSettings, 'minN' | 'maxN'>): string[] {
  const bytes = wrappedBytes(word);
  const full: SubwordSettings = { minN: settings.minN, maxN: settings.maxN, buckets: 1 };
  if (!enabled(full) || word === END_OF_SENTENCE) return [];
  const capacity = maxNgramCount(bytes.length, full.minN, full.maxN);
  const out = new Int32Array(capacity);
  const spans = new Int32Array(2 * capacity);
  const count = ngramBuckets(bytes, full.minN, full.maxN, 1, out, spans);
  const decoder = new TextDecoder();
  const result: string[] = new Array(count);
  for (let k = 0; k < count; k++) result[k] = decoder.decode(bytes.subarray(spans[2 * k], spans[2 * k + 1]));
  return result;
}

/**
 * Rows of the input matrix (word rows first, then `buckets` n-gram rows) that make up the
 * vector of `word`, as fastText's `Dictionary::getSubwords`: the word's own row `wordId` first
 * when it is in the vocabulary (`wordId ≥ 0`), then `wordCount + bucket` for each n-gram.
 */
export function subwordRows(word: string, wordId: number, wordCount: number, settings: SubwordSettings): Int32Array {
  const buckets = ngramBucketsOf(word, settings);
  const own = wordId >= 0 ? 1 : 0;
  const rows = new Int32Array(own + buckets.length);
  if (own === 1) rows[0] = wordId;
  for (let k = 0; k < buckets.length; k++) rows[own + k] = wordCount + (buckets[k] as number);
  return rows;
}

/**
 * The rows of every vocabulary word, as compressed sparse rows: word `w` is made of
 * `rows[offsets[w] .. offsets[w + 1])`, its own row `w` first, then its n-gram rows
 * (`words.length + bucket`). This is the "bag of rows" a subword trainer averages for each
 * input word; built once before training.
 */
export function buildSubwordTable(
  words: readonly string[],
  settings: SubwordSettings,
): { offsets: Int32Array; rows: Int32Array } {
  const wordCount = words.length;
  const on = enabled(settings);
  // Filled in place, into one array sized by an upper bound: one small array per word, all kept
  // until the end, would grow V8's young generation by tens of MB just before training starts.
  let capacity = wordCount;
  if (on) for (const word of words) capacity += maxNgramCount(Buffer.byteLength(word, 'utf8') + 2, settings.minN, settings.maxN);
  const offsets = new Int32Array(wordCount + 1);
  const rows = new Int32Array(capacity);
  let scratch = new Int32Array(64);
  let total = 0;
  for (let w = 0; w < wordCount; w++) {
    const word = words[w] as string;
    const bytes = wrappedBytes(word);
    rows[total++] = w;
    if (on && word !== END_OF_SENTENCE) {
      const bound = maxNgramCount(bytes.length, settings.minN, settings.maxN);
      if (scratch.length < bound) scratch = new Int32Array(bound);
      const count = ngramBuckets(bytes, settings.minN, settings.maxN, settings.buckets, scratch, undefined);
      for (let k = 0; k < count; k++) rows[total++] = wordCount + (scratch[k] as number);
    }
    offsets[w + 1] = total;
  }
  return { offsets, rows: total === capacity ? rows : rows.slice(0, total) };
}
