/**
 * `embedkit cooccur`: count-based word vectors (PPMI-SVD, Levy, Goldberg & Dagan 2015) in the C
 * tool's flag style: `-train FILE -output FILE [-window 5 -size 100 -min-count 5 -max-vocab N
 * -weighting ppmi|sppmi|counts -eig 0.5 -binary 0]`. Text is read with `-tokenizer` (default
 * `auto`: whitespace tokens kept as they are, Chinese lines cut into words); a line is a sentence. Writes word2vec text (or binary with `-binary 1`).
 */
import { type CountWeighting, countCooccurrencesFrom, factorizeCounts, nnz } from '@embedkit/cooccurrence';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles, reportModelSize } from '../cli/preflight';
import { STREAM_OPTION, TOKENIZER_OPTION_LIST } from '../cli/text';
import { C_TOOL_OPTIONS, outputFormat, readTrainingCorpus, trainingInput } from '../cli/training';

async function runCooccur(args: ParsedArgs, context: CommandContext): Promise<number> {
  const err = context.stderr;
  const output = args.requireString('output');
  await checkFiles({ inputs: [await trainingInput('-train', args.requireString('train'))], outputs: [{ flag: '-output', path: output }] });
  const started = performance.now();
  const corpus = await readTrainingCorpus(args, context, { streamable: true });
  const maxVocab = args.number('max-vocab');
  const weighting = args.requireString('weighting') as CountWeighting;
  const rows = Math.min(corpus.vocabulary.size, maxVocab ?? Infinity);
  const rank = Math.min(args.requireNumber('size'), rows);
  // The randomized SVD's dense blocks (rows × (rank + 10) float64, a few of them) and the result;
  // the sparse counts come on top and are known only once counted.
  reportModelSize(context, {
    words: corpus.vocabulary.size,
    tokens: corpus.tokenCount,
    bytes: rows * (rank + 10) * 8 * 3 + rows * rank * 4,
    detail: `SVD blocks of ${rows.toLocaleString('en-US')} × ${rank + 10} float64, plus the co-occurrence counts`,
    smaller: '-max-vocab, -size or -min-count',
  });
  const window = args.requireNumber('window');
  const countStarted = performance.now();
  // Counted batch after batch: the same counts from a loaded or a streamed corpus.
  const counts = await countCooccurrencesFrom(corpus, { window, maxVocab: maxVocab ?? Infinity, signal: context.signal });
  const countSeconds = (performance.now() - countStarted) / 1000;
  const { embeddings, weighted, timings } = factorizeCounts(counts, {
    dim: rank,
    weighting,
    shift: args.requireNumber('shift'),
    alpha: args.requireNumber('cds'),
    eig: args.requireNumber('eig'),
    powerIterations: args.requireNumber('power-iterations'),
    seed: args.requireNumber('seed'),
  });
  err.write(
    `Counted ${nnz(counts.matrix).toLocaleString('en-US')} distinct pairs over ${counts.labels.length} words in ${countSeconds.toFixed(1)} s; ` +
      `${weighting} kept ${nnz(weighted).toLocaleString('en-US')} entries; SVD in ${(timings.svd / 1000).toFixed(1)} s\n`,
  );
  await embeddings.save(output, { format: outputFormat(args) });
  err.write(
    `Saved ${embeddings.size} vectors of ${embeddings.dim} dimensions to ${output} (${((performance.now() - started) / 1000).toFixed(1)} s in all)\n`,
  );
  return 0;
}

/** The `cooccur` command. */
export const cooccurCommand: Command = {
  name: 'cooccur',
  summary: 'Train count-based word vectors: window co-occurrence counts, PPMI, truncated SVD.',
  style: 'c',
  options: [
    C_TOOL_OPTIONS.train,
    C_TOOL_OPTIONS.column,
    C_TOOL_OPTIONS.output,
    { name: 'window', type: 'integer', default: 5, min: 1, max: 1000, description: 'Contexts are the words at distance 1 … window on both sides' },
    { name: 'size', type: 'integer', api: 'dim', default: 100, min: 1, max: 10000, description: 'Size of word vectors (SVD rank)' },
    C_TOOL_OPTIONS.minCount,
    ...TOKENIZER_OPTION_LIST,
    STREAM_OPTION,
    { name: 'max-vocab', type: 'integer', api: 'maxVocab', min: 1, valueName: 'N', description: 'Keep only the N most frequent words as rows and contexts (default: all)' },
    { name: 'weighting', type: 'choice', default: 'ppmi', choices: ['ppmi', 'sppmi', 'counts'], description: 'PPMI, shifted PPMI (log k subtracted) or raw counts' },
    { name: 'shift', type: 'number', default: 5, min: 1, description: 'k of shifted PPMI (-weighting sppmi)' },
    { name: 'cds', type: 'number', api: 'alpha', default: 0.75, min: 0.01, max: 1, description: 'Context-distribution smoothing exponent' },
    { name: 'eig', type: 'number', default: 0.5, min: 0, max: 1, description: 'Eigenvalue weighting p: vectors are U·Σ^p (0, 0.5 or 1)' },
    { name: 'power-iterations', type: 'integer', default: 3, min: 0, max: 50, description: 'Power iterations of the randomized SVD (more: closer to the exact SVD, slower)' },
    C_TOOL_OPTIONS.binary,
    { name: 'seed', type: 'integer', default: 1, description: 'Seed of the randomized SVD' },
  ],
  epilog: [
    'Example:',
    '  embedkit cooccur -train text8 -output ppmi-svd.txt -window 5 -size 100 -max-vocab 30000',
    'Small vocabularies (≤ 1500 words) use an exact SVD, larger ones a randomized truncated SVD.',
  ].join('\n'),
  run: runCooccur,
};
