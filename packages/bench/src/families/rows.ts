/**
 * The rows of the families comparison and how each row's embedder is made: static models trained
 * here on the training text by embkit's own trainers (then pooled into sentence vectors by
 * @embedkit/encoders), the contextual encoder(s), and the hosted adapters.
 */
import type { Embedder } from '@embedkit/encoders';
import { AS_WRITTEN, Corpus } from '@embedkit/tokenizer';
import type { Embeddings } from '@embedkit/vectors';

/** Static models the comparison trains. */
export type StaticAlgorithm = 'skipgram' | 'cbow' | 'glove' | 'ppmi-svd' | 'fasttext';

/** One row of the table. */
export type FamilyRowSpec =
  | { readonly kind: 'static'; readonly id: string; readonly label: string; readonly algorithm: StaticAlgorithm }
  | { readonly kind: 'contextual'; readonly id: string; readonly label: string }
  | { readonly kind: 'hosted'; readonly id: string; readonly label: string; readonly provider: string };

/** Training settings of the static rows (the C tool's defaults where it has one). */
export interface FamiliesSettings {
  readonly dim: number;
  /** Passes of word2vec and fastText; GloVe makes 3 × as many iterations (its usual 15 for 5). */
  readonly epochs: number;
  readonly minCount: number;
  readonly threads: number;
  readonly seed: number;
  /** fastText-style n-gram buckets (fastText's 2M would take 800 MB at 100 dimensions). */
  readonly buckets: number;
  /** Wall-time budget of the contextual encoder's training, seconds. */
  readonly contextualSeconds: number;
}

export const DEFAULT_FAMILIES_SETTINGS: FamiliesSettings = { dim: 100, epochs: 5, minCount: 5, threads: 2, seed: 1, buckets: 200_000, contextualSeconds: 150 };

/** The static rows, in table order. */
export const STATIC_ROWS: readonly FamilyRowSpec[] = [
  { kind: 'static', id: 'word2vec-sg', label: 'word2vec skip-gram', algorithm: 'skipgram' },
  { kind: 'static', id: 'word2vec-cbow', label: 'word2vec CBOW', algorithm: 'cbow' },
  { kind: 'static', id: 'glove', label: 'GloVe', algorithm: 'glove' },
  { kind: 'static', id: 'ppmi-svd', label: 'PPMI-SVD', algorithm: 'ppmi-svd' },
  { kind: 'static', id: 'fasttext-sg', label: 'fastText-style subwords (skip-gram)', algorithm: 'fasttext' },
];

/** What building a row's embedder cost. */
export interface BuiltEmbedder {
  readonly embedder: Embedder;
  /** CPU seconds (all threads of this process) and wall seconds of training; null when nothing was trained. */
  readonly trainCpuSeconds: number | null;
  readonly trainWallSeconds: number | null;
  /** Tokens the training read, when it is not one pass of the corpus per epoch (a time-budgeted model); null: the corpus. */
  readonly trainTokens: number | null;
  readonly notes: readonly string[];
}

/** Lines of the training file used to fit SIF's principal direction. */
const SIF_REFERENCE_LINES = 5000;

async function trainStatic(algorithm: StaticAlgorithm, corpus: Corpus, s: FamiliesSettings, signal?: AbortSignal): Promise<Embeddings> {
  const { trainWord2Vec } = await import('@embedkit/word2vec');
  const { trainGlove, trainPpmiSvd } = await import('@embedkit/cooccurrence');
  const word2vec = { dim: s.dim, window: 5, negative: 5, sample: 1e-4, epochs: s.epochs, threads: s.threads, seed: s.seed, ...(signal ? { signal } : {}) };
  switch (algorithm) {
    case 'skipgram':
    case 'cbow':
      return (await trainWord2Vec(corpus, { ...word2vec, model: algorithm })).embeddings;
    case 'fasttext':
      return (await trainWord2Vec(corpus, { ...word2vec, model: 'skipgram', subwords: { minN: 3, maxN: 6, buckets: s.buckets } })).embeddings;
    case 'glove':
      return (await trainGlove(corpus, { dim: s.dim, window: 10, iterations: 3 * s.epochs, threads: s.threads, seed: s.seed, maxVocab: 30000, minCount: s.minCount, ...(signal ? { signal } : {}) })).embeddings;
    case 'ppmi-svd':
      return trainPpmiSvd(corpus, { dim: s.dim, window: 5, maxVocab: 30000, minCount: s.minCount, seed: s.seed }).embeddings;
  }
}

/** Evenly spaced lines of the corpus, as texts, for SIF's principal direction. */
function referenceTexts(corpus: Corpus, count: number): string[] {
  const texts: string[] = [];
  const step = Math.max(1, Math.floor(corpus.sentenceCount / count));
  const words = corpus.vocabulary.words;
  for (let s = 0; s < corpus.sentenceCount && texts.length < count; s += step) {
    const ids = corpus.ids.subarray(corpus.sentenceOffsets[s], corpus.sentenceOffsets[s + 1]);
    texts.push(Array.from(ids, (id) => words[id] as string).join(' '));
  }
  return texts;
}

/**
 * Trains a static row on `corpusPath` (one sentence per line, whitespace tokens, as every training
 * command reads it) and wraps it in a SIF sentence embedder; training CPU is this process's.
 */
export async function buildStaticRow(
  spec: Extract<FamilyRowSpec, { kind: 'static' }>,
  corpusPath: string,
  settings: FamiliesSettings,
  signal?: AbortSignal,
): Promise<BuiltEmbedder> {
  const { StaticEmbedder } = await import('@embedkit/encoders');
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const word2vecFamily = spec.algorithm === 'skipgram' || spec.algorithm === 'cbow' || spec.algorithm === 'fasttext';
  const corpus = await Corpus.fromFile(corpusPath, { ...AS_WRITTEN, minCount: settings.minCount, shared: word2vecFamily && settings.threads > 1, ...(signal ? { signal } : {}) });
  const embeddings = await trainStatic(spec.algorithm, corpus, settings, signal);
  const used = process.cpuUsage(cpu);
  const trainWallSeconds = (performance.now() - wall) / 1000;
  const family = spec.algorithm === 'skipgram' || spec.algorithm === 'cbow' ? 'word2vec' : spec.algorithm === 'fasttext' ? 'fasttext' : spec.algorithm;
  const embedder = StaticEmbedder.sif(embeddings, {
    name: spec.id,
    family,
    counts: corpus.vocabulary,
    reference: referenceTexts(corpus, SIF_REFERENCE_LINES),
  });
  return {
    embedder,
    trainCpuSeconds: (used.user + used.system) / 1e6,
    trainWallSeconds,
    trainTokens: null,
    notes: [`${embeddings.size.toLocaleString('en-US')} words`],
  };
}
