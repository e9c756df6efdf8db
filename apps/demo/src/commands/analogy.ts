/**
 * `embedkit analogy --vectors FILE A B C [--topn 10]`: "A is to B as C is to ?", by 3CosAdd
 * (vector b − a + c, Mikolov et al. 2013) or 3CosMul (Levy & Goldberg 2014). Without words it is
 * interactive, like the C tool's `word-analogy`.
 */
import { UsageError } from '../cli/args';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { readFormatOption } from '../cli/vector-files';
import { interactive, loadVectors, printNeighbours } from './similar';

async function runAnalogy(args: ParsedArgs, context: CommandContext): Promise<number> {
  const count = args.positionals.length;
  if (count !== 0 && count !== 3) {
    throw new UsageError(`Expected three words A B C (A is to B as C is to ?), got ${count}.`);
  }
  const topN = args.requireNumber('topn');
  const method = args.requireString('method') as '3CosAdd' | '3CosMul';
  const json = args.flag('json');
  const vectors = await loadVectors(args, context);
  const answer = (words: string[]) => {
    if (words.length !== 3) throw new RangeError('Only three words are accepted: A B C (A is to B as C is to ?)');
    const [a, b, c] = words as [string, string, string];
    const neighbours = vectors.analogy(a, b, c, { method, topN });
    if (!json) context.stdout.write(`\n${a} is to ${b} as ${c} is to ?\n`);
    // 3CosMul's score is a product of shifted cosines, not a cosine.
    printNeighbours(neighbours, json, context, method === '3CosMul' ? '3CosMul score' : 'Cosine distance');
  };
  if (count === 3) {
    answer([...args.positionals]);
    return 0;
  }
  await interactive('Enter three words (EXIT to break): ', context, json, answer);
  return 0;
}

/** The `analogy` command. */
export const analogyCommand: Command = {
  name: 'analogy',
  summary: 'A is to B as C is to ? (interactive without words, like word2vec\'s word-analogy).',
  style: 'gnu',
  options: [
    { name: 'vectors', type: 'string', description: 'Vector file (word2vec text or binary, GloVe, fastText .vec; format auto-detected)', required: true, valueName: 'FILE' },
    { name: 'topn', type: 'integer', description: 'Number of answers shown', default: 10, min: 1, valueName: 'N' },
    { name: 'method', type: 'choice', description: '3CosAdd: nearest to b − a + c; 3CosMul: Levy & Goldberg\'s multiplicative objective', default: '3CosAdd', choices: ['3CosAdd', '3CosMul'] },
    readFormatOption(),
    { name: 'limit', type: 'integer', description: 'Load only the first N vectors (the N most frequent words)', min: 1, valueName: 'N' },
    { name: 'json', type: 'flag', description: 'Print each answer as one JSON line: [{"label","similarity"}, …]' },
  ],
  positionals: [
    { name: 'a', description: 'A' },
    { name: 'b', description: 'B' },
    { name: 'c', description: 'C' },
  ],
  epilog: [
    'Examples:',
    '  embedkit analogy --vectors vectors.bin man king woman      (→ queen)',
    '  embedkit analogy --vectors vectors.bin --method 3CosMul paris france rome',
    '  embedkit analogy --vectors vectors.bin                     (interactive; EXIT or Ctrl-D to quit)',
    'The three input words are never returned as answers.',
  ].join('\n'),
  run: runAnalogy,
};
