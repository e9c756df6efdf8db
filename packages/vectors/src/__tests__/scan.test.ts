// The nearest-neighbour scan's three paths (matrix resident in WebAssembly memory, rows streamed
// into it a chunk at a time, the JavaScript loop) against a brute-force reference in doubles.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { matrixOf } from '../embeddings';
import { Embeddings } from '../index';
import type { Neighbour } from '../index';
import { setScanMode } from '../scan';
import type { ScanMode } from '../scan';

const PATHS: ScanMode[] = ['resident', 'streamed', 'javascript'];

/** Seeded values in [-0.5, 0.5) (mulberry32). */
function randomMatrix(rows: number, dim: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    data[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return data;
}

function embeddingsOn(mode: ScanMode, data: Float32Array, dim: number): Embeddings {
  setScanMode(mode);
  const rows = data.length / dim;
  return new Embeddings(Array.from({ length: rows }, (_, i) => `w${i}`), dim, data.slice());
}

/** Cosines of every row in [0, end) but `excluded` with `query`, in doubles, sorted as the heap ranks. */
function reference(data: Float32Array, dim: number, query: ArrayLike<number>, end: number, excluded: Set<number>) {
  let qq = 0;
  for (let j = 0; j < dim; j++) qq += (query[j] as number) ** 2;
  const scored: { row: number; s: number }[] = [];
  for (let row = 0; row < end; row++) {
    if (excluded.has(row)) continue;
    let dot = 0;
    let rr = 0;
    for (let j = 0; j < dim; j++) {
      const x = data[row * dim + j] as number;
      dot += x * (query[j] as number);
      rr += x * x;
    }
    scored.push({ row, s: rr > 0 && qq > 0 ? dot / Math.sqrt(rr * qq) : 0 });
  }
  scored.sort((x, y) => y.s - x.s || x.row - y.row);
  return scored;
}

/**
 * Same rows in the same order, similarities within float32 rounding; a swap is accepted only
 * between rows whose reference scores are within that rounding of each other (a near-tie).
 */
function expectSameNeighbours(got: Neighbour[], all: { row: number; s: number }[], topN: number): void {
  const want = all.slice(0, topN);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    expect(Math.abs(got[i]!.similarity - want[i]!.s)).toBeLessThan(1e-6);
    if (got[i]!.label !== `w${want[i]!.row}`) {
      const gotRow = Number(got[i]!.label.slice(1));
      const wantScore = all.find((w) => w.row === gotRow)!.s;
      expect(Math.abs(wantScore - want[i]!.s)).toBeLessThan(1e-6);
    }
  }
}

afterEach(() => setScanMode('auto'));

