/**
 * How every command that reads text reads it: one `-tokenizer` choice (with `-lowercase` and
 * `-nfkc`), declared once here and used by the trainers (`word2vec`, `fasttext`, `cooccur`,
 * `glove`, `tfjs`), `vocab`, `eval` and `serve`, so that the same file gives the same words in
 * each of them; and the corpus reading of the trainers, with its warnings in flag words.
 */
import { open, stat } from 'node:fs/promises';
import { EmbedkitError } from '@embedkit/errors';
import {
  Corpus,
  StreamingCorpus,
  Tokenizer,
  looksLikeWholeLines,
  type CorpusSource,
  type TokenizeMode,
  type TokenizeOptions,
  type Vocabulary,
  type WordCounter,
} from '@embedkit/tokenizer';
import type { ParsedArgs } from './args';
import type { CommandContext, OptionSpec } from './command';
import { fail, formatBytes, memoryLimit } from './preflight';

/** The values of `-tokenizer`, the default first. */
export const TOKENIZER_CHOICES: readonly TokenizeMode[] = ['auto', 'words', 'whitespace', 'text8'];

/** The tokenizer options, declared once for every command that reads text. */
export const TOKENIZER_OPTIONS = {
  tokenizer: {
    name: 'tokenizer',
    type: 'choice',
    choices: TOKENIZER_CHOICES,
    default: 'auto',
    api: 'mode',
    description:
      'auto: whitespace tokens as word2vec.c reads them, lines written without spaces (Chinese, Japanese, Thai…) cut into words; ' +
      'words: Unicode words, punctuation dropped; whitespace: word2vec.c exactly; text8: a-z and spelled digits',
  },
  lowercase: { name: 'lowercase', type: 'integer', default: 0, min: 0, max: 1, description: 'Lower-case tokens (1) or keep case (0)' },
  nfkc: { name: 'nfkc', type: 'integer', api: 'normalize', default: 0, min: 0, max: 1, description: 'Apply Unicode NFKC normalisation (1) or not (0)' },
} as const satisfies Record<string, OptionSpec>;

/** The three tokenizer options, for a command's option list. */
export const TOKENIZER_OPTION_LIST: readonly OptionSpec[] = [
  TOKENIZER_OPTIONS.tokenizer,
  TOKENIZER_OPTIONS.lowercase,
  TOKENIZER_OPTIONS.nfkc,
];

/**
 * `-stream auto|0|1`, declared once for the trainers that can read a corpus streamed from its file
 * each epoch (`word2vec`, `fasttext`, `cooccur`, `glove`): the same choice and default in each.
 */
export const STREAM_OPTION = {
  name: 'stream',
  type: 'choice',
  choices: ['auto', '0', '1'],
  default: 'auto',
  description:
    '1: read the corpus from its file at every pass over it (each epoch of word2vec and fasttext, the one counting pass of cooccur and glove; memory for the model only); 0: load it into memory (4 bytes a token); ' +
    'auto: stream when the loaded corpus would take more than half of the free memory',
} as const satisfies OptionSpec;

/** Tokenizer options as the user gave them (`-tokenizer auto -lowercase 0 -nfkc 0` by default). */
export function tokenizeOptions(args: ParsedArgs): Required<Pick<TokenizeOptions, 'mode' | 'lowercase' | 'normalize'>> {
  return {
    mode: args.requireString('tokenizer') as TokenizeMode,
    lowercase: args.requireNumber('lowercase') === 1,
    normalize: args.requireNumber('nfkc') === 1,
  };
}

/** "auto, case kept", "words, lower-cased, NFKC", "text8". */
export function describeTokenizer(options: ReturnType<typeof tokenizeOptions>): string {
  if (options.mode === 'text8') return 'text8';
  return `${options.mode}${options.lowercase ? ', lower-cased' : ', case kept'}${options.normalize ? ', NFKC' : ''}`;
}

