import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedkitError } from '@embedkit/errors';
import { createRng } from '@embedkit/sampling';
import { cosineSimilarity } from '@embedkit/vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextualEncoderFault, evaluateContextualEncoder, loadContextualEncoder, trainContextualEncoder } from '../index';
import type { BilmEncoder, ContextualEvaluation } from '../index';

// A corpus where context decides: "bank" (and "it") appear in river sentences and in money
// sentences, and the words around them follow each topic's templates.
const RIVER = { subject: ['the river', 'the water', 'the fish', 'the boat'], verb: ['flowed past', 'rested by', 'drifted along'], object: ['the muddy bank', 'the green shore', 'the old bridge'] };
const MONEY = { subject: ['the bank', 'the lender', 'the clerk', 'the investor'], verb: ['raised', 'lowered', 'approved'], object: ['the interest rates', 'the loan', 'the cash deposit'] };

function corpus(count: number, seed: number): string[][] {
  const rng = createRng(seed);
  const pick = (words: readonly string[]) => words[rng.nextInt(words.length)] as string;
  const sentences: string[][] = [];
  for (let i = 0; i < count; i++) {
    const topic = rng.nextInt(2) === 0 ? RIVER : MONEY;
    const text = `${pick(topic.subject)} ${pick(topic.verb)} ${pick(topic.object)}`;
    sentences.push(text.split(' '));
  }
  return sentences;
}

const SMALL = { dim: 16, window: 12, batchSize: 16, negatives: 8, learningRate: 0.01, steps: 150, backend: 'wasm' as const, minCount: 1 };

async function vectorOf(encoder: BilmEncoder, text: string, word: string): Promise<Float32Array> {
  const result = await encoder.embedTokens(text);
  const at = result.tokens.indexOf(word);
  expect(at).toBeGreaterThanOrEqual(0);
  return result.vectors.slice(at * result.dimension, (at + 1) * result.dimension);
}

let root: string;
const encoders: BilmEncoder[] = [];
const evaluations: ContextualEvaluation[] = [];
const SEEDS = [1, 2];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'embedkit-bilm-'));
  const training = corpus(1500, 100);
  const heldOut = corpus(200, 200);
  for (const seed of SEEDS) {
    const encoder = await trainContextualEncoder(training, { ...SMALL, seed });
    encoders.push(encoder);
    evaluations.push(await evaluateContextualEncoder(encoder, heldOut));
  }
});

