/**
 * What the training commands that follow the C word2vec tool share (`word2vec`, `cooccur`,
 * `glove`, `tfjs`): its option declarations and how it reads a training file.
 */
import { isParquetTable, type Corpus, type CorpusSource } from '@embedkit/tokenizer';
import { resolveOptions, type Word2VecOptions } from '@embedkit/word2vec';
import type { ParsedArgs } from './args';
import type { CommandContext, OptionSpec } from './command';
import { isEmbedkitError } from '@embedkit/errors';
import { fail, reportModelSize } from './preflight';
import { readCorpus, type ReadCorpusOptions } from './text';

/** The C tool's options, declared once with its descriptions and defaults. */
export const C_TOOL_OPTIONS = {
  train: { name: 'train', type: 'string', required: true, valueName: 'FILE', description: 'Use text data from FILE to train the model (a line is a sentence; or a Parquet file, a row is a sentence)' },
  column: { name: 'column', type: 'string', valueName: 'NAME', description: 'The text column of a Parquet -train file (string, or list<string> of tokens; default: its only text column)' },
  output: { name: 'output', type: 'string', required: true, valueName: 'FILE', description: 'Use FILE to save the resulting word vectors' },
  size: { name: 'size', type: 'integer', api: 'dim', default: 100, min: 1, max: 10000, description: 'Size of word vectors' },
  minCount: { name: 'min-count', type: 'integer', api: 'minCount', default: 5, min: 1, description: 'Discard words that appear less than this many times' },
  binary: { name: 'binary', type: 'integer', default: 0, min: 0, max: 1, description: 'Save the resulting vectors in binary mode (1) or text (0)' },
  threads: { name: 'threads', type: 'integer', min: 1, max: 256, valueName: 'N', description: 'Use N threads (default: the number of cores)' },
} as const satisfies Record<string, OptionSpec>;

/**
 * The preflight entry of a training input: a file, or a directory when it is a table of Parquet
 * part files (any other directory is refused by the preflight as before).
 */
export async function trainingInput(flag: string, path: string): Promise<{ flag: string; path: string; directory: boolean }> {
  return { flag, path, directory: await isParquetTable(path) };
}

/**
 * Reads `-train` with the `-tokenizer` options (by default as the C tool does on space-separated
 * text: whitespace tokens, nothing changed), words rarer than `-min-count` dropped, and prints the
 * C tool's two statistics lines on stderr. With `streamable`, `-stream` may leave it on disk (see `readCorpus`).
 */
export async function readTrainingCorpus(args: ParsedArgs, context: CommandContext, options?: ReadCorpusOptions): Promise<Corpus>;
export async function readTrainingCorpus(
  args: ParsedArgs,
  context: CommandContext,
  options: ReadCorpusOptions & { streamable: true },
): Promise<CorpusSource>;
export async function readTrainingCorpus(
  args: ParsedArgs,
  context: CommandContext,
  options: ReadCorpusOptions & { streamable?: boolean } = {},
): Promise<CorpusSource> {
  const flags = { file: 'train', minCount: 'min-count' };
  const corpus = options.streamable === true ? await readCorpus(args, context, flags, { ...options, streamable: true }) : await readCorpus(args, context, flags, options);
  context.stderr.write(`Vocab size: ${corpus.vocabulary.size}\nWords in train file: ${corpus.tokenCount}\n`);
  return corpus;
}

/** The vector file format `-binary` asks for. */
export function outputFormat(args: ParsedArgs): 'word2vec-binary' | 'word2vec-text' {
  return args.requireNumber('binary') === 1 ? 'word2vec-binary' : 'word2vec-text';
}

/**
 * Prints the vocabulary and the word2vec model's memory estimate (the trainer's own) before
 * training, and refuses when it does not fit; `smaller` names the flags that shrink the model.
 */
export function reportWord2VecSize(context: CommandContext, corpus: CorpusSource, options: Word2VecOptions, smaller: string): void {
  const words = corpus.vocabulary.size;
  const matrices = 1 + ((options.negative ?? 5) > 0 ? 1 : 0) + (options.hs === true ? 1 : 0);
  const buckets = options.subwords?.buckets ?? 0;
  const n = (x: number) => x.toLocaleString('en-US');
  const detail = `${matrices} matrices of ${n(words)} × ${options.dim ?? 100} float32${buckets > 0 ? ` + ${n(buckets)} n-gram rows` : ''}`;
  let estimatedBytes: number;
  try {
    // The trainer refuses over its own limit in its option names: estimate here without a limit.
    estimatedBytes = resolveOptions(corpus, { ...options, maxMemoryBytes: Number.MAX_SAFE_INTEGER }).estimatedBytes;
  } catch (error) {
    // Still refused: a matrix longer than a typed array can be.
    if (isEmbedkitError(error, 'OUT_OF_MEMORY')) throw fail('NOT_ENOUGH_MEMORY', `The model (${detail}) is larger than an array can hold; make it smaller with ${smaller}`, error);
    throw error;
  }
  reportModelSize(context, { words, tokens: corpus.tokenCount, bytes: estimatedBytes, detail, smaller });
}
