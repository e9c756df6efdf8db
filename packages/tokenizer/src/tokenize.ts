// tokenize(): text → tokens, for any script. Space-separated text takes a fast path over char codes
// (no regex, no segmenter): a whitespace-delimited chunk of ASCII letters and digits is a word, and
// an ASCII chunk with punctuation follows the UAX #29 rules that can apply to ASCII. Only chunks
// with non-ASCII characters go to Intl.Segmenter (UAX #29 word boundaries, plus ICU's dictionaries
// for Chinese, Japanese, Thai, Khmer, Lao, Burmese). The fast paths give exactly what the
// segmenter would (property tests check it), only faster.

/** How {@link tokenize} cuts text into tokens. */
export type TokenizeMode = 'auto' | 'words' | 'whitespace' | 'text8';

/** Options for {@link tokenize} and the readers. */
export interface TokenizeOptions {
  /**
   * - `'words'` (default): Unicode words (UAX #29 with dictionary segmentation for scripts written
   *   without spaces). `keepPunctuation` and `keepNumbers` apply.
   * - `'whitespace'`: maximal runs of non-whitespace characters, as word2vec.c, gensim's
   *   `LineSentence` and fastText read their input.
   * - `'auto'`: `'whitespace'`, except on lines written without spaces (Chinese, Japanese, Thai,
   *   Lao, Khmer, Burmese: more than {@link UNSPACED_CHARS_PER_TOKEN} such characters per
   *   whitespace-separated token holding them), whose tokens holding such characters are cut into
   *   words as `'words'` does. Space-separated text, pre-segmented Chinese included, comes out as
   *   `'whitespace'` gives it; `keepPunctuation` and `keepNumbers` apply to the segmented tokens.
   * - `'text8'`: the text8 normaliser (`shared/data/tools/normalize_text8.py`): NFKD with
   *   combining marks removed, lower-case, each digit spelled out as its own English word
   *   (`1990` → `one nine nine zero`), every other character outside a–z a separator.
   *   `lowercase`, `normalize`, `keepPunctuation` and `keepNumbers` are ignored.
   */
  mode?: TokenizeMode;
  /** Lower-case with the locale-independent Unicode mapping (`toLowerCase`). Default true. */
  lowercase?: boolean;
  /** Apply Unicode NFKC normalisation first (full-width → ASCII, ligatures split…). Default true. */
  normalize?: boolean;
  /** `'words'` mode: keep punctuation and symbols as tokens of their own. Default false. */
  keepPunctuation?: boolean;
  /** `'words'` mode: keep numbers (words without any letter, e.g. `1990`, `3.14`). Default true. */
  keepNumbers?: boolean;
  /** Locale for `Intl.Segmenter`. Default: the root locale (segmentation is script-driven anyway). */
  locale?: string;
}

/**
 * Tokens exactly as word2vec.c, gensim's `LineSentence` and fastText read a training file:
 * whitespace-separated, case and Unicode form unchanged. Spread it into the options of
 * `Corpus.fromFile` or `countWords` so that embedkit's trainers and the reference tools see the
 * same words: `Corpus.fromFile(path, { ...AS_WRITTEN, minCount: 5 })`.
 */
export const AS_WRITTEN: Readonly<Pick<TokenizeOptions, 'mode' | 'lowercase' | 'normalize'>> = Object.freeze({
  mode: 'whitespace',
  lowercase: false,
  normalize: false,
});

/** Options after defaults, validated once. */
export interface ResolvedTokenizeOptions {
  mode: TokenizeMode;
  lowercase: boolean;
  normalize: boolean;
  keepPunctuation: boolean;
  keepNumbers: boolean;
  locale: string | undefined;
}

const MODES: readonly TokenizeMode[] = ['auto', 'words', 'whitespace', 'text8'];

/**
 * `'auto'` mode segments a line when its characters of scripts written without spaces average
 * more than this many per whitespace-separated token holding them: raw Chinese runs whole
 * clauses together, while pre-segmented Chinese averages under two characters a word.
 */