describe('nearest-neighbour scan paths', () => {
  // Dims not divisible by 4 (the kernel's scalar tail), below 4 (no SIMD part), and over 64
  // (its four-vector loop); 5,000 rows span several chunks of each path.
  const cases = [
    { rows: 5000, dim: 1, seed: 1 },
    { rows: 5000, dim: 3, seed: 2 },
    { rows: 5000, dim: 13, seed: 3 },
    { rows: 3000, dim: 64, seed: 4 },
    { rows: 3000, dim: 130, seed: 5 },
    { rows: 700, dim: 301, seed: 6 },
  ];
  for (const path of PATHS) {
    it(`${path}: mostSimilar and mostSimilarToVector equal a brute-force full sort`, () => {
      for (const { rows, dim, seed } of cases) {
        const data = randomMatrix(rows, dim, seed);
        const e = embeddingsOn(path, data, dim);
        for (const [word, topN, restrictTo] of [[7, 10, rows], [rows - 1, 25, rows], [3, 10, Math.floor(rows / 3)]] as const) {
          const got = e.mostSimilar({ positive: [`w${word}`], topN, restrictTo });
          const query = data.subarray(word * dim, (word + 1) * dim);
          expectSameNeighbours(got, reference(data, dim, query, restrictTo, new Set([word])), topN);
        }
        const vector = randomMatrix(1, dim, seed + 100);
        const excluded = [0, 5, 9].map((row) => `w${row}`);
        const got = e.mostSimilarToVector(vector, { topN: 15, exclude: excluded });
        expectSameNeighbours(got, reference(data, dim, vector, rows, new Set([0, 5, 9])), 15);
      }
    });
  }

  it('the SIMD paths give the same neighbours as the JavaScript loop (several seeds)', () => {
    for (let seed = 10; seed < 16; seed++) {
      const dim = 17 + seed * 9;
      const data = randomMatrix(4000, dim, seed);
      // The path is chosen at each query (the mode is read then), so each runs all its queries.
      const [resident, streamed, scalar] = PATHS.map((path) => {
        const e = embeddingsOn(path, data, dim);
        return ['w1', 'w2000', 'w3999'].map((word) => e.mostSimilar({ positive: [word], negative: ['w17'], topN: 20 }));
      });
      for (let q = 0; q < 3; q++) {
        const want = scalar![q]!;
        expect(resident![q]!.map((n) => n.label)).toEqual(want.map((n) => n.label));
        expect(streamed![q]!.map((n) => n.label)).toEqual(want.map((n) => n.label));
        // Float32 dot products: the similarities differ in the last bits, which shows the SIMD
        // paths really ran (they are not the JavaScript loop falling back).
        expect(resident![q]!.map((n) => n.similarity)).not.toEqual(want.map((n) => n.similarity));
        expect(streamed![q]!.map((n) => n.similarity)).toEqual(resident![q]!.map((n) => n.similarity));
      }
    }
  });

  for (const path of PATHS) {
    it(`${path}: exact ties (duplicate rows) keep row order; zero rows score 0; topN over the vocabulary`, () => {
      const dim = 7;
      const base = randomMatrix(40, dim, 21);
      const data = new Float32Array(60 * dim);
      data.set(base);
      // Rows 40..59: copies of rows 0..9 twice (exact ties), and row 59 all zeros.
      for (let copy = 0; copy < 20; copy++) data.set(base.subarray((copy % 10) * dim, (copy % 10 + 1) * dim), (40 + copy) * dim);
      data.fill(0, 59 * dim);
      const e = embeddingsOn(path, data, dim);
      const query = base.subarray(3 * dim, 4 * dim);
      const got = e.mostSimilarToVector(query, { topN: 1000 });
      expect(got.length).toBe(60);
      // Row 3 and its copies 43 and 53 tie at the top, in row order.
      expect(got.slice(0, 3).map((n) => n.label)).toEqual(['w3', 'w43', 'w53']);
      const want = reference(data, dim, query, 60, new Set());
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]!.similarity - want[i]!.s)).toBeLessThan(1e-6);
      // Every exact duplicate pair comes out together, lower row first.
      const position = new Map(got.map((n, i) => [n.label, i]));
      for (let row = 0; row < 9; row++) {
        expect(position.get(`w${row + 40}`)).toBe(position.get(`w${row}`)! + 1);
        expect(position.get(`w${row + 50}`)).toBe(position.get(`w${row}`)! + 2);
      }
      const zero = got.find((n) => n.label === 'w59')!;
      expect(zero.similarity).toBe(0);
      expect(e.mostSimilar({ positive: ['w3'], topN: 100 }).length).toBe(59);
    });
  }

  it('a matrix moved into WebAssembly memory keeps its values', async () => {
    const dim = 9;
    const data = randomMatrix(300, dim, 31);
    const e = embeddingsOn('resident', data, dim);
    const before = e.toMatrix();
    e.mostSimilar({ positive: ['w1'] });
    expect(e.toMatrix()).toEqual(before);
    expect(e.vectorAt(299)).toEqual(data.subarray(299 * dim));
    expect(e.similarity('w1', 'w2')).toBeCloseTo(reference(data, dim, data.subarray(dim, 2 * dim), 300, new Set()).find((n) => n.row === 2)!.s, 12);
  });

  it('a loaded matrix is read into WebAssembly memory and queried in place (no move)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'embedkit-scan-'));
    try {
      const dim = 11;
      const data = randomMatrix(500, dim, 41);
      const file = join(dir, 'vectors.bin');
      await embeddingsOn('javascript', data, dim).save(file, { format: 'word2vec-binary' });
      setScanMode('auto');
      const loaded = await Embeddings.load(file);
      const matrix = matrixOf(loaded);
      loaded.mostSimilar({ positive: ['w3'] });
      expect(matrixOf(loaded)).toBe(matrix);
      // A WebAssembly memory's buffer is whole 64 KiB pages, with the scan's scratch after the matrix.
      expect(matrix.buffer.byteLength % 65536).toBe(0);
      expect(matrix.buffer.byteLength).toBeGreaterThan(matrix.byteLength);
      expect(loaded.toMatrix()).toEqual(data);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
