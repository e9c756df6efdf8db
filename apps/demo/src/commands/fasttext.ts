/**
 * `embedkit fasttext …`: fastText's command line, for its users to feel at home.
 *
 * - `print-word-vectors MODEL.bin < words`: reads whitespace-separated words from stdin and
 *   prints `word v1 … vd` for each, byte for byte as fastText does (`%.5g`, trailing space);
 *   words outside the vocabulary get their subword vectors.
 * - `nn MODEL.bin [k]`: nearest neighbours. On a terminal it prompts `Query word? ` like
 *   fastText; when stdin is not a terminal it answers one query per line without prompts,
 *   each answer followed by an empty line.
 * - `analogies MODEL.bin [k]`: "A - B + C" triplets, one per line (`Query triplet (A - B + C)? `
 *   on a terminal), answered as fastText does.
 * - `print-ngrams MODEL.bin WORD`: the word's n-grams and their rows, as fastText prints them.
 *
 * - `skipgram|cbow -input FILE -output PREFIX [...]`: trains a subword model with fastText's
 *   flags and defaults (@embedkit/word2vec's `subwords` option) and writes `PREFIX.vec` (known
 *   words, word2vec text) and `PREFIX.bin` (fastText's format: fastText itself loads it). The
 *   n-gram matrix's size is printed before anything is read.
 *
 * MODEL is a fastText `.bin` (non-quantized) or an embedkit subword model; a `.vec` or other
 * plain vector file also works, for vocabulary words only.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isEmbedkitError } from '@embedkit/errors';
import { Embeddings, SubwordEmbeddings, formatFastTextFloat, formatFastTextVectorLine, ngramMatrixBytes, writeFastTextBin } from '@embedkit/vectors';
import { trainWord2Vec } from '@embedkit/word2vec';
import type { Word2VecOptions } from '@embedkit/word2vec';
import type { ParsedArgs } from '../cli/args';
import { C_TOOL_OPTIONS, trainingInput } from '../cli/training';
import { UsageError } from '../cli/args';
import type { Command, CommandContext, CommandGroup } from '../cli/command';
import { checkFiles, fail, refuseOverMemory, warnAboutThreads } from '../cli/preflight';
import { STREAM_OPTION, TOKENIZER_OPTION_LIST, readCorpus } from '../cli/text';
import { reportWord2VecSize } from '../cli/training';

/** fastText's `std::cin >> word` separators. */
const WHITESPACE = /[ \t\n\v\f\r]+/;

/**
 * Loads MODEL: a subword model when it is one, else plain vectors (known words only), with a
 * line on stderr saying which.
 */
