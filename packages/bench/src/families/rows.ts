/**
 * The rows of the families comparison and how each row's embedder is made: static models trained
 * here on the training text by embkit's own trainers (then pooled into sentence vectors by
 * @embedkit/encoders), the contextual encoder(s), and the hosted adapters.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { BilmTrainingReport } from '@embedkit/bilm';
import type { Embedder } from '@embedkit/encoders';
import { AS_WRITTEN, Corpus } from '@embedkit/tokenizer';
import type { Embeddings } from '@embedkit/vectors';

/** Static models the comparison trains. */
export type StaticAlgorithm = 'skipgram' | 'cbow' | 'glove' | 'ppmi-svd' | 'fasttext';

/** Contextual encoders the comparison runs: embedkit's own bidirectional LM, or a user's ONNX export. */
export type ContextualEncoderKind = 'bilm' | 'onnx';

/** One row of the table. */
export type FamilyRowSpec =
  | { readonly kind: 'static'; readonly id: string; readonly label: string; readonly algorithm: StaticAlgorithm }
  | { readonly kind: 'contextual'; readonly id: string; readonly label: string; readonly encoder: ContextualEncoderKind }
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
  /** Wall-time budget of the contextual encoder's training, seconds (when it is trained here). */
  readonly contextualSeconds: number;
  /** A bilm directory to load instead of training one (`--contextual-model`); null: train. */
  readonly contextualModel: string | null;
  /** Where the bilm trained here is saved (for `contextualModel` of a later run); null: not saved. */
  readonly contextualOutput: string | null;
  /** A BERT-family ONNX export (`--onnx-model`); null: that row is not measured. */
  readonly onnxModel: string | null;
}

export const DEFAULT_FAMILIES_SETTINGS: FamiliesSettings = {
  dim: 100,
  epochs: 5,
  minCount: 5,
  threads: 2,
  seed: 1,
  buckets: 200_000,
  contextualSeconds: 150,
  contextualModel: null,
  contextualOutput: null,
  onnxModel: null,
};

/** The static rows, in table order. */
export const STATIC_ROWS: readonly FamilyRowSpec[] = [
  { kind: 'static', id: 'word2vec-sg', label: 'word2vec skip-gram', algorithm: 'skipgram' },
  { kind: 'static', id: 'word2vec-cbow', label: 'word2vec CBOW', algorithm: 'cbow' },
  { kind: 'static', id: 'glove', label: 'GloVe', algorithm: 'glove' },
  { kind: 'static', id: 'ppmi-svd', label: 'PPMI-SVD', algorithm: 'ppmi-svd' },
  { kind: 'static', id: 'fasttext-sg', label: 'fastText-style subwords (skip-gram)', algorithm: 'fasttext' },
];

/** The contextual rows, in table order. */
export const CONTEXTUAL_ROWS: readonly FamilyRowSpec[] = [
  { kind: 'contextual', id: 'bilm', label: 'ELMo-style biLM (embedkit, trained here)', encoder: 'bilm' },
  { kind: 'contextual', id: 'onnx-bert', label: 'BERT-family ONNX model (--onnx-model)', encoder: 'onnx' },
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
  /** The row's name in tables when it differs from the spec's (a bilm loaded rather than trained here). */
  readonly label?: string;
}

/** Words GloVe and PPMI-SVD keep (the most frequent). */
const COOCCURRENCE_MAX_VOCAB = 30_000;

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
      return (await trainGlove(corpus, { dim: s.dim, window: 10, iterations: 3 * s.epochs, threads: s.threads, seed: s.seed, maxVocab: COOCCURRENCE_MAX_VOCAB, minCount: s.minCount, ...(signal ? { signal } : {}) })).embeddings;
    case 'ppmi-svd': {
      // The factorisation has as many dimensions as words at most; its own refusal names its options.
      const words = Math.min(corpus.vocabulary.size, COOCCURRENCE_MAX_VOCAB);
      if (words < s.dim) throw new RangeError(`the training text (--corpus) keeps ${words} words seen ${s.minCount} times or more, fewer than the ${s.dim} dimensions of PPMI-SVD: give a longer text.`);
      return trainPpmiSvd(corpus, { dim: s.dim, window: 5, maxVocab: COOCCURRENCE_MAX_VOCAB, minCount: s.minCount, seed: s.seed }).embeddings;
    }
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

/** A path as notes show it: relative to the working folder (the repository root for the CLI). */
const shown = (path: string) => relative(process.cwd(), path) || path;

/** Training sentences of the corpus file as the bilm reads text: lower-case words of @embedkit/tokenizer. */
async function contextualSentences(corpusPath: string): Promise<string[][]> {
  const { Tokenizer } = await import('@embedkit/tokenizer');
  const tokenizer = new Tokenizer({ lowercase: true });
  const sentences: string[][] = [];
  for (const line of (await readFile(corpusPath, 'utf8')).split('\n')) {
    const words = tokenizer.tokenizeInto(line, []);
    if (words.length) sentences.push(words);
  }
  return sentences;
}

/** File, in a bilm directory saved by the comparison, naming the training text it was trained on. */
export const CORPUS_FINGERPRINT_FILE = 'families-corpus.json';

async function corpusSha256(corpusPath: string): Promise<string> {
  return createHash('sha256').update(await readFile(corpusPath)).digest('hex');
}

/** Records, beside a bilm the comparison trained, which training text it read. */
export async function saveCorpusFingerprint(modelDirectory: string, corpusPath: string): Promise<void> {
  const file = join(modelDirectory, CORPUS_FINGERPRINT_FILE);
  await writeFile(`${file}.tmp`, JSON.stringify({ sha256: await corpusSha256(corpusPath) }) + '\n');
  await rename(`${file}.tmp`, file);
}

