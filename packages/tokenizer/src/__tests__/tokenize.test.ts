import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AS_WRITTEN, isWrittenWithoutSpaces, tokenize } from '../index';

const zhwiki = fileURLToPath(new URL('../../../../../shared/data/zhwiki/raw/AA/wiki_00', import.meta.url));

// The reference the fast path must agree with: Intl.Segmenter over the whole text.
function segmenterReference(text: string, keepPunctuation: boolean, keepNumbers: boolean): string[] {
  const out: string[] = [];
  for (const part of new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text.normalize('NFKC'))) {
    if (part.isWordLike) {
      if (!keepNumbers && !/\p{L}/u.test(part.segment)) continue;
      out.push(part.segment.toLowerCase());
    } else if (keepPunctuation && !/^[\p{White_Space}\p{Cc}\p{Cf}]*$/u.test(part.segment)) {
      out.push(part.segment);
    }
  }
  return out;
}

describe('tokenize, words mode', () => {
  it('tokenizes the article documents', () => {
    expect(tokenize('all that glitters is not gold')).toEqual(['all', 'that', 'glitters', 'is', 'not', 'gold']);
    expect(tokenize('All is well that ends well.')).toEqual(['all', 'is', 'well', 'that', 'ends', 'well']);
  });

  it('keeps or drops punctuation and numbers', () => {
    const text = 'In 1990, "Hello" (world) cost $3.50!';
    expect(tokenize(text)).toEqual(['in', '1990', 'hello', 'world', 'cost', '3.50']);
    expect(tokenize(text, { keepNumbers: false })).toEqual(['in', 'hello', 'world', 'cost']);
    expect(tokenize(text, { keepPunctuation: true })).toEqual(
      ['in', '1990', ',', '"', 'hello', '"', '(', 'world', ')', 'cost', '$', '3.50', '!'],
    );
    expect(tokenize(text, { lowercase: false })).toEqual(['In', '1990', 'Hello', 'world', 'cost', '3.50']);
    expect(tokenize("don't e-mail U.S.")).toEqual(["don't", 'e', 'mail', 'u.s']);
  });

  it('segments scripts written without spaces into words', () => {
    expect(tokenize('我们是中国人，喜欢吃饭。')).toEqual(['我们', '是', '中国人', '喜欢', '吃饭']);
    expect(tokenize('東京は日本の首都です')).toEqual(['東京', 'は', '日本', 'の', '首都', 'です']);
    expect(tokenize('ภาษาไทยง่ายนิดเดียว')).toEqual(['ภาษา', 'ไทย', 'ง่าย', 'นิด', 'เดียว']);
    expect(tokenize('Apple公司在Cupertino')).toEqual(['apple', '公司', '在', 'cupertino']);
  });

  it('normalises with NFKC and lower-cases without a locale', () => {
    expect(tokenize('Ｆｕｌｌ－ｗｉｄｔｈ ﬁne')).toEqual(['full', 'width', 'fine']);
    expect(tokenize('ÉCOLE İstanbul DIŞ')).toEqual(['école', 'i̇stanbul', 'diş']);
    expect(tokenize('Ｆｕｌｌ', { normalize: false, lowercase: false })).toEqual(['Ｆｕｌｌ']);
  });

  it('agrees with Intl.Segmenter on any ASCII text (fast path = slow path)', () => {
    const alphabet = fc.constantFrom(...'aZ9 _.,\'"-:;!?()$#@/\n\t'.split(''), 'ab', 'Cd', '12', '__', "'s", '.5', 'U.S.', '\u0001', '\u001f', '\u007f');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), fc.boolean(), fc.boolean(), (parts, punct, nums) => {
        const text = parts.join('');
        expect(tokenize(text, { keepPunctuation: punct, keepNumbers: nums })).toEqual(
          segmenterReference(text, punct, nums),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Intl.Segmenter on mixed-script text', () => {
    const alphabet = fc.constantFrom(
      ...'aZ9 .,\'-\n'.split(''),
      'é', 'É', '中国', '人民', '是', '東京', 'は', 'ภาษา', '。', '，', '’', 'ﬁ', 'Ｆ', '\u3000', 'ß', '🙂', '١٢', 'слово',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 25 }), fc.boolean(), fc.boolean(), (parts, punct, nums) => {
        const text = parts.join('');
        expect(tokenize(text, { keepPunctuation: punct, keepNumbers: nums })).toEqual(
          segmenterReference(text, punct, nums),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('does not hang on a long text without whitespace (segmented in windows)', () => {
    // Intl.Segmenter is quadratic in the string length: 400k characters in one call take minutes.
    const text = '中国人民喜欢吃饭'.repeat(50_000);
    const started = performance.now();
    const tokens = tokenize(text);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(tokens.join('')).toBe(text);
    expect(tokens.length).toBeGreaterThan(150_000);
  });

  it.skipIf(!existsSync(zhwiki))('windowed segmentation equals one call on real Chinese text', () => {
    const block = readFileSync(zhwiki, 'utf8').replace(/\s+/g, '').slice(10_000, 16_000);
    expect(tokenize(block)).toEqual(segmenterReference(block, false, true));
    expect(tokenize(block, { keepPunctuation: true })).toEqual(segmenterReference(block, true, true));
  });

  it.skipIf(!existsSync(zhwiki))('gives words, not characters or lines, on zhwiki', () => {
    const text = readFileSync(zhwiki, 'utf8').slice(0, 200_000);
    const tokens = tokenize(text);
    const han = tokens.filter((t) => /^\p{Script=Han}+$/u.test(t));
    const multi = han.filter((t) => [...t].length >= 2);
    // Real word segmentation: a good share of Han tokens are multi-character words, none is a line.
    expect(han.length).toBeGreaterThan(10_000);
    expect(multi.length / han.length).toBeGreaterThan(0.3);
    const longest = Math.max(...han.map((t) => [...t].length));
    expect(longest).toBeLessThan(20);
    expect(tokens).toContain('中国');
  });
});

describe('tokenize, auto mode', () => {
  const auto = { mode: 'auto', lowercase: false, normalize: false } as const;

  it('segments lines written without spaces and keeps every other token as written', () => {
    expect(tokenize('我们是中国人，喜欢吃饭。', auto)).toEqual(['我们', '是', '中国人', '喜欢', '吃饭']);
    expect(tokenize('ภาษาไทยง่ายนิดเดียว', auto)).toEqual(['ภาษา', 'ไทย', 'ง่าย', 'นิด', 'เดียว']);
    // Latin-script tokens of a Chinese line stay whitespace tokens, punctuation and case included.
    expect(tokenize('他在 2015 年加入 Apple, Inc. 公司并担任经理', auto)).toEqual(
      ['他在', '2015', '年', '加入', 'Apple,', 'Inc.', '公司', '并', '担任', '经理'],
    );
    // Pre-segmented Chinese is space-separated text: its tokens are kept, punctuation included.
    expect(tokenize('我们 是 中国人 ， 喜欢 吃饭 。', auto)).toEqual(['我们', '是', '中国人', '，', '喜欢', '吃饭', '。']);
    // The decision is per line.
    expect(tokenize('我们 是 中国人\n我们是中国人', auto)).toEqual(['我们', '是', '中国人', '我们', '是', '中国人']);
  });

  it('is whitespace mode on space-separated text, whatever the characters', () => {
    const alphabet = fc.constantFrom(...'aZ9 _.,\'"-:;!?()$\n\t'.split(''), 'é', 'É', 'ﬁ', 'Ｆ', '\u3000', '\u00a0', 'ß', '🙂', 'слово', '한국어', '中', '人 ', ' 是');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), fc.boolean(), fc.boolean(), (parts, lowercase, normalize) => {
        const text = parts.join('');
        // Lines with at most three Han characters per token are space-separated text.
        fc.pre(text.split('\n').every((line) => !isWrittenWithoutSpaces(line)));
        expect(tokenize(text, { mode: 'auto', lowercase, normalize })).toEqual(
          tokenize(text, { mode: 'whitespace', lowercase, normalize }),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('decides with a count of characters per token, ignoring ASCII', () => {
    expect(isWrittenWithoutSpaces('the quick brown fox')).toBe(false);
    expect(isWrittenWithoutSpaces('我们 是 中国人')).toBe(false);
    expect(isWrittenWithoutSpaces('我们是中国人')).toBe(true);
    expect(isWrittenWithoutSpaces('x 我们是 y 中国人')).toBe(false); // 6 characters, 2 tokens
    expect(isWrittenWithoutSpaces('𠀀𠀁𠀂𠀃')).toBe(true); // CJK Ext. B, surrogate pairs
    expect(isWrittenWithoutSpaces('東京\u3000大阪')).toBe(false); // the ideographic space separates
    expect(isWrittenWithoutSpaces('한국어는띄어쓰기를한다')).toBe(false); // Korean is written with spaces
  });
});

describe('tokenize, whitespace mode', () => {
  it('splits on whitespace only', () => {
    expect(tokenize('Hello, world!\r\n  foo\tbar\u3000baz', { mode: 'whitespace' })).toEqual(
      ['hello,', 'world!', 'foo', 'bar', 'baz'],
    );
    expect(tokenize('A b', { mode: 'whitespace', lowercase: false })).toEqual(['A', 'b']);
  });
});

describe('tokenize, text8 mode', () => {
  it('follows normalize_text8.py', () => {
    expect(tokenize('In 1990, Zürich’s café-bar!', { mode: 'text8' })).toEqual(
      ['in', 'one', 'nine', 'nine', 'zero', 'zurich', 's', 'cafe', 'bar'],
    );
    expect(tokenize('ÆON ß x2y', { mode: 'text8' })).toEqual(['on', 'x', 'two', 'y']);
    expect(tokenize('中国 abc', { mode: 'text8' })).toEqual(['abc']);
  });
});

const enwikiRaw = fileURLToPath(new URL('../../../../../shared/data/enwiki/raw/AA/wiki_00', import.meta.url));
const enwikiText8 = fileURLToPath(new URL('../../../../../shared/data/enwiki/enwiki-text8like.txt', import.meta.url));

describe('text8 mode against the shared corpus', () => {
  it.skipIf(!existsSync(enwikiRaw) || !existsSync(enwikiText8))(
    'reproduces normalize_text8.py on the first raw Wikipedia file, paragraph by paragraph',
    async () => {
      // The same paragraph selection as normalize_text8.py: no <doc> lines, no title, no blank line.
      const paragraphs: string[] = [];
      let skipTitle = false;
      for (const line of readFileSync(enwikiRaw, 'utf8').split('\n')) {
        if (line.startsWith('<doc ')) {
          skipTitle = true;
          continue;
        }
        if (line.startsWith('</doc>')) continue;
        if (skipTitle) {
          skipTitle = false;
          continue;
        }
        if (line.trim() === '') continue;
        paragraphs.push(line);
      }
      const ours = paragraphs.map((p) => tokenize(p, { mode: 'text8' }).join(' ')).filter((p) => p.length > 0);
      // Read just the lines needed from the 82 MB file.
      const { createReadStream } = await import('node:fs');
      const { createInterface } = await import('node:readline');
      const theirs: string[] = [];
      const lines = createInterface({ input: createReadStream(enwikiText8) });
      for await (const line of lines) {
        theirs.push(line);
        if (theirs.length === ours.length) break;
      }
      lines.close();
      expect(ours.length).toBeGreaterThan(2000);
      let same = 0;
      for (let i = 0; i < ours.length; i++) if (ours[i] === theirs[i]) same++;
      expect(same).toBe(ours.length);
    },
  );
});

describe('tokenize arguments', () => {
  it('rejects bad options', () => {
    expect(() => tokenize('a', { mode: 'chars' as never })).toThrow(RangeError);
    expect(() => tokenize('a', { lowercase: 'yes' as never })).toThrow(TypeError);
    expect(() => tokenize(3 as never)).toThrow(TypeError);
  });
});

describe('AS_WRITTEN', () => {
  it('keeps tokens exactly as the C tool reads them', () => {
    expect(tokenize('Ünïcode  ＡＢＣ, The\tend.', AS_WRITTEN)).toEqual(['Ünïcode', 'ＡＢＣ,', 'The', 'end.']);
  });
});