async function loadModel(path: string, context: CommandContext): Promise<Embeddings> {
  const started = Date.now();
  let model: Embeddings;
  try {
    model = await SubwordEmbeddings.load(path);
  } catch (error) {
    if (!isEmbedkitError(error, 'UNKNOWN_FORMAT')) throw error;
    model = await Embeddings.load(path);
    context.stderr.write(`note: ${path} has no n-grams; words outside its vocabulary get zero vectors\n`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const subword = model instanceof SubwordEmbeddings && model.maxN > 0
    ? `, n-grams ${model.minN}–${model.maxN} in ${model.buckets.toLocaleString('en-US')} buckets`
    : '';
  context.stderr.write(`Loaded ${model.size.toLocaleString('en-US')} words × ${model.dim}${subword} from ${path} in ${seconds} s\n`);
  return model;
}

/** The vector of any word: subword vectors when the model has them, zeros for unknown words otherwise. */
function vectorOf(model: Embeddings, word: string): Float32Array {
  if (model instanceof SubwordEmbeddings) return model.vectorFor(word);
  return model.get(word) ?? new Float32Array(model.dim);
}

function modelPath(args: ParsedArgs): string {
  const path = args.positionals[0];
  if (path === undefined) throw new UsageError('Missing argument MODEL (a fastText .bin or embedkit subword model).');
  return path;
}

/** Calls `onWord` for each whitespace-separated word of stdin, in order. */
async function forEachInputWord(context: CommandContext, onWord: (word: string) => void): Promise<void> {
  const lines = createInterface({ input: context.stdin, crlfDelay: Infinity, terminal: false });
  context.signal.addEventListener('abort', () => lines.close(), { once: true });
  try {
    for await (const line of lines) {
      for (const word of line.split(WHITESPACE)) if (word.length > 0) onWord(word);
    }
  } finally {
    lines.close();
  }
}

/** Buffers stdout writes into ~64 KB chunks (one write per word is slow for long lists). */
function bufferedWriter(context: CommandContext): { write(text: string): void; flush(): void } {
  let pending = '';
  return {
    write(text: string): void {
      pending += text;
      if (pending.length >= 1 << 16) {
        context.stdout.write(pending);
        pending = '';
      }
    },
    flush(): void {
      if (pending.length > 0) context.stdout.write(pending);
      pending = '';
    },
  };
}

async function runPrintWordVectors(args: ParsedArgs, context: CommandContext): Promise<number> {
  const model = await loadModel(modelPath(args), context);
  const out = bufferedWriter(context);
  try {
    await forEachInputWord(context, (word) => out.write(`${formatFastTextVectorLine(word, vectorOf(model, word))}\n`));
  } finally {
    out.flush();
  }
  return 0;
}

async function runNearestNeighbours(args: ParsedArgs, context: CommandContext): Promise<number> {
  const model = await loadModel(modelPath(args), context);
  const kText = args.positionals[1] ?? '10';
  const k = Number(kText);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`k must be a positive integer, got '${kText}'.`);
  const interactive = (context.stdin as { isTTY?: boolean }).isTTY === true;
  const prompt = 'Query word? ';
  const out = bufferedWriter(context);
  const answer = (word: string): void => {
    // fastText's getNN: cosine with every vocabulary word but the query itself.
    const neighbours = model.mostSimilarToVector(vectorOf(model, word), { topN: k, exclude: [word] });
    for (const n of neighbours) out.write(`${n.label} ${formatFastTextFloat(n.similarity, 6)}\n`);
  };
  if (interactive) context.stdout.write(prompt);
  await forEachInputWord(context, (word) => {
    answer(word);
    out.write(interactive ? prompt : '\n');
    if (interactive) out.flush();
  });
  out.flush();
  if (interactive) context.stdout.write('\n');
  return 0;
}

async function runAnalogies(args: ParsedArgs, context: CommandContext): Promise<number> {
  const model = await loadModel(modelPath(args), context);
  const kText = args.positionals[1] ?? '10';
  const k = Number(kText);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`k must be a positive integer, got '${kText}'.`);
  const interactive = (context.stdin as { isTTY?: boolean }).isTTY === true;
  const prompt = 'Query triplet (A - B + C)? ';
  const out = bufferedWriter(context);
  if (interactive) context.stdout.write(prompt);
  let pending: string[] = [];
  await forEachInputWord(context, (word) => {
    pending.push(word);
    if (pending.length < 3) return;
    const [a, b, c] = pending as [string, string, string];
    pending = [];
    // fastText's analogies: unit(A) − unit(B) + unit(C) (norms + 1e-8), neighbours but A, B, C.
    const query = new Float64Array(model.dim);
    const add = (w: string, sign: number): void => {
      const v = vectorOf(model, w);
      let norm = 0;
      for (let j = 0; j < v.length; j++) norm += (v[j] as number) * (v[j] as number);
      const scale = sign / (Math.sqrt(norm) + 1e-8);
      for (let j = 0; j < v.length; j++) query[j] = (query[j] as number) + (v[j] as number) * scale;
    };
    add(a, 1);
    add(b, -1);
    add(c, 1);
    for (const n of model.mostSimilarToVector(query, { topN: k, exclude: [a, b, c] })) {
      out.write(`${n.label} ${formatFastTextFloat(n.similarity, 6)}\n`);
    }
    out.write(interactive ? prompt : '\n');
    if (interactive) out.flush();
  });
  out.flush();
  if (pending.length > 0) context.stderr.write(`warning: ignored an incomplete triplet at the end: ${pending.join(' ')}\n`);
  if (interactive) context.stdout.write('\n');
  return 0;
}

async function runPrintNgrams(args: ParsedArgs, context: CommandContext): Promise<number> {
  const word = args.positionals[1];
  if (word === undefined) throw new UsageError('Missing argument WORD.');
  const model = await loadModel(modelPath(args), context);
  if (!(model instanceof SubwordEmbeddings)) throw new UsageError(`${modelPath(args)} has no n-grams (it is a plain vector file).`);
  const rows = model.subwordRows(word);
  // fastText's getNgramVectors: the word itself first when it is in the vocabulary.
  const names = model.has(word) ? [word, ...model.ngrams(word)] : model.ngrams(word);
  const out = bufferedWriter(context);
  for (let k = 0; k < rows.length; k++) out.write(`${formatFastTextVectorLine(names[k] as string, model.inputRow(rows[k] as number))}\n`);
  out.flush();
  return 0;
}

