import { parseSimilarityPairs } from '@embedkit/evaluation';
import { LOCAL_PRICE, type EmbedCost, type Embedder, type EmbeddingBatch } from '@embedkit/encoders';
import { describe, expect, it } from 'vitest';
import type { FamiliesData } from '../families/data';
import { measureEmbedder } from '../families/measure-embedder';
import { SentenceOnlyEmbedder } from './families-doubles';

const USD_PER_TEXT = 0.001;

/** A hosted-like embedder that bills every text it embeds, and keeps its count in a private field. */
class BillingEmbedder implements Embedder {
  readonly family = 'hosted' as const;
  readonly maxTokens = 1000;
  readonly contextual = false;
  readonly price = LOCAL_PRICE;
  readonly name = 'billing';
  readonly dimension: number;
  #texts = 0;
  readonly #inner: SentenceOnlyEmbedder;

  constructor(table: ReadonlyMap<string, readonly number[]>) {
    this.#inner = new SentenceOnlyEmbedder('inner', table);
    this.dimension = this.#inner.dimension;
  }

  get textsBilled(): number {
    return this.#texts;
  }

  async embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    this.#texts += texts.length;
    const batch = await this.#inner.embed(texts);
    return { ...batch, cost: { ...batch.cost, usd: USD_PER_TEXT * texts.length } };
  }

  estimateCost(texts: readonly string[]): EmbedCost {
    return { tokens: texts.length, estimated: true, usd: USD_PER_TEXT * texts.length };
  }
}

describe('measureEmbedder: what a hosted row spent', () => {
  it('counts every call made to measure it, not only the probes', async () => {
    const table = new Map<string, number[]>([
      ['river', [1, 0, 0]], ['water', [0.9, 0.1, 0]], ['money', [0, 1, 0]], ['loan', [0.1, 0.9, 0]], ['bank', [0.5, 0.5, 0.1]],
    ]);
    const labelled = (label: string, words: string[]) => ({ label, tokens: words });
    const texts = [
      ...Array.from({ length: 5 }, () => labelled('a', ['river', 'water', 'bank'])),
      ...Array.from({ length: 5 }, () => labelled('b', ['money', 'loan', 'bank'])),
    ];
    const data: FamiliesData = {
      heldOut: texts,
      newSource: texts,
      senses: [],
      wordsim353: parseSimilarityPairs(['river water 9', 'money loan 8', 'river money 1'].join('\n')),
      simlex999: null,
    };
    const embedder = new BillingEmbedder(table);
    const m = await measureEmbedder(embedder, data);
    expect(embedder.textsBilled).toBeGreaterThan(2 * texts.length);
    expect(m.spentUsd).toBeCloseTo(USD_PER_TEXT * embedder.textsBilled, 10);
    expect(m.spentUsd!).toBeGreaterThan(m.encode.usd!);
  });
});
