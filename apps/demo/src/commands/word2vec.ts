/**
 * `embedkit word2vec`: a drop-in for the C word2vec tool. Same flags and defaults (`-train -output
 * -size 100 -window 5 -sample 1e-3 -hs 0 -negative 5 -threads N -iter 5 -min-count 5 -alpha
 * (0.05 CBOW / 0.025 skip-gram) -cbow 1 -binary 0 -save-vocab -read-vocab`, plus `-seed`), same
 * output formats (word2vec text, or binary with `-binary 1`), and the C tool's progress line on
 * stderr, so scripts written for word2vec.c run unchanged. Tokens are whitespace-separated and
 * kept as they are (no lower-casing), as the C tool reads them, unless a line is written without
 * spaces (Chinese…: `-tokenizer auto` cuts it into words; see `cli/text.ts`); a line is a sentence.
 *
 * Beyond the C tool, gensim's save / load + train: `-save-model FILE` writes both matrices, the
 * vocabulary with its counts and the settings; `-init-model FILE` continues training such a model
 * on `-train` (its vocabulary is kept; words not in it are skipped and counted).
 */
import { availableParallelism } from 'node:os';
import { Vocabulary, countWords } from '@embedkit/tokenizer';
import type { CorpusSource } from '@embedkit/tokenizer';
import { loadWord2VecModel, saveWord2VecModel, trainWord2Vec, type Word2VecOptions, type Word2VecState } from '@embedkit/word2vec';
import { UsageError, type ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles, warnAboutThreads } from '../cli/preflight';
import { STREAM_OPTION, TOKENIZER_OPTION_LIST, tokenizeOptions } from '../cli/text';
import { C_TOOL_OPTIONS, outputFormat, readTrainingCorpus, reportWord2VecSize, trainingInput } from '../cli/training';

/**
 * Refuses, before any reading or training, the flags that contradict the model of `-init-model`
 * (they would change the shape of its weights); flags left out take the model's values.
 */
function checkAgainstModel(args: ParsedArgs, state: Word2VecState, path: string): void {
  const refuse = (given: string, model: string, fix: string): never => {
    throw new UsageError(`${given} does not match the model of -init-model ${path} (${model}): ${fix}`);
  };
  const leaveOut = (flag: string): string => `leave ${flag} out (the model's value is used) or train a new model without -init-model.`;
  if (args.given('size') && args.requireNumber('size') !== state.dim) refuse(`-size ${args.requireNumber('size')}`, `-size ${state.dim}`, leaveOut('-size'));
  const modelCbow = state.model === 'cbow' ? 1 : 0;
  if (args.given('cbow') && args.requireNumber('cbow') !== modelCbow) refuse(`-cbow ${args.requireNumber('cbow')}`, `-cbow ${modelCbow}`, leaveOut('-cbow'));
  const modelHs = state.wOutHs === null ? 0 : 1;
  if (args.given('hs') && args.requireNumber('hs') !== modelHs) refuse(`-hs ${args.requireNumber('hs')}`, `-hs ${modelHs}`, leaveOut('-hs'));
  if (args.given('negative') && (args.requireNumber('negative') > 0) !== (state.wOut !== null)) {
    const trained = state.wOut === null ? '-negative 0: no negative-sampling layer' : `-negative ${state.settings?.negative ?? 'above 0'}`;
    refuse(`-negative ${args.requireNumber('negative')}`, trained, `${leaveOut('-negative')} (Any count above 0 continues a model trained with negative sampling.)`);
  }
}

/**
 * Tells how much of `-train` the fixed vocabulary of `-init-model` leaves out: a count pass with
 * the same reading as the training corpus, compared with the model's words.
 */
async function reportSkippedWords(args: ParsedArgs, context: CommandContext, corpus: CorpusSource, path: string): Promise<void> {
  // The same reading as readTrainingCorpus (tokenizer options and -column), or the counts would not compare.
  const counter = await countWords(args.requireString('train'), { ...tokenizeOptions(args), column: args.string('column'), signal: context.signal });
  const counted = counter.toVocabulary({ minCount: 1 });
  const minCount = args.requireNumber('min-count');
  let words = 0;
  let frequent = 0;
  let tokens = 0;
  for (let id = 0; id < counted.size; id++) {
    if (corpus.vocabulary.has(counted.words[id]!)) continue;
    const count = counted.counts[id]!;
    words++;
    tokens += count;
    if (count >= minCount) frequent++;
  }
  const format = (n: number): string => n.toLocaleString('en-US');
  context.stderr.write(
    words === 0
      ? `Every word of the training file is in the vocabulary of ${path} (${format(corpus.vocabulary.size)} words).\n`
      : `The vocabulary of ${path} (${format(corpus.vocabulary.size)} words) is kept: ${format(words)} words of the training file ` +
          `(${format(tokens)} tokens; ${format(frequent)} of them at least -min-count ${minCount} times) are not in it and were skipped. ` +
          'To learn them, train a new model without -init-model.\n',
  );
}

