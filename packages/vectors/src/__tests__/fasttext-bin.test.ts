/**
 * Agreement with Debian's fastText: models trained here with `/usr/bin/fasttext` on a small
 * generated corpus are loaded with `SubwordEmbeddings.loadFastText`, and every vector —
 * vocabulary words and out-of-vocabulary strings in Latin, accented, CJK and emoji script — is
 * compared with `fasttext print-word-vectors` on the same model. n-gram strings and their rows
 * are compared with `fasttext print-ngrams` for random strings. Skipped when fastText is absent.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubwordEmbeddings, formatFastTextFloat, formatFastTextVectorLine, readFastTextBin, writeFastTextBin } from '../index';

const FASTTEXT = '/usr/bin/fasttext';
const available = existsSync(FASTTEXT);

const dir = mkdtempSync(join(tmpdir(), 'embedkit-fasttext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny deterministic corpus mixing ASCII, accented, CJK and emoji "words" with shared parts. */
function corpus(seed: number): string {
  let state = seed >>> 0;
  const next = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const stems = ['walk', 'talk', 'jump', 'play', 'café', 'naïve', '中文', '東京', 'run', 'read', 'écrire', 'größe', 'ñandú', '😀ok'];
  const suffixes = ['', 's', 'ed', 'ing', 'er', 'é', '字', 'ção'];
  const lines: string[] = [];
  for (let l = 0; l < 250; l++) {
    const words: string[] = [];
    for (let w = 0; w < 12; w++) words.push(`${stems[next(stems.length)]}${suffixes[next(suffixes.length)]}`);
    lines.push(words.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

function fasttext(args: string[], input?: string): string {
  return execFileSync(FASTTEXT, args, { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
}

/** Trains a model; `-thread 10` because fastText 0.9.2 initialises one tenth of the input matrix per thread. */
function train(name: string, extra: string[]): string {
  const input = join(dir, `${name}.txt`);
  writeFileSync(input, corpus(7));
  const output = join(dir, name);
  fasttext(['skipgram', '-input', input, '-output', output, '-dim', '10', '-epoch', '1', '-bucket', '1000', '-minCount', '1', '-thread', '10', '-verbose', '0', ...extra]);
  return `${output}.bin`;
}

/** Out-of-vocabulary probes: misspellings, inflections, single characters, CJK, emoji, a 10,000-character word. */
const OOV = ['walkings', 'talkéd', 'zzz', 'é', 'a', 'ab', '中', '中文字字', '東京中文', 'ñandúes', 'größer', '😀', '😀😀ok', 'Straße', 'x'.repeat(40), 'naïveté', 'q', 'ab中é'.repeat(2500)];

/** Parses `word v1 … vd` lines. */
function parseLines(text: string): { word: string; values: string[] }[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const parts = line.trim().split(' ');
      return { word: parts[0] as string, values: parts.slice(1) };
    });
}

/** Half a unit in the 5th significant digit of a printed value: the most printing can hide. */
function printTolerance(printed: number): number {
  if (printed === 0) return 1e-9;
  return 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(printed))) - 4) * 1.0001;
}

