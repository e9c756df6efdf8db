// Conformance: the planted structure of @embedkit/word2vec's suite (`@embedkit/word2vec/conformance`) must be
// recovered by every model × loss × optimizer, and the full-softmax and negative-sampling variants
// must agree with each other.
//
// Calibration (wasm backend, dim 16, sample 0, seeds 1..4; analogy / topic neighbours):
// skip-gram NS, 3 epochs, batch 512: Adam 1.00/1.00 every seed, SGD 1.00/1.00;
// CBOW NS, 5 epochs, batch 128: Adam min 0.95/1.00, SGD 1.00/1.00;
// skip-gram softmax Adam min 0.89/1.00; CBOW softmax SGD min 0.96/1.00.
// Softmax vs negative sampling (4 entities, 400 sentences, seeds 1..5): similarity correlation
// 0.81–0.90 (two NS runs with different seeds: 0.93–0.96). An untrained model scores ~0 on all.
import { describe, expect, it } from 'vitest';
import { trainWord2VecTfjs } from '../index';
import type { Word2VecTfjsOptions } from '../index';
import { analogyAccuracy, plantedCorpus, topicNeighbourRate } from '@embedkit/word2vec/conformance';
import { similarityCorrelation } from './similarity-correlation';

const skipgram = { model: 'skipgram', epochs: 3, batchSize: 512 } as const;
const cbow = { model: 'cbow', epochs: 5, batchSize: 128 } as const;
const configs: (Word2VecTfjsOptions & { analogy: number })[] = [
  { ...skipgram, loss: 'negative', optimizer: 'adam', analogy: 0.85 },
  { ...skipgram, loss: 'negative', optimizer: 'sgd', analogy: 0.85 },
  { ...cbow, loss: 'negative', optimizer: 'adam', analogy: 0.85 },
  { ...cbow, loss: 'negative', optimizer: 'sgd', analogy: 0.85 },
  { ...skipgram, loss: 'softmax', optimizer: 'adam', analogy: 0.75 },
  { ...cbow, loss: 'softmax', optimizer: 'sgd', analogy: 0.75 },
];

describe('planted structure is recovered', () => {
  // One seed per configuration, a different one each (thresholds were calibrated over seeds 1..4).
  for (const [index, { analogy, ...options }] of configs.entries()) {
    it(`${options.model} ${options.loss} ${options.optimizer}`, async () => {
      for (const seed of [1 + (index % 4)]) {
        const p = plantedCorpus(seed);
        const { embeddings, stats } = await trainWord2VecTfjs(p.corpus, { ...options, dim: 16, sample: 0, seed });
        expect(analogyAccuracy(embeddings, p.entities)).toBeGreaterThanOrEqual(analogy);
        expect(topicNeighbourRate(embeddings, p.entities, p.topics)).toBeGreaterThanOrEqual(0.95);
        const reports = stats.epochReports;
        expect(reports[reports.length - 1]!.loss).toBeLessThan(reports[0]!.loss);
      }
    });
  }

  it('an untrained model does not pass (the measures can fail)', async () => {
    const p = plantedCorpus(1);
    const { embeddings } = await trainWord2VecTfjs(p.corpus, { ...skipgram, epochs: 1, optimizer: 'sgd', alpha: 1e-9, minAlpha: 0, dim: 16, sample: 0 });
    expect(analogyAccuracy(embeddings, p.entities)).toBeLessThan(0.3);
    expect(topicNeighbourRate(embeddings, p.entities, p.topics)).toBeLessThan(0.6);
  });
});

describe('full softmax and negative sampling agree on a tiny corpus', () => {
  it('correlated similarity matrices and the same neighbourhoods', async () => {
    for (const seed of [1]) {
      const p = plantedCorpus(seed, 4, 400);
      const options = { model: 'skipgram', dim: 12, seed, epochs: 5, batchSize: 64, sample: 0 } as const;
      const softmax = (await trainWord2VecTfjs(p.corpus, { ...options, loss: 'softmax' })).embeddings;
      const negative = (await trainWord2VecTfjs(p.corpus, { ...options, loss: 'negative' })).embeddings;
      expect(similarityCorrelation(softmax, negative)).toBeGreaterThan(0.65);
      expect(topicNeighbourRate(softmax, p.entities, p.topics)).toBe(1);
      expect(topicNeighbourRate(negative, p.entities, p.topics)).toBe(1);
      if (seed === 1) {
        const untrained = (await trainWord2VecTfjs(p.corpus, { ...options, epochs: 1, optimizer: 'sgd', alpha: 1e-9, minAlpha: 0 })).embeddings;
        expect(Math.abs(similarityCorrelation(softmax, untrained))).toBeLessThan(0.3);
      }
    }
  });
});
