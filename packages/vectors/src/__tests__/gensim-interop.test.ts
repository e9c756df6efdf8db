// Interop with real gensim (4.x, from /usr/bin/python3): files written by embedkit load in
// gensim with identical values, files written by gensim load here with identical values, and
// queries return the same neighbours. Skipped, with a message, when gensim is not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Embeddings } from '../index';
import type { Neighbour } from '../index';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/gensim_interop.py', import.meta.url));
const hasGensim = spawnSync(PYTHON, ['-c', 'import gensim'], { stdio: 'ignore' }).status === 0;
if (!hasGensim) {
  console.warn(`gensim interop tests skipped: "${PYTHON} -c 'import gensim'" failed (apt-get install -y python3-gensim)`);
}

interface Dumped {
  keys: string[];
  dim: number;
  data: string;
}

function gensim(...args: string[]): unknown {
  return JSON.parse(execFileSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function expectSameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) mismatches++;
  expect(mismatches).toBe(0);
}

function expectSameNeighbours(ours: Neighbour[], theirs: [string, number][]): void {
  expect(ours.map((n) => n.label)).toEqual(theirs.map((t) => t[0]));
  for (let i = 0; i < ours.length; i++) {
    expect(Math.abs((ours[i] as Neighbour).similarity - (theirs[i] as [string, number])[1])).toBeLessThan(1e-6);
  }
}

describe.skipIf(!hasGensim)('gensim interop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedkit-gensim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('vectors saved by embedkit load in gensim with identical values (text and binary)', async () => {
    const size = 60;
    const dim = 12;
    const labels = Array.from({ length: size }, (_, i) => (i === 3 ? 'naïve' : i === 4 ? 'Ελλάδα' : `tok${i}`));
    const data = new Float32Array(size * dim);
    // Values of every magnitude, including ones that need 9 significant digits.
    for (let i = 0; i < data.length; i++) data[i] = Math.fround(Math.sin(i * 12.9898) * 43758.5453 * 10 ** ((i % 13) - 8));
    data[5] = 0;
    data[6] = -0;
    const e = new Embeddings(labels, dim, data);
    const text = join(dir, 'ours.txt');
    const binary = join(dir, 'ours.bin');
    await e.save(text, { format: 'word2vec-text' });
    await e.save(binary, { format: 'word2vec-binary' });
    for (const theirs of gensim('read', text, 'text', binary, 'binary') as Dumped[]) {
      expect(theirs.keys).toEqual(labels);
      expect(theirs.dim).toBe(dim);
      expectSameBits(floats(theirs.data), data);
    }
  });

  for (const kind of ['text', 'binary'] as const) {
    it(`vectors written by gensim (${kind}) load with identical values and identical queries`, async () => {
      const path = join(dir, `gensim.${kind}`);
      const vector = Array.from({ length: 24 }, (_, j) => Math.fround(Math.sin(j + 1)));
      const queries = [
        { kind: 'most_similar', positive: ['w0'], topn: 10 },
        { kind: 'most_similar', positive: ['café', 'w5'], negative: ['日本'], topn: 15 },
        { kind: 'most_similar', negative: ['w7'], topn: 5 },
        { kind: 'most_similar', positive: ['w3', 'w4', 'w3'], topn: 8, restrict: 100 },
        { kind: 'cosmul', positive: ['w12', 'w9'], negative: ['w8'], topn: 10 },
        { kind: 'vector', vector, topn: 10 },
        { kind: 'similarity', a: 'w11', b: 'w399' },
        { kind: 'doesnt_match', words: ['w11', 'w22', 'w3', 'w4', 'w5'] },
      ];
      const { dump: theirs, answers } = gensim('write', path, kind, '7', '400', '24', JSON.stringify(queries)) as {
        dump: Dumped;
        answers: unknown[];
      };
      const e = await Embeddings.load(path);
      expect(e.labels).toEqual(theirs.keys);
      expect(e.labels.slice(1, 3)).toEqual(['café', '日本']);
      expectSameBits(e.toMatrix(), floats(theirs.data));

      expectSameNeighbours(e.mostSimilar({ positive: ['w0'], topN: 10 }), answers[0] as [string, number][]);
      expectSameNeighbours(e.mostSimilar({ positive: ['café', 'w5'], negative: ['日本'], topN: 15 }), answers[1] as [string, number][]);
      expectSameNeighbours(e.mostSimilar({ negative: ['w7'], topN: 5 }), answers[2] as [string, number][]);
      expectSameNeighbours(e.mostSimilar({ positive: ['w3', 'w4', 'w3'], topN: 8, restrictTo: 100 }), answers[3] as [string, number][]);
      // a : b :: c : ?  is  positive [b, c], negative [a]; gensim 4.2 uses ε = 1e-6.
      expectSameNeighbours(e.analogy('w8', 'w12', 'w9', { method: '3CosMul', topN: 10, epsilon: 1e-6 }), answers[4] as [string, number][]);
      expectSameNeighbours(e.mostSimilarToVector(vector, { topN: 10 }), answers[5] as [string, number][]);
      expect(Math.abs(e.similarity('w11', 'w399') - (answers[6] as number))).toBeLessThan(1e-6);
      expect(e.doesntMatch(['w11', 'w22', 'w3', 'w4', 'w5'])).toBe(answers[7]);
    });
  }
});
