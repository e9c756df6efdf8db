import { describe, expect, it } from 'vitest';
import { selectBackend, trainWord2VecTfjs } from '../index';
import type { Word2VecTfjsOptions } from '../index';
import { RowRemapper } from '../sparse';
import { analogyAccuracy, plantedCorpus, topicNeighbourRate } from '@embedkit/word2vec/conformance';

describe('RowRemapper', () => {
  it('maps ids to first-appearance indices and forgets the previous batch', () => {
    const r = new RowRemapper(10, 8);
    const out = new Int32Array(6);
    expect(r.remap(Int32Array.of(7, 3, 7, 9, 3, 0), 6, out)).toBe(4);
    expect(Array.from(out)).toEqual([0, 1, 0, 2, 1, 3]);
    expect(Array.from(r.unique.subarray(0, 4))).toEqual([7, 3, 9, 0]);
    expect(r.remap(Int32Array.of(3, 5), 2, out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([0, 1]);
    expect(Array.from(r.unique.subarray(0, 2))).toEqual([3, 5]);
  });
});

describe("updates: 'sparse'", () => {
  const p = plantedCorpus(4, 4, 200);
  const base = { dim: 8, epochs: 2, batchSize: 32, seed: 3, optimizer: 'sgd', backend: 'wasm' } as const;

  for (const options of [
    { model: 'skipgram', loss: 'negative' },
    { model: 'cbow', loss: 'negative' },
    { model: 'cbow', loss: 'softmax' },
  ] as Word2VecTfjsOptions[]) {
    it(`SGD gives the same weights as dense SGD: ${options.model} ${options.loss}`, async () => {
      const dense = await trainWord2VecTfjs(p.corpus, { ...base, ...options });
      const sparse = await trainWord2VecTfjs(p.corpus, { ...base, ...options, updates: 'sparse' });
      let maxDiff = 0;
      for (let i = 0; i < dense.weights.wIn.length; i++) maxDiff = Math.max(maxDiff, Math.abs(dense.weights.wIn[i]! - sparse.weights.wIn[i]!));
      for (let i = 0; i < dense.weights.wOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(dense.weights.wOut[i]! - sparse.weights.wOut[i]!));
      expect(maxDiff).toBeLessThan(1e-4);
      expect(sparse.stats.epochReports[1]!.loss).toBeCloseTo(dense.stats.epochReports[1]!.loss, 3);
    });
  }

  it('keeps tensor memory flat and frees everything (lazy Adam state included)', async () => {
    const { tf } = await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await trainWord2VecTfjs(p.corpus, {
      ...base,
      model: 'skipgram',
      optimizer: 'adam',
      updates: 'sparse',
      sample: 0,
      batchSize: 16,
      progressIntervalMs: 0,
      onProgress: (pr) => {
        if (!Number.isNaN(pr.batchLoss)) counts.push(tf.memory().numTensors);
      },
    });
    const steady = counts.slice(2);
    expect(steady.length).toBeGreaterThan(100);
    expect(Math.max(...steady)).toBe(Math.min(...steady));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lazy Adam recovers the planted structure', async () => {
    const q = plantedCorpus(2);
    const { embeddings } = await trainWord2VecTfjs(q.corpus, { model: 'skipgram', epochs: 3, batchSize: 512, dim: 16, sample: 0, seed: 2, optimizer: 'adam', updates: 'sparse' });
    expect(analogyAccuracy(embeddings, q.entities)).toBeGreaterThanOrEqual(0.85);
    expect(topicNeighbourRate(embeddings, q.entities, q.topics)).toBeGreaterThanOrEqual(0.95);
  });
});
