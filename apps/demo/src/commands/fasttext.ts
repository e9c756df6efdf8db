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
 * MODEL is a fastText `.bin` (non-quantized) or an embedkit subword model; a `.vec` or other
 * plain vector file also works, for vocabulary words only.
 */
import { createInterface } from 'node:readline';
import { isEmbedkitError } from '@embedkit/errors';
import { Embeddings, SubwordEmbeddings, formatFastTextFloat, formatFastTextVectorLine } from '@embedkit/vectors';
import type { ParsedArgs } from '../cli/args';
import { UsageError } from '../cli/args';
import type { Command, CommandContext, CommandGroup } from '../cli/command';

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
// TODO(issue 10, trainer side): `embedkit fasttext skipgram|cbow -input FILE -output PREFIX
// [-dim 100 -ws 5 -epoch 5 -minCount 5 -neg 5 -loss ns|hs -minn 3 -maxn 6 -bucket 2000000
// -thread N -lr 0.05 -t 1e-4]`, writing PREFIX.vec (`save(…, { format: 'word2vec-text' })`) and
// PREFIX.bin, reporting the n-gram matrix size first (`ngramMatrixBytes(bucket, dim)`). They
// belong here, built on @embedkit/word2vec's subword option once it exists; add them to this list.
const trainingCommands: readonly Command[] = [];

/** `embedkit fasttext print-word-vectors|print-ngrams|nn|analogies` (and, later, `skipgram|cbow`). */
export const fasttextCommand: CommandGroup = {
  name: 'fasttext',
  summary: 'fastText-style subword models: print-word-vectors, print-ngrams, nn, analogies (fastText .bin or embedkit models).',
  subcommands: [...trainingCommands, printWordVectorsCommand, printNgramsCommand, nnCommand, analogiesCommand],
};