afterAll(async () => {
  for (const encoder of encoders) encoder.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('trainContextualEncoder on a two-topic corpus (2 seeds)', () => {
  it('predicts held-out words far better than the unigram baseline, from one side and from both', () => {
    for (const evaluation of evaluations) {
      expect(evaluation.positions).toBeGreaterThan(500);
      expect(evaluation.nextWordAccuracy).toBeGreaterThan(evaluation.unigramAccuracy + 0.15);
      expect(evaluation.fillInAccuracy).toBeGreaterThan(evaluation.unigramAccuracy + 0.25);
    }
  });

  it('gives "bank" a vector that depends on its sentence: closer within a topic than across', async () => {
    for (const encoder of encoders) {
      const river1 = await vectorOf(encoder, 'the boat rested by the muddy bank', 'bank');
      const river2 = await vectorOf(encoder, 'the fish drifted along the muddy bank', 'bank');
      const money = await vectorOf(encoder, 'the bank approved the loan', 'bank');
      // Measured over seeds 1-2: across topics ~2.6e-3, within a topic ~1e-6 (the vectors share a
      // large common component, so absolute changes are small; the ratio is what context does).
      const across = 1 - cosineSimilarity(river1, money);
      const within = 1 - cosineSimilarity(river1, river2);
      expect(across).toBeGreaterThan(5e-4);
      expect(across).toBeGreaterThan(10 * within);
    }
  });

  it('reports its training run', () => {
    const training = (encoders[0] as BilmEncoder).training;
    expect(training?.steps).toBe(SMALL.steps);
    expect(training?.backend).toBe('wasm');
    expect(Number.isFinite(training?.finalLoss)).toBe(true);
  });
});

describe('BilmEncoder as an Embedder', () => {
  it('has the contract fields', () => {
    const encoder = encoders[0] as BilmEncoder;
    expect(encoder.family).toBe('contextual');
    expect(encoder.contextual).toBe(true);
    expect(encoder.dimension).toBe(2 * SMALL.dim);
    expect(encoder.maxTokens).toBe(SMALL.window - 2);
    expect(encoder.price.usdPerMillionTokens).toBe(0);
  });

  it('mean-pools token vectors into sentence vectors, whatever the batch', async () => {
    const encoder = encoders[0] as BilmEncoder;
    const texts = ['The bank raised the loan.', 'the fish drifted along the green shore', '', 'zzz unknown words'];
    const batch = await encoder.embed(texts, { batchSize: 4 });
    const single = await encoder.embed(texts, { batchSize: 1 });
    expect(batch.missing).toEqual([2]);
    for (let i = 0; i < batch.vectors.length; i++) expect(batch.vectors[i]).toBeCloseTo(single.vectors[i] as number, 4);
    const tokens = await encoder.embedTokens(texts[0] as string);
    expect(tokens.tokens).toEqual(['the', 'bank', 'raised', 'the', 'loan']);
    // A word outside the vocabulary is shown as <unk>, as the model reads it.
    expect((await encoder.embedTokens('the zzz bank')).tokens).toEqual(['the', '<unk>', 'bank']);
    for (let k = 0; k < encoder.dimension; k++) {
      let sum = 0;
      for (let j = 0; j < tokens.tokens.length; j++) sum += tokens.vectors[j * encoder.dimension + k] as number;
      expect(batch.vectors[k]).toBeCloseTo(sum / tokens.tokens.length, 4);
    }
    expect(batch.cost).toEqual({ tokens: 5 + 7 + 0 + 3, estimated: false, usd: 0 });
    expect(encoder.estimateCost(texts)).toEqual(batch.cost);
  });

  it('cuts long texts to maxTokens, and stops on abort', async () => {
    const encoder = encoders[0] as BilmEncoder;
    const long = await encoder.embedTokens('the river '.repeat(20));
    expect(long.tokens.length).toBe(encoder.maxTokens);
    await expect(encoder.embed(['the bank'], { signal: AbortSignal.abort() })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
  });
});

describe('saving and loading', () => {
  it('loads back the same model', async () => {
    const encoder = encoders[0] as BilmEncoder;
    const directory = join(root, 'model');
    await encoder.save(directory);
    const loaded = await loadContextualEncoder(directory, { backend: 'wasm' });
    try {
      expect(loaded.words).toEqual(encoder.words);
      expect(loaded.training).toEqual(encoder.training);
      expect(loaded.training?.cpuSeconds).toBeGreaterThan(0);
      const text = 'the clerk lowered the interest rates';
      expect(Array.from((await loaded.embed([text])).vectors)).toEqual(Array.from((await encoder.embed([text])).vectors));
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a missing or damaged model with the fix in the message', async () => {
    await expect(loadContextualEncoder(join(root, 'absent'))).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'MODEL_NOT_FOUND') && /trainContextualEncoder/u.test((e as Error).message));
    const directory = join(root, 'damaged');
    await (encoders[0] as BilmEncoder).save(directory);
    await truncate(join(directory, 'weights.bin'), 100);
    await expect(loadContextualEncoder(directory, { backend: 'wasm' })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'INVALID_MODEL') && /weights\.bin/u.test((e as Error).message));
    await writeFile(join(directory, 'bilm.json'), '{"format": "something-else"}');
    await expect(loadContextualEncoder(directory, { backend: 'wasm' })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'INVALID_MODEL'));
  });

  it('contextualEncoderFault says what is wrong with the files, without a fix in API words, or null', async () => {
    const directory = join(root, 'checked');
    await (encoders[0] as BilmEncoder).save(directory);
    expect(await contextualEncoderFault(directory)).toBeNull();
    await truncate(join(directory, 'weights.bin'), 100);
    expect(await contextualEncoderFault(directory)).toMatch(/^weights\.bin has 100 bytes, the shape needs \d+$/u);
    expect(await contextualEncoderFault(join(root, 'absent'))).toMatch(/^cannot read .*absent.*bilm\.json \(ENOENT/u);
  });
});

describe('trainContextualEncoder refuses bad input', () => {
  it('a corpus shorter than a window is EMPTY_CORPUS; bad options are RangeErrors', async () => {
    await expect(trainContextualEncoder([['too', 'short']], { ...SMALL })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'EMPTY_CORPUS'));
    await expect(trainContextualEncoder(corpus(10, 1), { ...SMALL, dim: 0 })).rejects.toThrow(RangeError);
    await expect(trainContextualEncoder(corpus(10, 1), { ...SMALL, learningRate: 2 })).rejects.toThrow(RangeError);
    await expect(trainContextualEncoder(corpus(100, 1), { ...SMALL, signal: AbortSignal.abort() })).rejects.toSatisfy((e: unknown) => isEmbedkitError(e, 'ABORTED'));
  });
});
