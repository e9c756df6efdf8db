/**
 * StaticEmbedder: texts through the tokenizer into the vectors package's pooler — batching that
 * does not change results, progress and abort, context-free token vectors, subword coverage of
 * unknown words, and SIF's fit-then-embed consistency for single queries.
 */
import { isEmbedkitError } from '@embedkit/errors';
import { Embeddings, SentencePooler, SubwordEmbeddings } from '@embedkit/vectors';
import { describe, expect, it } from 'vitest';
import { createRng } from '@embedkit/sampling';
import { StaticEmbedder } from '../index';


const WORDS = ['the', 'a', 'river', 'bank', 'money', 'loan', 'water', 'flows', 'took', 'out', 'by', 'sat'];
const DIM = 6;

function fixture(seed = 1): Embeddings {
  const rng = createRng(seed);
  return new Embeddings(WORDS, DIM, Float32Array.from({ length: WORDS.length * DIM }, () => rng.nextFloat() - 0.3));
}

const counts = { words: WORDS, counts: WORDS.map((_, i) => 1000 / (i + 1)) };
const texts = [
  'The river bank.',
  'She took out a loan at the bank!',
  'Water flows by the bank of the river',
  'Zzyzx qwerty',
  'money, money, MONEY',
];

describe('StaticEmbedder', () => {
  it('mean-pools the tokenizer words as the pooler does, case folded against the vocabulary', async () => {
    const vectors = fixture();
    const embedder = StaticEmbedder.mean(vectors, { name: 'toy-mean' });
    expect(embedder).toMatchObject({ name: 'toy-mean', family: 'word2vec', dimension: DIM, contextual: false });
    expect(embedder.price.usdPerMillionTokens).toBe(0);
    const batch = await embedder.embed(texts);
    expect(batch.count).toBe(5);
    expect(batch.missing).toEqual([3]);
    const expected = SentencePooler.mean(vectors).pool([['the', 'river', 'bank']]).vectors;
    expect(Array.from(batch.vectors.subarray(0, DIM))).toEqual(Array.from(expected));
    expect(Array.from(batch.vectors.subarray(4 * DIM, 5 * DIM))).toEqual(Array.from(vectors.getOrThrow('money')));
    expect(batch.cost).toEqual({ tokens: 3 + 8 + 8 + 2 + 3, estimated: false, usd: 0 });
    expect(embedder.estimateCost(texts)).toEqual(batch.cost);
  });

  it('gives the same rows whatever the batch size, and reports progress per batch', async () => {
    const embedder = StaticEmbedder.sif(fixture(), { counts, reference: texts });
    const whole = await embedder.embed(texts);
    const progress: number[] = [];
    const small = await embedder.embed(texts, { batchSize: 2, onProgress: (p) => progress.push(p.done) });
    expect(Array.from(small.vectors)).toEqual(Array.from(whole.vectors));
    expect(small.missing).toEqual(whole.missing);
    expect(progress).toEqual([2, 4, 5]);
    await expect(embedder.embed(texts, { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer/);
  });

  it('SIF: a single query is embedded as inside the reference set, and the fit can be restored', async () => {
    const vectors = fixture(2);
    const embedder = StaticEmbedder.sif(vectors, { counts, reference: texts });
    const all = await embedder.embed(texts);
    const one = await embedder.embed([texts[2] as string]);
    expect(Array.from(one.vectors)).toEqual(Array.from(all.vectors.subarray(2 * DIM, 3 * DIM)));
    const restored = StaticEmbedder.sif(vectors, { counts, principalComponents: embedder.pooler.principalComponents });
    expect(Array.from((await restored.embed(texts)).vectors)).toEqual(Array.from(all.vectors));
    // The removal differs from plain weighting.
    const weightedOnly = StaticEmbedder.sif(vectors, { counts, components: 0 });
    expect(Array.from((await weightedOnly.embed(texts)).vectors)).not.toEqual(Array.from(all.vectors));
  });

  it('stops between batches when the signal fires, with ABORTED and the reason as cause', async () => {
    const embedder = StaticEmbedder.mean(fixture());
    const controller = new AbortController();
    const many = Array.from({ length: 50 }, () => 'the river bank');
    const seen: number[] = [];
    const promise = embedder.embed(many, {
      batchSize: 10,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done === 20) controller.abort(new Error('enough'));
      },
    });
    await expect(promise).rejects.toSatisfy((error: unknown) => isEmbedkitError(error, 'ABORTED') && (error as Error).cause instanceof Error);
    expect(seen).toEqual([10, 20]);
    const already = AbortSignal.abort();
    await expect(embedder.embedTokens('the bank', { signal: already })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
  });

  it('embedTokens: each word its own vector, the same in every sentence (context 0)', async () => {
    const vectors = fixture();
    const embedder = StaticEmbedder.mean(vectors);
    const river = await embedder.embedTokens('The river bank');
    const money = await embedder.embedTokens('A bank loan, zzyzx');
    expect(river.tokens).toEqual(['The', 'river', 'bank']);
    expect(Array.from(river.vectors.subarray(2 * DIM))).toEqual(Array.from(money.vectors.subarray(DIM, 2 * DIM)));
    expect(money.missing).toEqual([3]);
    expect(Array.from(money.vectors.subarray(3 * DIM))).toEqual(new Array(DIM).fill(0));
  });

  it('subword models cover words the plain vectors miss', async () => {
    const rng = createRng(3);
    const buckets = 100;
    const input = Float32Array.from({ length: (WORDS.length + buckets) * DIM }, () => rng.nextFloat() - 0.5);
    const subwords = new SubwordEmbeddings(WORDS, DIM, input, { minN: 3, maxN: 5, buckets });
    const fasttext = StaticEmbedder.mean(subwords);
    expect(fasttext.family).toBe('fasttext');
    const plain = StaticEmbedder.mean(new Embeddings(WORDS, DIM, subwords.toMatrix()));
    const unseen = ['rivers', 'banking', 'loans'];
    expect((await plain.embed(unseen)).missing).toEqual([0, 1, 2]);
    const covered = await fasttext.embed(unseen);
    expect(covered.missing).toEqual([]);
    expect(Array.from(covered.vectors.subarray(0, DIM))).toEqual(Array.from(subwords.vectorFor('rivers')));
  });

  it('rejects bad arguments with the name of the problem', async () => {
    const embedder = StaticEmbedder.mean(fixture());
    await expect(embedder.embed('the bank' as never)).rejects.toThrow(/texts must be an array/);
    await expect(embedder.embed([1 as never])).rejects.toThrow(/texts\[0\] is number/);
    expect(() => StaticEmbedder.sif(fixture(), { counts, reference: [['the']] as never })).toThrow(/reference\[0\] is object/);
    expect(() => StaticEmbedder.sif(fixture(), { counts })).toThrow(/pass reference/);
  });
});
