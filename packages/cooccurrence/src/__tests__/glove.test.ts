import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Corpus } from '@embedkit/tokenizer';
import { isEmbedkitError } from '@embedkit/errors';
import { countCooccurrences } from '../count';
import { trainGlove, trainGloveOnCounts } from '../glove';
import { createRng } from '@embedkit/sampling';

/**
 * A corpus with two word classes that share contexts: animals appear in animal templates, fruits
 * in fruit templates, each with random filler words.
 */
function templateCorpus(seed: number): Corpus {
  const random = createRng(seed);
  const animals = ['cat', 'dog', 'horse'];
  const fruits = ['apple', 'pear', 'plum'];
  const fillers = ['a', 'the', 'some', 'very', 'and', 'then'];
  const sentences: string[][] = [];
  for (let i = 0; i < 400; i++) {
    const filler = (): string => fillers[random.nextInt(fillers.length)]!;
    const animal = animals[random.nextInt(3)]!;
    const fruit = fruits[random.nextInt(3)]!;
    sentences.push([filler(), animal, 'barks', 'runs', filler(), 'sleeps', animal, 'fur']);
    sentences.push([filler(), fruit, 'ripe', 'eat', filler(), 'juice', fruit, 'sweet']);
  }
  return Corpus.fromSentences(sentences, { minCount: 1 });
}

const workerBuilt = existsSync(fileURLToPath(new URL('../../dist/glove-worker.js', import.meta.url)));

describe('trainGlove (threads: 1)', () => {
  it('decreases the loss and groups words that share contexts, over several seeds', async () => {
    for (const seed of [1, 2, 3]) {
      const { embeddings, losses } = await trainGlove(templateCorpus(seed), {
        dim: 10,
        window: 3,
        xMax: 10,
        iterations: 25,
        threads: 1,
        seed,
      });
      expect(losses).toHaveLength(25);
      for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
      expect(losses[24]!).toBeLessThan(losses[0]! * 0.05);
      const within = (embeddings.similarity('cat', 'dog') + embeddings.similarity('apple', 'pear')) / 2;
      const across = (embeddings.similarity('cat', 'apple') + embeddings.similarity('dog', 'pear')) / 2;
      expect(within).toBeGreaterThan(across + 0.3);
    }
  });

  it('is bit-reproducible with a seed and reports each iteration', async () => {
    const counts = countCooccurrences(templateCorpus(4), { window: 2, distanceWeighting: true });
    const seen: number[] = [];
    const a = await trainGloveOnCounts(counts, { dim: 8, iterations: 3, threads: 1, seed: 9, onIteration: (p) => seen.push(p.iteration) });
    const b = await trainGloveOnCounts(counts, { dim: 8, iterations: 3, threads: 1, seed: 9 });
    const c = await trainGloveOnCounts(counts, { dim: 8, iterations: 3, threads: 1, seed: 10 });
    expect(seen).toEqual([1, 2, 3]);
    expect(Array.from(a.embeddings.toMatrix())).toEqual(Array.from(b.embeddings.toMatrix()));
    expect(a.losses).toEqual(b.losses);
    expect(Array.from(a.embeddings.toMatrix())).not.toEqual(Array.from(c.embeddings.toMatrix()));
  });

  it('stays finite with an absurd learning rate (clipping and NaN guards)', async () => {
    const counts = countCooccurrences(templateCorpus(5), { window: 2 });
    const result = await trainGloveOnCounts(counts, { dim: 6, iterations: 5, threads: 1, learningRate: 50, gradClip: 1 });
    for (const x of result.embeddings.toMatrix()) expect(Number.isFinite(x)).toBe(true);
  });

  it('aborts through its signal', async () => {
    const controller = new AbortController();
    const counts = countCooccurrences(templateCorpus(6), { window: 2 });
    const promise = trainGloveOnCounts(counts, {
      dim: 6,
      iterations: 50,
      threads: 1,
      signal: controller.signal,
      onIteration: (p) => {
        if (p.iteration === 2) controller.abort();
      },
    });
    await expect(promise).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
  });

  it('rejects bad options', async () => {
    const counts = countCooccurrences(templateCorpus(7), { window: 2 });
    await expect(trainGloveOnCounts(counts, { xMax: 0 })).rejects.toThrow(/xMax must be a positive number, got 0/);
    await expect(trainGloveOnCounts(counts, { dim: 2.5 })).rejects.toThrow(RangeError);
  });
});

describe.skipIf(!workerBuilt)('trainGlove (worker threads, built dist)', () => {
  it('trains with 2 Hogwild workers to the same quality', async () => {
    const { embeddings, losses } = await trainGlove(templateCorpus(1), { dim: 10, window: 3, xMax: 10, iterations: 25, threads: 2, seed: 1 });
    expect(losses[24]!).toBeLessThan(losses[0]! * 0.05);
    const within = (embeddings.similarity('cat', 'dog') + embeddings.similarity('apple', 'pear')) / 2;
    const across = (embeddings.similarity('cat', 'apple') + embeddings.similarity('dog', 'pear')) / 2;
    expect(within).toBeGreaterThan(across + 0.3);
  });
});
