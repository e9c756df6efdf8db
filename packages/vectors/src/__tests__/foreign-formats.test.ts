// Files we recognise but deliberately do not read (Python pickles such as gensim's .model): the
// loaders refuse them before parsing, with gensim's export command; with gensim installed, that
// exact command is run on real gensim models and its output loads with gensim's values.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { foreignFormatMessage, pickleProtocol } from '../formats/foreign';
import { Embeddings, SubwordEmbeddings } from '../index';

const PYTHON = '/usr/bin/python3';
const hasGensim = spawnSync(PYTHON, ['-c', 'import gensim'], { stdio: 'ignore' }).status === 0;
if (!hasGensim) {
  console.warn(`gensim .model tests skipped: "${PYTHON} -c 'import gensim'" failed (apt-get install -y python3-gensim)`);
}

const dir = mkdtempSync(join(tmpdir(), 'embedkit-foreign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadError(load: () => Promise<unknown>): Promise<Error> {
  const error = await load().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** The `python3 -c "…"` command a message ends with, run with the Python that has gensim. */
function runExport(message: string): void {
  const match = /python3 -c "(.*)"$/.exec(message);
  expect(match).not.toBeNull();
  execFileSync(PYTHON, ['-c', match![1]!], { stdio: 'ignore' });
}

describe('Python pickles (gensim .model files)', () => {
  it('recognises protocols 2 to 5 and nothing else', () => {
    for (const protocol of [2, 3, 4, 5]) expect(pickleProtocol(Uint8Array.of(0x80, protocol, 0x95))).toBe(protocol);
    expect(pickleProtocol(Uint8Array.of(0x80, 1))).toBeUndefined();
    expect(pickleProtocol(Uint8Array.of(0x80, 6))).toBeUndefined();
    expect(pickleProtocol(new TextEncoder().encode('3 2\na 1 2\n'))).toBeUndefined();
    expect(foreignFormatMessage('x.txt', Uint8Array.of(0x80))).toBeUndefined();
  });

  it('names the pickled class of protocol 2 and protocol 4 files', () => {
    const p2 = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cgensim.models.word2vec\nWord2Vec\nq\x00)')]);
    expect(foreignFormatMessage('a.model', p2)).toContain('a gensim Word2Vec model (gensim.models.word2vec.Word2Vec)');
    const p4 = Buffer.concat([Buffer.from([0x80, 0x04, 0x95, 1, 0, 0, 0, 0, 0, 0, 0, 0x8c, 26]), Buffer.from('gensim.models.keyedvectors'), Buffer.from([0x94, 0x8c, 12]), Buffer.from('KeyedVectors')]);
    const message = foreignFormatMessage('/data/my vectors.kv', p4)!;
    expect(message).toContain('a gensim KeyedVectors model');
    expect(message).toMatch(/into \/data\/my vectors\.bin .*SaveLoad\.load\('\/data\/my vectors\.kv'\)/);
  });

  it('Embeddings.load refuses a pickle before parsing, whatever format is given', async () => {
    const path = join(dir, 'fake.model');
    writeFileSync(path, Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), Buffer.alloc(500, 0x20)]));
    for (const format of ['auto', 'word2vec-text', 'word2vec-binary', 'glove'] as const) {
      const error = await loadError(() => Embeddings.load(path, { format }));
      expect(isEmbedkitError(error, 'UNSUPPORTED_FORMAT')).toBe(true);
      expect(error.message).toContain('save_word2vec_format(');
    }
    const error = await loadError(() => SubwordEmbeddings.load(path));
    expect(isEmbedkitError(error, 'UNSUPPORTED_FORMAT')).toBe(true);
  });

  it.skipIf(!hasGensim)('real gensim models: refused with the export command, which gives identical vectors', async () => {
    const script = [
      'import sys',
      'from gensim.models import Word2Vec, FastText',
      "s = [['a', 'b', 'c', 'd'] * 5, ['e', 'f', 'a', 'b'] * 5] * 20",
      'm = Word2Vec(s, vector_size=8, min_count=1, epochs=1, workers=1, seed=3)',
      "m.save(sys.argv[1] + '/w2v.model')",
      "m.wv.save(sys.argv[1] + '/vectors.kv')",
      "m.wv.save_word2vec_format(sys.argv[1] + '/reference.txt')",
      'f = FastText(s, vector_size=8, min_count=1, epochs=1, workers=1, bucket=1000, seed=3)',
      "f.save(sys.argv[1] + '/ft.model')",
    ].join('\n');
    execFileSync(PYTHON, ['-c', script, dir], { stdio: 'ignore' });
    const reference = await Embeddings.load(join(dir, 'reference.txt'));
    for (const [name, cls] of [['w2v.model', 'Word2Vec'], ['vectors.kv', 'KeyedVectors']] as const) {
      const error = await loadError(() => Embeddings.load(join(dir, name)));
      expect(isEmbedkitError(error, 'UNSUPPORTED_FORMAT')).toBe(true);
      expect(error.message).toContain(`a gensim ${cls} model`);
      runExport(error.message);
      const exported = await Embeddings.load(join(dir, name.replace(/\.\w+$/, '.bin')));
      expect(exported.labels).toEqual(reference.labels);
      expect(exported.toMatrix()).toEqual(reference.toMatrix());
    }
    // A FastText model: word vectors through Embeddings.load, the whole model through SubwordEmbeddings.load.
    const vectorsError = await loadError(() => Embeddings.load(join(dir, 'ft.model')));
    runExport(vectorsError.message);
    expect((await Embeddings.load(join(dir, 'ft.bin'))).size).toBe(6);
    const modelError = await loadError(() => SubwordEmbeddings.load(join(dir, 'ft.model')));
    expect(modelError.message).toContain('save_facebook_model(');
    runExport(modelError.message);
    const model = await SubwordEmbeddings.load(join(dir, 'ft.fasttext.bin'));
    expect(model.size).toBe(6);
    expect(model.vectorFor('zzz').length).toBe(8);
  });
});
