/**
 * `embedkit word2vec`: a drop-in for the C word2vec tool. Same flags and defaults (`-train -output
 * -size 100 -window 5 -sample 1e-3 -hs 0 -negative 5 -threads N -iter 5 -min-count 5 -alpha
 * (0.05 CBOW / 0.025 skip-gram) -cbow 1 -binary 0 -save-vocab -read-vocab`, plus `-seed`), same
 * output formats (word2vec text, or binary with `-binary 1`), and the C tool's progress line on
 * stderr, so scripts written for word2vec.c run unchanged. Tokens are whitespace-separated and
 * kept as they are (no lower-casing), as the C tool reads them; a line is a sentence.
 */
import { availableParallelism } from 'node:os';
import { Vocabulary } from '@embedkit/tokenizer';
import { trainWord2Vec, type Word2VecOptions } from '@embedkit/word2vec';
import { UsageError, type ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles, warnAboutThreads } from '../cli/preflight';
import { C_TOOL_OPTIONS, outputFormat, readTrainingCorpus, reportWord2VecSize, trainingInput } from '../cli/training';

async function runWord2Vec(args: ParsedArgs, context: CommandContext): Promise<number> {
  const err = context.stderr;
  const output = args.string('output');
  const cbow = args.requireNumber('cbow') === 1;
  const minCount = args.requireNumber('min-count');
  const threads = args.number('threads') ?? Math.max(1, Math.min(availableParallelism(), 32));
  const readVocab = args.string('read-vocab');
  const saveVocab = args.string('save-vocab');
  const hs = args.requireNumber('hs') === 1;
  const negative = args.requireNumber('negative');
  if (output === undefined && saveVocab === undefined) {
    throw new UsageError('Missing -output FILE: without it nothing would be written (give only -save-vocab FILE to build the vocabulary without training, as word2vec.c).');
  }
  if (negative === 0 && !hs) throw new UsageError('-negative 0 with -hs 0 leaves no output layer to train: use -negative 5 (or more) or -hs 1.');
  await checkFiles({
    inputs: [await trainingInput('-train', args.requireString('train')), { flag: '-read-vocab', path: readVocab }],
    outputs: [{ flag: '-output', path: output }, { flag: '-save-vocab', path: saveVocab }],
  });
  warnAboutThreads(context, '-threads', threads);
  const started = performance.now();

  const vocabulary = readVocab === undefined ? undefined : await Vocabulary.load(readVocab, { minCount });
  // Workers read the token ids from shared memory: encode them there directly (no second copy).
  const corpus = await readTrainingCorpus(args, context, { shared: threads > 1, ...(vocabulary ? { vocabulary } : {}) });
  if (saveVocab !== undefined) await corpus.vocabulary.save(saveVocab, { sentenceCount: corpus.sentenceCount });
  if (output === undefined) {
    // The C tool's vocabulary-only run, said out loud.
    err.write(`Saved the vocabulary to ${saveVocab}; no -output, so no training (as word2vec.c)\n`);
    return 0;
  }

  let lastLine = 0;
  const options: Word2VecOptions = {
    model: cbow ? 'cbow' : 'skipgram',
    dim: args.requireNumber('size'),
    window: args.requireNumber('window'),
    sample: args.requireNumber('sample'),
    hs,
    negative,
    threads,
    epochs: args.requireNumber('iter'),
    alpha: args.number('alpha') ?? (cbow ? 0.05 : 0.025),
    seed: args.requireNumber('seed'),
    signal: context.signal,
    progressIntervalMs: 100,
    onProgress: (p) => {
      const now = performance.now();
      if (p.fraction < 1 && now - lastLine < (context.interactive ? 100 : 5000)) return;
      lastLine = now;
      const perThread = p.wordsPerSecond / threads / 1000;
      // The C tool's line: "\rAlpha: %f  Progress: %.2f%%  Words/thread/sec: %.2fk  ".
      err.write(
        `${context.interactive ? '\r' : ''}Alpha: ${p.alpha.toFixed(6)}  Progress: ${(p.fraction * 100).toFixed(2)}%  Words/thread/sec: ${perThread.toFixed(2)}k  ${context.interactive ? '' : '\n'}`,
      );
    },
  };
  reportWord2VecSize(context, corpus, options, '-size or -min-count');
  const { embeddings, stats } = await trainWord2Vec(corpus, options);
  if (context.interactive) err.write('\n');
  await embeddings.save(output, { format: outputFormat(args) });
  const seconds = (performance.now() - started) / 1000;
  const last = stats.epochReports.at(-1);
  err.write(
    `Trained ${embeddings.size} vectors of ${embeddings.dim} dimensions in ${seconds.toFixed(1)} s ` +
      `(${Math.round((corpus.tokenCount * stats.epochs) / seconds).toLocaleString('en-US')} words/s, ${stats.threads} threads` +
      `${last ? `, final epoch loss ${last.loss.toFixed(4)}` : ''}); saved to ${output}\n`,
  );
  return 0;
}

