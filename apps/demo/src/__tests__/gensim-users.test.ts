/**
 * Regression cases of issue 18, "what a gensim user reaches for": `similar` with negative words,
 * continuing training from a saved model, and gensim's own `.model` files. Where gensim is
 * installed (`/usr/bin/python3 -c 'import gensim'`; CI installs python3-gensim) the answers are
 * compared with gensim's; otherwise those cases are skipped with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Embeddings } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as run } from './io';

const PYTHON = '/usr/bin/python3';
const hasGensim = spawnSync(PYTHON, ['-c', 'import gensim'], { stdio: 'ignore' }).status === 0;
if (!hasGensim) {
  console.warn(`gensim comparisons skipped: "${PYTHON} -c 'import gensim'" failed (apt-get install -y python3-gensim)`);
}

/** Runs a Python program with gensim; `args` are its sys.argv[1:]. */
function python(program: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', program, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

let dir = '';
let vectors = '';
let corpus = '';
let newCorpus = '';

/** Sentences of 8 words from one of `topics`, chosen by a fixed generator. */
function topicText(topics: string[][], lines: number, seed: number): string {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const topic = topics[i % topics.length]!;
    out.push(Array.from({ length: 8 }, () => topic[Math.floor(next() * topic.length)]!).join(' '));
  }
  return out.join('\n') + '\n';
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedkit-gensim-users-'));
  // Random unit-scale vectors: no two queries share their answers by accident.
  vectors = join(dir, 'random.txt');
  const labels = ['king', 'queen', 'man', 'woman', 'boy', 'girl', ...Array.from({ length: 194 }, (_, i) => `w${i}`)];
  const dim = 16;
  const data = new Float32Array(labels.length * dim);
  let state = 2024;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = state / 2 ** 32 - 0.5;
  }
  await new Embeddings(labels, dim, data).save(vectors, { format: 'word2vec-text' });
  const royals = ['king', 'queen', 'prince', 'princess', 'crown', 'throne'];
  const fruit = ['apple', 'banana', 'cherry', 'grape', 'lemon', 'melon'];
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, topicText([royals, fruit], 1200, 7));
  // The same topics plus words the first corpus never had.
  newCorpus = join(dir, 'new-corpus.txt');
  await writeFile(newCorpus, topicText([royals, fruit, ['kiwi', 'mango', 'papaya']], 900, 11));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('similar WORD… --negative WORD… (gensim most_similar positive/negative)', () => {
  const argv = () => ['similar', '--vectors', vectors, 'king', 'woman', '--negative', 'man', '--negative', 'boy', '--topn', '8', '--json'];

  it('subtracts the negative words and leaves every query word out of the answers', async () => {
    const result = await run(argv());
    expect(result.err).not.toMatch(/Unknown option/);
    expect(result.code).toBe(0);
    const answers = JSON.parse(result.out.trim()) as { label: string; similarity: number }[];
    const loaded = await Embeddings.load(vectors);
    const expected = loaded.mostSimilar({ positive: ['king', 'woman'], negative: ['man', 'boy'], topN: 8 });
    expect(answers.map((a) => a.label)).toEqual(expected.map((n) => n.label));
    expect(answers.map((a) => a.label)).not.toEqual(loaded.mostSimilar({ positive: ['king', 'woman'], topN: 8 }).map((n) => n.label));
    for (const word of ['king', 'woman', 'man', 'boy']) expect(answers.map((a) => a.label)).not.toContain(word);
    const table = await run(['similar', '--vectors', vectors, 'king', '--negative', 'man', '--topn', '3']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('Word: man  Position in vocabulary: 2  (negative)');
  });

  it('negative words alone answer once (gensim allows positive=[])', async () => {
    const result = await run(['similar', '--vectors', vectors, '--negative', 'queen', '--topn', '3', '--json']);
    expect(result.code).toBe(0);
    const answers = JSON.parse(result.out.trim()) as { label: string }[];
    const loaded = await Embeddings.load(vectors);
    expect(answers.map((a) => a.label)).toEqual(loaded.mostSimilar({ negative: ['queen'], topN: 3 }).map((n) => n.label));
  });

  it.skipIf(!hasGensim)('gives gensim\'s answers and scores', async () => {
    const result = await run(argv());
    expect(result.code).toBe(0);
    const ours = JSON.parse(result.out.trim()) as { label: string; similarity: number }[];
    const theirs = JSON.parse(
      python(
        [
          'import json, sys',
          'from gensim.models import KeyedVectors',
          'kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=False)',
          "print(json.dumps(kv.most_similar(positive=['king', 'woman'], negative=['man', 'boy'], topn=8)))",
        ].join('\n'),
        vectors,
      ),
    ) as [string, number][];
    expect(ours.map((a) => a.label)).toEqual(theirs.map((t) => t[0]));
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]!.similarity - theirs[i]![1])).toBeLessThan(1e-6);
  });
});