/**
 * The form in which a word typed by the user (a query, a word of an evaluation file) is looked up:
 * the tokenizer's normalisation of it (NFKC, case) when the tokenizer reads it as one token, the
 * word as typed otherwise. With the defaults (`-tokenizer auto`, case kept) a word is unchanged.
 */
export function wordFormOf(args: ParsedArgs): (word: string) => string {
  const tokenizer = new Tokenizer(tokenizeOptions(args));
  const tokens: string[] = [];
  return (word: string): string => {
    tokens.length = 0;
    tokenizer.tokenizeInto(word, tokens);
    return tokens.length === 1 ? (tokens[0] as string) : word;
  };
}

/**
 * The one-line warning when the tokens of `path` look like whole lines rather than words, naming
 * the flag that fixes it; undefined when they look like words.
 */
export function lineLikeWarning(counter: WordCounter, path: string, mode: TokenizeMode, dash: string): string | undefined {
  const found = looksLikeWholeLines(counter);
  if (found === undefined) return undefined;
  const figures =
    `${found.onceCount.toLocaleString('en-US')} of ${found.distinctCount.toLocaleString('en-US')} distinct tokens occur once, ` +
    `median length ${found.medianLength} characters`;
  const fix =
    mode === 'whitespace' || mode === 'text8'
      ? `text written without spaces (Chinese, Japanese, Thai) needs ${dash}tokenizer auto (the default) or ${dash}tokenizer words`
      : `check the file, or try ${dash}tokenizer words`;
  return `the tokens of ${path} look like whole lines, not words (${figures}): ${fix}.`;
}

/** Codes of the errors the text-reading commands raise themselves. */
export type TextErrorCode = 'NO_KNOWN_WORD';

/** How a trainer names its flags: `-train` / `-min-count`, fastText's `-input` / `-minCount`. */
export interface CorpusFlags {
  /** The training file's flag, without dash. */
  readonly file: string;
  /** The minimum count's flag, without dash. */
  readonly minCount: string;
}

/** What {@link readCorpus} is told besides the flags. */
export interface ReadCorpusOptions {
  /** Encode with this vocabulary (`-read-vocab`, `-init-model`) instead of counting one. */
  vocabulary?: Vocabulary;
  /** Where `vocabulary` came from, in flag words, for the messages. */
  vocabularyFrom?: string;
  /** Put an in-memory corpus on shared memory (for worker threads). */
  shared?: boolean;
  /** Called with the counting pass's counts (not called when a vocabulary is given: no such pass). */
  onCount?: (counter: WordCounter) => void;
}

/**
 * Reads a training file with the `-tokenizer` options into a Corpus, words rarer than the
 * minimum count dropped (and `-column` of a Parquet file). Warns on stderr (once each) about an
 * invalid UTF-8 byte and about tokens that look like whole lines; a given vocabulary that keeps no
 * token is an error naming the flags.
 *
 * With `streamable` (a command declaring {@link STREAM_OPTION}), `-stream` decides whether the
 * corpus is loaded or streamed from its file each epoch; the result is then a `CorpusSource`. A
 * pipe (`-train /dev/stdin`) is loaded in one pass whatever `-stream` says, except `-stream 1`,
 * refused with the fixes in flag names (the same for every trainer).
 */