const analogiesCommand: Command = {
  name: 'analogies',
  summary: 'Answer "A - B + C" triplets (interactive on a terminal, one triplet per line otherwise).',
  style: 'c',
  options: [],
  positionals: [
    { name: 'model', description: 'fastText .bin (non-quantized) or embedkit subword model', required: true },
    { name: 'k', description: 'Number of answers (default 10)' },
  ],
  epilog: 'Example:\n  echo "berlin germany france" | embedkit fasttext analogies model.bin 3',
  run: runAnalogies,
};

const printNgramsCommand: Command = {
  name: 'print-ngrams',
  summary: 'Print the character n-grams of a word and their vectors.',
  style: 'c',
  options: [],
  positionals: [
    { name: 'model', description: 'fastText .bin (non-quantized) or embedkit subword model', required: true },
    { name: 'word', description: 'The word', required: true },
  ],
  epilog: 'Example:\n  embedkit fasttext print-ngrams model.bin unseeable',
  run: runPrintNgrams,
};

const printWordVectorsCommand: Command = {
  name: 'print-word-vectors',
  summary: 'Print the vector of each word read from stdin (any word: subword vectors for unseen ones).',
  style: 'c',
  options: [],
  positionals: [{ name: 'model', description: 'fastText .bin (non-quantized) or embedkit subword model', required: true }],
  epilog: 'Example:\n  echo "king queen unseeable" | embedkit fasttext print-word-vectors cc.en.300.bin',
  run: runPrintWordVectors,
};

const nnCommand: Command = {
  name: 'nn',
  summary: 'Nearest neighbours of query words (interactive on a terminal, one query per line otherwise).',
  style: 'c',
  options: [],
  positionals: [
    { name: 'model', description: 'fastText .bin (non-quantized) or embedkit subword model', required: true },
    { name: 'k', description: 'Number of neighbours (default 10)' },
  ],
  epilog: 'Examples:\n  embedkit fasttext nn model.bin 5\n  printf "walking\\nunseeable\\n" | embedkit fasttext nn model.bin 5',
  run: runNearestNeighbours,
};

// ─── training: `skipgram` and `cbow` ────────────────────────────────────────────────────────

const MIB = 2 ** 20;
const mib = (bytes: number): string => `${(bytes / MIB).toLocaleString('en-US', { maximumFractionDigits: 0 })} MiB`;

/** fastText's `-thread` default is 12; here the number of cores (at most 32). */
function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 32));
}

