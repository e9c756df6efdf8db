/**
 * Regression cases of issue 18, "what a gensim user reaches for": `similar` with negative words,
 * continuing training from a saved model, and gensim's own `.model` files. Where gensim is
 * installed (`/usr/bin/python3 -c 'import gensim'`; CI installs python3-gensim) the answers are
 * compared with gensim's; otherwise those cases are skipped with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
