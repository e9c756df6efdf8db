import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  csrFromDense,
  csrMultiplyDense,
  csrToDense,
  csrTranspose,
  csrTransposeMultiplyDense,
  validateCsr,
} from '../csr';
import { exactSvd, orthonormalizeColumns, randomizedSvd } from '../svd';
import { createRng } from '@embedkit/sampling';

/** A random sparse matrix with the given density and a decaying spectrum-ish scale per row. */
function randomSparse(rows: number, cols: number, density: number, seed: number): Float64Array {
  const random = createRng(seed);
  const dense = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (random.nextFloat() < density) dense[i * cols + j] = random.nextGaussian() / (1 + 0.1 * i);
    }
  }
  return dense;
}

/** A dense low-rank-plus-noise matrix: Σ_t σ_t x_t y_tᵀ with σ_t = 0.8^t, plus small noise. */
function lowRank(rows: number, cols: number, rank: number, noise: number, seed: number): Float64Array {
  const random = createRng(seed);
  const out = new Float64Array(rows * cols);
  for (let t = 0; t < rank; t++) {
    const sigma = 10 * Math.pow(0.8, t);
    const x = Array.from({ length: rows }, () => random.nextGaussian());
    const y = Array.from({ length: cols }, () => random.nextGaussian());
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j]! += (sigma * x[i]! * y[j]!) / Math.sqrt(rows * cols);
  }
  for (let p = 0; p < out.length; p++) out[p]! += noise * random.nextGaussian();
  return out;
}

function gram(a: Float64Array, n: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let i = 0; i < n; i++) for (let s = 0; s < k; s++) for (let t = 0; t < k; t++) g[s * k + t]! += a[i * k + s]! * a[i * k + t]!;
  return g;
}

function maxIdentityError(g: Float64Array, k: number): number {
  let worst = 0;
  for (let s = 0; s < k; s++) for (let t = 0; t < k; t++) worst = Math.max(worst, Math.abs(g[s * k + t]! - (s === t ? 1 : 0)));
  return worst;
}

/** ‖A − U Σ Vᵀ‖_F */
function reconstructionError(dense: Float64Array, rows: number, cols: number, svd: { u: Float64Array; s: Float64Array; v: Float64Array; k: number }): number {
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let x = 0;
      for (let t = 0; t < svd.k; t++) x += svd.u[i * svd.k + t]! * svd.s[t]! * svd.v[j * svd.k + t]!;
      const d = dense[i * cols + j]! - x;
      sum += d * d;
    }
  }
  return Math.sqrt(sum);
}

