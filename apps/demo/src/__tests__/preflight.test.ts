/**
 * Issue 18's regression cases for the checks before long work: a bad output path, an output that
 * is an input, a missing input, the vocabulary and memory line, and the -threads warning. Each is
 * run through the real dispatcher, as a user types it.
 */
import { existsSync } from 'node:fs';
import { link, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportModelSize, warnAboutThreads } from '../cli/preflight';
import { captureIo, runCommandLine as run } from './io';

let dir = '';
let corpus = '';
let corpusText = '';
let events = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-preflight-'));
  corpus = join(dir, 'corpus.txt');
  const words = ['king', 'queen', 'prince', 'apple', 'banana', 'cherry'];
  corpusText = Array.from({ length: 200 }, (_, i) => Array.from({ length: 8 }, (_, j) => words[(i * 7 + j * 3) % 6]).join(' ')).join('\n') + '\n';
  await writeFile(corpus, corpusText);
  events = join(dir, 'events.csv');
  const rows = ['user,item,time'];
  for (let u = 0; u < 30; u++) for (let t = 0; t < 6; t++) rows.push(`u${u},i${(u + t) % 10},${1000 + t * 60}`);
  await writeFile(events, rows.join('\n') + '\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asserts the run failed before reading the corpus, with exactly one line naming `flag`. */
function expectRefused(result: { code: number; err: string; out: string }, flag: string, fix: string | RegExp): void {
  expect(result.code, result.err).toBe(1);
  const lines = result.err.trim().split('\n');
  expect(lines, result.err).toHaveLength(1);
  expect(lines[0]).toContain(flag);
  if (typeof fix === 'string') expect(lines[0]).toContain(fix);
  else expect(lines[0]).toMatch(fix);
  // Nothing was read or trained, and no internal temporary file is named.
  expect(result.err).not.toMatch(/Vocab size|Number of words|Read \d|Alpha:|iter:/);
  expect(result.err).not.toContain('.tmp');
}

const small = ['-min-count', '1', '-size', '4', '-iter', '1', '-threads', '1'];

describe('the output path is checked before any training (issue 18, item 2)', () => {
  const missing = () => join(dir, 'no-such-dir', 'out.vec');
  const cases: [string, () => string[], string][] = [
    ['word2vec', () => ['word2vec', '-train', corpus, '-output', missing(), ...small], '-output'],
    ['glove', () => ['glove', '-train', corpus, '-output', missing(), ...small], '-output'],
    ['cooccur', () => ['cooccur', '-train', corpus, '-output', missing(), '-min-count', '1'], '-output'],
    ['tfjs', () => ['tfjs', '-train', corpus, '-output', missing(), '-min-count', '1', '-backend', 'cpu'], '-output'],
    ['fasttext skipgram', () => ['fasttext', 'skipgram', '-input', corpus, '-output', join(dir, 'no-such-dir', 'model'), '-minCount', '1'], '-output'],
    ['vocab -save-vocab', () => ['vocab', '-train', corpus, '-save-vocab', missing()], '-save-vocab'],
    ['word2vec -save-vocab', () => ['word2vec', '-train', corpus, '-output', join(dir, 'ok.vec'), '-save-vocab', missing(), ...small], '-save-vocab'],
    ['convert', () => ['convert', '--from', corpus, '--to', missing()], '--to'],
    ['item2vec train', () => ['item2vec', 'train', '--events', events, '--user-column', 'user', '--item-column', 'item', '--time-column', 'time', '--output', missing()], '--output'],
  ];
  for (const [name, argv, flag] of cases) {
    it(`${name}: a missing directory fails at once, naming ${flag} and mkdir -p`, async () => {
      const result = await run(argv());
      expectRefused(result, `${flag} ${join(dir, 'no-such-dir')}`, `does not exist; create it (mkdir -p ${join(dir, 'no-such-dir')}) or choose another ${flag}`);
    });
  }

  it('an output that is a directory fails at once (word2vec, glove, convert)', async () => {
    for (const argv of [
      ['word2vec', '-train', corpus, '-output', dir, ...small],
      ['glove', '-train', corpus, '-output', `${dir}/`, ...small],
      ['convert', '--from', corpus, '--to', dir],
    ]) {
      const result = await run(argv);
      expectRefused(result, dir, `give a file name such as ${dir}/vectors.txt`);
    }
  });

  it('an output below a file, or a device, fails at once', async () => {
    expectRefused(await run(['word2vec', '-train', corpus, '-output', join(corpus, 'x.vec'), ...small]), '-output', `${corpus} is a file, not a directory`);
    if (existsSync('/dev/null')) {
      expectRefused(await run(['word2vec', '-train', corpus, '-output', '/dev/null', ...small]), '-output /dev/null', 'not a regular file');
    }
  });

  it('fasttext refuses a directory as its -output PREFIX (it would write DIR.vec beside it)', async () => {
    expectRefused(await run(['fasttext', 'skipgram', '-input', corpus, '-output', dir, '-minCount', '1']), `-output ${dir}: is a directory, and -output is a prefix`, `give ${join(dir, 'model')} to write`);
    expect(existsSync(`${dir}.vec`)).toBe(false);
  });

  it('convert --format spark writes a directory: its parent is checked, and it may not replace --from', async () => {
    const vectors = join(dir, 'spark-source.vec');
    await writeFile(vectors, '2 2\nw 1 2\nv 3 4\n');
    const model = join(dir, 'spark-out');
    expect((await run(['convert', '--from', vectors, '--to', `${model}/`, '--format', 'spark'])).code).toBe(0);
    expect((await run(['convert', '--from', model, '--to', join(dir, 'from-spark.vec')])).code).toBe(0);
    expectRefused(await run(['convert', '--from', model, '--to', model, '--format', 'spark']), `--to ${model} is the --from file`, 'choose another --to');
    expectRefused(await run(['convert', '--from', vectors, '--to', join(dir, 'no-such-dir', 'model'), '--format', 'spark']), '--to', 'mkdir -p');
    expectRefused(await run(['convert', '--from', model, '--to', vectors, '--format', 'spark']), `--to ${vectors}: is a file, and this output is a directory`, 'choose another --to');
  });

  it('main refuses an --output-dir that is a file', async () => {
    expectRefused(await run(['main', '--output-dir', corpus]), `--output-dir ${corpus}`, 'is a file, not a directory');
  });

  it('a missing or unreadable input fails before anything is written', async () => {
    const output = join(dir, 'never.vec');
    expectRefused(await run(['word2vec', '-train', join(dir, 'nope.txt'), '-output', output, ...small]), '-train', 'no such file');
    expectRefused(await run(['cooccur', '-train', dir, '-output', output]), `-train ${dir}`, 'is a directory');
    expectRefused(await run(['word2vec', '-train', corpus, '-read-vocab', join(dir, 'nope.voc'), '-output', output, ...small]), '-read-vocab', 'no such file');
    expect(existsSync(output)).toBe(false);
  });
});

describe('an output never replaces an input (issue 18, item 3)', () => {
  it('-train F -output F is refused and the corpus is kept (word2vec, cooccur, glove)', async () => {
    for (const command of ['word2vec', 'cooccur', 'glove']) {
      const result = await run([command, '-train', corpus, '-output', corpus, '-min-count', '1']);
      expectRefused(result, `-output ${corpus} is the -train file`, 'writing it would destroy the input; choose another -output');
    }
    expect(await readFile(corpus, 'utf8')).toBe(corpusText);
  });

  it('a hard link or a symlink to the corpus is caught too', async () => {
    const hard = join(dir, 'hard.txt');
    const soft = join(dir, 'soft.txt');
    await link(corpus, hard);
    await symlink(corpus, soft);
    expectRefused(await run(['word2vec', '-train', corpus, '-output', hard, ...small]), `-output ${hard} is a link to the -train file`, 'choose another -output');
    expectRefused(await run(['cooccur', '-train', soft, '-output', corpus, '-min-count', '1']), `-output ${corpus} is the -train file ${soft}`, 'choose another -output');
    expectRefused(await run(['word2vec', '-train', soft, '-output', join(dir, 'x.vec'), '-save-vocab', soft, ...small]), '-save-vocab', 'is the -train file');
    expect(await readFile(corpus, 'utf8')).toBe(corpusText);
  });

  it('convert --from F --to F, fasttext -input P.vec -output P and -output F -save-vocab F are refused', async () => {
    const vectors = join(dir, 'same.vec');
    await writeFile(vectors, '1 2\nw 1 2\n');
    expectRefused(await run(['convert', '--from', vectors, '--to', vectors]), `--to ${vectors} is the --from file`, 'choose another --to');
    expectRefused(await run(['fasttext', 'skipgram', '-input', vectors, '-output', join(dir, 'same'), '-minCount', '1']), '-output', 'is the -input file');
    expect(await readFile(vectors, 'utf8')).toBe('1 2\nw 1 2\n');
    const both = join(dir, 'both.txt');
    expectRefused(await run(['word2vec', '-train', corpus, '-output', both, '-save-vocab', both, ...small]), '-save-vocab', 'name the same file');
  });
});

describe('vocabulary and memory before training (issue 18, item 2)', () => {
  it('word2vec and fasttext print the vocabulary and the memory the model needs before the first progress line', async () => {
    const output = join(dir, 'mem.vec');
    const result = await run(['word2vec', '-train', corpus, '-output', output, ...small]);
    expect(result.code, result.err).toBe(0);
    const line = /Vocabulary: 6 words, 1,600 tokens; the model needs ~\d+ MiB \(2 matrices of 6 × 4 float32\); [\d.]+ GiB of memory free/;
    expect(result.err).toMatch(line);
    expect(result.err.search(line)).toBeLessThan(result.err.indexOf('Alpha:'));
    const fasttext = await run(['fasttext', 'skipgram', '-input', corpus, '-output', join(dir, 'ft'), '-minCount', '1', '-dim', '4', '-bucket', '100', '-epoch', '1', '-thread', '1']);
    expect(fasttext.code, fasttext.err).toBe(0);
    expect(fasttext.err).toMatch(/Vocabulary: 6 words, 1,600 tokens; the model needs ~\d+ MiB \(2 matrices of 6 × 4 float32 \+ 100 n-gram rows\)/);
  });

  it('glove, cooccur and tfjs print theirs too', async () => {
    for (const argv of [
      ['glove', '-train', corpus, '-output', join(dir, 'g.txt'), ...small],
      ['cooccur', '-train', corpus, '-output', join(dir, 'c.txt'), '-min-count', '1', '-size', '4'],
      ['tfjs', '-train', corpus, '-output', join(dir, 't.txt'), '-min-count', '1', '-size', '4', '-iter', '1', '-backend', 'cpu'],
    ]) {
      const result = await run(argv);
      expect(result.code, result.err).toBe(0);
      expect(result.err).toMatch(/Vocabulary: 6 words, 1,600 tokens; the model needs ~\d+ MiB/);
    }
  });

  it('a fastText n-gram matrix larger than the memory is refused before the corpus is read, naming -bucket', async () => {
    const result = await run(['fasttext', 'skipgram', '-input', corpus, '-output', join(dir, 'huge'), '-bucket', '1000000000', '-dim', '10000']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/The model needs ~\d+ GiB but only [\d.]+ GiB of memory can be used on this machine; make it smaller with -bucket or -dim \[NOT_ENOUGH_MEMORY\]/);
    expect(result.err).not.toContain('Number of words');
    expect(result.err).not.toMatch(/subwords|maxMemoryBytes/);
  });

  it('reportModelSize refuses a model over the limit, naming the flags that shrink it', () => {
    const io = captureIo();
    const size = { words: 3_000_000, tokens: 1e9, bytes: 2.4e9, detail: '2 matrices of 3,000,000 × 100 float32', smaller: '-size or -min-count' };
    let error: unknown;
    try {
      reportModelSize(io.context, size, 1e9);
    } catch (e) {
      error = e;
    }
    expect(isEmbedkitError(error, 'NOT_ENOUGH_MEMORY')).toBe(true);
    expect((error as Error).message).toBe('The model needs ~2.24 GiB but only 0.93 GiB of memory can be used on this machine; make it smaller with -size or -min-count');
    expect(io.err()).toContain('Vocabulary: 3,000,000 words, 1,000,000,000 tokens; the model needs ~2.24 GiB (2 matrices of 3,000,000 × 100 float32)');
    expect(() => reportModelSize(captureIo().context, size, 3e9)).not.toThrow();
  });
});

describe('word2vec without -output, and -threads above the cores (issue 18, item 6)', () => {
  it('word2vec without -output or -save-vocab is refused with exit code 2 instead of training for nothing', async () => {
    const result = await run(['word2vec', '-train', corpus, '-min-count', '1']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Missing -output FILE: without it nothing would be written');
    expect(result.err).not.toContain('Vocab size');
  });

  it('word2vec -save-vocab alone builds the vocabulary and says that it did not train', async () => {
    const saved = join(dir, 'only.voc');
    const result = await run(['word2vec', '-train', corpus, '-min-count', '1', '-save-vocab', saved]);
    expect(result.code).toBe(0);
    expect(result.err).toContain(`Saved the vocabulary to ${saved}; no -output, so no training`);
    expect((await readFile(saved, 'utf8')).split('\n')[0]).toBe('</s> 200');
  });

  it('warns once when -threads exceeds the cores, and not otherwise', async () => {
    const cores = availableParallelism();
    const result = await run(['word2vec', '-train', corpus, '-output', join(dir, 'threads.vec'), '-min-count', '1', '-size', '4', '-iter', '1', '-threads', String(cores + 1)]);
    expect(result.code, result.err).toBe(0);
    expect(result.err.match(/warning: -threads/g)).toHaveLength(1);
    expect(result.err).toContain(`warning: -threads ${cores + 1} is more than the ${cores} core`);
    const io = captureIo();
    warnAboutThreads(io.context, '-thread', 4, 4);
    warnAboutThreads(io.context, '-thread', 5, 4);
    expect(io.err()).toBe('warning: -thread 5 is more than the 4 cores of this machine: training will not be faster, often slower (-thread 4)\n');
  });
});

const ENWIKI = '/work/shared/data/enwiki/enwiki-text8like.txt';

describe.skipIf(!existsSync(ENWIKI))('the full English corpus (82 MB): a bad output fails without training', () => {
  it('a missing output directory and -output equal to -train fail before the vocabulary pass', async () => {
    const sub = await mkdtemp(join(dir, 'enwiki-'));
    for (const command of ['word2vec', 'glove', 'cooccur']) {
      expectRefused(await run([command, '-train', ENWIKI, '-output', join(sub, 'no-such-dir', 'vectors.txt')]), '-output', 'mkdir -p');
      expectRefused(await run([command, '-train', ENWIKI, '-output', ENWIKI]), `-output ${ENWIKI} is the -train file`, 'choose another -output');
    }
    expectRefused(await run(['fasttext', 'skipgram', '-input', ENWIKI, '-output', join(sub, 'no-such-dir', 'model')]), '-output', 'mkdir -p');
    expect(await readdir(sub)).toEqual([]);
  });
});