describe.skipIf(!available)('fastText .bin models agree with Debian fastText', () => {
  let modelPath = '';
  let model: SubwordEmbeddings;
  beforeAll(async () => {
    modelPath = train('sg', ['-minn', '3', '-maxn', '6']);
    model = await SubwordEmbeddings.loadFastText(modelPath);
  }, 120_000);

  it('reads the arguments and dictionary', async () => {
    const raw = await readFastTextBin(modelPath);
    expect(raw.version).toBe(12);
    expect(raw.args).toMatchObject({ dim: 10, ws: 5, epoch: 1, minCount: 1, neg: 5, loss: 'ns', model: 'skipgram', bucket: 1000, minn: 3, maxn: 6 });
    expect(raw.settings).toEqual({ minN: 3, maxN: 6, buckets: 1000 });
    expect(raw.words[0]).toBe('</s>');
    expect(raw.words.length).toBe(model.size);
    expect(raw.input.length).toBe((model.size + 1000) * 10);
    // `fasttext dump model args` agrees.
    expect(fasttext(['dump', modelPath, 'args'])).toContain('bucket 1000');
  });

  it('print-word-vectors: every vocabulary word and OOV string, byte-identical output, within 1e-5', () => {
    const words = [...model.labels, ...OOV];
    const printed = parseLines(fasttext(['print-word-vectors', modelPath], `${words.join('\n')}\n`));
    expect(printed.length).toBe(words.length);
    let maxError = 0;
    let identical = 0;
    let components = 0;
    for (let i = 0; i < words.length; i++) {
      const entry = printed[i]!;
      expect(entry.word).toBe(words[i]);
      const ours = model.vectorFor(words[i]!);
      expect(entry.values.length).toBe(10);
      for (let j = 0; j < 10; j++) {
        const theirs = Number(entry.values[j]);
        const error = Math.abs((ours[j] as number) - theirs);
        maxError = Math.max(maxError, error);
        expect(error).toBeLessThanOrEqual(Math.max(1e-5, printTolerance(theirs)));
        if (formatFastTextFloat(ours[j] as number) === entry.values[j]) identical++;
        components++;
      }
    }
    // The agreement figures, for the record (reported by the issue).
    console.log(`print-word-vectors: ${words.length} words (${OOV.length} OOV), ${components} components, ` +
      `${identical} printed identically, max |ours − printed| = ${maxError.toExponential(2)}`);
    expect(identical).toBe(components);
  });

  it('formats lines exactly as print-word-vectors does', () => {
    const words = ['walk', 'zzz', '中文字字'];
    const theirs = fasttext(['print-word-vectors', modelPath], `${words.join('\n')}\n`);
    const ours = words.map((w) => `${formatFastTextVectorLine(w, model.vectorFor(w))}\n`).join('');
    expect(ours).toBe(theirs);
  });

  it('property: n-gram strings and rows of random strings equal print-ngrams', () => {
    const alphabet = ['a', 'b', 'z', 'é', 'ß', 'ñ', '中', '文', '😀', 'Ω', '<', '>', 'q'];
    const word = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 9 }).map((chars) => chars.join(''));
    let checked = 0;
    fc.assert(
      fc.property(word, (w) => {
        const lines = parseLines(fasttext(['print-ngrams', modelPath, w]));
        const known = model.has(w);
        const ngrams = model.ngrams(w);
        const rows = model.subwordRows(w);
        // print-ngrams lists the word itself first when it is in the vocabulary.
        expect(lines.map((l) => l.word)).toEqual(known ? [w, ...ngrams] : ngrams);
        expect(rows.length).toBe(lines.length);
        for (let k = 0; k < lines.length; k++) {
          const row = model.inputRow(rows[k]!);
          const printed = lines[k]!.values.map(Number);
          for (let j = 0; j < 10; j++) expect(Math.abs(row[j]! - printed[j]!)).toBeLessThanOrEqual(printTolerance(printed[j]!));
          checked++;
        }
      }),
      { numRuns: 15, seed: 20261128 },
    );
    expect(checked).toBeGreaterThan(40);
  }, 120_000);

  it('nn: the same neighbours and similarities as fastText nn', () => {
    const queries = ['walking', 'café', '中文字', 'walkings', '東京中文'];
    const output = fasttext(['nn', modelPath, '5'], `${queries.join('\n')}\n`);
    const blocks = output.split('Query word? ').slice(1, 1 + queries.length);
    for (let q = 0; q < queries.length; q++) {
      const theirs = parseLines(blocks[q]!).map((l) => ({ label: l.word, similarity: Number(l.values[0]) }));
      const ours = model.mostSimilar({ positive: [queries[q]!], topN: 5 });
      expect(ours.map((n) => n.label)).toEqual(theirs.map((n) => n.label));
      for (let k = 0; k < 5; k++) expect(Math.abs(ours[k]!.similarity - theirs[k]!.similarity)).toBeLessThan(2e-5);
    }
  });

  it('agrees with minn 1 / maxn 2 (the CJK setting) and with n-grams off (maxn 0)', async () => {
    for (const extra of [['-minn', '1', '-maxn', '2'], ['-maxn', '0']]) {
      const path = train(`sg-${extra.join('')}`, extra);
      const m = await SubwordEmbeddings.loadFastText(path);
      const words = [...m.labels.slice(0, 20), ...OOV];
      const printed = parseLines(fasttext(['print-word-vectors', path], `${words.join('\n')}\n`));
      for (let i = 0; i < words.length; i++) {
        expect(printed[i]!.values.join(' ')).toBe(Array.from(m.vectorFor(words[i]!), (v) => formatFastTextFloat(v)).join(' '));
      }
      if (extra[1] === '0') {
        expect(m.buckets).toBe(0);
        expect(m.vectorFor('zzz').every((v) => v === 0)).toBe(true);
      }
    }
  }, 120_000);

  it('writes .bin files fastText loads: reading and writing back gives the same bytes', async () => {
    const raw = await readFastTextBin(modelPath, { output: true });
    expect(raw.output!.length).toBe(raw.outputRows * 10);
    const path = join(dir, 'rewritten.bin');
    await writeFastTextBin(path, { ...raw, output: raw.output! });
    expect(readFileSync(path).equals(readFileSync(modelPath))).toBe(true);
    // Changed rows show up in fastText's own output.
    const input = raw.input.slice();
    for (let i = 0; i < input.length; i++) input[i] = Math.fround(input[i]! * 2 + 0.001);
    await writeFastTextBin(path, { ...raw, input, output: raw.output! });
    const changed = await SubwordEmbeddings.loadFastText(path);
    const words = ['walk', 'zzz', '中文字字'];
    const printed = parseLines(fasttext(['print-word-vectors', path], `${words.join('\n')}\n`));
    words.forEach((w, i) => expect(printed[i]!.values.join(' ')).toBe(Array.from(changed.vectorFor(w), (v) => formatFastTextFloat(v)).join(' ')));
  });

  it('round-trips through the embedkit model file identically', async () => {
    const path = join(dir, 'copy.ekft');
    await model.saveModel(path);
    const back = await SubwordEmbeddings.load(path);
    expect(back.labels).toEqual(model.labels);
    expect(back.settings).toEqual(model.settings);
    expect(back.toInputMatrix()).toEqual(model.toInputMatrix());
    for (const w of OOV) expect(back.vectorFor(w)).toEqual(model.vectorFor(w));
  });

  it('SubwordEmbeddings.load tells fastText .bin from other files', async () => {
    const loaded = await SubwordEmbeddings.load(modelPath);
    expect(loaded.vectorFor('zzz')).toEqual(model.vectorFor('zzz'));
    const vec = modelPath.replace(/\.bin$/, '.vec');
    await expect(SubwordEmbeddings.load(vec)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });

  it('refuses a quantized model with a clear "not supported yet"', async () => {
    const input = join(dir, 'sup.txt');
    writeFileSync(input, '__label__a hello world again\n__label__b foo bar baz\n'.repeat(20));
    const output = join(dir, 'sup');
    fasttext(['supervised', '-input', input, '-output', output, '-dim', '10', '-epoch', '1', '-minCount', '1', '-minn', '2', '-maxn', '4', '-bucket', '1000', '-verbose', '0']);
    fasttext(['quantize', '-input', input, '-output', output]);
    const error = await SubwordEmbeddings.load(`${output}.ftz`).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'NOT_SUPPORTED')).toBe(true);
    expect((error as Error).message).toMatch(/quantized.*not supported yet/);
    // The supervised .bin itself loads (its labels are not words), and agrees on words.
    const sup = await SubwordEmbeddings.loadFastText(`${output}.bin`);
    expect([...sup.labels].sort()).toEqual(['</s>', 'again', 'bar', 'baz', 'foo', 'hello', 'world']);
    const printed = parseLines(fasttext(['print-word-vectors', `${output}.bin`], 'hello\nhel\n'));
    expect(printed[1]!.values.join(' ')).toBe(Array.from(sup.vectorFor('hel'), (v) => formatFastTextFloat(v)).join(' '));
  }, 60_000);

  it('names the byte offset of a truncated or corrupt file', async () => {
    const bytes = readFileSync(modelPath);
    // Cut inside the args, the dictionary, the input matrix and the output matrix.
    for (const cut of [6, 40, 100, 2000, bytes.length - 7]) {
      const path = join(dir, `cut-${cut}.bin`);
      writeFileSync(path, bytes.subarray(0, cut));
      const error = await SubwordEmbeddings.loadFastText(path).catch((e: unknown) => e);
      expect(isEmbedkitError(error)).toBe(true);
      expect(['TRUNCATED_FILE', 'UNKNOWN_FORMAT']).toContain((error as { code: string }).code);
      if (cut >= 8) {
        expect((error as { code: string }).code).toBe('TRUNCATED_FILE');
        expect((error as Error).message).toMatch(/byte \d+/);
      }
    }
    // A wrong dimension in the matrix header.
    const path = join(dir, 'corrupt.bin');
    copyFileSync(modelPath, path);
    const corrupt = readFileSync(path);
    corrupt.writeInt32LE(11, 8); // args.dim
    writeFileSync(path, corrupt);
    const error = await SubwordEmbeddings.loadFastText(path).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'CORRUPT_MODEL')).toBe(true);
    expect((error as Error).message).toMatch(/byte \d+/);
    // Another version.
    const versioned = Buffer.from(bytes);
    versioned.writeInt32LE(13, 4);
    writeFileSync(path, versioned);
    await expect(SubwordEmbeddings.loadFastText(path)).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION' });
  });
});

describe('without fastText', () => {
  it('a missing model file is FILE_NOT_FOUND', async () => {
    await expect(readFastTextBin(join(dir, 'nope.bin'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
