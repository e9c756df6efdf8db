/**
 * `embedkit convert --from PATH --to PATH [--format F]`: converts between vector formats. The
 * input format is auto-detected (word2vec text or binary, GloVe, fastText `.vec`, a Spark MLlib
 * `Word2VecModel` directory); the output is `--format`: word2vec text (default), the C tool's
 * binary (`--binary` for short), GloVe text (`--glove`) or a Spark model directory. The output is
 * written under a temporary name and renamed, so an existing file or model survives a failure.
 * A NumPy `.npy` matrix (gensim's `*.wv.vectors.npy`) is read with `--words FILE`, its labels.
 */
import { Embeddings, type VectorFormat } from '@embedkit/vectors';
import { UsageError } from '../cli/args';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles } from '../cli/preflight';
import { loadVectorFile, readFormatOption } from '../cli/vector-files';

async function runConvert(args: ParsedArgs, context: CommandContext): Promise<number> {
  const from = args.requireString('from');
  const to = args.requireString('to');
  const chosen = [args.string('format'), args.flag('binary') ? 'word2vec-binary' : undefined, args.flag('glove') ? 'glove' : undefined];
  const formats = [...new Set(chosen.filter((f) => f !== undefined))];
  if (formats.length > 1) throw new UsageError('Choose one output format: --format, --binary or --glove.');
  const format = (formats[0] ?? 'word2vec-text') as VectorFormat;
  if (args.string('spark-api') !== undefined && format !== 'spark') throw new UsageError('--spark-api applies to --format spark only.');
  const sparkApi = (args.string('spark-api') ?? 'ml') as 'ml' | 'mllib';
  const limit = args.number('limit');
  const words = args.string('words');
  await checkFiles({
    inputs: [{ flag: '--from', path: from, directory: true }, { flag: '--words', path: words }],
    outputs: [{ flag: '--to', path: to, directory: format === 'spark' }],
  });
  const started = Date.now();
  let vectors: Embeddings;
  if (words === undefined) {
    vectors = await loadVectorFile({ path: from, flag: '--from', format: args.requireString('from-format'), formatFlag: '--from-format', limit }, context);
  } else {
    vectors = await Embeddings.loadNpy(from, words);
    if (limit !== undefined && limit < vectors.size) {
      vectors = new Embeddings(vectors.labels.slice(0, limit), vectors.dim, vectors.toMatrix().slice(0, limit * vectors.dim));
    }
  }
  await vectors.save(to, { format, sparkApi });
  context.stderr.write(
    `Converted ${vectors.size.toLocaleString('en-US')} vectors × ${vectors.dim} dimensions from ${from} ` +
      `to ${to} (${format}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

/** The `convert` command. */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert vectors between word2vec text/binary, GloVe, fastText .vec and Spark MLlib Word2VecModel directories.',
  style: 'gnu',
  options: [
    {
      name: 'from',
      type: 'string',
      description: 'Input vector file or Spark Word2VecModel directory (format auto-detected; .gz is decompressed)',
      required: true,
      valueName: 'PATH',
    },
    { name: 'to', type: 'string', description: 'Output file (.gz is compressed), or directory for --format spark', required: true, valueName: 'PATH' },
    readFormatOption('from-format'),
    {
      name: 'format',
      type: 'choice',
      choices: ['word2vec-text', 'word2vec-binary', 'glove', 'spark'],
      description: 'Output format (default word2vec-text); spark writes a directory that Spark\'s Word2VecModel.load reads',
    },
    { name: 'binary', type: 'flag', description: 'Same as --format word2vec-binary (the C tool\'s binary format)' },
    { name: 'glove', type: 'flag', description: 'Same as --format glove (GloVe text, no header line)' },
    {
      name: 'spark-api',
      type: 'choice',
      choices: ['ml', 'mllib'],
      description: 'With --format spark: ml (default) for pyspark.ml.feature.Word2VecModel, mllib for the RDD API\'s',
    },
    { name: 'limit', type: 'integer', description: 'Keep only the first N vectors (the N most frequent words)', min: 1, valueName: 'N' },
    { name: 'words', type: 'string', description: 'With a NumPy .npy matrix as --from: its words, one per line in row order', valueName: 'FILE' },
  ],
  epilog: [
    'Examples:',
    '  embedkit convert --from vectors.txt --to vectors.bin --binary',
    '  embedkit convert --from GoogleNews-vectors-negative300.bin --to top100k.txt --limit 100000',
    '  embedkit convert --from glove.6B.100d.txt --to glove.6B.100d.w2v.txt',
    '  embedkit convert --from model.wv.vectors.npy --words words.txt --to vectors.bin --binary   # gensim\'s .npy side file',
    '  embedkit convert --from spark-model/ --to vectors.bin --binary        # a Spark MLlib Word2VecModel.save() directory',
    '  embedkit convert --from vectors.bin --to spark-model/ --format spark  # then Word2VecModel.load("spark-model") in Spark',
  ].join('\n'),
  run: runConvert,
};