async function runTrain(model: 'skipgram' | 'cbow', args: ParsedArgs, context: CommandContext): Promise<number> {
  const err = context.stderr;
  const input = args.requireString('input');
  const prefix = args.requireString('output');
  const dim = args.requireNumber('dim');
  const bucket = args.requireNumber('bucket');
  const minn = args.requireNumber('minn');
  const maxn = args.requireNumber('maxn');
  const loss = args.requireString('loss') as 'ns' | 'hs';
  const threads = args.number('thread') ?? defaultThreads();
  const minCount = args.requireNumber('minCount');
  if (/[/\\]$/.test(prefix) || (await stat(prefix).catch(() => undefined))?.isDirectory()) {
    // fastText would write DIR.vec and DIR.bin beside the directory: surely not what was meant.
    const example = join(prefix, 'model');
    throw fail('OUTPUT_NOT_A_FILE', `-output ${prefix}: is a directory, and -output is a prefix; give ${example} to write ${example}.vec and ${example}.bin`);
  }
  await checkFiles({
    inputs: [await trainingInput('-input', input)],
    outputs: [{ flag: '-output', path: `${prefix}.vec` }, { flag: '-output', path: `${prefix}.bin` }],
  });
  warnAboutThreads(context, '-thread', threads);
  const started = performance.now();
  // Before reading anything: the n-gram matrix is what can exhaust memory (2M × 100 = 763 MiB).
  const ngramBytes = maxn === 0 ? 0 : ngramMatrixBytes(bucket, dim);
  err.write(
    maxn === 0
      ? 'N-gram matrix: none (-maxn 0: plain word2vec skip-gram/CBOW)\n'
      : `N-gram matrix: ${bucket.toLocaleString('en-US')} buckets × ${dim} dims × 4 bytes = ${mib(ngramBytes)} (fewer with -bucket)\n`,
  );
  refuseOverMemory(ngramBytes, '-bucket or -dim');

  // Workers read the token ids from shared memory: encode them there directly (no second copy).
  const corpus = await readCorpus(args, context, { file: 'input', minCount: 'minCount' }, { shared: threads > 1, streamable: true });
  err.write(`Read ${(corpus.tokenCount / 1e6).toFixed(0)}M words\nNumber of words:  ${corpus.vocabulary.size}\nNumber of labels: 0\n`);
  const lr = args.requireNumber('lr');
  let lastLine = 0;
  let lastLoss = Number.NaN;
  const options: Word2VecOptions = {
    model,
    dim,
    window: args.requireNumber('ws'),
    epochs: args.requireNumber('epoch'),
    negative: loss === 'ns' ? args.requireNumber('neg') : 0,
    hs: loss === 'hs',
    // fastText draws negatives from unigram^0.5 (word2vec: ^0.75).
    negativeExponent: 0.5,
    sample: args.requireNumber('t'),
    alpha: lr,
    minAlpha: 0,
    threads,
    seed: args.requireNumber('seed'),
    subwords: { minN: minn, maxN: maxn, buckets: maxn === 0 ? 0 : bucket },
    signal: context.signal,
    progressIntervalMs: 100,
    onProgress: (p) => {
      const now = performance.now();
      if (!Number.isNaN(p.loss)) lastLoss = p.loss;
      if (p.fraction < 1 && now - lastLine < (context.interactive ? 100 : 5000)) return;
      lastLine = now;
      const eta = p.fraction > 0 ? (p.elapsedSeconds * (1 - p.fraction)) / p.fraction : 0;
      // fastText's line: "\rProgress: 42.0% words/sec/thread: 123456 lr: 0.029000 avg.loss: 1.234567 ETA: 0h 1m".
      err.write(
        `${context.interactive ? '\r' : ''}Progress: ${(p.fraction * 100).toFixed(1)}% words/sec/thread: ${Math.round(p.wordsPerSecond / threads)} ` +
          `lr: ${p.alpha.toFixed(6)} avg.loss: ${Number.isNaN(lastLoss) ? '-' : lastLoss.toFixed(6)} ETA: ${Math.floor(eta / 3600)}h ${Math.floor((eta % 3600) / 60)}m${context.interactive ? '' : '\n'}`,
      );
    },
  };
  // The whole estimate (refused with a clear error, before allocating, when over the limit).
  reportWord2VecSize(context, corpus, options, '-bucket, -dim or -minCount');

  const { embeddings, state, stats } = await trainWord2Vec(corpus, { ...options, subwords: options.subwords! });
  if (context.interactive) err.write('\n');
  await embeddings.save(`${prefix}.vec`, { format: 'word2vec-text' });
  const vocabulary = corpus.vocabulary;
  // fastText's output matrix has one row per word, also for hs (its tree's inner nodes use the
  // first words − 1 rows): pad ours with a zero row. Only the input matrix matters for vectors.
  let output = state.wOut ?? new Float32Array(0);
  if (loss === 'hs') {
    output = new Float32Array(vocabulary.size * dim);
    output.set(state.wOutHs!.subarray(0, Math.min(state.wOutHs!.length, output.length)));
  }
  await writeFastTextBin(`${prefix}.bin`, {
    args: {
      dim, ws: options.window!, epoch: options.epochs!, minCount, neg: args.requireNumber('neg'), wordNgrams: 1, loss, model,
      bucket: embeddings.buckets, minn, maxn, lrUpdateRate: 100, t: options.sample!,
    },
    words: vocabulary.words,
    counts: vocabulary.counts,
    tokenCount: corpus.tokenCount,
    input: state.wIn,
    output,
  });
  const seconds = (performance.now() - started) / 1000;
  const last = stats.epochReports.at(-1);
  err.write(
    `Trained ${embeddings.size} words and ${embeddings.buckets.toLocaleString('en-US')} n-gram buckets × ${dim} in ${seconds.toFixed(1)} s ` +
      `(${Math.round(stats.wordsPerSecond).toLocaleString('en-US')} words/s over ${stats.threads} threads` +
      `${last ? `, final epoch loss ${last.loss.toFixed(4)}` : ''}); wrote ${prefix}.vec and ${prefix}.bin\n`,
  );
  return 0;
}

