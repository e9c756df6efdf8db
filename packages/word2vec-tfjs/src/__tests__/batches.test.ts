import { describe, expect, it } from 'vitest';
import { UnigramSampler, createRng, listContextBags, listSamples } from '@embedkit/sampling';
import { Corpus } from '@embedkit/tokenizer';
import { BatchBuilder, type BatchSettings } from '../batches';

const sentences = [
  ['a', 'b', 'c', 'd', 'e', 'f'],
  ['b', 'c', 'a'],
  ['d'],
  ['e', 'f', 'a', 'b', 'c', 'd', 'a', 'b'],
];
const corpus = Corpus.fromSentences(sentences, { minCount: 1 });
const base: BatchSettings = { model: 'skipgram', loss: 'negative', window: 2, windowMode: 'fixed', negative: 3, sample: 0, batchSize: 5 };

/** Every example of one epoch, as strings, with the negatives of each. */
function drain(settings: BatchSettings, seed = 1) {
  const sampler = new UnigramSampler(corpus.vocabulary.counts);
  const builder = new BatchBuilder(corpus, settings, createRng(seed), sampler);
  builder.startEpoch();
  const words = corpus.vocabulary.words;
  const examples: { input: string[]; weights: number[]; output: string; sampled: number[]; signs: number[] }[] = [];
  for (let n = builder.fill(); n > 0; n = builder.fill()) {
    expect(n).toBeLessThanOrEqual(settings.batchSize);
    for (let e = 0; e < n; e++) {
      const w = builder.bagWidth;
      const k1 = 1 + settings.negative;
      const ids = Array.from(builder.inputIds.subarray(e * w, (e + 1) * w));
      const weights = settings.model === 'cbow' ? Array.from(builder.bagWeights.subarray(e * w, (e + 1) * w)) : [1];
      examples.push({
        input: ids.filter((_, k) => weights[k]! > 0).map((id) => words[id]!),
        weights: weights.filter((x) => x > 0),
        output: words[builder.outputIds[e]!]!,
        sampled: Array.from(builder.sampledIds.subarray(e * k1, (e + 1) * k1)),
        signs: Array.from(builder.sampledSigns.subarray(e * k1, (e + 1) * k1)),
      });
    }
  }
  return { examples, builder };
}

describe('BatchBuilder', () => {
  it('skip-gram with fixed windows yields exactly listSamples pairs, across batch boundaries', () => {
    const { examples, builder } = drain(base);
    const expected = sentences.flatMap((s) => listSamples(s, 2)).map((p) => `${p.target}>${p.context}`);
    expect(examples.map((e) => `${e.input[0]}>${e.output}`)).toEqual(expected);
    expect(builder.tokensProcessed).toBe(corpus.tokenCount);
    expect(builder.tokensTrained).toBe(corpus.tokenCount);
  });

  it('CBOW with fixed windows yields listContextBags bags with mean weights', () => {
    const { examples } = drain({ ...base, model: 'cbow' });
    const expected = sentences.flatMap((s) => listContextBags(s, 2));
    expect(examples.map((e) => e.output)).toEqual(expected.map((b) => b.target));
    expect(examples.map((e) => e.input)).toEqual(expected.map((b) => b.contexts));
    for (const e of examples) {
      for (const w of e.weights) expect(w).toBeCloseTo(1 / e.input.length, 6);
    }
  });

  it('negative sampling rows: the positive first with +1, then negatives with −1, or 0 when they drew the positive', () => {
    const { examples } = drain(base);
    const words = corpus.vocabulary.words;
    let skipped = 0;
    for (const e of examples) {
      expect(words[e.sampled[0]!]).toBe(e.output);
      expect(e.signs[0]).toBe(1);
      for (let k = 1; k < e.sampled.length; k++) {
        expect(e.signs[k]).toBe(words[e.sampled[k]!] === e.output ? 0 : -1);
        if (e.signs[k] === 0) skipped++;
      }
    }
    // With 6 words, some negatives must collide with the positive (~1/6 of them).
    expect(skipped).toBeGreaterThan(0);
  });

  it('dynamic windows stay within the window, and the same seed gives the same batches', () => {
    const settings: BatchSettings = { ...base, windowMode: 'dynamic' };
    const a = drain(settings, 7).examples;
    expect(drain(settings, 7).examples).toEqual(a);
    expect(drain(settings, 8).examples).not.toEqual(a);
    // Dynamic windows are a subset of the fixed ones.
    const fixed = drain(base).examples.length;
    expect(a.length).toBeLessThan(fixed);
    expect(a.length).toBeGreaterThan(0);
  });

  it('subsampling drops frequent tokens and counts what it kept', () => {
    const { builder } = drain({ ...base, sample: 1e-3 });
    expect(builder.tokensProcessed).toBe(corpus.tokenCount);
    expect(builder.tokensTrained).toBeLessThan(corpus.tokenCount);
  });
});
