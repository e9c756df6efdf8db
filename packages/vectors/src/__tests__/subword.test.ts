/**
 * The subword scheme and `SubwordEmbeddings` without fastText: n-grams against a direct
 * reference implementation over code points, fastText's signed-byte FNV-1a, settings
 * validation, vectors and queries for out-of-vocabulary words, the model file and its errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Embeddings,
  MAX_WORD_LENGTH,
  SubwordEmbeddings,
  buildSubwordTable,
  fastTextHash,
  fastTextHashString,
  formatFastTextFloat,
  ngramBucketsOf,
  ngramsOf,
  readFastTextBin,
  resolveSubwordSettings,
  writeFastTextBin,
} from '../index';

const dir = mkdtempSync(join(tmpdir(), 'embedkit-subword-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The scheme written the obvious way: substrings of the code points of `<word>`. */
function referenceNgrams(word: string, minN: number, maxN: number): string[] {
  if (word === '</s>' || maxN === 0) return [];
  const chars = Array.from(`<${word}>`);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    for (let n = 1; n <= maxN && i + n <= chars.length; n++) {
      if (n < minN) continue;
      if (n === 1 && (i === 0 || i === chars.length - 1)) continue;
      out.push(chars.slice(i, i + n).join(''));
    }
  }
  return out;
}

/** Textbook FNV-1a (bytes XORed unsigned), to show where fastText's differs. */
function textbookFnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/** fastText's hash written with BigInt-free 32-bit arithmetic, byte by byte, as in the C++. */
function signedByteFnv(text: string): number {
  let h = 2166136261;
  for (const b of new TextEncoder().encode(text)) {
    const signed = b >= 128 ? b - 256 : b; // int8_t
    h = Number((BigInt(h) ^ BigInt.asUintN(32, BigInt(signed))) * 16777619n % 4294967296n);
  }
  return h;
}

describe('fastText hash', () => {
  it('is FNV-1a for ASCII and sign-extends bytes ≥ 0x80', () => {
    expect(fastTextHash(new Uint8Array(0))).toBe(0x811c9dc5);
    expect(fastTextHashString('a')).toBe(0xe40c292c); // published FNV-1a test vector
    expect(fastTextHashString('foobar')).toBe(0xbf9cf968);
    expect(fastTextHashString('<wa')).toBe(textbookFnv1a('<wa'));
    // Non-ASCII: fastText's differs from the textbook hash.
    expect(fastTextHashString('é')).not.toBe(textbookFnv1a('é'));
    expect(fastTextHashString('é')).toBe(signedByteFnv('é'));
  });

  it('property: equals the signed-byte reference for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (s) => fastTextHashString(s) === signedByteFnv(s)), { numRuns: 300 });
  });
});

