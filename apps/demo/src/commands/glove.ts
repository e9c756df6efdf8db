/**
 * `embedkit glove`: GloVe word vectors (Pennington, Socher & Manning 2014) in one command (counts
 * with 1/d distance weighting, then AdaGrad on the weighted least squares), flags in the C tool's
 * style: `-train FILE -output FILE [-size 100 -window 10 -iter 15 -x-max 100 -threads N
 * -min-count 5]`. Prints glove.c's per-iteration cost line on stderr.
 */
import { availableParallelism } from 'node:os';
import { nnz, trainGlove } from '@embedkit/cooccurrence';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles, reportModelSize, warnAboutThreads } from '../cli/preflight';
import { STREAM_OPTION, TOKENIZER_OPTION_LIST } from '../cli/text';
import { C_TOOL_OPTIONS, outputFormat, readTrainingCorpus, trainingInput } from '../cli/training';

async function runGlove(args: ParsedArgs, context: CommandContext): Promise<number> {
  const err = context.stderr;
  const output = args.requireString('output');
  const threads = args.number('threads') ?? Math.max(1, Math.min(availableParallelism(), 32));
  await checkFiles({ inputs: [await trainingInput('-train', args.requireString('train'))], outputs: [{ flag: '-output', path: output }] });
  warnAboutThreads(context, '-threads', threads);
  const started = performance.now();
  const corpus = await readTrainingCorpus(args, context, { streamable: true });
  const maxVocab = args.number('max-vocab');
  const rows = Math.min(corpus.vocabulary.size, maxVocab ?? Infinity);
  const dim = args.requireNumber('size');
  // Word and context vectors with their biases, and AdaGrad's squared gradients for each.
  reportModelSize(context, {
    words: corpus.vocabulary.size,
    tokens: corpus.tokenCount,
    bytes: 4 * rows * (dim + 1) * 4,
    detail: `4 matrices of ${rows.toLocaleString('en-US')} × ${dim + 1} float32, plus the co-occurrence counts`,
    smaller: '-max-vocab, -size or -min-count',
  });
  const { embeddings, counts, pairs } = await trainGlove(corpus, {
    window: args.requireNumber('window'),
    maxVocab: maxVocab === undefined ? Infinity : maxVocab,
    dim,
    iterations: args.requireNumber('iter'),
    xMax: args.requireNumber('x-max'),
    exponent: args.requireNumber('alpha'),
    learningRate: args.requireNumber('eta'),
    threads,
    seed: args.requireNumber('seed'),
    signal: context.signal,
    // glove.c's line: "iter: 001, cost: 0.071832".
    onIteration: (p) =>
      err.write(`iter: ${String(p.iteration).padStart(3, '0')}, cost: ${p.loss.toFixed(6)}  (${(p.elapsedMs / 1000).toFixed(1)} s)\n`),
  });
  await embeddings.save(output, { format: outputFormat(args) });
  err.write(
    `Trained ${embeddings.size} vectors of ${embeddings.dim} dimensions on ${pairs.toLocaleString('en-US')} co-occurring pairs ` +
      `(${nnz(counts.matrix).toLocaleString('en-US')} stored) with ${threads} threads in ${((performance.now() - started) / 1000).toFixed(1)} s; saved to ${output}\n`,
  );
  return 0;
}

/** The `glove` command. */
export const gloveCommand: Command = {
  name: 'glove',
  summary: 'Train GloVe word vectors (co-occurrence counts + weighted least squares with AdaGrad).',
  style: 'c',
  options: [
    C_TOOL_OPTIONS.train,
    C_TOOL_OPTIONS.column,
    { name: 'output', type: 'string', required: true, valueName: 'FILE', description: 'Use FILE to save the resulting word vectors (word + context vectors)' },
    C_TOOL_OPTIONS.size,
    { name: 'window', type: 'integer', default: 10, min: 1, max: 1000, description: 'Number of context words to the left and to the right (counts weighted 1/distance)' },
    { name: 'iter', type: 'integer', api: 'iterations', default: 15, min: 1, description: 'Number of training iterations' },
    { name: 'x-max', type: 'number', api: 'xMax', default: 100, greaterThan: 0, description: 'Cut-off of the weighting function f(x) = min(1, (x / x-max)^alpha)' },
    { name: 'alpha', type: 'number', api: 'exponent', default: 0.75, min: 0.01, max: 10, description: 'Exponent of the weighting function' },
    { name: 'eta', type: 'number', api: 'learningRate', default: 0.05, greaterThan: 0, max: 10, description: 'Initial learning rate (AdaGrad)' },
    C_TOOL_OPTIONS.threads,
    C_TOOL_OPTIONS.minCount,
    ...TOKENIZER_OPTION_LIST,
    STREAM_OPTION,
    { name: 'max-vocab', type: 'integer', api: 'maxVocab', min: 1, valueName: 'N', description: 'Keep only the N most frequent words (default: all)' },
    C_TOOL_OPTIONS.binary,
    { name: 'seed', type: 'integer', default: 1, description: 'Random seed (with -threads 1 the vectors are bit-identical run after run)' },
  ],
  epilog: [
    'Example (Stanford GloVe demo.sh settings):',
    '  embedkit glove -train text8 -output glove.txt -size 50 -window 15 -x-max 10 -iter 15 -min-count 5',
  ].join('\n'),
  run: runGlove,
};