export const UNSPACED_CHARS_PER_TOKEN = 3;

/**
 * True for a code point of a script written without spaces between words, which
 * `Intl.Segmenter` cuts with a dictionary: Han (with its radicals and iteration marks), Hiragana,
 * Katakana, Thai, Lao, Khmer, Myanmar.
 */
export function isUnspacedCodePoint(c: number): boolean {
  if (c < 0x0e00) return false;
  if (c <= 0x0eff) return true; // Thai, Lao
  if (c < 0x1000) return false;
  if (c <= 0x109f) return true; // Myanmar
  if (c < 0x1780) return false;
  if (c <= 0x17ff || (c >= 0x19e0 && c <= 0x19ff)) return true; // Khmer
  if (c < 0x2e80) return false;
  if (c <= 0x2fdf) return true; // CJK and Kangxi radicals
  if (c < 0x3005) return false;
  if (c <= 0x3007 || (c >= 0x3021 && c <= 0x3029) || (c >= 0x3038 && c <= 0x303b)) return true; // 々〆〇, Hangzhou numerals
  if (c >= 0x3040 && c <= 0x30ff) return true; // Hiragana, Katakana
  if (c >= 0x31f0 && c <= 0x31ff) return true; // Katakana extensions
  if (c >= 0x3400 && c <= 0x4dbf) return true; // CJK Ext. A
  if (c >= 0x4e00 && c <= 0x9fff) return true; // CJK Unified Ideographs
  if (c >= 0xa9e0 && c <= 0xa9ff) return true; // Myanmar Ext. B
  if (c >= 0xaa60 && c <= 0xaa7f) return true; // Myanmar Ext. A
  if (c >= 0xf900 && c <= 0xfaff) return true; // CJK compatibility ideographs
  if (c >= 0xff66 && c <= 0xff9f) return true; // half-width Katakana
  return c >= 0x20000 && c <= 0x3ffff; // CJK Ext. B and later
}

/**
 * `'auto'` mode's decision for one line (or one piece of a very long line): true when its
 * characters of scripts written without spaces average more than
 * {@link UNSPACED_CHARS_PER_TOKEN} per whitespace-separated token holding any. One pass over the
 * char codes; ASCII never counts.
 */
export function isWrittenWithoutSpaces(text: string, start = 0, end = text.length): boolean {
  let chars = 0;
  let tokens = 0;
  let inToken = false; // inside a token already counted
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (isAsciiSpace(c)) inToken = false;
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    } else if (isUnicodeSpace(c)) {
      inToken = false;
      continue;
    }
    if (isUnspacedCodePoint(cp)) {
      chars++;
      if (!inToken) {
        tokens++;
        inToken = true;
      }
    }
  }
  return chars > UNSPACED_CHARS_PER_TOKEN * tokens;
}

/** Applies the defaults of {@link TokenizeOptions} and validates them. */
export function resolveTokenizeOptions(options: TokenizeOptions = {}): ResolvedTokenizeOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const mode = options.mode ?? 'words';
  if (!MODES.includes(mode)) {
    throw new RangeError(`mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  const flag = (name: keyof TokenizeOptions, fallback: boolean): boolean => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${JSON.stringify(value)}`);
    return value;
  };
  const locale = options.locale;
  if (locale !== undefined && typeof locale !== 'string') {
    throw new TypeError(`locale must be a string, got ${JSON.stringify(locale)}`);
  }
  return {
    mode,
    lowercase: flag('lowercase', true),
    normalize: flag('normalize', true),
    keepPunctuation: flag('keepPunctuation', false),
    keepNumbers: flag('keepNumbers', true),
    locale,
  };
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(locale: string | undefined): Intl.Segmenter {
  const key = locale ?? '';
  let segmenter = segmenters.get(key);
  if (segmenter === undefined) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(key, segmenter);
  }
  return segmenter;
}