/**
 * Why the saved bilm in `modelDirectory` cannot be compared on `corpusPath` (it was trained by the
 * comparison on another text: its held-out figures would not be held out), in flag words, or null.
 * A directory without the fingerprint (saved by trainContextualEncoder itself) is not checked.
 * `corpusGiven`: false when `corpusPath` is the bundled text the comparison wrote (no --corpus).
 */
export async function contextualCorpusProblem(modelDirectory: string, corpusPath: string, corpusGiven = true): Promise<string | null> {
  let saved: { sha256?: unknown };
  try {
    saved = JSON.parse(await readFile(join(modelDirectory, CORPUS_FINGERPRINT_FILE), 'utf8')) as { sha256?: unknown };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    return `--contextual-model ${modelDirectory}: ${CORPUS_FINGERPRINT_FILE} is damaged (${(error as Error).message}). Leave the flag out to train a bilm here.`;
  }
  if (saved.sha256 === (await corpusSha256(corpusPath))) return null;
  const thisText = corpusGiven ? `--corpus ${shown(corpusPath)}` : 'the bundled text: no --corpus given';
  return `--contextual-model ${modelDirectory} was trained on another text than this run's (${thisText}): its held-out figures would not be held out. Give the --corpus it was trained on, or leave --contextual-model out to train one here.`;
}

/**
 * The cost of a bilm as the table shows it: the training report's own figures (the training steps,
 * without reading the text or saving the model), so that a bilm trained in this run and the same
 * bilm loaded later from its bilm.json show the same cost. Models saved before the CPU time was
 * kept have none.
 */
function bilmTrainingCost(t: BilmTrainingReport | undefined): Pick<BuiltEmbedder, 'trainCpuSeconds' | 'trainWallSeconds' | 'trainTokens'> {
  return { trainCpuSeconds: t?.cpuSeconds ?? null, trainWallSeconds: t?.seconds ?? null, trainTokens: t?.tokensSeen ?? null };
}

/**
 * Builds a contextual row: the bilm trained here on the corpus for `contextualSeconds` (or loaded
 * from `contextualModel`), or the user's ONNX export.
 */
export async function buildContextualRow(
  spec: Extract<FamilyRowSpec, { kind: 'contextual' }>,
  corpusPath: string,
  settings: FamiliesSettings,
  signal?: AbortSignal,
): Promise<BuiltEmbedder> {
  if (spec.encoder === 'onnx') {
    if (!settings.onnxModel) throw new Error(`Row ${spec.id} needs a model directory (--onnx-model DIR).`);
    const { loadOnnxEncoder } = await import('@embedkit/encoders');
    const embedder = await loadOnnxEncoder(settings.onnxModel, { threads: settings.threads });
    return { embedder, trainCpuSeconds: null, trainWallSeconds: null, trainTokens: null, notes: [`loaded from ${shown(settings.onnxModel)}; pretrained elsewhere: no training cost here`] };
  }
  const { CONTEXTUAL_DEFAULTS, loadContextualEncoder, trainContextualEncoder } = await import('@embedkit/bilm');
  if (settings.contextualModel) {
    const embedder = await loadContextualEncoder(settings.contextualModel, { name: spec.id });
    const t = embedder.training;
    return {
      embedder,
      label: 'ELMo-style biLM (embedkit, loaded)',
      ...bilmTrainingCost(t),
      notes: [
        `loaded from ${shown(settings.contextualModel)}` + (t ? ` (trained ${Math.round(t.seconds)} s, ${t.tokensSeen.toLocaleString('en-US')} tokens seen)` : ''),
        existsSync(join(settings.contextualModel, CORPUS_FINGERPRINT_FILE))
          ? "trained on this run's training text (checked)"
          : 'its training text is not checked: held-out figures hold only if it excluded the held-out addresses',
        `${embedder.words.length.toLocaleString('en-US')} words`,
      ],
    };
  }
  // A model trained here replaces the saved one: its old fingerprint must not outlive it.
  if (settings.contextualOutput) await rm(join(settings.contextualOutput, CORPUS_FINGERPRINT_FILE), { force: true });
  const sentences = await contextualSentences(corpusPath);
  // The bilm reads windows of CONTEXTUAL_DEFAULTS.window tokens; its own refusal names its options.
  const streamLength = sentences.reduce((sum, sentence) => sum + sentence.length + 1, 0);
  if (streamLength <= CONTEXTUAL_DEFAULTS.window) {
    throw new RangeError(`the training text (--corpus) has ${streamLength} tokens with sentence ends as the bilm reads it; it needs more than its window of ${CONTEXTUAL_DEFAULTS.window}: give a longer text.`);
  }
  const embedder = await trainContextualEncoder(sentences, {
    seconds: settings.contextualSeconds,
    seed: settings.seed,
    name: spec.id,
    ...(settings.contextualOutput ? { output: settings.contextualOutput } : {}),
    ...(signal ? { signal } : {}),
  });
  if (settings.contextualOutput) await saveCorpusFingerprint(settings.contextualOutput, corpusPath);
  const t = embedder.training!;
  return {
    embedder,
    ...bilmTrainingCost(t),
    notes: [
      `trained here for ${Math.round(t.seconds)} s: ${t.steps.toLocaleString('en-US')} steps, ${t.tokensSeen.toLocaleString('en-US')} tokens seen (${(t.tokensSeen / t.trainingTokens).toFixed(2)} passes), final loss ${t.finalLoss.toFixed(2)}, ${t.backend} backend`,
      `${embedder.words.length.toLocaleString('en-US')} words; others are <unk> (no vector of their own)`,
      ...(settings.contextualOutput ? [`saved to ${shown(settings.contextualOutput)}`] : []),
    ],
  };
}
