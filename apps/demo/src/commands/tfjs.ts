/**
 * `embedkit tfjs`: train word vectors with @embedkit/word2vec-tfjs, the article's two-matrix model
 * on TensorFlow.js, with the C word2vec tool's flag style (`-train FILE -output FILE -cbow 1 …`)
 * plus `-batch`, `-optimizer`, `-updates` and `-backend`. Reads text like `embedkit word2vec` (whitespace
 * tokens, a line is a sentence) and writes the word2vec text format. The backend used is printed
 * on stderr; `-backend tensorflow` needs `@tensorflow/tfjs-node` (or `-gpu`) installed.
 */
import { BACKEND_CHOICES, selectBackend, trainWord2VecTfjs } from '@embedkit/word2vec-tfjs';
import type { BackendChoice } from '@embedkit/word2vec-tfjs';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles, reportModelSize } from '../cli/preflight';
import { TOKENIZER_OPTION_LIST } from '../cli/text';
import { C_TOOL_OPTIONS, readTrainingCorpus, trainingInput } from '../cli/training';

async function runTfjs(args: ParsedArgs, context: CommandContext): Promise<number> {
  const err = context.stderr;
  const output = args.requireString('output');
  const cbow = args.requireNumber('cbow') === 1;
  const optimizer = args.requireString('optimizer') as 'sgd' | 'adam';
  await checkFiles({ inputs: [await trainingInput('-train', args.requireString('train'))], outputs: [{ flag: '-output', path: output }] });
  const started = performance.now();

  const corpus = await readTrainingCorpus(args, context);
  const dim = args.requireNumber('size');
  // Two matrices, and Adam's two moment estimates of each.
  const copies = optimizer === 'adam' ? 6 : 2;
  reportModelSize(context, {
    words: corpus.vocabulary.size,
    tokens: corpus.tokenCount,
    bytes: copies * corpus.vocabulary.size * dim * 4,
    detail: `${copies} matrices of ${corpus.vocabulary.size.toLocaleString('en-US')} × ${dim} float32${optimizer === 'adam' ? ' (weights and Adam moments)' : ''}`,
    smaller: '-size or -min-count',
  });

  // Chosen before training so that the user sees it at once (and a missing tfjs-node fails early).
  const backend = await selectBackend(args.requireString('backend') as BackendChoice);
  err.write(`Backend: ${backend.description}\n`);
  let lastLine = 0;
  const negative = args.requireNumber('negative');
  const result = await trainWord2VecTfjs(corpus, {
    model: cbow ? 'cbow' : 'skipgram',
    loss: negative > 0 ? 'negative' : 'softmax',
    negative: negative > 0 ? negative : undefined,
    dim,
    window: args.requireNumber('window'),
    sample: args.requireNumber('sample'),
    epochs: args.requireNumber('iter'),
    batchSize: args.requireNumber('batch'),
    optimizer,
    updates: args.requireString('updates') as 'dense' | 'sparse',
    alpha: args.number('alpha'),
    seed: args.requireNumber('seed'),
    backend: backend.name,
    signal: context.signal,
    progressIntervalMs: 100,
    onProgress: (p) => {
      const now = performance.now();
      if (p.fraction < 1 && now - lastLine < (context.interactive ? 100 : 5000)) return;
      lastLine = now;
      err.write(
        `${context.interactive ? '\r' : ''}Alpha: ${p.alpha.toFixed(6)}  Progress: ${(p.fraction * 100).toFixed(2)}%  Words/sec: ${(p.wordsPerSecond / 1000).toFixed(2)}k  Loss: ${Number.isNaN(p.loss) ? '-' : p.loss.toFixed(4)}  ${context.interactive ? '' : '\n'}`,
      );
    },
    onEpochEnd: (e) => {
      if (!context.interactive) err.write(`Epoch ${e.epoch}: loss ${e.loss.toFixed(4)} (${e.examples} examples, ${e.seconds.toFixed(1)} s)\n`);
    },
  });
  if (context.interactive) err.write('\n');
  await result.embeddings.save(output, { format: 'word2vec-text' });
  const seconds = (performance.now() - started) / 1000;
  const last = result.stats.epochReports.at(-1);
  err.write(
    `Trained ${result.embeddings.size} vectors of ${result.embeddings.dim} dimensions in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.stats.wordsPerSecond).toLocaleString('en-US')} words/s on ${result.backend}, ${result.stats.steps} steps` +
      `${last ? `, final epoch loss ${last.loss.toFixed(4)}` : ''}); saved to ${output}\n`,
  );
  return 0;
}

/** The `tfjs` command. */
export const tfjsCommand: Command = {
  name: 'tfjs',
  summary: 'Train word vectors with the TensorFlow.js model (the article\'s two matrices; tfjs-node if installed, else wasm, else cpu).',
  style: 'c',
  options: [
    C_TOOL_OPTIONS.train,
    C_TOOL_OPTIONS.column,
    { name: 'output', type: 'string', required: true, valueName: 'FILE', description: 'Use FILE to save the resulting word vectors (word2vec text format)' },
    { name: 'cbow', type: 'integer', default: 1, min: 0, max: 1, description: 'Use the continuous bag of words model (1) or skip-gram (0)' },
    C_TOOL_OPTIONS.size,
    { name: 'window', type: 'integer', default: 5, min: 1, max: 1000, description: 'Max skip length between words' },
    { name: 'negative', type: 'integer', default: 5, min: 0, max: 1000, description: 'Number of negative examples; 0 = full softmax over the vocabulary (small vocabularies only)' },
    { name: 'iter', type: 'integer', api: 'epochs', default: 5, min: 1, max: 100000, description: 'Training epochs' },
    { name: 'batch', type: 'integer', api: 'batchSize', default: 1024, min: 1, max: 1 << 20, description: 'Examples per optimizer step' },
    { name: 'optimizer', type: 'choice', default: 'adam', choices: ['sgd', 'adam'], description: 'adam (constant rate) or sgd (the C tool\'s linearly decaying rate)' },
    { name: 'updates', type: 'choice', default: 'dense', choices: ['dense', 'sparse'], description: 'dense: tf.train optimizer over the whole matrices; sparse: only the batch\'s rows (faster for large vocabularies; same result with sgd, lazy Adam with adam)' },
    { name: 'backend', type: 'choice', default: 'auto', choices: BACKEND_CHOICES, description: 'auto = tensorflow (tfjs-node) if installed, else wasm, else cpu' },
    { name: 'alpha', type: 'number', greaterThan: 0, max: 10, description: 'Learning rate (default: sgd 0.05 CBOW / 0.025 skip-gram; adam 0.01)' },
    { name: 'sample', type: 'number', default: 1e-3, min: 0, max: 1, description: 'Threshold for occurrence of words: frequent ones are randomly down-sampled; 0 disables' },
    C_TOOL_OPTIONS.minCount,
    ...TOKENIZER_OPTION_LIST,
    { name: 'seed', type: 'integer', default: 1, description: 'Random seed (same seed and backend: same vectors)' },
  ],
  epilog: [
    'Examples:',
    '  embedkit tfjs -train corpus.txt -output vectors.txt -cbow 0 -size 100 -window 5 -negative 5 -iter 5',
    '  embedkit tfjs -train tiny.txt -output vectors.txt -negative 0 -optimizer adam -batch 256   (full softmax)',
    'For real work `embedkit word2vec` is much faster on CPUs. -backend tensorflow needs',
    '`npm install @tensorflow/tfjs-node` (or @tensorflow/tfjs-node-gpu for CUDA); it downloads libtensorflow while installing.',
  ].join('\n'),
  run: runTfjs,
};