function trainingCommand(model: 'skipgram' | 'cbow'): Command {
  return {
    name: model,
    summary: `Train a ${model === 'skipgram' ? 'skip-gram' : 'CBOW'} subword model with fastText's flags; writes PREFIX.vec and PREFIX.bin.`,
    style: 'c',
    options: [
      { name: 'input', type: 'string', required: true, valueName: 'FILE', description: 'Training file (a line is a sentence, tokens as -tokenizer says; or a Parquet file, a row is a sentence)' },
      { ...C_TOOL_OPTIONS.column, description: 'The text column of a Parquet -input file (string, or list<string> of tokens; default: its only text column)' },
      { name: 'output', type: 'string', required: true, valueName: 'PREFIX', description: 'Writes PREFIX.vec (known words) and PREFIX.bin (fastText model)' },
      { name: 'dim', type: 'integer', api: 'dim', default: 100, min: 1, max: 10000, description: 'Size of word vectors' },
      { name: 'ws', type: 'integer', api: 'window', default: 5, min: 1, max: 1000, description: 'Size of the context window' },
      { name: 'epoch', type: 'integer', api: 'epochs', default: 5, min: 1, max: 100000, description: 'Number of epochs' },
      { name: 'minCount', type: 'integer', api: 'minCount', default: 5, min: 1, description: 'Minimal number of word occurrences' },
      { name: 'neg', type: 'integer', api: 'negative', default: 5, min: 1, max: 1000, description: 'Number of negatives sampled (-loss ns)' },
      { name: 'loss', type: 'choice', default: 'ns', choices: ['ns', 'hs'], description: 'Loss function: negative sampling or hierarchical softmax' },
      { name: 'minn', type: 'integer', default: 3, min: 1, max: 64, description: 'Min length of char n-gram (CJK: 1)' },
      { name: 'maxn', type: 'integer', default: 6, min: 0, max: 64, description: 'Max length of char n-gram, 0 for none (CJK: 2)' },
      { name: 'bucket', type: 'integer', api: ['subwords.buckets', 'buckets'], default: 2000000, min: 1, description: 'Number of buckets (n-gram rows: bucket × dim × 4 bytes)' },
      { name: 'thread', type: 'integer', api: 'threads', min: 1, max: 256, valueName: 'N', description: 'Number of threads (default: the number of cores)' },
      { name: 'lr', type: 'number', api: 'alpha', default: 0.05, greaterThan: 0, max: 10, description: 'Learning rate' },
      { name: 't', type: 'number', api: 'sample', default: 1e-4, min: 0, max: 1, description: 'Sampling threshold' },
      { name: 'seed', type: 'integer', default: 1, description: 'Random seed (with -thread 1 the model is bit-identical run after run)' },
      ...TOKENIZER_OPTION_LIST,
      STREAM_OPTION,
    ],
    epilog: [
      'Examples (as fastText):',
      `  embedkit fasttext ${model} -input data.txt -output model`,
      `  embedkit fasttext ${model} -input data.txt -output model -dim 300 -minn 3 -maxn 6 -bucket 500000 -thread 2`,
      '  echo "unseeable" | fasttext print-word-vectors model.bin   # fastText itself reads model.bin',
      'Differences from fastText: no end-of-line token </s> in the vocabulary; -lr decays to 0 as fastText.',
    ].join('\n'),
    run: (args, context) => runTrain(model, args, context),
  };
}

const trainingCommands: readonly Command[] = [trainingCommand('skipgram'), trainingCommand('cbow')];

/** `embedkit fasttext skipgram|cbow|print-word-vectors|print-ngrams|nn|analogies`. */
export const fasttextCommand: CommandGroup = {
  name: 'fasttext',
  summary: 'fastText-style subword models: skipgram, cbow, print-word-vectors, print-ngrams, nn, analogies (fastText .bin or embedkit models).',
  subcommands: [...trainingCommands, printWordVectorsCommand, printNgramsCommand, nnCommand, analogiesCommand],
};
