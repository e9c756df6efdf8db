import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csrFromDense, csrToDense, validateCsr } from '../csr';
import { ppmi } from '../ppmi';

/** PMI straight from the definition (hyperwords): log(#wc · Σ#c^α / (#w · #c^α)) − log k, clipped at 0. */
function naivePpmi(dense: number[], rows: number, cols: number, alpha: number, shift: number): number[] {
  const rowSums = new Array<number>(rows).fill(0);
  const colSums = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    rowSums[i]! += dense[i * cols + j]!;
    colSums[j]! += dense[i * cols + j]!;
  }
  const smoothed = colSums.map((c) => c ** alpha);
  const total = smoothed.reduce((a, b) => a + b, 0);
  return dense.map((x, p) => {
    if (x === 0) return 0;
    const i = Math.floor(p / cols);
    const j = p % cols;
    const pmi = Math.log((x * total) / (rowSums[i]! * smoothed[j]!)) - Math.log(shift);
    return Math.max(0, pmi);
  });
}

const matrixArb = fc
  .record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 8 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      values: fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0.01, max: 1e6, noNaN: true })), {
        minLength: rows * cols,
        maxLength: rows * cols,
      }),
    }),
  );

describe('ppmi', () => {
  it('is ≥ 0 (stored values > 0 and finite) and matches the definition', () => {
    fc.assert(
      fc.property(matrixArb, fc.constantFrom(0.75, 1, 0.5), fc.constantFrom(1, 5, 15), ({ rows, cols, values }, alpha, shift) => {
        const result = ppmi(csrFromDense(values, rows, cols), { alpha, shift });
        validateCsr(result);
        for (let p = 0; p < result.data.length; p++) {
          expect(result.data[p]!).toBeGreaterThan(0);
          expect(Number.isFinite(result.data[p]!)).toBe(true);
        }
        const expected = naivePpmi(values, rows, cols, alpha, shift);
        const got = csrToDense(result);
        for (let p = 0; p < got.length; p++) expect(got[p]!).toBeCloseTo(expected[p]!, 8);
      }),
      { numRuns: 200 },
    );
  });

  it('shifting by log k removes exactly the entries with PMI ≤ log k', () => {
    const counts = csrFromDense([10, 1, 0, 2, 5, 3, 0, 4, 9], 3, 3);
    const plain = csrToDense(ppmi(counts));
    const shifted = csrToDense(ppmi(counts, { shift: 2 }));
    for (let p = 0; p < 9; p++) expect(shifted[p]!).toBeCloseTo(Math.max(0, plain[p]! - Math.log(2)), 12);
  });

  it('rejects a non-positive alpha or shift', () => {
    const counts = csrFromDense([1, 2, 3, 4], 2, 2);
    expect(() => ppmi(counts, { alpha: 0 })).toThrow(RangeError);
    expect(() => ppmi(counts, { shift: -1 })).toThrow(RangeError);
  });
});
