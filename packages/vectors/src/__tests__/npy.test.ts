// NumPy .npy matrices with a words file (Embeddings.loadNpy): files written by numpy itself
// (format 1.0 and 2.0, float32 and float64) and gensim's .npy side file of a saved model.
// Skipped, with a message, without python3-numpy (and the gensim case without python3-gensim).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { Embeddings } from '../index';

const PYTHON = '/usr/bin/python3';
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const hasGensim = hasNumpy && spawnSync(PYTHON, ['-c', 'import gensim'], { stdio: 'ignore' }).status === 0;
if (!hasNumpy) console.warn(`.npy tests skipped: "${PYTHON} -c 'import numpy'" failed (apt-get install -y python3-numpy)`);

const dir = mkdtempSync(join(tmpdir(), 'embedkit-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function python(program: string): string {
  return execFileSync(PYTHON, ['-c', program, dir], { encoding: 'utf8' });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe.skipIf(!hasNumpy)('Embeddings.loadNpy on arrays numpy wrote', () => {
  it('reads float32 and float64, format 1.0 and 2.0, with the exact values', async () => {
    // The values as numpy's float32 sees them, printed as their bits.
    const bits = JSON.parse(
      python(
        [
          'import sys, json, numpy as np',
          'd = sys.argv[1]',
          'a = (np.random.default_rng(4).standard_normal((7, 5)) * 10.0 ** np.arange(-3, 2)).astype(np.float32)',
          "np.save(d + '/f4.npy', a)",
          "np.save(d + '/f8.npy', a.astype(np.float64))",
          "with open(d + '/v2.npy', 'wb') as f: np.lib.format.write_array(f, a, version=(2, 0))",
          "np.save(d + '/fortran.npy', np.asfortranarray(a))",
          "np.save(d + '/ints.npy', np.arange(10).reshape(5, 2))",
          "np.save(d + '/flat.npy', a.ravel())",
          "open(d + '/words.txt', 'w', encoding='utf-8').write('\\n'.join(['the', 'café', '日本', 'a b', 'x', 'y', 'z']) + '\\n')",
          'print(json.dumps(a.view(np.uint32).ravel().tolist()))',
        ].join('\n'),
      ),
    ) as number[];
    for (const name of ['f4', 'f8', 'v2']) {
      const e = await Embeddings.loadNpy(join(dir, `${name}.npy`), join(dir, 'words.txt'));
      expect(e.labels).toEqual(['the', 'café', '日本', 'a b', 'x', 'y', 'z']);
      expect(e.dim).toBe(5);
      expect(Array.from(new Uint32Array(e.toMatrix().buffer))).toEqual(bits);
    }
    for (const [name, words] of [['fortran', /Fortran.*np\.ascontiguousarray/], ['ints', /holds <i8 values.*astype\('<f4'\)/], ['flat', /shape \(35,\)/]] as const) {
      const error = await failure(Embeddings.loadNpy(join(dir, `${name}.npy`), join(dir, 'words.txt')));
      expect(isEmbedkitError(error, 'PARSE_ERROR')).toBe(true);
      expect(error.message).toMatch(words);
    }
    writeFileSync(join(dir, 'six.txt'), 'a\nb\nc\nd\ne\nf\n');
    expect(isEmbedkitError(await failure(Embeddings.loadNpy(join(dir, 'f4.npy'), join(dir, 'six.txt'))), 'HEADER_MISMATCH')).toBe(true);
    // Embeddings.load on a .npy says what it is and how to load it.
    const error = await failure(Embeddings.load(join(dir, 'f4.npy')));
    expect(isEmbedkitError(error, 'UNSUPPORTED_FORMAT')).toBe(true);
    expect(error.message).toContain('--words');
  });

  it.skipIf(!hasGensim)('reads the vectors side file of a gensim model with the model\'s words', async () => {
    python(
      [
        'import sys',
        'from gensim.models import Word2Vec',
        'd = sys.argv[1]',
        "s = [['a', 'b', 'c', 'd'] * 5, ['e', 'f', 'a', 'b'] * 5] * 20",
        'm = Word2Vec(s, vector_size=8, min_count=1, epochs=1, workers=1, seed=3)',
        // sep_limit=0: every array goes to a side file, as gensim does for arrays of 10 MB or more.
        "m.save(d + '/big.model', sep_limit=0)",
        "open(d + '/big.words', 'w').write('\\n'.join(m.wv.index_to_key))",
        "m.wv.save_word2vec_format(d + '/big.txt')",
      ].join('\n'),
    );
    const fromNpy = await Embeddings.loadNpy(join(dir, 'big.model.wv.vectors.npy'), join(dir, 'big.words'));
    const reference = await Embeddings.load(join(dir, 'big.txt'));
    expect(fromNpy.labels).toEqual(reference.labels);
    expect(fromNpy.toMatrix()).toEqual(reference.toMatrix());
  });
});
