import { describe, expect, it } from 'vitest';
import { Corpus } from '@embedkit/tokenizer';
import { selectBackend, trainWord2VecTfjs } from '../index';
import type { Word2VecTfjsOptions } from '../index';
import { plantedCorpus } from '@embedkit/word2vec/conformance';

const corpus = Corpus.fromSentences(plantedCorpus(3, 4, 120).sentences, { minCount: 1 });

describe('tensor memory', () => {
  const cases: Word2VecTfjsOptions[] = [
    { model: 'skipgram', loss: 'negative', optimizer: 'adam', backend: 'wasm' },
    { model: 'cbow', loss: 'softmax', optimizer: 'sgd', backend: 'wasm' },
    { model: 'cbow', loss: 'negative', optimizer: 'sgd', backend: 'cpu' },
    { model: 'skipgram', loss: 'softmax', optimizer: 'adam', backend: 'cpu', vectors: 'mean' },
  ];
  for (const options of cases) {
    it(`stays flat over many steps: ${options.model} ${options.loss} ${options.optimizer} on ${options.backend}`, async () => {
      const { tf } = await selectBackend(options.backend);
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const result = await trainWord2VecTfjs(corpus, {
        ...options,
        dim: 8,
        batchSize: options.model === 'cbow' ? 6 : 16,
        epochs: 1,
        sample: 0,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (!Number.isNaN(p.batchLoss)) counts.push(tf.memory().numTensors); // not the final report
        },
      });
      expect(result.stats.steps).toBeGreaterThan(100);
      // Every step reported; the optimizer creates its state once (Adam's moments on the first
      // step), after which the count never moves.
      expect(counts.length).toBe(result.stats.steps);
      const steady = counts.slice(2);
      expect(Math.max(...steady)).toBe(Math.min(...steady));
      // Weights, optimizer state and every intermediate are gone after training.
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('frees everything when training is aborted midway', async () => {
    const { tf } = await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const error = await trainWord2VecTfjs(corpus, {
      backend: 'wasm',
      dim: 8,
      batchSize: 8,
      epochs: 3,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.steps === 20) controller.abort(new Error('enough'));
      },
    }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ABORTED');
    expect(((error as Error).cause as Error).message).toBe('enough');
    expect(tf.memory().numTensors).toBe(before);
  });
});
