/**
 * Positive pointwise mutual information weighting of co-occurrence counts, as in Levy, Goldberg &
 * Dagan (2015) and their `hyperwords` code:
 *
 *   PMI(w, c) = log( #(w,c) · Σ_c' #(c')^α / ( #(w) · #(c)^α ) ) − log k
 *
 * with #(w) and #(c) the row and column sums of the count matrix, α the context-distribution
 * smoothing exponent (0.75) and k the shift (k = 1: plain PPMI; k > 1: shifted PPMI, the
 * counterpart of k negative samples). Only positive values are kept, so the result stays sparse.
 */
import type { CsrMatrix } from './csr';

/** Options of {@link ppmi}. */
export interface PpmiOptions {
  /** Context-distribution smoothing exponent α applied to the context counts. Default 0.75. */
  alpha?: number;
  /** Shift k: log k is subtracted before clipping at 0 (shifted PPMI). Default 1 (plain PPMI). */
  shift?: number;
}

/**
 * The (shifted) PPMI matrix of a count matrix: same shape, CSR, only entries > 0 stored, every
 * stored value finite and positive.
 */
export function ppmi(counts: CsrMatrix, options: PpmiOptions = {}): CsrMatrix {
  const alpha = options.alpha ?? 0.75;
  const shift = options.shift ?? 1;
  if (!Number.isFinite(alpha) || alpha <= 0) throw new RangeError(`alpha must be a positive number, got ${alpha}`);
  if (!Number.isFinite(shift) || shift <= 0) throw new RangeError(`shift must be a positive number (k ≥ 1 in practice), got ${shift}`);
  const { rows, cols, indptr, indices, data } = counts;
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const end = indptr[i + 1]!;
    let sum = 0;
    for (let p = indptr[i]!; p < end; p++) {
      const v = data[p]!;
      sum += v;
      colSums[indices[p]!]! += v;
    }
    rowSums[i] = sum;
  }
  let smoothedTotal = 0;
  for (let j = 0; j < cols; j++) {
    const c = alpha === 1 ? colSums[j]! : Math.pow(colSums[j]!, alpha);
    colSums[j] = c;
    smoothedTotal += c;
  }
  // log(#(w,c)) + log(Σ #(c)^α) − log(#(w)) − log(#(c)^α) − log k, in logs so nothing overflows.
  const logTotal = Math.log(smoothedTotal) - Math.log(shift);
  const logRow = new Float64Array(rows);
  for (let i = 0; i < rows; i++) logRow[i] = rowSums[i]! > 0 ? Math.log(rowSums[i]!) : 0;
  const logCol = new Float64Array(cols);
  for (let j = 0; j < cols; j++) logCol[j] = colSums[j]! > 0 ? Math.log(colSums[j]!) : 0;

  const outIndptr = new Float64Array(rows + 1);
  const outIndices = new Int32Array(indptr[rows] ?? 0);
  const outData = new Float64Array(indptr[rows] ?? 0);
  let q = 0;
  for (let i = 0; i < rows; i++) {
    const end = indptr[i + 1]!;
    const base = logTotal - logRow[i]!;
    for (let p = indptr[i]!; p < end; p++) {
      const v = data[p]!;
      if (!(v > 0)) continue; // log(0) and negative or NaN counts contribute nothing
      const j = indices[p]!;
      const value = Math.log(v) + base - logCol[j]!;
      if (value > 0 && value < Infinity) {
        outIndices[q] = j;
        outData[q] = value;
        q++;
      }
    }
    outIndptr[i + 1] = q;
  }
  return { rows, cols, indptr: outIndptr, indices: outIndices.slice(0, q), data: outData.slice(0, q) };
}
