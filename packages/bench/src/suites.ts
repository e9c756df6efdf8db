/**
 * Named suites: lists of tasks with identical settings for every method. Settings follow the C
 * tool's text8 example (`-size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter 5`),
 * which gensim and fastText are also run with.
 */
import type { BenchTask, WordTask, WordTaskSettings } from './method';

const TEXT8: Omit<WordTaskSettings, 'algorithm' | 'threads'> = {
  dim: 100,
  window: 5,
  negative: 5,
  hs: false,
  sample: 1e-4,
  minCount: 5,
  epochs: 5,
};

function word(id: string, settings: Partial<WordTaskSettings> & Pick<WordTaskSettings, 'algorithm'>, threads: number): WordTask {
  return { kind: 'words', id, settings: { ...TEXT8, threads, ...settings } };
}

/** A suite: its tasks, given the thread count every method gets. */
export type Suite = (threads: number) => BenchTask[];

const suites = new Map<string, Suite>();

/** Adds a suite (method modules register the suites of their own tasks). */
export function registerSuite(name: string, suite: Suite): void {
  if (suites.has(name)) throw new Error(`A bench suite named '${name}' is already registered.`);
  suites.set(name, suite);
}

/** Names of the registered suites. */
export function suiteNames(): string[] {
  return [...suites.keys()];
}

const BUILT_IN: Readonly<Record<string, Suite>> = {
  /** Skip-gram and CBOW with negative sampling: the headline comparison. */
  word2vec: (threads) => [
    word('skipgram-ns', { algorithm: 'skipgram' }, threads),
    word('cbow-ns', { algorithm: 'cbow' }, threads),
  ],
  /** Hierarchical softmax instead of negative sampling. */
  hs: (threads) => [
    word('skipgram-hs', { algorithm: 'skipgram', hs: true, negative: 0 }, threads),
    word('cbow-hs', { algorithm: 'cbow', hs: true, negative: 0 }, threads),
  ],
  /**
   * Streaming (issue 17): CBOW with negative sampling, one epoch, so that a corpus ten times the
   * shared one (140M tokens) trains in minutes; run on both corpora with `embedkit-word2vec`,
   * `embedkit-word2vec-stream` and `gensim` (corpus_file) for memory and speed side by side.
   */
  stream: (threads) => [word('cbow-ns-1epoch', { algorithm: 'cbow', epochs: 1 }, threads)],
  /**
   * The stream task for the shared corpus repeated 10×: min-count 50 keeps exactly the words that
   * min-count 5 keeps on one copy (every count is 10× as large), so the model is the same size and
   * only the corpus grows.
   */
  'stream-10x': (threads) => [word('cbow-ns-1epoch-mc50', { algorithm: 'cbow', epochs: 1, minCount: 50 }, threads)],
  /** The quality side of streaming: CBOW with negative sampling at the full text8 settings (5 epochs). */
  'stream-quality': (threads) => [word('cbow-ns', { algorithm: 'cbow' }, threads)],
  /** The TensorFlow.js trainer next to the fast one (a few epochs: it is far slower). */
  tfjs: (threads) => [word('tfjs-skipgram', { algorithm: 'tfjs-skipgram', epochs: 1, sample: 1e-3 }, threads)],
  /** Recommendations: item2vec and Airbnb-style modes against popularity and item-kNN. */
  items: () => [
    { kind: 'items', id: 'marketplace-airbnb', dataset: 'marketplace', mode: 'airbnb' },
    { kind: 'items', id: 'movielens-item2vec', dataset: 'movielens', events: 'movielens/ml-latest-small/ratings.csv', mode: 'item2vec' },
    { kind: 'items', id: 'trivago-airbnb', dataset: 'trivago', events: 'sessions/trivago-100k/trivago_val_100k.csv', mode: 'airbnb' },
  ],
  /** Count-based: PPMI + truncated SVD on the 30k most frequent words, and GloVe (Stanford's text8 demo settings). */
  count: (threads) => [
    word('ppmi-svd', { algorithm: 'ppmi-svd', maxVocab: 30000, epochs: 1 }, threads),
    word('glove', { algorithm: 'glove', dim: 50, window: 15, xMax: 10, epochs: 15, maxVocab: 30000 }, threads),
  ],
};
for (const [name, suite] of Object.entries(BUILT_IN)) registerSuite(name, suite);

/** The default: what `pnpm bench` runs on a fresh machine in minutes. */
export const DEFAULT_SUITES = ['word2vec', 'count'];

/** The tasks of the named suites, in order, without duplicates. */
export function tasksOf(names: readonly string[], threads: number): BenchTask[] {
  const tasks = new Map<string, BenchTask>();
  for (const name of names) {
    const suite = suites.get(name);
    if (!suite) throw new Error(`Unknown suite '${name}'. Known suites: ${suiteNames().join(', ')}.`);
    for (const task of suite(threads)) tasks.set(task.id, task);
  }
  return [...tasks.values()];
}