export async function readCorpus(args: ParsedArgs, context: CommandContext, flags: CorpusFlags, options?: ReadCorpusOptions): Promise<Corpus>;
export async function readCorpus(
  args: ParsedArgs,
  context: CommandContext,
  flags: CorpusFlags,
  options: ReadCorpusOptions & { streamable: true },
): Promise<CorpusSource>;
export async function readCorpus(
  args: ParsedArgs,
  context: CommandContext,
  flags: CorpusFlags,
  options: ReadCorpusOptions & { streamable?: boolean } = {},
): Promise<CorpusSource> {
  const path = args.requireString(flags.file);
  const tokenize = tokenizeOptions(args);
  const warn = (message: string): void => {
    context.stderr.write(`warning: ${message}\n`);
  };
  const readOptions = {
    ...tokenize,
    minCount: args.requireNumber(flags.minCount),
    column: args.string('column'),
    signal: context.signal,
    onWarning: warn,
    onCount: (counter: WordCounter) => {
      const warning = lineLikeWarning(counter, path, tokenize.mode, '-');
      if (warning !== undefined) warn(warning);
      options.onCount?.(counter);
    },
    ...(options.vocabulary === undefined ? {} : { vocabulary: options.vocabulary }),
  };
  const mode = options.streamable === true ? args.requireString('stream') : '0';
  const limit = memoryLimit() / 2;
  let corpus: CorpusSource;
  // A pipe (or /dev/stdin) can be read only once: loaded in one pass (-stream auto or 0), never streamed.
  const pipe = await isPipe(path);
  if (pipe && mode === '1') {
    throw fail(
      'INPUT_NOT_A_FILE',
      `-${flags.file} ${path}: is a pipe, not a file, and -stream 1 reads the corpus again at every pass; ` +
        `use -stream 0 (reads it once into memory, 4 bytes a token), or write it to a file first (… > corpus.txt) and give that file to -${flags.file}`,
    );
  }
  // A given vocabulary has no counting pass to measure the corpus by: without -stream 1, judge
  // a plain text file by its size (a token takes at least 2 bytes of text and 4 encoded) and read
  // it once. A compressed one (gzip, Parquet) says nothing by its size: it gets the counting pass.
  const textBytes = mode === 'auto' && options.vocabulary !== undefined ? await plainTextBytes(path) : undefined;
  const small = textBytes !== undefined && textBytes * 2 <= limit;
  if (mode === '0' || small || pipe) {
    corpus = await Corpus.fromFile(path, { ...readOptions, ...(options.shared === undefined ? {} : { shared: options.shared }) });
  } else {
    const streamed = await StreamingCorpus.open(path, readOptions);
    corpus = streamed;
    if (streamed.tokenCount > 0) {
      const figures = `${streamed.tokenCount.toLocaleString('en-US')} tokens, ${formatBytes(streamed.encodedBytes)} if loaded`;
      if (mode === '1') {
        context.stderr.write(`Corpus: ${figures}; streamed from ${path} at every epoch (-stream 1)\n`);
      } else if (streamed.encodedBytes > limit) {
        context.stderr.write(
          `Corpus: ${figures}, more than half of the ${formatBytes(2 * limit)} of memory free: streamed from ${path} at every epoch (-stream 0 loads it anyway)\n`,
        );
      } else {
        corpus = await streamed.load({ shared: options.shared === true, signal: context.signal });
      }
    }
  }
  if (corpus.tokenCount === 0) {
    throw new EmbedkitError<TextErrorCode>(
      'NO_KNOWN_WORD',
      `No token of ${path} is a word of the vocabulary of ${options.vocabularyFrom ?? 'the given vocabulary'} (${corpus.vocabulary.size.toLocaleString('en-US')} words): ` +
        `save the vocabulary with the same -tokenizer, -lowercase and -nfkc as this command (here -tokenizer ${tokenize.mode}), ` +
        `e.g. embedkit vocab -train ${path} -tokenizer ${tokenize.mode} -save-vocab FILE.`,
    );
  }
  return corpus;
}

/** True for a pipe, a socket or a device (`/dev/stdin`, `<(…)`): what can be read only once. */
async function isPipe(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && (info.isFIFO() || info.isSocket() || info.isCharacterDevice());
}

/**
 * Size of a plain text file; 0 for a pipe or device (read once: it cannot be streamed anyway);
 * undefined when the size does not bound the tokens (gzip, a Parquet file or table).
 */
async function plainTextBytes(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0; // the reader names the problem
  if (info.isDirectory()) return undefined;
  if (!info.isFile()) return 0;
  const head = Buffer.alloc(4);
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return 0;
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const parquet = head.toString('latin1') === 'PAR1';
  return gzip || parquet ? undefined : info.size;
}
