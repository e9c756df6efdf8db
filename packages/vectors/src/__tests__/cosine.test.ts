import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../index';

describe('cosineSimilarity', () => {
  it('is the cosine of the angle, whatever the lengths', () => {
    expect(cosineSimilarity(new Float32Array([1, 0]), new Float32Array([3, 3]))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(cosineSimilarity(new Float32Array([2, -1, 0.5]), new Float32Array([-4, 2, -1]))).toBeCloseTo(-1, 6);
    expect(cosineSimilarity(new Float32Array([1, 0]), new Float32Array([0, 5]))).toBe(0);
  });

  it('is 0, not NaN, when a vector is all zeros', () => {
    expect(cosineSimilarity(new Float32Array(3), new Float32Array([1, 2, 3]))).toBe(0);
  });
});
