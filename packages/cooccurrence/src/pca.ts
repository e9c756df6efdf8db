/**
 * Principal component analysis of a set of vectors, for the 2-D and 3-D maps of the demo:
 * centre the rows, eigen-decompose the dim × dim covariance (ml-matrix), project on the top k
 * components. Cost O(rows · dim²), memory O(dim²): fine for 100k vectors of dimension 300.
 */
import type { Embeddings } from '@embedkit/vectors';
import { symmetricEigen } from './svd';

/** Result of {@link pca}. */
export interface PcaResult {
  readonly rows: number;
  readonly k: number;
  /** Projected coordinates, row-major rows × k. */
  readonly coordinates: Float64Array;
  /** Principal axes, row-major k × dim (unit length; the largest-magnitude entry is positive). */
  readonly components: Float64Array;
  /** Mean of the input rows (length dim). */
  readonly mean: Float64Array;
  /** Variance along each component (eigenvalue of the covariance with n − 1 denominator). */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance. */
  readonly explainedVarianceRatio: Float64Array;
}

/**
 * Centred PCA of `rows` vectors of dimension `dim`, stored row-major in `vectors`, to `k`
 * dimensions (k ≤ dim).
 *
 * @example
 * ```ts
 * const { coordinates } = pca(embeddings.data, embeddings.size, embeddings.dim, 2);
 * ```
 */
export function pca(vectors: ArrayLike<number>, rows: number, dim: number, k: number): PcaResult {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`pca: rows must be a positive integer, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`pca: dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(k) || k < 1 || k > dim) throw new RangeError(`pca: k must be an integer in [1, dim = ${dim}], got ${k}`);
  if (vectors.length !== rows * dim) {
    throw new RangeError(`pca: expected rows × dim = ${rows * dim} values, got ${vectors.length}`);
  }
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    const rowOffset = i * dim;
    for (let j = 0; j < dim; j++) mean[j]! += vectors[rowOffset + j]!;
  }
  for (let j = 0; j < dim; j++) mean[j]! /= rows;

  // Upper triangle of Σ (x − μ)(x − μ)ᵀ, then mirrored.
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    const rowOffset = i * dim;
    for (let j = 0; j < dim; j++) centred[j] = vectors[rowOffset + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const x = centred[a]!;
      if (x === 0) continue;
      const aOffset = a * dim;
      for (let b = a; b < dim; b++) covariance[aOffset + b]! += x * centred[b]!;
    }
  }
  const denominator = rows > 1 ? rows - 1 : 1;
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const c = covariance[a * dim + b]! / denominator;
      covariance[a * dim + b] = c;
      covariance[b * dim + a] = c;
    }
  }
  let total = 0;
  for (let a = 0; a < dim; a++) total += covariance[a * dim + a]!;

  const { values, vectors: eigenvectors } = symmetricEigen(covariance, dim);
  const components = new Float64Array(k * dim);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    let best = 0;
    for (let j = 0; j < dim; j++) {
      const x = eigenvectors[j * dim + t]!;
      if (Math.abs(x) > Math.abs(best) + 1e-12) best = x;
    }
    const sign = best < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) components[t * dim + j] = sign * eigenvectors[j * dim + t]!;
    const variance = Math.max(0, values[t]!);
    explainedVariance[t] = variance;
    explainedVarianceRatio[t] = total > 0 ? variance / total : 0;
  }
  const coordinates = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const rowOffset = i * dim;
    for (let j = 0; j < dim; j++) centred[j] = vectors[rowOffset + j]! - mean[j]!;
    for (let t = 0; t < k; t++) {
      const cOffset = t * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += centred[j]! * components[cOffset + j]!;
      coordinates[i * k + t] = dot;
    }
  }
  return { rows, k, coordinates, components, mean, explainedVariance, explainedVarianceRatio };
}

/** A PCA map of labelled vectors: {@link PcaResult} plus the labels of its rows. */
export interface PcaMap extends PcaResult {
  readonly labels: readonly string[];
}

/**
 * PCA of some rows of an `Embeddings` (all rows by default, or the given labels, skipping labels
 * that are absent), for a 2-D (`k = 2`) or 3-D (`k = 3`) map.
 */
export function pcaOfEmbeddings(embeddings: Embeddings, k: number, labels?: readonly string[]): PcaMap {
  const chosen: string[] = [];
  const rowsOf: number[] = [];
  if (labels === undefined) {
    for (let i = 0; i < embeddings.size; i++) {
      chosen.push(embeddings.labels[i]!);
      rowsOf.push(i);
    }
  } else {
    for (const label of labels) {
      const index = embeddings.indexOf(label);
      if (index >= 0) {
        chosen.push(label);
        rowsOf.push(index);
      }
    }
  }
  if (chosen.length === 0) throw new RangeError('pcaOfEmbeddings: none of the requested labels is in the embeddings');
  const dim = embeddings.dim;
  const data = new Float64Array(chosen.length * dim);
  for (let r = 0; r < chosen.length; r++) {
    const vector = embeddings.getOrThrow(chosen[r]!);
    for (let j = 0; j < dim; j++) data[r * dim + j] = vector[j]!;
  }
  return { ...pca(data, chosen.length, dim, k), labels: chosen };
}
