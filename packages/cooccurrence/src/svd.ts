/**
 * Singular value decompositions: exact (dense, through ml-matrix) for small matrices, and the
 * randomized truncated SVD of Halko, Martinsson & Tropp (2011) for large sparse ones. The
 * randomized one only ever holds dense blocks of size n × (k + oversampling); the sparse matrix is
 * touched through `A · X` and `Aᵀ · X` products on its CSR form.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { EmbedkitError } from '@embedkit/errors';
import {
  type CsrMatrix,
  type DenseMatrix,
  csrMultiplyDense,
  csrToDense,
  csrTranspose,
} from './csr';
import type { CooccurrenceErrorCode } from './errors';
import { createRng, type Rng } from '@embedkit/sampling';

/**
 * A (truncated) singular value decomposition A ≈ U · diag(s) · Vᵀ, with the k largest singular
 * values in descending order. `u` is rows × k and `v` is cols × k, both row-major.
 * Signs are normalised (as scikit-learn's `svd_flip`): in each column of `u`, the entry of largest
 * magnitude is positive.
 */
export interface SvdResult {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  /** Left singular vectors, row-major rows × k: `u[i * k + t]`. */
  readonly u: Float64Array;
  /** Singular values, descending. */
  readonly s: Float64Array;
  /** Right singular vectors, row-major cols × k: `v[j * k + t]`. */
  readonly v: Float64Array;
}

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra sketch columns beyond k (Halko et al.'s p). Default 10. */
  oversampling?: number;
  /** Power (subspace) iterations q, each followed by re-orthonormalisation. Default 3. */
  powerIterations?: number;
  /** Seed of the Gaussian sketch. Default 1. */
  seed?: number;
}

function checkRank(k: number, rows: number, cols: number, fn: string): void {
  if (!Number.isInteger(k) || k < 1 || k > Math.min(rows, cols)) {
    throw new RangeError(`${fn}: k must be an integer in [1, min(rows, cols) = ${Math.min(rows, cols)}], got ${k}`);
  }
}

function isCsr(matrix: CsrMatrix | DenseMatrix): matrix is CsrMatrix {
  return (matrix as CsrMatrix).indptr !== undefined;
}

/** A row-major flat array as an ml-matrix `Matrix`. */
function toMatrix(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) m.set(i, j, data[i * cols + j]!);
  }
  return m;
}

/** Flips column signs so that each column of u has its largest-magnitude entry positive. */
function flipSigns(u: Float64Array, v: Float64Array, rows: number, cols: number, k: number): void {
  for (let t = 0; t < k; t++) {
    let best = 0;
    for (let i = 0; i < rows; i++) {
      const x = u[i * k + t]!;
      if (Math.abs(x) > Math.abs(best) + 1e-12) best = x;
    }
    if (best < 0) {
      for (let i = 0; i < rows; i++) u[i * k + t] = -u[i * k + t]!;
      for (let j = 0; j < cols; j++) v[j * k + t] = -v[j * k + t]!;
    }
  }
}

/**
 * Exact SVD through ml-matrix (dense), truncated to the top k. For matrices up to a few
 * thousand rows; CSR input is densified.
 *
 * @param matrix - CSR or dense row-major matrix.
 * @param k - number of singular triplets kept; default min(rows, cols).
 */
export function exactSvd(matrix: CsrMatrix | DenseMatrix, k?: number): SvdResult {
  const { rows, cols } = matrix;
  const rank = k ?? Math.min(rows, cols);
  checkRank(rank, rows, cols, 'exactSvd');
  const dense = isCsr(matrix) ? csrToDense(matrix) : matrix.data;
  if (dense.length !== rows * cols) {
    throw new RangeError(`exactSvd: expected rows × cols = ${rows * cols} values, got ${dense.length}`);
  }
  const svd = new SingularValueDecomposition(toMatrix(dense, rows, cols), { autoTranspose: true });
  const left = svd.leftSingularVectors;
  const right = svd.rightSingularVectors;
  const diagonal = svd.diagonal;
  // ml-matrix returns the singular values sorted, but sort defensively: the contract is descending.
  const order = Array.from({ length: diagonal.length }, (_, i) => i).sort((a, b) => diagonal[b]! - diagonal[a]!);
  const u = new Float64Array(rows * rank);
  const v = new Float64Array(cols * rank);
  const s = new Float64Array(rank);
  for (let t = 0; t < rank; t++) {
    const c = order[t]!;
    s[t] = diagonal[c]!;
    for (let i = 0; i < rows; i++) u[i * rank + t] = left.get(i, c);
    for (let j = 0; j < cols; j++) v[j * rank + t] = right.get(j, c);
  }
  for (let p = 0; p < s.length; p++) {
    if (!Number.isFinite(s[p]!)) {
      throw new EmbedkitError<CooccurrenceErrorCode>(
        'NOT_CONVERGED',
        'exactSvd: the decomposition produced non-finite singular values; check the matrix for NaN or Infinity',
      );
    }
  }
  flipSigns(u, v, rows, cols, rank);
  return { rows, cols, k: rank, u, s, v };
}