// Whitespace as JavaScript's \s defines it (Unicode White_Space plus BOM), split into the ASCII
// test used in the hot loop and the rare non-ASCII case.
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isSpace(c: number): boolean {
  return c < 0x80 ? isAsciiSpace(c) : isUnicodeSpace(c);
}

// Word-break classes of ASCII characters (UAX #29), for the ASCII path of 'words' mode.
const OTHER = 0;
const LETTER = 1; // ALetter
const DIGIT = 2; // Numeric
const EXTEND_NUM_LET = 3; // '_'
const MID_LETTER = 4; // ':'
const MID_NUM = 5; // ',' ';'
const MID_NUM_LET_Q = 6; // '.' (MidNumLet) and "'" (Single_Quote): join letters and digits alike

function asciiClass(c: number): number {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return LETTER;
  if (c >= 48 && c <= 57) return DIGIT;
  switch (c) {
    case 95:
      return EXTEND_NUM_LET;
    case 58:
      return MID_LETTER;
    case 44:
    case 59:
      return MID_NUM;
    case 46:
    case 39:
      return MID_NUM_LET_Q;
    default:
      return OTHER;
  }
}

const HAS_NON_ASCII = /[^\x00-\x7f]/;
// Longest string handed to Intl.Segmenter at once, and the tail of each window left for the next.
const SEGMENT_WINDOW = 1024;
const SEGMENT_MARGIN = 64;
const HAS_LETTER = /\p{L}/u;
const IGNORABLE = /^[\p{White_Space}\p{Cc}\p{Cf}]*$/u;
const COMBINING_MARKS = /\p{Mn}+/gu;
const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/**
 * A tokenizer with resolved options. `tokenizeInto` appends to a caller's array, so the readers
 * reuse one array per sentence.
 */
export class Tokenizer {
  readonly options: ResolvedTokenizeOptions;
  private readonly segmenter: Intl.Segmenter;

  constructor(options: TokenizeOptions | ResolvedTokenizeOptions = {}) {
    this.options = resolveTokenizeOptions(options);
    this.segmenter = segmenterFor(this.options.locale);
  }

  /** Appends the tokens of `text` to `out`; returns `out`. */
  tokenizeInto(text: string, out: string[]): string[] {
    const mode = this.options.mode;
    if (mode === 'text8') return this.text8Into(text, out);
    if (mode === 'auto') return this.autoInto(text, out);
    if (this.options.normalize && HAS_NON_ASCII.test(text)) text = text.normalize('NFKC');
    if (mode === 'whitespace') return this.whitespaceInto(text, out);
    return this.wordsInto(text, out);
  }