/** The `word2vec` command. */
export const word2vecCommand: Command = {
  name: 'word2vec',
  summary: 'Train word vectors with the C word2vec tool\'s flags (CBOW / skip-gram, negative sampling / hierarchical softmax).',
  style: 'c',
  options: [
    C_TOOL_OPTIONS.train,
    C_TOOL_OPTIONS.column,
    { name: 'output', type: 'string', valueName: 'FILE', description: 'Use FILE to save the resulting word vectors (required unless -save-vocab alone: vocabulary only)' },
    C_TOOL_OPTIONS.size,
    { name: 'window', type: 'integer', default: 5, min: 1, max: 1000, description: 'Max skip length between words' },
    { name: 'sample', type: 'number', default: 1e-3, min: 0, max: 1, description: 'Threshold for occurrence of words: frequent ones are randomly down-sampled; 0 disables (useful 1e-5 to 1e-3)' },
    { name: 'hs', type: 'integer', default: 0, min: 0, max: 1, description: 'Use hierarchical softmax (1) or not (0)' },
    { name: 'negative', type: 'integer', default: 5, min: 0, max: 1000, description: 'Number of negative examples; common values 3 to 10 (0 = not used)' },
    C_TOOL_OPTIONS.threads,
    { name: 'iter', type: 'integer', default: 5, min: 1, description: 'Run more training iterations' },
    C_TOOL_OPTIONS.minCount,
    { name: 'alpha', type: 'number', min: 0, max: 10, description: 'Starting learning rate (default 0.025 for skip-gram, 0.05 for CBOW)' },
    { name: 'cbow', type: 'integer', default: 1, min: 0, max: 1, description: 'Use the continuous bag of words model (1) or skip-gram (0)' },
    C_TOOL_OPTIONS.binary,
    { name: 'save-vocab', type: 'string', valueName: 'FILE', description: 'Save the vocabulary to FILE' },
    { name: 'read-vocab', type: 'string', valueName: 'FILE', description: 'Read the vocabulary from FILE instead of constructing it from the training data' },
    { name: 'seed', type: 'integer', default: 1, description: 'Random seed (with -threads 1 the vectors are bit-identical run after run)' },
  ],
  epilog: [
    'Examples (as word2vec.c):',
    '  embedkit word2vec -train text8 -output vectors.bin -cbow 1 -size 200 -window 8 -negative 25 -hs 0 -sample 1e-4 -threads 2 -binary 1 -iter 15',
    '  embedkit word2vec -train text8 -output vectors.txt -cbow 0 -size 100 -window 5 -negative 5 -sample 1e-4 -min-count 5',
    'Progress goes to stderr: "Alpha: 0.024000  Progress: 4.00%  Words/thread/sec: 250.00k".',
  ].join('\n'),
  run: runWord2Vec,
};