/**
 * Thin QR of a row-major n × l block by modified Gram–Schmidt applied twice ("twice is enough"),
 * in place: on return `a` holds Q (orthonormal columns) and, when given, `r` (l × l, row-major)
 * holds R with A = Q · R. Columns that are numerically dependent on the previous ones are replaced
 * by random unit vectors orthogonal to them (R's diagonal entry is then 0), so Q is always
 * orthonormal even for rank-deficient inputs.
 */
export function orthonormalizeColumns(a: Float64Array, n: number, l: number, r?: Float64Array, seed = 7): void {
  // Work column-major so each column is contiguous for the dot products and updates.
  const cols = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    const rowOffset = i * l;
    for (let j = 0; j < l; j++) cols[j * n + i] = a[rowOffset + j]!;
  }
  if (r !== undefined) r.fill(0);
  let random: Rng | undefined;
  for (let j = 0; j < l; j++) {
    const jOffset = j * n;
    let originalNorm = 0;
    for (let i = 0; i < n; i++) originalNorm += cols[jOffset + i]! * cols[jOffset + i]!;
    originalNorm = Math.sqrt(originalNorm);
    let replaced = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < j; c++) {
          const cOffset = c * n;
          let dot = 0;
          for (let i = 0; i < n; i++) dot += cols[cOffset + i]! * cols[jOffset + i]!;
          for (let i = 0; i < n; i++) cols[jOffset + i]! -= dot * cols[cOffset + i]!;
          if (r !== undefined && !replaced) r[c * l + j]! += dot;
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += cols[jOffset + i]! * cols[jOffset + i]!;
      norm = Math.sqrt(norm);
      if (norm > 1e-10 * originalNorm && norm > 1e-300) {
        if (r !== undefined && !replaced) r[j * l + j] = norm;
        const inv = 1 / norm;
        for (let i = 0; i < n; i++) cols[jOffset + i]! *= inv;
        break;
      }
      // Dependent column: R gets a zero diagonal; continue with a random direction.
      replaced = true;
      random ??= createRng(seed);
      originalNorm = 0;
      for (let i = 0; i < n; i++) {
        const x = random.nextGaussian();
        cols[jOffset + i] = x;
        originalNorm += x * x;
      }
      originalNorm = Math.sqrt(originalNorm);
    }
  }
  for (let i = 0; i < n; i++) {
    const rowOffset = i * l;
    for (let j = 0; j < l; j++) a[rowOffset + j] = cols[j * n + i]!;
  }
}

/** Row-major (n × l) · (l × k) → n × k. */
function multiplySmall(a: Float64Array, n: number, l: number, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const aOffset = i * l;
    const outOffset = i * k;
    for (let c = 0; c < l; c++) {
      const x = a[aOffset + c]!;
      if (x === 0) continue;
      const bOffset = c * k;
      for (let t = 0; t < k; t++) out[outOffset + t]! += x * b[bOffset + t]!;
    }
  }
  return out;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1) of a sparse
 * CSR matrix: Gaussian sketch Y = A·Ω with k + oversampling columns, q power iterations
 * (Q ← qr(A·qr(Aᵀ·Q))), then B = QᵀA is factorised through a thin QR of Bᵀ and the exact SVD of
 * its small (k + p) × (k + p) triangle. Memory: the matrix, its transpose (formed once) and
 * O((rows + cols)(k + p)) dense values.
 *
 * @param matrix - the sparse matrix (never densified).
 * @param k - number of singular triplets.
 */
