import { describe, expect, it } from 'vitest';
import { pca } from '../pca';
import { createRng } from '@embedkit/sampling';

describe('pca', () => {
  it('recovers the axes of an anisotropic Gaussian cloud', () => {
    for (const seed of [1, 2, 3]) {
      const random = createRng(seed);
      const rows = 2000;
      const dim = 5;
      // Standard deviations 5, 2, 1, 0.5, 0.1 along a rotated basis (x ↔ y rotation by 30°).
      const sd = [5, 2, 1, 0.5, 0.1];
      const c = Math.cos(Math.PI / 6);
      const s = Math.sin(Math.PI / 6);
      const data = new Float32Array(rows * dim);
      for (let i = 0; i < rows; i++) {
        const z = sd.map((d) => d * random.nextGaussian());
        data[i * dim] = c * z[0]! - s * z[1]! + 3;
        data[i * dim + 1] = s * z[0]! + c * z[1]! - 1;
        for (let j = 2; j < dim; j++) data[i * dim + j] = z[j]!;
      }
      const result = pca(data, rows, dim, 3);
      expect(Math.abs(result.components[0]!)).toBeCloseTo(c, 1);
      expect(Math.abs(result.components[1]!)).toBeCloseTo(s, 1);
      expect(result.explainedVariance[0]! / 25).toBeGreaterThan(0.9);
      expect(result.explainedVariance[0]! / 25).toBeLessThan(1.1);
      expect(result.explainedVarianceRatio[0]!).toBeGreaterThan(0.75);
      expect(result.mean[0]!).toBeCloseTo(3, 0);
      // Coordinates are centred and their variances are the explained variances.
      for (let t = 0; t < 3; t++) {
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < rows; i++) {
          sum += result.coordinates[i * 3 + t]!;
          sq += result.coordinates[i * 3 + t]! ** 2;
        }
        expect(Math.abs(sum / rows)).toBeLessThan(1e-6);
        expect(sq / (rows - 1)).toBeCloseTo(result.explainedVariance[t]!, 3);
      }
    }
  });

  it('rejects k larger than dim', () => {
    expect(() => pca(new Float32Array(6), 3, 2, 3)).toThrow(RangeError);
  });
});

describe('pcaOfEmbeddings', () => {
  it('maps the requested labels, skipping absent ones, like pca on the same rows', async () => {
    const { Embeddings } = await import('@embedkit/vectors');
    const { pcaOfEmbeddings } = await import('../pca');
    const random = createRng(4);
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const data = Float32Array.from({ length: labels.length * 4 }, () => random.nextGaussian());
    const embeddings = new Embeddings(labels, 4, data);
    const map = pcaOfEmbeddings(embeddings, 2, ['f', 'zzz', 'a', 'c', 'd']);
    expect(map.labels).toEqual(['f', 'a', 'c', 'd']);
    const rows = [5, 0, 2, 3].flatMap((r) => Array.from(data.slice(r * 4, r * 4 + 4)));
    const direct = pca(rows, 4, 4, 2);
    for (let p = 0; p < 8; p++) expect(map.coordinates[p]!).toBeCloseTo(direct.coordinates[p]!, 6);
    expect(pcaOfEmbeddings(embeddings, 3).rows).toBe(6);
    expect(() => pcaOfEmbeddings(embeddings, 2, ['zzz'])).toThrow(RangeError);
  });
});