describe('n-grams', () => {
  it('wraps the word, counts characters, keeps the whole <word>, drops lone < and >', () => {
    expect(ngramsOf('a', { minN: 3, maxN: 6 })).toEqual(['<a>']);
    expect(ngramsOf('a', { minN: 1, maxN: 1 })).toEqual(['a']);
    expect(ngramsOf('ab', { minN: 1, maxN: 2 })).toEqual(['<a', 'a', 'ab', 'b', 'b>']);
    expect(ngramsOf('中文', { minN: 1, maxN: 2 })).toEqual(['<中', '中', '中文', '文', '文>']);
    expect(ngramsOf('é', { minN: 3, maxN: 6 })).toEqual(['<é>']);
    expect(ngramsOf('😀x', { minN: 2, maxN: 2 })).toEqual(['<😀', '😀x', 'x>']);
    expect(ngramsOf('where', { minN: 3, maxN: 3 })).toEqual(['<wh', 'whe', 'her', 'ere', 're>']);
    expect(ngramsOf('</s>', { minN: 3, maxN: 6 })).toEqual([]);
    expect(ngramsOf('word', { minN: 3, maxN: 0 })).toEqual([]);
  });

  it('property: equal the code-point reference, and buckets are hash % buckets', () => {
    const alphabet = ['a', 'b', 'é', 'ß', '中', '文', '😀', '<', '>', 'z'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { minLength: 0, maxLength: 12 }).map((c) => c.join('')),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 5000 }),
        (word, minN, extra, buckets) => {
          const maxN = minN + extra;
          const grams = ngramsOf(word, { minN, maxN });
          expect(grams).toEqual(referenceNgrams(word, minN, maxN));
          const ids = ngramBucketsOf(word, { minN, maxN, buckets });
          expect(Array.from(ids)).toEqual(grams.map((g) => fastTextHashString(g) % buckets));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles a word of 10,000 characters and refuses absurd lengths', () => {
    const long = 'é中a'.repeat(3334);
    const ids = ngramBucketsOf(long, { minN: 3, maxN: 6, buckets: 2_000_000 });
    expect(ids.length).toBe(4 * Array.from(`<${long}>`).length - 3 - 4 - 5 - 6 + 4); // Σ_n (L − n + 1)
    expect(() => ngramBucketsOf('x'.repeat(MAX_WORD_LENGTH + 1), { minN: 3, maxN: 6, buckets: 10 })).toThrow(RangeError);
  });

  it('buildSubwordTable lists each word’s own row then its n-gram rows', () => {
    const settings = { minN: 2, maxN: 3, buckets: 50 };
    const table = buildSubwordTable(['ab', 'c'], settings);
    const ab = Array.from(ngramBucketsOf('ab', settings), (b) => 2 + b);
    const c = Array.from(ngramBucketsOf('c', settings), (b) => 2 + b);
    expect(Array.from(table.offsets)).toEqual([0, 1 + ab.length, 2 + ab.length + c.length]);
    expect(Array.from(table.rows)).toEqual([0, ...ab, 1, ...c]);
  });
});

describe('settings', () => {
  it('defaults to fastText’s and validates', () => {
    expect(resolveSubwordSettings()).toEqual({ minN: 3, maxN: 6, buckets: 2_000_000 });
    expect(resolveSubwordSettings({ maxN: 0, buckets: 0 })).toEqual({ minN: 3, maxN: 0, buckets: 0 });
    expect(() => resolveSubwordSettings({ minN: 5, maxN: 3 })).toThrow(/minN \(5\) is greater than maxN \(3\)/);
    expect(() => resolveSubwordSettings({ buckets: 0 })).toThrow(/buckets is 0/);
    expect(() => resolveSubwordSettings({ minN: 0, maxN: 3 })).toThrow(RangeError);
    expect(() => resolveSubwordSettings({ minN: 2.5 })).toThrow(RangeError);
    expect(() => resolveSubwordSettings({ buckets: -1 })).toThrow(RangeError);
    expect(() => resolveSubwordSettings({ maxN: 1000 })).toThrow(RangeError);
  });
});

/** A small model with random rows (seeded), 4 words, 40 buckets, dim 6. */
function smallModel(seed = 1): { words: string[]; input: Float32Array; model: SubwordEmbeddings } {
  const words = ['walk', 'walking', 'talk', 'café', '中文', 'run'];
  const buckets = 40;
  const dim = 6;
  const input = new Float32Array((words.length + buckets) * dim);
  let state = seed;
  for (let i = 0; i < input.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    input[i] = (state / 2 ** 32) * 2 - 1;
  }
  return { words, input, model: new SubwordEmbeddings(words, dim, input.slice(), { minN: 2, maxN: 4, buckets }) };
}

function mean(rows: Float32Array[], dim: number): number[] {
  const out = new Array<number>(dim).fill(0);
  for (const r of rows) for (let j = 0; j < dim; j++) out[j]! += r[j]!;
  return out.map((v) => v / rows.length);
}