  // 'auto': decided line by line, on the text as written (before NFKC), as the file passes do.
  private autoInto(text: string, out: string[]): string[] {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const line = start === 0 && end === text.length ? text : text.slice(start, end);
      if (!HAS_NON_ASCII.test(line)) this.whitespaceInto(line, out);
      else this.autoTokensInto(line, isWrittenWithoutSpaces(line), out);
      if (newline < 0) return out;
      start = newline + 1;
    }
  }

  /**
   * `'auto'` mode on text known to be one line, or tokens of one: with `segment` (the line's
   * {@link isWrittenWithoutSpaces}), tokens holding characters of scripts written without spaces
   * are cut into words; every other token is kept as `'whitespace'` keeps it.
   * @internal for the file passes, which decide per line themselves.
   */
  autoTokensInto(text: string, segment: boolean, out: string[]): string[] {
    if (this.options.normalize && HAS_NON_ASCII.test(text)) text = text.normalize('NFKC');
    if (!segment) return this.whitespaceInto(text, out);
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (isSpace(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      let unspaced = false;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c < 0x80) {
          if (isAsciiSpace(c)) break;
        } else if (isUnicodeSpace(c)) break;
        else if (!unspaced) {
          const low = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? text.charCodeAt(i + 1) : 0;
          unspaced = isUnspacedCodePoint(low >= 0xdc00 && low <= 0xdfff ? 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00) : c);
        }
        i++;
      }
      if (unspaced) this.wordsInto(text.slice(start, i), out);
      else this.whitespaceInto(text.slice(start, i), out);
    }
    return out;
  }

  private whitespaceInto(text: string, out: string[]): string[] {
    const lowercase = this.options.lowercase;
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (isSpace(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      let upper = false;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isSpace(c)) break;
        if (c >= 65 && c <= 90) upper = true;
        else if (c >= 0x80) upper = true; // may have an upper-case mapping: let toLowerCase decide
        i++;
      }
      const token = text.slice(start, i);
      out.push(lowercase && upper ? token.toLowerCase() : token);
    }
    return out;
  }

  private wordsInto(text: string, out: string[]): string[] {
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      const start = i;
      let simple = true; // only ASCII letters and digits
      let ascii = true;
      let letter = false;
      let upper = false;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c >= 97 && c <= 122) letter = true;
        else if (c >= 65 && c <= 90) {
          letter = true;
          upper = true;
        } else if (c >= 48 && c <= 57) {
          // digit
        } else if (isSpace(c)) break;
        else {
          simple = false;
          if (c >= 0x80) ascii = false;
        }
        i++;
      }
      if (simple) this.pushWord(text.slice(start, i), letter, upper, out);
      else if (ascii) this.asciiWords(text, start, i, out);
      else this.segment(text.slice(start, i), out);
    }
    return out;
  }

  private pushWord(word: string, letter: boolean, upper: boolean, out: string[]): void {
    if (!letter && !this.options.keepNumbers) return;
    out.push(upper && this.options.lowercase ? word.toLowerCase() : word);
  }

  // UAX #29 word boundaries for an ASCII chunk with punctuation, without the segmenter: the rules
  // that can apply to ASCII (WB5–WB13b; no Extend, Format or ZWJ), with ICU's rule statuses for
  // what is word-like. A property test checks it against Intl.Segmenter on random ASCII text.
  private asciiWords(text: string, start: number, end: number, out: string[]): void {
    const keepPunctuation = this.options.keepPunctuation;
    let i = start;
    while (i < end) {
      const c = asciiClass(text.charCodeAt(i));
      if (c !== LETTER && c !== DIGIT && c !== EXTEND_NUM_LET) {
        const code = text.charCodeAt(i);
        // Control characters are never tokens (the segmenter path drops them too).
        if (keepPunctuation && code > 32 && code !== 127) out.push(text[i] as string);
        i++;
        continue;
      }
      let j = i + 1;
      let prev = c;
      let letter = c === LETTER;
      let upper = c === LETTER && text.charCodeAt(i) <= 90;
      let underscoresOnly = c === EXTEND_NUM_LET;
      while (j < end) {
        const cj = asciiClass(text.charCodeAt(j));
        if (
          ((prev === LETTER || prev === DIGIT) && (cj === LETTER || cj === DIGIT)) || // WB5, WB8–WB10
          cj === EXTEND_NUM_LET || // WB13a (prev is always a letter, digit or '_' here)
          (prev === EXTEND_NUM_LET && (cj === LETTER || cj === DIGIT)) // WB13b
        ) {
          prev = cj;
        } else if (j + 1 < end && cj !== OTHER) {
          const cn = asciiClass(text.charCodeAt(j + 1));
          const midLetter = cj === MID_LETTER || cj === MID_NUM_LET_Q;
          const midNum = cj === MID_NUM || cj === MID_NUM_LET_Q;
          if ((prev === LETTER && midLetter && cn === LETTER) || (prev === DIGIT && midNum && cn === DIGIT)) {
            j++; // WB6/WB7, WB11/WB12: the middle character joins its neighbours
            prev = cn;
          } else break;
        } else break;
        const code = text.charCodeAt(j);
        if (prev === LETTER) {
          letter = true;
          if (code <= 90) upper = true;
        }
        if (prev !== EXTEND_NUM_LET) underscoresOnly = false;
        j++;
      }
      if (underscoresOnly && j - i === 1) {
        // A lone '_' is not word-like for ICU (a run of two or more is).
        if (keepPunctuation) out.push('_');
      } else {
        this.pushWord(text.slice(i, j), letter, upper, out);
      }
      i = j;
    }
  }

  // Intl.Segmenter's iteration costs time quadratic in the length of the string it walks (V8:
  // 20k characters take ~0.2 s, 80k take 3–26 s, whatever the script), and a paragraph of
  // Chinese or Thai has no whitespace to cut it. So long chunks are walked in windows of
  // SEGMENT_WINDOW characters: the segments ending at least SEGMENT_MARGIN before a window's end
  // are final (word boundaries depend on a few characters of context), the next window starts
  // where the last of them ended. Chunks up to the window size, nearly all, are one call.
  private segment(chunk: string, out: string[]): void {
    let start = 0;
    while (chunk.length - start > SEGMENT_WINDOW) {
      const window = chunk.slice(start, start + SEGMENT_WINDOW);
      const limit = SEGMENT_WINDOW - SEGMENT_MARGIN;
      let kept = 0;
      for (const part of this.segmenter.segment(window)) {
        const end = part.index + part.segment.length;
        if (end > limit) break;
        this.segmentPart(part, out);
        kept = end;
      }
      if (kept === 0) {
        // One segment longer than the window (a "word" of thousands of letters): cut it, not
        // between the two halves of a surrogate pair.
        kept = limit;
        const c = window.charCodeAt(kept - 1);
        if (c >= 0xd800 && c <= 0xdbff) kept--;
        for (const part of this.segmenter.segment(window.slice(0, kept))) this.segmentPart(part, out);
      }
      start += kept;
    }
    for (const part of this.segmenter.segment(start === 0 ? chunk : chunk.slice(start))) this.segmentPart(part, out);
  }

  private segmentPart(part: Intl.SegmentData, out: string[]): void {
    const s = part.segment;
    if (part.isWordLike) {
      if (!this.options.keepNumbers && !HAS_LETTER.test(s)) return;
      out.push(this.options.lowercase ? s.toLowerCase() : s);
    } else if (this.options.keepPunctuation && !IGNORABLE.test(s)) {
      out.push(s);
    }
  }

  // The text8 normaliser, over char codes. Non-ASCII text is first NFKD-decomposed with combining
  // marks removed (`é` → `e`), then lower-cased, as normalize_text8.py does.
  private text8Into(text: string, out: string[]): string[] {
    if (HAS_NON_ASCII.test(text)) {
      text = text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
    }
    const n = text.length;
    let start = -1;
    let upper = false;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 32;
      if (c >= 97 && c <= 122) {
        if (start < 0) start = i;
        continue;
      }
      if (c >= 65 && c <= 90) {
        if (start < 0) start = i;
        upper = true;
        continue;
      }
      if (start >= 0) {
        const word = text.slice(start, i);
        out.push(upper ? word.toLowerCase() : word);
        start = -1;
        upper = false;
      }
      if (c >= 48 && c <= 57) out.push(DIGIT_NAMES[c - 48] as string);
    }
    return out;
  }
}

const defaultTokenizers = new Map<string, Tokenizer>();

/**
 * Splits `text` into tokens.
 *
 * @example
 * ```ts
 * tokenize('All that glitters is not gold.');   // ['all', 'that', 'glitters', 'is', 'not', 'gold']
 * tokenize('我们是中国人');                        // ['我们', '是', '中国人']
 * tokenize('In 1990, Zürich…', { mode: 'text8' }); // ['in', 'one', 'nine', 'nine', 'zero', 'zurich']
 * ```
 */
export function tokenize(text: string, options?: TokenizeOptions): string[] {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
  let tokenizer: Tokenizer;
  if (options === undefined) {
    tokenizer = defaultTokenizers.get('') ?? new Tokenizer();
    defaultTokenizers.set('', tokenizer);
  } else {
    tokenizer = new Tokenizer(options);
  }
  return tokenizer.tokenizeInto(text, []);
}