describe('gensim .model files (Python pickles) get gensim\'s export command, not a parse error', () => {
  it('convert and similar name the pickle and the fix in one line (exit 1)', async () => {
    const fake = join(dir, 'fake.model');
    await writeFile(fake, Buffer.concat([Buffer.from([0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c, 22]), Buffer.from('gensim.models.word2vec'), Buffer.from([0x94, 0x8c, 8]), Buffer.from('Word2Vec'), Buffer.alloc(200, 0x94)]));
    for (const argv of [['convert', '--from', fake, '--to', join(dir, 'out.txt')], ['similar', '--vectors', fake, 'king']]) {
      const result = await run(argv);
      expect(result.code).toBe(1);
      const lines = result.err.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('is a Python pickle (protocol 4), a gensim Word2Vec model');
      expect(lines[0]).toContain(`python3 -c "from gensim.utils import SaveLoad; m = SaveLoad.load('${fake}'); getattr(m, 'wv', m).save_word2vec_format('${join(dir, 'fake.bin')}', binary=True)"`);
    }
  });

  it.skipIf(!hasGensim)('a model saved by gensim: convert refuses it, and the command it prints makes a file convert reads', async () => {
    const model = join(dir, 'trained.model');
    python(
      [
        'import sys',
        'from gensim.models import Word2Vec',
        "s = [['king', 'queen', 'crown'] * 4, ['apple', 'pear', 'plum'] * 4] * 30",
        'Word2Vec(s, vector_size=12, min_count=1, epochs=2, workers=1, seed=5).save(sys.argv[1])',
      ].join('\n'),
      model,
    );
    const refused = await run(['convert', '--from', model, '--to', join(dir, 'trained.txt')]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('a gensim Word2Vec model (gensim.models.word2vec.Word2Vec)');
    const command = /python3 -c "(.*)"/.exec(refused.err)![1]!;
    execFileSync(PYTHON, ['-c', command], { stdio: 'ignore' });
    const converted = await run(['convert', '--from', join(dir, 'trained.bin'), '--to', join(dir, 'trained.txt')]);
    expect(converted.code).toBe(0);
    expect(converted.err).toContain('Converted 6 vectors × 12 dimensions');
  });
});

describe('word2vec -save-model / -init-model: continue training (gensim save, load, train)', () => {
  const common = ['-size', '16', '-window', '3', '-min-count', '1', '-threads', '1', '-sample', '0', '-seed', '3'];

  it('saves both matrices, continues on the same and on a new corpus, and tells what the fixed vocabulary skipped', async () => {
    const model = join(dir, 'model.ek2m');
    const first = await run(['word2vec', '-train', corpus, '-output', join(dir, 'v1.txt'), '-cbow', '0', '-hs', '1', '-iter', '2', '-save-model', model, ...common]);
    expect(first.err).not.toMatch(/Unknown option/);
    expect(first.code).toBe(0);
    expect(first.err).toContain(`the model to ${model} (2 epochs in all)`);
    expect((await readFile(model)).subarray(0, 4).toString('latin1')).toBe('EK2M');

    // The same corpus: flags left out (-cbow 0, -hs 1, -size 16) are the model's.
    const again = await run(['word2vec', '-train', corpus, '-output', join(dir, 'v2.txt'), '-init-model', model, '-iter', '2', '-threads', '1', '-save-model', join(dir, 'model4.ek2m')]);
    expect(again.code).toBe(0);
    expect(again.err).toContain(`Continuing ${model}: skip-gram, -size 16, -negative 5 -hs 1, 2 epochs trained so far`);
    expect(again.err).toContain('Every word of the training file is in the vocabulary');
    expect(again.err).toContain('(4 epochs in all)');
    const v1 = await Embeddings.load(join(dir, 'v1.txt'));
    const v2 = await Embeddings.load(join(dir, 'v2.txt'));
    expect(v2.labels).toEqual(v1.labels);
    expect(v2.toMatrix()).not.toEqual(v1.toMatrix());
    expect(v2.mostSimilar({ positive: ['king'], topN: 4 }).map((n) => n.label).every((w) => ['queen', 'prince', 'princess', 'crown', 'throne'].includes(w))).toBe(true);

    // Deterministic with -threads 1 and a seed.
    const repeat = await run(['word2vec', '-train', corpus, '-output', join(dir, 'v2b.txt'), '-init-model', model, '-iter', '2', '-threads', '1']);
    expect(repeat.code).toBe(0);
    expect(await readFile(join(dir, 'v2b.txt'), 'utf8')).toBe(await readFile(join(dir, 'v2.txt'), 'utf8'));

    // A new corpus: its new words are counted and skipped, the vocabulary stays the model's.
    const next = await run(['word2vec', '-train', newCorpus, '-output', join(dir, 'v3.txt'), '-init-model', model, '-iter', '1', '-threads', '1']);
    expect(next.code).toBe(0);
    expect(next.err).toMatch(/The vocabulary of .*model\.ek2m \(12 words\) is kept: 3 words of the training file \(\d[\d,]* tokens; 3 of them at least -min-count 5 times\) are not in it and were skipped/);
    expect((await Embeddings.load(join(dir, 'v3.txt'))).labels).toEqual(v1.labels);
  });

  it('refuses a flag that contradicts the model before reading or training, naming the flag', async () => {
    const model = join(dir, 'cbow.ek2m');
    expect((await run(['word2vec', '-train', corpus, '-save-model', model, '-iter', '1', ...common])).code).toBe(0);
    for (const [flags, named] of [
      [['-size', '32'], '-size 32 does not match the model of -init-model'],
      [['-cbow', '0'], '-cbow 0 does not match'],
      [['-hs', '1'], '-hs 1 does not match'],
      [['-negative', '0', '-hs', '1'], '-hs 1 does not match'],
      [['-read-vocab', join(dir, 'any.vocab')], '-read-vocab cannot be combined with -init-model'],
    ] as [string[], string][]) {
      const output = join(dir, 'refused.txt');
      const result = await run(['word2vec', '-train', corpus, '-output', output, '-init-model', model, ...flags]);
      expect(result.code).toBe(2);
      expect(result.err.split('\n')[0]).toContain(named);
      expect(result.err).not.toContain('Vocab size');
      expect(result.err).not.toContain('Progress');
      expect(existsSync(output)).toBe(false);
    }
  });

  it('-save-model is checked before training like every output: never over -train or -init-model', async () => {
    const model = join(dir, 'kept.ek2m');
    expect((await run(['word2vec', '-train', corpus, '-save-model', model, '-iter', '1', ...common])).code).toBe(0);
    const before = await readFile(model);
    for (const target of [corpus, model]) {
      const result = await run(['word2vec', '-train', corpus, '-init-model', model, '-save-model', target, '-iter', '1']);
      expect(result.code).not.toBe(0);
      expect(result.err).toContain('-save-model');
      expect(result.err).not.toContain('Progress');
    }
    expect((await readFile(model)).equals(before)).toBe(true);
  });

  it('-init-model with a vector file or a gensim pickle says what the file is', async () => {
    const notModel = await run(['word2vec', '-train', corpus, '-output', join(dir, 'x.txt'), '-init-model', vectors]);
    expect(notModel.code).toBe(1);
    expect(notModel.err).toContain('is not an embedkit word2vec model');
    const pickle = join(dir, 'gensim.model');
    await writeFile(pickle, Buffer.from([0x80, 0x04, 0x95, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const fromPickle = await run(['word2vec', '-train', corpus, '-output', join(dir, 'x.txt'), '-init-model', pickle]);
    expect(fromPickle.code).toBe(1);
    expect(fromPickle.err).toContain('is a Python pickle');
  });
});

describe('convert --from X.npy --words FILE (a NumPy matrix, e.g. gensim\'s *.wv.vectors.npy)', () => {
  /** A .npy file of format 1.0 as numpy writes it: magic, version, header padded to 64 bytes, float32 data. */
  function npy(rows: number, columns: number, data: Float32Array): Buffer {
    let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
    header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
    prefix.writeUInt16LE(header.length, 8);
    return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]);
  }

  it('converts it with its words, and without them says how', async () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => Math.fround(i / 7 - 0.5));
    const path = join(dir, 'model.wv.vectors.npy');
    await writeFile(path, npy(3, 4, data));
    await writeFile(join(dir, 'model.words'), 'king\nqueen\nprince\n');
    const converted = await run(['convert', '--from', path, '--words', join(dir, 'model.words'), '--to', join(dir, 'from-npy.txt')]);
    expect(converted.err).not.toMatch(/Unknown option/);
    expect(converted.code).toBe(0);
    const loaded = await Embeddings.load(join(dir, 'from-npy.txt'));
    expect(loaded.labels).toEqual(['king', 'queen', 'prince']);
    expect(loaded.toMatrix()).toEqual(data);
    const withoutWords = await run(['convert', '--from', path, '--to', join(dir, 'no.txt')]);
    expect(withoutWords.code).toBe(1);
    expect(withoutWords.err).toContain('is a NumPy .npy array: it has vectors but no words');
    expect(withoutWords.err).toContain('--words');
  });
});