describe('SubwordEmbeddings', () => {
  it('word vectors are the mean of the own row and the n-gram rows; OOV words the mean of n-gram rows', () => {
    const { words, input, model } = smallModel();
    const row = (r: number): Float32Array => input.slice(r * 6, r * 6 + 6);
    for (const [w, word] of words.entries()) {
      const rows = [row(w), ...Array.from(ngramBucketsOf(word, model.settings), (b) => row(words.length + b))];
      const expected = mean(rows, 6);
      const got = model.get(word)!;
      for (let j = 0; j < 6; j++) expect(got[j]).toBeCloseTo(expected[j]!, 6);
      expect(model.vectorFor(word)).toEqual(got);
    }
    const oov = 'walks';
    const expected = mean(Array.from(ngramBucketsOf(oov, model.settings), (b) => row(words.length + b)), 6);
    const got = model.vectorFor(oov);
    for (let j = 0; j < 6; j++) expect(got[j]).toBeCloseTo(expected[j]!, 6);
    expect(model.has(oov)).toBe(false);
    expect(model.get(oov)).toBeUndefined();
    expect(Array.from(model.subwordRows('walk'))[0]).toBe(0);
    expect(model.ngrams('ab')).toEqual(['<a', '<ab', '<ab>', 'ab', 'ab>', 'b>']);
  });

  it('queries with known words equal the plain Embeddings over the same vectors', () => {
    const { model } = smallModel(3);
    const plain = new Embeddings(model.labels, model.dim, model.toMatrix());
    expect(model.similarity('walk', 'talk')).toBe(plain.similarity('walk', 'talk'));
    expect(model.mostSimilar({ positive: ['walk'], negative: ['run'], topN: 3 })).toEqual(
      plain.mostSimilar({ positive: ['walk'], negative: ['run'], topN: 3 }),
    );
    expect(model.analogy('walk', 'walking', 'talk', { method: '3CosMul' })).toEqual(
      plain.analogy('walk', 'walking', 'talk', { method: '3CosMul' }),
    );
  });

  it('accepts out-of-vocabulary words in similarity, mostSimilar, analogy and doesntMatch', () => {
    const { model } = smallModel(5);
    const oov = 'talking';
    const v = model.vectorFor(oov);
    const plain = new Embeddings(model.labels, model.dim, model.toMatrix());
    // similarity: cosine of the vectors.
    const w = model.get('walk')!;
    let dot = 0;
    let nv = 0;
    let nw = 0;
    for (let j = 0; j < 6; j++) {
      dot += v[j]! * w[j]!;
      nv += v[j]! ** 2;
      nw += w[j]! ** 2;
    }
    expect(model.similarity(oov, 'walk')).toBeCloseTo(dot / Math.sqrt(nv * nw), 10);
    // mostSimilar of an OOV word = nearest to its vector.
    const byWord = model.mostSimilar({ positive: [oov], topN: 4 });
    const byVector = plain.mostSimilarToVector(v, { topN: 4 });
    expect(byWord.map((n) => n.label)).toEqual(byVector.map((n) => n.label));
    byWord.forEach((n, i) => expect(n.similarity).toBeCloseTo(byVector[i]!.similarity, 12));
    // 3CosAdd with an OOV term: brute-force reference.
    const unit = (x: Float32Array): number[] => {
      const n = Math.sqrt(x.reduce((s, y) => s + y * y, 0));
      return Array.from(x, (y) => y / n);
    };
    const [ua, ub, uc] = [unit(model.vectorFor('walk')), unit(model.vectorFor('walking')), unit(v)];
    const query = ub.map((b, j) => b - ua[j]! + uc[j]!);
    const cos = (x: number[], y: Float32Array): number => {
      const uy = unit(y);
      const n = Math.sqrt(x.reduce((s, t) => s + t * t, 0));
      return x.reduce((s, t, j) => s + t * uy[j]!, 0) / n;
    };
    const candidates = model.labels.filter((l) => l !== 'walk' && l !== 'walking');
    const ranked = candidates.map((l) => ({ label: l, s: cos(query, model.get(l)!) })).sort((a, b) => b.s - a.s);
    const got = model.analogy('walk', 'walking', oov, { topN: 3 });
    expect(got.map((n) => n.label)).toEqual(ranked.slice(0, 3).map((r) => r.label));
    got.forEach((n, i) => expect(n.similarity).toBeCloseTo(ranked[i]!.s, 6));
    // 3CosMul with an OOV term.
    const mul = candidates
      .map((l) => {
        const s = (x: number[]): number => (1 + cos(x, model.get(l)!)) / 2;
        return { label: l, s: (s(ub) * s(uc)) / (s(ua) + 0.001) };
      })
      .sort((a, b) => b.s - a.s);
    const gotMul = model.analogy('walk', 'walking', oov, { method: '3CosMul', topN: 3 });
    expect(gotMul.map((n) => n.label)).toEqual(mul.slice(0, 3).map((r) => r.label));
    gotMul.forEach((n, i) => expect(n.similarity).toBeCloseTo(mul[i]!.s, 6));
    // doesntMatch with an OOV word among known ones returns one of them.
    expect(['walk', 'talk', oov, '中文']).toContain(model.doesntMatch(['walk', 'talk', oov, '中文']));
    // A word with no n-gram and no row: the zero vector, cosine 0.
    const bare = new SubwordEmbeddings(['ab'], 2, new Float32Array([1, 0, 0, 0, 0.5, 0.5]), { minN: 5, maxN: 6, buckets: 2 });
    expect(Array.from(bare.vectorFor('x'))).toEqual([0, 0]);
    expect(bare.similarity('x', 'ab')).toBe(0);
  });

  it('validates its arguments', () => {
    expect(() => new SubwordEmbeddings(['a'], 2, new Float32Array(4), { minN: 4, maxN: 3, buckets: 1 })).toThrow(RangeError);
    expect(() => new SubwordEmbeddings(['a'], 2, new Float32Array(4), { minN: 3, maxN: 4, buckets: 0 })).toThrow(RangeError);
    expect(() => new SubwordEmbeddings(['a'], 2, new Float32Array(5), { minN: 3, maxN: 4, buckets: 1 })).toThrow(/input has 5 values/);
    const bad = new Float32Array(4);
    bad[3] = Number.NaN;
    const error = (() => {
      try {
        return new SubwordEmbeddings(['a'], 2, bad, { minN: 3, maxN: 4, buckets: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(isEmbedkitError(error, 'NON_FINITE_VALUE')).toBe(true);
    expect((error as Error).message).toContain('n-gram row 0');
    const { model } = smallModel();
    expect(() => model.vectorFor(42 as unknown as string)).toThrow(TypeError);
    expect(() => model.mostSimilar({ positive: [] })).toThrow(RangeError);
    expect(() => model.mostSimilar({ positive: 'walk' as unknown as string[], negative: ['unseen'] })).toThrow(TypeError);
    expect(() => model.mostSimilar({ positive: ['unseen'], topN: -1 })).toThrow(RangeError);
    expect(() => model.doesntMatch(['walk', 3 as unknown as string])).toThrow(TypeError);
  });
});

describe('embedkit subword model file', () => {
  it('round-trips words, rows and settings exactly', async () => {
    const { model } = smallModel(9);
    const path = join(dir, 'm.ekft');
    await model.saveModel(path);
    const back = await SubwordEmbeddings.loadModel(path);
    expect(back.labels).toEqual(model.labels);
    expect(back.settings).toEqual(model.settings);
    expect(back.toInputMatrix()).toEqual(model.toInputMatrix());
    expect(back.vectorFor('zz中')).toEqual(model.vectorFor('zz中'));
    // The .vec of the known words is inherited from Embeddings.
    const vec = join(dir, 'm.vec');
    await model.save(vec, { format: 'word2vec-text' });
    const plain = await Embeddings.load(vec);
    expect(plain.labels).toEqual(model.labels);
    expect(formatFastTextFloat(plain.get('walk')![0]!)).toBe(formatFastTextFloat(model.get('walk')![0]!));
  });

  it('names the problem and the byte offset of a damaged file', async () => {
    const { model } = smallModel(9);
    const path = join(dir, 'd.ekft');
    await model.saveModel(path);
    const bytes = readFileSync(path);
    const errorOf = async (content: Uint8Array): Promise<{ code: string; message: string }> => {
      const p = join(dir, `e-${Math.random().toString(36).slice(2)}.ekft`);
      writeFileSync(p, content);
      try {
        await SubwordEmbeddings.loadModel(p);
      } catch (e) {
        if (isEmbedkitError(e)) return { code: e.code, message: e.message };
        throw e;
      }
      throw new Error('no error');
    };
    for (const cut of [10, 60, bytes.length - 1]) {
      const e = await errorOf(bytes.subarray(0, cut));
      expect(e.code).toBe('TRUNCATED_FILE');
      expect(e.message).toMatch(/byte \d+/);
    }
    expect((await errorOf(Buffer.concat([bytes, Buffer.from([0])]))).code).toBe('CORRUPT_MODEL');
    const version = Buffer.from(bytes);
    version.writeUInt32LE(99, 4);
    expect((await errorOf(version)).code).toBe('UNSUPPORTED_VERSION');
    const settings = Buffer.from(bytes);
    settings.writeUInt32LE(9, 16); // minN 9 > maxN 4
    const e = await errorOf(settings);
    expect(e.code).toBe('CORRUPT_MODEL');
    expect(e.message).toMatch(/minN \(9\) is greater than maxN/);
    const magic = Buffer.from(bytes);
    magic.write('XXXX', 0);
    expect((await errorOf(magic)).code).toBe('UNKNOWN_FORMAT');
    await expect(SubwordEmbeddings.load(join(dir, 'missing.ekft'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('print formatting', () => {
  it('is C %.5g', () => {
    const cases: [number, string][] = [
      [0, '0'], [-0, '-0'], [1, '1'], [0.1, '0.1'], [0.123456, '0.12346'], [-0.0083247, '-0.0083247'],
      [5.0884e-5, '5.0884e-05'], [-4.4011e-6, '-4.4011e-06'], [123456, '1.2346e+05'], [12345, '12345'],
      [0.0001, '0.0001'], [0.000099999, '9.9999e-05'], [0.0000999999, '0.0001'], [1e-20, '1e-20'], [99999.5, '1e+05'],
    ];
    for (const [v, s] of cases) expect(formatFastTextFloat(v)).toBe(s);
  });
});

describe('fastText .bin writer and reader without fastText', () => {
  const args = {
    dim: 4, ws: 5, epoch: 5, minCount: 1, neg: 5, wordNgrams: 1, loss: 'ns' as const, model: 'skipgram' as const,
    bucket: 20, minn: 2, maxn: 4, lrUpdateRate: 100, t: 1e-4,
  };
  const words = ['</s>', 'the', 'café', '中文', 'walking'];
  const input = Float32Array.from({ length: (words.length + 20) * 4 }, (_, i) => Math.fround(Math.sin(i + 1)));
  const output = Float32Array.from({ length: words.length * 4 }, (_, i) => Math.fround(Math.cos(i)));

  it('round-trips every field', async () => {
    const path = join(dir, 'w.bin');
    await writeFastTextBin(path, { args, words, counts: [9, 5, 3, 2, 1], tokenCount: 20, input, output });
    const back = await readFastTextBin(path, { output: true });
    expect(back.args).toEqual(args);
    expect(back.words).toEqual(words);
    expect(Array.from(back.counts)).toEqual([9, 5, 3, 2, 1]);
    expect(back.tokenCount).toBe(20);
    expect(back.input).toEqual(input);
    expect(back.output).toEqual(output);
    expect(back.settings).toEqual({ minN: 2, maxN: 4, buckets: 20 });
    const model = SubwordEmbeddings.fromFastText(back);
    // </s> is its own row only.
    expect(Array.from(model.vectorFor('</s>'))).toEqual(Array.from(input.slice(0, 4)));
  });

  it('fuzz: truncated or byte-flipped files load or throw a typed error, never crash or hang', async () => {
    const path = join(dir, 'f.bin');
    await writeFastTextBin(path, { args, words, counts: [9, 5, 3, 2, 1], tokenCount: 20, input, output });
    const bytes = readFileSync(path);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        async (at, value, truncate) => {
          const damaged = truncate ? bytes.subarray(0, at) : Buffer.from(bytes);
          if (!truncate) damaged[at] = value;
          const p = join(dir, 'fuzz.bin');
          writeFileSync(p, damaged);
          try {
            const model = await SubwordEmbeddings.loadFastText(p);
            model.vectorFor('cafés');
          } catch (error) {
            if (!isEmbedkitError(error)) throw error;
            if (truncate) expect(error.message).toMatch(/byte/);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
