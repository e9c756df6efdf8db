/**
 * Scores one {@link Embedder} on the whole families data: every figure of a row but the training
 * cost, which belongs to whoever built the embedder.
 */
import type { EmbedOptions, Embedder } from '@embedkit/encoders';
import type { LabelledText } from '@embedkit/datasets';
import type { FamiliesData } from './data';
import {
  centroidProbeAccuracy,
  measureContext,
  measureCoverage,
  measureWordSimilarity,
  type ContextResult,
  type Coverage,
  type WordSimilarityScore,
} from './metrics';

/** Cost of encoding the sentence tasks' texts. */
export interface EncodeCost {
  /** CPU seconds of this process (all threads) spent in `embed`. */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** Word tokens encoded (our tokenizer's count, the same for every row). */
  readonly wordTokens: number;
  /** Tokens and US dollars as the embedder reported them (the provider's count for hosted APIs); usd null when the price is unknown. */
  readonly reportedTokens: number;
  readonly usd: number | null;
}

/** Every figure measured on an embedder. */
export interface EmbedderMeasurement {
  readonly context: ContextResult | null;
  /** OOV: distinct words of the new source, and running tokens of held-out in-domain text. */
  readonly newSourceWords: Coverage;
  readonly heldOutTokens: Coverage;
  /** Nearest-centroid probe accuracy on held-out in-domain sentences (era), 5-fold. */
  readonly inDomainAccuracy: number;
  /** The same probe on the new source (ham/spam). */
  readonly newSourceAccuracy: number;
  readonly wordsim353: WordSimilarityScore | null;
  readonly simlex999: WordSimilarityScore | null;
  readonly encode: EncodeCost;
  /** US dollars of every `embed` call made to measure the embedder, as it reported them; null when a price is unknown. */
  readonly spentUsd: number | null;
}

/** Progress of {@link measureEmbedder}: the step that starts. */
export type MeasureStep = 'context' | 'coverage' | 'in-domain' | 'new-source' | 'word-similarity';

/** Options of {@link measureEmbedder}. */
export interface MeasureOptions {
  readonly signal?: AbortSignal;
  readonly onStep?: (step: MeasureStep) => void;
}

interface Accumulator {
  cpu: number;
  wall: number;
  wordTokens: number;
  reportedTokens: number;
  usd: number | null;
}

async function probe(embedder: Embedder, texts: readonly LabelledText[], totals: Accumulator, options: EmbedOptions): Promise<number> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const batch = await embedder.embed(texts.map((t) => t.tokens.join(' ')), options);
  const used = process.cpuUsage(cpu);
  totals.cpu += (used.user + used.system) / 1e6;
  totals.wall += (performance.now() - wall) / 1000;
  totals.wordTokens += texts.reduce((sum, t) => sum + t.tokens.length, 0);
  totals.reportedTokens += batch.cost.tokens;
  totals.usd = totals.usd === null || batch.cost.usd === undefined ? null : totals.usd + batch.cost.usd;
  return centroidProbeAccuracy(batch.vectors, batch.dimension, texts.map((t) => t.label));
}

/**
 * The embedder with the reported price of every `embed` call added up (the context, coverage and
 * word-similarity steps call it too, not only the probes). Other members are the embedder's own,
 * bound to it (so that private class fields keep working).
 */
function meterSpending(embedder: Embedder): { metered: Embedder; spent: () => number | null } {
  let usd: number | null = 0;
  const embed: Embedder['embed'] = async (texts, options) => {
    const batch = await embedder.embed(texts, options);
    usd = usd === null || batch.cost.usd === undefined ? null : usd + batch.cost.usd;
    return batch;
  };
  const metered = new Proxy(embedder, {
    get(target, key) {
      if (key === 'embed') return embed;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { metered, spent: () => usd };
}

/** Measures `embedder` on `data`. */
export async function measureEmbedder(measured: Embedder, data: FamiliesData, options: MeasureOptions = {}): Promise<EmbedderMeasurement> {
  const { metered: embedder, spent } = meterSpending(measured);
  const embedOptions: EmbedOptions = options.signal ? { signal: options.signal } : {};
  options.onStep?.('context');
  const context = await measureContext(embedder, data.senses, embedOptions);
  options.onStep?.('coverage');
  const newSourceWords = await measureCoverage(embedder, data.newSource.map((t) => t.tokens), embedOptions);
  const heldOutTokens = await measureCoverage(embedder, data.heldOut.map((t) => t.tokens), embedOptions);
  const totals: Accumulator = { cpu: 0, wall: 0, wordTokens: 0, reportedTokens: 0, usd: 0 };
  options.onStep?.('in-domain');
  const inDomainAccuracy = await probe(embedder, data.heldOut, totals, embedOptions);
  options.onStep?.('new-source');
  const newSourceAccuracy = await probe(embedder, data.newSource, totals, embedOptions);
  options.onStep?.('word-similarity');
  const wordsim353 = data.wordsim353 ? await measureWordSimilarity(embedder, data.wordsim353, embedOptions) : null;
  const simlex999 = data.simlex999 ? await measureWordSimilarity(embedder, data.simlex999, embedOptions) : null;
  return {
    context,
    newSourceWords,
    heldOutTokens,
    inDomainAccuracy,
    newSourceAccuracy,
    wordsim353,
    simlex999,
    encode: { cpuSeconds: totals.cpu, wallSeconds: totals.wall, wordTokens: totals.wordTokens, reportedTokens: totals.reportedTokens, usd: totals.usd },
    spentUsd: spent(),
  };
}
