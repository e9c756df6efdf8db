import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isEmbedkitError } from '@embedkit/errors';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { Embeddings, formatFloat32 } from '../index';
import type { VectorFormat, VectorsErrorCode } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'embedkit-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
function file(name = 'v'): string {
  return join(dir, `${name}-${fileCounter++}`);
}
function writeTemp(content: string | Uint8Array, name?: string): string {
  const path = file(name);
  writeFileSync(path, content);
  return path;
}

const FORMATS: readonly VectorFormat[] = ['word2vec-text', 'word2vec-binary', 'glove'];

async function loadError(path: string, options = {}): Promise<{ code: string; message: string }> {
  try {
    await Embeddings.load(path, options);
  } catch (error) {
    if (isEmbedkitError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected ${path} to fail loading`);
}

/** A word2vec binary file from parts (header, then records of word + float32s + separator). */
function binaryFile(header: string, records: { word: Uint8Array | string; values: number[] }[], separator = '\n'): Uint8Array {
  const parts: Uint8Array[] = [Buffer.from(header)];
  for (const record of records) {
    parts.push(typeof record.word === 'string' ? Buffer.from(record.word) : record.word, Buffer.from(' '));
    parts.push(new Uint8Array(Float32Array.from(record.values).buffer));
    parts.push(Buffer.from(separator));
  }
  return Buffer.concat(parts);
}

const labelArbitrary = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .filter((s) => !/[\s]/u.test(s) && s !== '\uFEFF' && !s.startsWith('\uFEFF'));

describe('formatFloat32', () => {
  it('is the shortest decimal that reads back as the same float32', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Math.fround(-2.5e-7))).toBe('-2.5e-7');
    expect(formatFloat32(100)).toBe('100');
    expect(formatFloat32(-0)).toBe('-0');
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = formatFloat32(x);
        expect(Object.is(Math.fround(Number(s)), x)).toBe(true);
        // One digit fewer no longer round-trips (shortest), unless it is a single digit.
        const digits = s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
        if (digits.length > 1) {
          expect(Math.fround(Number(x.toPrecision(digits.length - 1)))).not.toBe(x);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatFloat32 fast path', () => {
  /** Reference: the shortest `toPrecision` that round-trips, spelled by String(). */
  function reference(value: number): string {
    if (value === 0) return Object.is(value, -0) ? '-0' : '0';
    for (let p = 1; p < 9; p++) {
      const text = value.toPrecision(p);
      if (Math.fround(Number(text)) === value) return String(Number(text));
    }
    return String(Number(value.toPrecision(9)));
  }
  it('agrees with the toPrecision reference on edge values and random bit patterns', () => {
    const edge: number[] = [Math.fround(3.4028234663852886e38), 1.401298464324817e-45, 1.1754943508222875e-38];
    for (let k = -45; k <= 38; k++) {
      for (const m of [1, 2, 5, 9.999999, 1.5, 2.5, 0.5, 3.3333333, 1.25, 12.5]) edge.push(Math.fround(m * 10 ** k));
    }
    for (let i = 1; i < 2000; i++) edge.push(Math.fround(i), Math.fround(i / 1000), Math.fround(1 / i), Math.fround(i * 1e15), Math.fround(i * 1e-40));
    const bits = new Uint32Array(1);
    const view = new Float32Array(bits.buffer);
    let state = 12345;
    for (let i = 0; i < 30000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      bits[0] = state;
      if (Number.isFinite(view[0])) edge.push(view[0] as number);
    }
    let mismatches = 0;
    for (const x of edge) {
      if (formatFloat32(x) !== reference(x)) mismatches++;
      if (formatFloat32(-x) !== reference(-x)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('round trips', () => {
  it('every format saves and loads identical labels and float32 values (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(labelArbitrary, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(...FORMATS),
        fc.infiniteStream(fc.float({ noNaN: true, noDefaultInfinity: true })),
        async (labels, dim, format, values) => {
          const data = new Float32Array(labels.length * dim);
          const it = values[Symbol.iterator]();
          for (let i = 0; i < data.length; i++) data[i] = it.next().value as number;
          const path = file();
          await new Embeddings(labels, dim, data).save(path, { format });
          for (const loadFormat of ['auto', format] as const) {
            const loaded = await Embeddings.load(path, { format: loadFormat });
            expect(loaded.labels).toEqual(labels);
            expect(loaded.dim).toBe(dim);
            const got = loaded.toMatrix();
            for (let i = 0; i < data.length; i++) expect(Object.is(got[i], data[i])).toBe(true);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('gzipped files load and save transparently', async () => {
    const e = new Embeddings(['x', 'y'], 2, Float32Array.of(1, 2, 3, 4));
    const path = `${file()}.gz`;
    await e.save(path, { format: 'word2vec-text' });
    expect(readFileSync(path)[0]).toBe(0x1f); // gzip magic
    expect(Array.from((await Embeddings.load(path)).toMatrix())).toEqual([1, 2, 3, 4]);
  });

  it('writes the C tool\'s binary layout exactly', async () => {
    const path = file();
    await new Embeddings(['ab', 'c'], 2, Float32Array.of(1, -2, 0.5, 4)).save(path, { format: 'word2vec-binary' });
    expect(new Uint8Array(readFileSync(path))).toEqual(
      new Uint8Array(binaryFile('2 2\n', [{ word: 'ab', values: [1, -2] }, { word: 'c', values: [0.5, 4] }])),
    );
  });

  it('saving replaces the file atomically and leaves no temporary file', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const path = join(sub, 'model.txt');
    writeFileSync(path, 'old contents');
    await expect(new Embeddings(['has space'], 1, Float32Array.of(1)).save(path, { format: 'glove' })).rejects.toThrow(
      /"has space" \(row 0\).*whitespace/,
    );
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    await new Embeddings(['w'], 1, Float32Array.of(1)).save(path, { format: 'glove' });
    expect(readFileSync(path, 'utf8')).toBe('w 1\n');
    expect(readdirSync(sub)).toEqual(['model.txt']);
    await expect(new Embeddings(['w'], 1, Float32Array.of(1)).save(join(sub, 'no', 'such', 'dir'), { format: 'glove' })).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(['model.txt']);
  });

  it('a refused save names the file the user gave and the fix, not the temporary file', async () => {
    const sub = mkdtempSync(join(dir, 'refused-'));
    const e = new Embeddings(['w'], 1, Float32Array.of(1));
    const missing = join(sub, 'no-such-dir', 'model.txt');
    const noDir = await e.save(missing, { format: 'glove' }).catch((error: unknown) => error);
    expect(isEmbedkitError(noDir, 'WRITE_FAILED')).toBe(true);
    expect((noDir as Error).message).toBe(`Cannot write ${missing}: the directory ${join(sub, 'no-such-dir')} does not exist; create it or save elsewhere (ENOENT)`);
    const isDir = await e.save(sub, { format: 'glove' }).catch((error: unknown) => error);
    expect(isEmbedkitError(isDir, 'WRITE_FAILED')).toBe(true);
    expect((isDir as Error).message).toMatch(/^Cannot write .*refused-\w+: it is a directory; give a file name/);
    expect((isDir as Error).message).not.toContain('.tmp');
  });

  it('save requires an explicit format', async () => {
    const e = new Embeddings(['w'], 1, Float32Array.of(1));
    await expect(e.save(file(), undefined as never)).rejects.toThrow(RangeError);
    await expect(e.save(file(), { format: 'bin' as never })).rejects.toThrow(/'word2vec-binary'/);
  });
});

describe('reading', () => {
  it('auto-detects fastText .vec (trailing spaces), GloVe and CRLF text', async () => {
    const vec = await Embeddings.load(writeTemp('2 3 \nthe 0.1 0.2 0.3 \n, -1 -2 -3 \n'));
    expect(vec.labels).toEqual(['the', ',']);
    expect(Array.from(vec.get(',')!)).toEqual([-1, -2, -3]);
    const glove = await Embeddings.load(writeTemp('the 0.1 0.2\r\nof 1e-3 -4E2\r\n\r\n'));
    expect(glove.dim).toBe(2);
    expect(Array.from(glove.get('of')!)).toEqual([Math.fround(1e-3), -400]);
  });

  it('reads binary files without the newline after each vector (gensim writes none)', async () => {
    const path = writeTemp(binaryFile('2 2\n', [{ word: 'a', values: [1, 2] }, { word: 'b', values: [3, 4] }], ''));
    const e = await Embeddings.load(path);
    expect(e.labels).toEqual(['a', 'b']);
    expect(Array.from(e.toMatrix())).toEqual([1, 2, 3, 4]);
  });

  it('limit keeps the first N vectors and never reads the rest', async () => {
    const garbage = '\n' + 'this is not a vector file at all\n'.repeat(10);
    const text = await Embeddings.load(writeTemp('3 2\na 1 2\nb 3 4\nc 5 6' + garbage), { limit: 2 });
    expect(text.labels).toEqual(['a', 'b']);
    const glove = await Embeddings.load(writeTemp('a 1 2\nb 3 4\n' + garbage), { limit: 1 });
    expect(glove.labels).toEqual(['a']);
    const binary = binaryFile('3 2\n', [{ word: 'a', values: [1, 2] }, { word: 'b', values: [3, 4] }]);
    expect((await Embeddings.load(writeTemp(Buffer.concat([binary, Buffer.from(garbage)])), { limit: 2 })).labels).toEqual(['a', 'b']);
    // limit larger than the file is fine only when the file is complete.
    expect((await Embeddings.load(writeTemp('1 1\nz 1\n'), { limit: 5 })).size).toBe(1);
  });

  it('limit streams: a file too large to read whole is sampled from its head', async () => {
    // A sparse 16 GiB file: ten valid rows, then zeros. Reading it whole fails (Node cannot buffer
    // it) and parsing past the rows fails (NUL bytes), so only a loader that stops reading after
    // `limit` rows returns them.
    const dim = 50;
    const values = Array.from({ length: dim }, (_, j) => (j / 7).toFixed(4)).join(' ');
    const lines = [`1000000 ${dim}`];
    for (let r = 0; r < 10; r++) lines.push(`w${r} ${values}`);
    const path = writeTemp(lines.join('\n') + '\n');
    truncateSync(path, 16 * 2 ** 30);
    const e = await Embeddings.load(path, { limit: 10 });
    expect(e.labels).toEqual(Array.from({ length: 10 }, (_, r) => `w${r}`));
    expect(e.dim).toBe(dim);
  });

  it('applies the unicodeErrors policy to invalid UTF-8 words', async () => {
    // "caf\xC3" is "café" cut in the middle of its last character, as the C tool truncates words.
    const cut = Uint8Array.of(0x63, 0x61, 0x66, 0xc3);
    const cutOther = Uint8Array.of(0x63, 0x61, 0x66, 0xc2);
    const path = writeTemp(
      binaryFile('3 1\n', [{ word: 'ok', values: [1] }, { word: cut, values: [2] }, { word: cutOther, values: [3] }]),
    );
    const strict = await loadError(path, { unicodeErrors: 'strict' });
    expect(strict.code).toBe('INVALID_UTF8');
    expect(strict.message).toMatch(/byte offset 12.*unicodeErrors/);
    const warnings: string[] = [];
    const replaced = await Embeddings.load(path, { onWarning: (m) => warnings.push(m) });
    expect(replaced.labels).toEqual(['ok', 'caf\uFFFD']);
    expect(warnings.join()).toMatch(/skipped 1 word/);
    const ignored = await Embeddings.load(path, { unicodeErrors: 'ignore' });
    expect(ignored.labels).toEqual(['ok', 'caf']);
    expect(Array.from(ignored.toMatrix())).toEqual([1, 2]);
  });

  it('a directory is not a vector file', async () => {
    const error = await loadError(dir);
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toMatch(/is a directory/);
  });

  it('validates load options', async () => {
    await expect(Embeddings.load(file(), { limit: 0 })).rejects.toThrow(RangeError);
    await expect(Embeddings.load(file(), { format: 'bin' as never })).rejects.toThrow(RangeError);
    await expect(Embeddings.load(file(), { unicodeErrors: 'x' as never })).rejects.toThrow(RangeError);
  });
});

describe('bad input: typed errors naming the file, the place and the expectation', () => {
  const cases: { name: string; content: string | Uint8Array; code: VectorsErrorCode; message: RegExp; format?: VectorFormat }[] = [
    { name: 'missing file', content: '', code: 'FILE_NOT_FOUND', message: /no such file/ },
    { name: 'empty file', content: '', code: 'EMPTY_FILE', message: /empty/ },
    { name: 'whitespace only', content: ' \n\n', code: 'EMPTY_FILE', message: /empty/ },
    { name: 'header only', content: '2 3\n', code: 'HEADER_MISMATCH', message: /line 1: the header announces 2 vectors but the file ends after 0/ },
    { name: 'zero count', content: '0 3\n', code: 'EMPTY_FILE', message: /line 1.*0 vectors/ },
    { name: 'header count too large', content: '3 2\na 1 2\nb 3 4\n', code: 'HEADER_MISMATCH', message: /announces 3 vectors but the file ends after 2/ },
    { name: 'header count too small', content: '1 2\na 1 2\nb 3 4\n', code: 'HEADER_MISMATCH', message: /line 3: the header announces 1 vectors but the file has more/ },
    { name: 'header dim disagrees', content: '2 3\na 1 2\nb 3 4\n', code: 'HEADER_MISMATCH', message: /line 2: "a" has 2 values but the header says dim 3/ },
    { name: 'row with wrong count', content: '2 2\na 1 2\nb 3 4 5\n', code: 'WRONG_DIMENSION', message: /line 3: "b" has 3 values; expected 2/ },
    { name: 'GloVe row with wrong count', content: 'a 1 2\nb 3\n', code: 'WRONG_DIMENSION', message: /line 2: "b" has 1 values; expected 2/ },
    { name: 'non-numeric value', content: 'a 1 2\nb 3 x4\n', code: 'PARSE_ERROR', message: /line 2: value 2 of "b" is "x4"; expected a number/ },
    { name: 'hex is not a number', content: '1 2\na 0x10 2\n', code: 'PARSE_ERROR', message: /"0x10"; expected a number/, format: 'word2vec-text' },
    { name: 'NaN value', content: '2 2\na 1 2\nb nan 4\n', code: 'NON_FINITE_VALUE', message: /line 3: value 1 of "b" is nan; expected a finite number/ },
    { name: 'float32 overflow', content: 'a 1 2\nb 1e39 4\n', code: 'NON_FINITE_VALUE', message: /1e39 \(beyond the float32 range\)/ },
    { name: 'duplicate word', content: '3 1\na 1\nb 2\na 3\n', code: 'DUPLICATE_LABEL', message: /line 4: word "a" already appeared as vector #1/ },
    { name: 'neither header nor row', content: 'hello\nworld\n', code: 'UNKNOWN_FORMAT', message: /cannot tell the format/ },
    { name: 'bad header for explicit text', content: 'a 1 2\n', code: 'PARSE_ERROR', message: /line 1: expected a "count dim" header.*glove/, format: 'word2vec-text' },
    { name: 'dim out of range', content: '1 0\na\n', code: 'PARSE_ERROR', message: /dimension 0 is out of range/, format: 'word2vec-text' },
    {
      name: 'truncated binary (inside a vector)',
      content: binaryFile('2 2\n', [{ word: 'a', values: [1, 2] }, { word: 'b', values: [3, 4] }]).subarray(0, 22),
      code: 'TRUNCATED_FILE',
      message: /byte offset 15: the file ends inside vector #2: 5 of its 8 bytes/,
    },
    {
      name: 'truncated binary (inside a word)',
      content: Buffer.concat([binaryFile('2 1\n', [{ word: 'a', values: [1] }]), Buffer.from('wor')]),
      code: 'TRUNCATED_FILE',
      message: /ends inside the word of vector #2/,
    },
    {
      name: 'binary with fewer vectors than the header',
      content: binaryFile('3 1\n', [{ word: 'a', values: [1] }]),
      code: 'HEADER_MISMATCH',
      message: /announces 3 vectors but the file ends after 1/,
    },
    {
      name: 'binary with more vectors than the header',
      content: binaryFile('1 1\n', [{ word: 'a', values: [1] }, { word: 'b', values: [2] }]),
      code: 'HEADER_MISMATCH',
      message: /byte offset 11: the header announces 1 vectors but the file continues/,
    },
    {
      name: 'binary NaN',
      content: binaryFile('1 2\n', [{ word: 'a', values: [1, NaN] }]),
      code: 'NON_FINITE_VALUE',
      message: /byte offset 4: component 1 of "a" \(vector #1\) is NaN/,
    },
    {
      name: 'binary duplicate word',
      content: binaryFile('2 1\n', [{ word: 'a', values: [1] }, { word: 'a', values: [2] }]),
      code: 'DUPLICATE_LABEL',
      message: /byte offset 11: word "a" already appeared/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const path = c.code === 'FILE_NOT_FOUND' ? join(dir, 'does-not-exist.bin') : writeTemp(c.content, 'bad');
      const error = await loadError(path, c.format === undefined ? {} : { format: c.format });
      expect(error.code).toBe(c.code);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(c.message);
    });
  }
});

describe('fuzzing the loaders: they load finite vectors or throw a typed error, and never hang', () => {
  const CODES = new Set<string>([
    'EMPTY_FILE', 'PARSE_ERROR', 'HEADER_MISMATCH', 'WRONG_DIMENSION', 'TRUNCATED_FILE', 'INVALID_UTF8',
    'DUPLICATE_LABEL', 'NON_FINITE_VALUE', 'UNKNOWN_FORMAT',
    // A file that starts like a Python pickle (0x80, protocol byte) is refused as one, with the gensim export command.
    'UNSUPPORTED_FORMAT',
  ]);

  async function check(content: Uint8Array, options: Parameters<typeof Embeddings.load>[1] = {}): Promise<void> {
    const path = writeTemp(content, 'fuzz');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // A hang guard, not a speed test: far above any load of these tiny files, even on a loaded runner.
      timer = setTimeout(() => reject(new Error(`load hung on ${path}`)), 30_000);
    });
    try {
      const e = await Promise.race([Embeddings.load(path, options), timeout]);
      const data = e.toMatrix();
      for (let i = 0; i < data.length; i++) expect(Number.isFinite(data[i])).toBe(true);
      expect(data.length).toBe(e.size * e.dim);
      expect(e.size).toBeGreaterThan(0);
    } catch (error) {
      if (!(isEmbedkitError(error) && CODES.has(error.code))) throw error;
      expect(error.message).toContain(path);
    } finally {
      clearTimeout(timer);
    }
  }

  const validFiles = (async () => {
    const e = new Embeddings(['king', 'queen', 'man', 'woman', 'é'], 3, Float32Array.from({ length: 15 }, (_, i) => Math.sin(i) * 3));
    const out: Uint8Array[] = [];
    for (const format of FORMATS) {
      const path = file('valid');
      await e.save(path, { format });
      out.push(new Uint8Array(readFileSync(path)));
    }
    return out;
  })();

  const policy = fc.constantFrom<'strict' | 'replace' | 'ignore'>('strict', 'replace', 'ignore');
  const format = fc.constantFrom<'auto' | VectorFormat>('auto', 'auto', ...FORMATS);

  it('bytes that start like a pickle: the typed UNSUPPORTED_FORMAT (a counterexample fast-check found)', async () => {
    await check(Uint8Array.from([128, 2]), { format: 'auto', unicodeErrors: 'strict' });
    await expect(loadError(writeTemp(Uint8Array.from([128, 2]), 'fuzz'))).resolves.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), format, policy, async (bytes, f, u) => check(bytes, { format: f, unicodeErrors: u })),
      { numRuns: 300 },
    );
  });

  it('random headers followed by random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 31 }), fc.uint8Array({ maxLength: 200 }), format,
        async (count, dim, body, f) => check(Buffer.concat([Buffer.from(`${count} ${dim}\n`), body]), { format: f }),
      ),
      { numRuns: 200 },
    );
  });

  it('truncations, byte flips and inserted lines of valid files', async () => {
    const files = await validFiles;
    const corruption = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: fc.string({ maxLength: 30 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: files.length - 1 }), fc.array(corruption, { minLength: 1, maxLength: 3 }), format, async (which, edits, f) => {
        let bytes = files[which] as Uint8Array;
        for (const edit of edits) {
          const at = edit.at % (bytes.length + 1);
          if (edit.kind === 'truncate') bytes = bytes.slice(0, at);
          else if (edit.kind === 'flip') {
            bytes = bytes.slice();
            if (at < bytes.length) bytes[at] = edit.value;
          } else {
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(`${edit.line}\n`), bytes.subarray(at)]);
          }
        }
        await check(bytes, { format: f });
      }),
      { numRuns: 400 },
    );
  });

  it('gzip garbage', async () => {
    const path = `${file()}.gz`;
    writeFileSync(path, Buffer.concat([gzipSync('1 2\na 1 2\n').subarray(0, 15)]));
    const error = await loadError(path);
    expect(['PARSE_ERROR', 'EMPTY_FILE', 'TRUNCATED_FILE']).toContain(error.code);
  });
});
