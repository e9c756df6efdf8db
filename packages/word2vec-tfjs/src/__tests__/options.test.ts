import { describe, expect, it } from 'vitest';
import { isEmbedkitError } from '@embedkit/errors';
import { Corpus, Vocabulary } from '@embedkit/tokenizer';
import { trainWord2VecTfjs } from '../index';
import { plantedCorpus } from '@embedkit/word2vec/conformance';

const tiny = Corpus.fromSentences(
  [
    ['a', 'b', 'c', 'd', 'e'],
    ['e', 'd', 'c', 'b', 'a'],
  ],
  { minCount: 1 },
);

describe('options', () => {
  it('rejects bad values with TypeError / RangeError before any work', async () => {
    await expect(trainWord2VecTfjs(tiny, { dim: 0 })).rejects.toThrow(RangeError);
    await expect(trainWord2VecTfjs(tiny, { dim: 2.5 })).rejects.toThrow(TypeError);
    await expect(trainWord2VecTfjs(tiny, { model: 'glove' as never })).rejects.toThrow(/model must be one of 'skipgram', 'cbow'/);
    await expect(trainWord2VecTfjs(tiny, { optimizer: 'rmsprop' as never })).rejects.toThrow(RangeError);
    await expect(trainWord2VecTfjs(tiny, { loss: 'negative', negative: 0 })).rejects.toThrow(RangeError);
    await expect(trainWord2VecTfjs(tiny, { alpha: 0.01, minAlpha: 0.1 })).rejects.toThrow(/minAlpha/);
    await expect(trainWord2VecTfjs(tiny, { batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(trainWord2VecTfjs(tiny, { windowMode: 'sentence' as never })).rejects.toThrow(RangeError);
    await expect(trainWord2VecTfjs({} as never)).rejects.toThrow(/needs a Corpus/);
  });

  it('EMPTY_CORPUS for a corpus without tokens, and when no sentence gives an example', async () => {
    const empty = new Corpus(Vocabulary.fromCounts([['a', 1]], { minCount: 1 }), new Int32Array(0), new Int32Array([0]));
    const e1 = await trainWord2VecTfjs(empty).catch((e: unknown) => e);
    expect(isEmbedkitError(e1, 'EMPTY_CORPUS')).toBe(true);
    const singles = Corpus.fromSentences([['a'], ['b']], { minCount: 1 });
    const e2 = await trainWord2VecTfjs(singles, { backend: 'cpu', sample: 0 }).catch((e: unknown) => e);
    expect(isEmbedkitError(e2, 'EMPTY_CORPUS')).toBe(true);
  });

  it('OUT_OF_MEMORY when the full softmax would not fit, naming the fix', async () => {
    const error = await trainWord2VecTfjs(tiny, { loss: 'softmax', batchSize: 1000, maxSoftmaxBytes: 1000 }).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'OUT_OF_MEMORY')).toBe(true);
    expect((error as Error).message).toContain("loss: 'negative'");
  });

  it('ABORTED at once for an already aborted signal', async () => {
    const error = await trainWord2VecTfjs(tiny, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isEmbedkitError(error, 'ABORTED')).toBe(true);
  });
});

describe('results', () => {
  const p = plantedCorpus(5, 4, 200);
  const options = { model: 'skipgram', dim: 8, epochs: 2, batchSize: 32, seed: 9 } as const;

  it('the same seed on the same backend gives the same vectors; another seed does not', async () => {
    const a = await trainWord2VecTfjs(p.corpus, { ...options, backend: 'cpu' });
    const b = await trainWord2VecTfjs(p.corpus, { ...options, backend: 'cpu' });
    const c = await trainWord2VecTfjs(p.corpus, { ...options, backend: 'cpu', seed: 10 });
    expect(b.weights.wIn).toEqual(a.weights.wIn);
    expect(c.weights.wIn).not.toEqual(a.weights.wIn);
  });

  it('labels rows by the vocabulary; vectors: mean averages wIn and wOut; stats and callbacks add up', async () => {
    const epochs: number[] = [];
    let last = -1;
    const r = await trainWord2VecTfjs(p.corpus, {
      ...options,
      vectors: 'mean',
      onEpochEnd: (e) => epochs.push(e.epoch),
      onProgress: (pr) => {
        expect(pr.fraction).toBeGreaterThanOrEqual(last);
        last = pr.fraction;
      },
    });
    expect(r.embeddings.labels).toEqual(p.corpus.vocabulary.words);
    expect(r.embeddings.dim).toBe(8);
    const { wIn, wOut } = r.weights;
    const row = r.embeddings.getOrThrow(p.corpus.vocabulary.words[3]!);
    for (let j = 0; j < 8; j++) expect(row[j]).toBeCloseTo((wIn[3 * 8 + j]! + wOut[3 * 8 + j]!) / 2, 6);
    expect(epochs).toEqual([1, 2]);
    expect(last).toBe(1);
    expect(r.stats.tokensProcessed).toBe(2 * p.corpus.tokenCount);
    expect(r.stats.epochReports.reduce((s, e) => s + e.steps, 0)).toBe(r.stats.steps);
    expect(r.stats.tokensTrained).toBeLessThanOrEqual(r.stats.tokensProcessed);
  });
});