export function randomizedSvd(matrix: CsrMatrix, k: number, options: RandomizedSvdOptions = {}): SvdResult {
  const { rows, cols } = matrix;
  checkRank(k, rows, cols, 'randomizedSvd');
  const oversampling = options.oversampling ?? 10;
  const powerIterations = options.powerIterations ?? 3;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(oversampling) || oversampling < 0) {
    throw new RangeError(`randomizedSvd: oversampling must be a non-negative integer, got ${oversampling}`);
  }
  if (!Number.isInteger(powerIterations) || powerIterations < 0) {
    throw new RangeError(`randomizedSvd: powerIterations must be a non-negative integer, got ${powerIterations}`);
  }
  const l = Math.min(k + oversampling, rows, cols);
  const random = createRng(seed);
  const omega = new Float64Array(cols * l);
  for (let p = 0; p < omega.length; p++) omega[p] = random.nextGaussian();

  // Aᵀ is formed once (as much memory again as A): the gather product over its rows is much
  // faster than scattering into the rows of the result.
  const transposed = csrTranspose(matrix);
  const q = csrMultiplyDense(matrix, omega, l); // rows × l
  orthonormalizeColumns(q, rows, l, undefined, seed + 1);
  const z = omega; // reused: cols × l
  for (let it = 0; it < powerIterations; it++) {
    csrMultiplyDense(transposed, q, l, z);
    orthonormalizeColumns(z, cols, l, undefined, seed + 2 + it);
    csrMultiplyDense(matrix, z, l, q);
    orthonormalizeColumns(q, rows, l, undefined, seed + 100 + it);
  }
  // Bᵀ = Aᵀ Q (cols × l) = Q2 R2; R2 = Ur S Vrᵀ  ⇒  A ≈ Q B = (Q Vr) S (Q2 Ur)ᵀ.
  const bt = csrMultiplyDense(transposed, q, l, z);
  const r2 = new Float64Array(l * l);
  orthonormalizeColumns(bt, cols, l, r2, seed + 1000);
  const small = exactSvd({ rows: l, cols: l, data: r2 }, l);
  const vr = new Float64Array(l * k); // right singular vectors of R2, top k
  const ur = new Float64Array(l * k);
  for (let i = 0; i < l; i++) {
    for (let t = 0; t < k; t++) {
      vr[i * k + t] = small.v[i * l + t]!;
      ur[i * k + t] = small.u[i * l + t]!;
    }
  }
  const u = multiplySmall(q, rows, l, vr, k);
  const v = multiplySmall(bt, cols, l, ur, k);
  const s = small.s.slice(0, k);
  flipSigns(u, v, rows, cols, k);
  return { rows, cols, k, u, s, v };
}

/**
 * Eigenvalue weighting of Levy, Goldberg & Dagan (2015): the row-major rows × k matrix U · Σ^p
 * (p = 1: the plain projection; p = 0.5: symmetric split; p = 0: U alone), as `Float32Array`.
 * With `v`, returns V · Σ^p instead (context vectors).
 */
export function weightSingularVectors(svd: SvdResult, power: number, side: 'u' | 'v' = 'u'): Float32Array {
  if (!Number.isFinite(power)) throw new RangeError(`weightSingularVectors: power must be finite, got ${power}`);
  const { k, s } = svd;
  const source = side === 'u' ? svd.u : svd.v;
  const n = side === 'u' ? svd.rows : svd.cols;
  const scale = new Float64Array(k);
  for (let t = 0; t < k; t++) scale[t] = power === 0 ? 1 : Math.pow(s[t]!, power);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) out[i * k + t] = source[i * k + t]! * scale[t]!;
  }
  return out;
}

/** Symmetric eigen-decomposition through ml-matrix, eigenvalues descending (used by PCA). */
export function symmetricEigen(data: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const evd = new EigenvalueDecomposition(toMatrix(data, n, n), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectorMatrix = evd.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const sortedValues = new Float64Array(n);
  const vectors = new Float64Array(n * n); // column t = eigenvector t, row-major n × n
  for (let t = 0; t < n; t++) {
    const c = order[t]!;
    sortedValues[t] = values[c]!;
    for (let i = 0; i < n; i++) vectors[i * n + t] = vectorMatrix.get(i, c);
  }
  return { values: sortedValues, vectors };
}