async function runWord2Vec(args: ParsedArgs, context: CommandContext): Promise<number> {
  const err = context.stderr;
  const output = args.string('output');
  const minCount = args.requireNumber('min-count');
  const threads = args.number('threads') ?? Math.max(1, Math.min(availableParallelism(), 32));
  const readVocab = args.string('read-vocab');
  const saveVocab = args.string('save-vocab');
  const initModel = args.string('init-model');
  const saveModel = args.string('save-model');
  if (output === undefined && saveVocab === undefined && saveModel === undefined) {
    throw new UsageError('Missing -output FILE: without it nothing would be written (give only -save-vocab FILE to build the vocabulary without training, as word2vec.c).');
  }
  if (initModel !== undefined && readVocab !== undefined) {
    throw new UsageError(`-read-vocab cannot be combined with -init-model: continuing keeps the vocabulary of the model (${initModel}); drop -read-vocab.`);
  }
  await checkFiles({
    inputs: [
      await trainingInput('-train', args.requireString('train')),
      { flag: '-read-vocab', path: readVocab },
      { flag: '-init-model', path: initModel },
    ],
    outputs: [
      { flag: '-output', path: output },
      { flag: '-save-vocab', path: saveVocab },
      { flag: '-save-model', path: saveModel },
    ],
  });
  let resume: Word2VecState | undefined;
  if (initModel !== undefined) {
    resume = await loadWord2VecModel(initModel);
    checkAgainstModel(args, resume, initModel);
  }
  // Continuing: a flag left out is the model's.
  const setting = (name: string, model: number | undefined): number =>
    resume !== undefined && !args.given(name) && model !== undefined ? model : args.requireNumber(name);
  const cbow = setting('cbow', resume === undefined ? undefined : resume.model === 'cbow' ? 1 : 0) === 1;
  const hs = setting('hs', resume === undefined ? undefined : resume.wOutHs === null ? 0 : 1) === 1;
  const negative = setting('negative', resume === undefined ? undefined : (resume.settings?.negative ?? (resume.wOut === null ? 0 : 5)));
  if (negative === 0 && !hs) throw new UsageError('-negative 0 with -hs 0 leaves no output layer to train: use -negative 5 (or more) or -hs 1.');
  warnAboutThreads(context, '-threads', threads);
  const started = performance.now();
  if (resume !== undefined) {
    if (args.given('min-count')) err.write(`warning: with -init-model the model's vocabulary is kept; -min-count only says which skipped words would have been kept.\n`);
    err.write(
      `Continuing ${initModel}: ${resume.model === 'cbow' ? 'CBOW' : 'skip-gram'}, -size ${resume.dim}, ` +
        `${[resume.wOut !== null ? `-negative ${resume.settings?.negative ?? '>0'}` : '', resume.wOutHs !== null ? '-hs 1' : ''].filter((x) => x).join(' ')}, ` +
        `${resume.epochsTrained} epochs trained so far\n`,
    );
  }

  const vocabulary = resume?.vocabulary ?? (readVocab === undefined ? undefined : await Vocabulary.load(readVocab, { minCount }));
  // Workers read the token ids from shared memory: encode them there directly (no second copy).
  const vocabularyFrom = initModel !== undefined ? `-init-model ${initModel}` : `-read-vocab ${readVocab}`;
  // -save-vocab's `</s>` count is the counting pass's sentences, as `embedkit vocab` writes it,
  // whether the corpus is then loaded (which drops sentences left empty by -min-count) or streamed.
  let countedSentences: number | undefined;
  const corpus = await readTrainingCorpus(args, context, {
    shared: threads > 1,
    streamable: true,
    onCount: (counter) => (countedSentences = counter.sentenceCount),
    ...(vocabulary ? { vocabulary, vocabularyFrom } : {}),
  });
  if (resume !== undefined && initModel !== undefined) await reportSkippedWords(args, context, corpus, initModel);
  if (saveVocab !== undefined) await corpus.vocabulary.save(saveVocab, { sentenceCount: countedSentences ?? corpus.sentenceCount });
  if (output === undefined && saveModel === undefined) {
    // The C tool's vocabulary-only run, said out loud.
    err.write(`Saved the vocabulary to ${saveVocab}; no -output, so no training (as word2vec.c)\n`);
    return 0;
  }

  let lastLine = 0;
  const options: Word2VecOptions = {
    model: cbow ? 'cbow' : 'skipgram',
    dim: setting('size', resume?.dim),
    window: setting('window', resume?.settings?.window),
    sample: setting('sample', resume?.settings?.sample),
    hs,
    negative,
    threads,
    epochs: args.requireNumber('iter'),
    // Continuing restarts the schedule from the model's starting rate unless -alpha is given.
    alpha: args.number('alpha') ?? resume?.settings?.alpha ?? (cbow ? 0.05 : 0.025),
    seed: args.requireNumber('seed'),
    ...(resume === undefined ? {} : { resumeFrom: resume }),
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
  const { embeddings, stats, state } = await trainWord2Vec(corpus, options);
  if (context.interactive) err.write('\n');
  if (output !== undefined) await embeddings.save(output, { format: outputFormat(args) });
  if (saveModel !== undefined) await saveWord2VecModel(saveModel, state);
  const seconds = (performance.now() - started) / 1000;
  const last = stats.epochReports.at(-1);
  const saved = [output, saveModel === undefined ? undefined : `the model to ${saveModel} (${state.epochsTrained} epochs in all)`].filter((x) => x !== undefined);
  err.write(
    `Trained ${embeddings.size} vectors of ${embeddings.dim} dimensions in ${seconds.toFixed(1)} s ` +
      `(${Math.round((corpus.tokenCount * stats.epochs) / seconds).toLocaleString('en-US')} words/s, ${stats.threads} threads` +
      `${last ? `, final epoch loss ${last.loss.toFixed(4)}` : ''}); saved to ${saved.join(' and ')}\n`,
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
    { name: 'iter', type: 'integer', api: 'epochs', default: 5, min: 1, max: 100000, description: 'Run more training iterations' },
    C_TOOL_OPTIONS.minCount,
    ...TOKENIZER_OPTION_LIST,
    STREAM_OPTION,
    { name: 'alpha', type: 'number', greaterThan: 0, max: 10, description: 'Starting learning rate (default 0.025 for skip-gram, 0.05 for CBOW)' },
    { name: 'cbow', type: 'integer', default: 1, min: 0, max: 1, description: 'Use the continuous bag of words model (1) or skip-gram (0)' },
    C_TOOL_OPTIONS.binary,
    { name: 'save-vocab', type: 'string', valueName: 'FILE', description: 'Save the vocabulary to FILE' },
    { name: 'read-vocab', type: 'string', valueName: 'FILE', description: 'Read the vocabulary from FILE instead of constructing it from the training data' },
    { name: 'seed', type: 'integer', default: 1, description: 'Random seed (with -threads 1 the vectors are bit-identical run after run)' },
    { name: 'save-model', type: 'string', valueName: 'FILE', description: 'Also save the whole model to FILE (both matrices, vocabulary with counts, settings), to continue with -init-model' },
    { name: 'init-model', type: 'string', valueName: 'FILE', description: 'Continue training the model saved by -save-model in FILE on -train (its vocabulary is kept; flags left out are the model\'s)' },
  ],
  epilog: [
    'Examples (as word2vec.c):',
    '  embedkit word2vec -train text8 -output vectors.bin -cbow 1 -size 200 -window 8 -negative 25 -hs 0 -sample 1e-4 -threads 2 -binary 1 -iter 15',
    '  embedkit word2vec -train text8 -output vectors.txt -cbow 0 -size 100 -window 5 -negative 5 -sample 1e-4 -min-count 5',
    'Continue training later (gensim\'s save, load and train):',
    '  embedkit word2vec -train part1.txt -output v1.txt -cbow 0 -iter 2 -save-model model1.ek2m',
    '  embedkit word2vec -train part2.txt -output v2.txt -init-model model1.ek2m -iter 2 -save-model model2.ek2m',
    'Progress goes to stderr: "Alpha: 0.024000  Progress: 4.00%  Words/thread/sec: 250.00k".',
  ].join('\n'),
  run: runWord2Vec,
};