describe('CSR', () => {
  it('round-trips dense ↔ CSR and transposes', () => {
    const dense = randomSparse(7, 5, 0.4, 3);
    const csr = csrFromDense(dense, 7, 5);
    validateCsr(csr);
    expect(Array.from(csrToDense(csr))).toEqual(Array.from(dense));
    const t = csrTranspose(csr);
    validateCsr(t);
    const td = csrToDense(t);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 5; j++) expect(td[j * 7 + i]).toBe(dense[i * 5 + j]);
  });

  it('sparse × dense products match the dense products', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (rows, cols, k, seed) => {
        const dense = randomSparse(rows, cols, 0.5, seed);
        const csr = csrFromDense(dense, rows, cols);
        const random = createRng(seed + 1);
        const b = Float64Array.from({ length: cols * k }, () => random.nextGaussian());
        const c = Float64Array.from({ length: rows * k }, () => random.nextGaussian());
        const ab = csrMultiplyDense(csr, b, k);
        const atc = csrTransposeMultiplyDense(csr, c, k);
        for (let i = 0; i < rows; i++) for (let t = 0; t < k; t++) {
          let x = 0;
          for (let j = 0; j < cols; j++) x += dense[i * cols + j]! * b[j * k + t]!;
          expect(ab[i * k + t]).toBeCloseTo(x, 10);
        }
        for (let j = 0; j < cols; j++) for (let t = 0; t < k; t++) {
          let x = 0;
          for (let i = 0; i < rows; i++) x += dense[i * cols + j]! * c[i * k + t]!;
          expect(atc[j * k + t]).toBeCloseTo(x, 10);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('validateCsr rejects columns out of order', () => {
    expect(() => validateCsr({ rows: 1, cols: 3, indptr: Float64Array.of(0, 2), indices: Int32Array.of(2, 1), data: Float64Array.of(1, 1) })).toThrow(RangeError);
  });
});

describe('orthonormalizeColumns', () => {
  it('gives QᵀQ = I and A = QR, also for rank-deficient blocks', () => {
    const n = 30;
    const l = 6;
    const random = createRng(5);
    const a = Float64Array.from({ length: n * l }, () => random.nextGaussian());
    for (let i = 0; i < n; i++) a[i * l + 3] = 2 * a[i * l + 1]! - a[i * l]!; // column 3 dependent
    const q = a.slice();
    const r = new Float64Array(l * l);
    orthonormalizeColumns(q, n, l, r);
    expect(maxIdentityError(gram(q, n, l), l)).toBeLessThan(1e-12);
    expect(Math.abs(r[3 * l + 3]!)).toBe(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) {
      let x = 0;
      for (let c = 0; c < l; c++) x += q[i * l + c]! * r[c * l + j]!;
      expect(x).toBeCloseTo(a[i * l + j]!, 10);
    }
  });
});

describe('exactSvd', () => {
  it('reconstructs the matrix with orthonormal factors, wide and tall', () => {
    for (const [rows, cols] of [[12, 8], [8, 12]] as const) {
      const dense = randomSparse(rows, cols, 0.6, rows);
      const svd = exactSvd({ rows, cols, data: dense });
      expect(svd.k).toBe(8);
      expect(maxIdentityError(gram(svd.u, rows, svd.k), svd.k)).toBeLessThan(1e-10);
      expect(maxIdentityError(gram(svd.v, cols, svd.k), svd.k)).toBeLessThan(1e-10);
      expect(reconstructionError(dense, rows, cols, svd)).toBeLessThan(1e-10);
      for (let t = 1; t < svd.k; t++) expect(svd.s[t]!).toBeLessThanOrEqual(svd.s[t - 1]!);
    }
  });
});

describe('randomizedSvd', () => {
  it('matches the exact SVD on low-rank-plus-noise matrices over several seeds', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rows = 120;
      const cols = 90;
      const k = 8;
      const dense = lowRank(rows, cols, 12, 0.002, seed);
      const csr = csrFromDense(dense, rows, cols);
      const exact = exactSvd(csr, k);
      const approx = randomizedSvd(csr, k, { seed, oversampling: 10, powerIterations: 3 });
      expect(maxIdentityError(gram(approx.u, rows, k), k)).toBeLessThan(1e-10);
      expect(maxIdentityError(gram(approx.v, cols, k), k)).toBeLessThan(1e-10);
      for (let t = 0; t < k; t++) expect(Math.abs(approx.s[t]! - exact.s[t]!) / exact.s[t]!).toBeLessThan(1e-6);
      const errExact = reconstructionError(dense, rows, cols, exact);
      const errApprox = reconstructionError(dense, rows, cols, approx);
      expect(errApprox).toBeLessThan(errExact * 1.0001 + 1e-12);
    }
  });

  it('is close to optimal on a sparse matrix with a flat spectrum', () => {
    for (const seed of [11, 12, 13]) {
      const rows = 150;
      const cols = 100;
      const k = 10;
      const dense = randomSparse(rows, cols, 0.05, seed);
      const csr = csrFromDense(dense, rows, cols);
      const exact = exactSvd(csr, k);
      const approx = randomizedSvd(csr, k, { seed, powerIterations: 4 });
      expect(maxIdentityError(gram(approx.u, rows, k), k)).toBeLessThan(1e-10);
      // Flat spectra are the hard case: the top singular values within 2 %, the rank-k error within 2 %.
      for (let t = 0; t < k; t++) expect(approx.s[t]! / exact.s[t]!).toBeGreaterThan(0.98);
      expect(reconstructionError(dense, rows, cols, approx)).toBeLessThan(reconstructionError(dense, rows, cols, exact) * 1.02);
    }
  });

  it('handles k + oversampling beyond the rank', () => {
    const dense = lowRank(20, 15, 3, 0, 9);
    const approx = randomizedSvd(csrFromDense(dense, 20, 15), 5, { oversampling: 20 });
    expect(maxIdentityError(gram(approx.u, 20, 5), 5)).toBeLessThan(1e-10);
    expect(approx.s[3]!).toBeLessThan(1e-10);
    expect(reconstructionError(dense, 20, 15, approx)).toBeLessThan(1e-10);
  });
});
