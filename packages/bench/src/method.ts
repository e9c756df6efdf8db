/**
 * What the harness compares. A *task* fixes the data and the settings (skip-gram with negative
 * sampling, 100 dimensions, window 5, …); a *method* is one tool that can perform tasks (embedkit's
 * word2vec, gensim, fastText, word2vec.c, …). Every method given the same task gets identical
 * settings, runs in its own process, and writes its vectors to a file the harness evaluates with
 * one evaluator, so quality is compared like for like.
 *
 * New methods register themselves with {@link registerMethod}; the harness's core never lists them.
 */

/** The models a word task can ask for. */
export type WordAlgorithm = 'skipgram' | 'cbow' | 'ppmi-svd' | 'glove' | 'tfjs-skipgram';

/** Settings of a word-embedding task, named as in the C tool where one exists. */
export interface WordTaskSettings {
  readonly algorithm: WordAlgorithm;
  readonly dim: number;
  readonly window: number;
  /** Negative samples; 0 = none. */
  readonly negative: number;
  /** Hierarchical softmax. */
  readonly hs: boolean;
  /** Subsampling threshold; 0 = none. */
  readonly sample: number;
  readonly minCount: number;
  readonly epochs: number;
  /** Starting learning rate; omitted = each algorithm's usual default. */
  readonly alpha?: number;
  readonly threads: number;
  /** PPMI-SVD and GloVe: keep the N most frequent words. */
  readonly maxVocab?: number;
  /** GloVe's weighting cut-off. */
  readonly xMax?: number;
}

/** A word-embedding task: a corpus file (one sentence per line, tokens separated by spaces). */
export interface WordTask {
  readonly kind: 'words';
  /** Short id used in tables: `skipgram-ns`, `ppmi-svd`. */
  readonly id: string;
  readonly settings: WordTaskSettings;
}

/**
 * A recommendation task: leave-last-out evaluation (@embedkit/item2vec's `compareRecommenders`)
 * of an embedding mode next to the popularity and item-kNN baselines, on one data set.
 */
export interface ItemTask {
  readonly kind: 'items';
  readonly id: string;
  /** Preset of @embedkit/item2vec (`movielens`, `trivago`), or `marketplace` (generated, no file). */
  readonly dataset: 'movielens' | 'trivago' | 'marketplace';
  /** Events file, relative to the data directory (`--data-dir`); absent for `marketplace`. */
  readonly events?: string;
  readonly mode: 'item2vec' | 'sequence' | 'airbnb';
}

export type BenchTask = WordTask | ItemTask;

/** Paths and settings handed to one run. */
export interface RunInput {
  readonly task: BenchTask;
  /** Corpus (word tasks) or events file (item tasks); empty for generated data. */
  readonly inputPath: string;
  /** Where a word method must write word2vec-text vectors. */
  readonly outputPath: string;
  readonly seed: number;
}

/** What an in-process method reports back from its child process. */
export interface RunReport {
  /** Recommendation metrics, for item tasks: name → value. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Anything worth showing next to the figures (backend used, vocabulary size…). */
  readonly notes?: string;
}

interface MethodBase {
  /** Unique id: `embedkit-word2vec`, `gensim`. */
  readonly id: string;
  /** Name in tables: `embedkit`, `gensim 4.2`. */
  readonly label: string;
  /** References are the tools embedkit is compared against. */
  readonly reference: boolean;
  supports(task: BenchTask): boolean;
  /** Null when the method can run here; otherwise why not (shown, and the method is skipped). */
  unavailableReason(options: HarnessOptions): string | null;
}

/** A method implemented in TypeScript: the harness runs `train` in a fresh Node process. */
export interface InProcessMethod extends MethodBase {
  readonly runs: 'in-process';
  train(input: RunInput): Promise<RunReport>;
}

/** A method run as an external command (a reference tool). */
export interface ExternalMethod extends MethodBase {
  readonly runs: 'external';
  command(input: RunInput, options: HarnessOptions): { command: string; args: string[] };
  /** Reads what the command printed; e.g. gensim's script prints the token count. */
  parseReport?(stdout: string): RunReport;
}

export type BenchMethod = InProcessMethod | ExternalMethod;

/** Options that methods may need to find their tools. */
export interface HarnessOptions {
  /** Path of the original word2vec.c binary, when given with `--word2vec-bin`. */
  readonly word2vecBin?: string | undefined;
  /** Folder of the shared data sets (`shared/data`), for item tasks' event files. */
  readonly dataDir?: string | undefined;
}

const registry = new Map<string, BenchMethod>();

/** Adds a method to the harness. Ids must be unique. */
export function registerMethod(method: BenchMethod): void {
  if (registry.has(method.id)) throw new Error(`A bench method with id '${method.id}' is already registered.`);
  registry.set(method.id, method);
}

/** Every registered method, in registration order. */
export function listMethods(): BenchMethod[] {
  return [...registry.values()];
}

/** The method with this id; throws naming the known ids. */
export function getMethod(id: string): BenchMethod {
  const method = registry.get(id);
  if (!method) throw new Error(`Unknown bench method '${id}'. Known: ${[...registry.keys()].join(', ')}.`);
  return method;
}
