/**
 * `embedkit convert --from FILE --to FILE [--binary]`: converts between vector file formats.
 * The input format is auto-detected (word2vec text or binary, GloVe, fastText `.vec`); the output
 * is word2vec text, or the C tool's binary with `--binary`, or GloVe text with `--glove`. The
 * output is written to a temporary file and renamed, so an existing file survives a failure.
 */
import { Embeddings } from '@embedkit/vectors';
import { UsageError } from '../cli/args';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';

async function runConvert(args: ParsedArgs, context: CommandContext): Promise<number> {
  const from = args.requireString('from');
  const to = args.requireString('to');
  if (args.flag('binary') && args.flag('glove')) throw new UsageError('Choose one of --binary and --glove.');
  const format = args.flag('binary') ? 'word2vec-binary' : args.flag('glove') ? 'glove' : 'word2vec-text';
  const limit = args.number('limit');
  const started = Date.now();
  const vectors = await Embeddings.load(from, {
    ...(limit === undefined ? {} : { limit }),
    onWarning: (message) => context.stderr.write(`warning: ${message}\n`),
  });
  await vectors.save(to, { format });
  context.stderr.write(
    `Converted ${vectors.size.toLocaleString('en-US')} vectors × ${vectors.dim} dimensions from ${from} ` +
      `to ${to} (${format}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

/** The `convert` command. */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert vectors between word2vec text/binary, GloVe and fastText .vec.',
  style: 'gnu',
  options: [
    { name: 'from', type: 'string', description: 'Input vector file (format auto-detected; .gz is decompressed)', required: true, valueName: 'FILE' },
    { name: 'to', type: 'string', description: 'Output file (.gz is compressed)', required: true, valueName: 'FILE' },
    { name: 'binary', type: 'flag', description: 'Write the word2vec C tool\'s binary format (default: word2vec text)' },
    { name: 'glove', type: 'flag', description: 'Write GloVe text (no header line)' },
    { name: 'limit', type: 'integer', description: 'Keep only the first N vectors (the N most frequent words)', min: 1, valueName: 'N' },
  ],
  epilog: [
    'Examples:',
    '  embedkit convert --from vectors.txt --to vectors.bin --binary',
    '  embedkit convert --from GoogleNews-vectors-negative300.bin --to top100k.txt --limit 100000',
    '  embedkit convert --from glove.6B.100d.txt --to glove.6B.100d.w2v.txt',
  ].join('\n'),
  run: runConvert,
};
