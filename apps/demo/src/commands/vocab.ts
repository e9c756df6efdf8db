/**
 * `embedkit vocab -train FILE [-min-count N] [-save-vocab FILE]`: one streaming pass over a text
 * file (the vocabulary pass of every trainer) and its statistics: tokens, sentences, distinct
 * words, the vocabulary kept at `-min-count`, the share of tokens it covers, the most frequent
 * words and the time taken. `-save-vocab` writes word2vec.c's vocabulary format (`</s>` first).
 * Tokens are read with the same `-tokenizer`, `-lowercase` and `-nfkc` options (and defaults) as
 * every trainer, so a saved vocabulary fits `embedkit word2vec -read-vocab` (and, on
 * space-separated text, word2vec.c's).
 */
import { countWords } from '@embedkit/tokenizer';
import type { ParsedArgs } from '../cli/args';
import { C_TOOL_OPTIONS, trainingInput } from '../cli/training';
import type { Command, CommandContext } from '../cli/command';
import { checkFiles } from '../cli/preflight';
import { createProgress } from '../cli/progress';
import { TOKENIZER_OPTION_LIST, describeTokenizer, lineLikeWarning, tokenizeOptions } from '../cli/text';

const number = (n: number): string => n.toLocaleString('en-US');

async function runVocab(args: ParsedArgs, context: CommandContext): Promise<number> {
  const out = context.stdout;
  const train = args.requireString('train');
  const minCount = args.requireNumber('min-count');
  const saveVocab = args.string('save-vocab');
  const tokenize = tokenizeOptions(args);
  const maxVocab = args.number('max-vocab');
  const top = args.requireNumber('top');
  await checkFiles({ inputs: [await trainingInput('-train', train)], outputs: [{ flag: '-save-vocab', path: saveVocab }] });

  const progress = createProgress(`Reading ${train}`, context.stderr, { interactive: context.interactive });
  const started = performance.now();
  const warnings: string[] = [];
  const counter = await countWords(train, {
    ...tokenize,
    maxSize: maxVocab,
    column: args.string('column'),
    signal: context.signal,
    onWarning: (message) => warnings.push(message),
    onProgress: (read, total) => {
      if (total > 0) progress.update(read / total, `${(read / 1048576).toFixed(0)} MiB`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  progress.finish();
  const lineLike = lineLikeWarning(counter, train, tokenize.mode, '-');
  if (lineLike !== undefined) warnings.push(lineLike);
  for (const warning of warnings) context.stderr.write(`warning: ${warning}\n`);
  const vocabulary = counter.toVocabulary({ minCount });

  const coverage = (100 * vocabulary.totalCount) / counter.tokenCount;
  const topWords: string[] = [];
  for (let id = 0; id < Math.min(top, vocabulary.size); id++) {
    topWords.push(`${vocabulary.wordOf(id)} ${number(vocabulary.countOf(id))}`);
  }
  out.write(
    [
      `File            ${train}`,
      `Tokenizer       ${describeTokenizer(tokenize)}`,
      `Tokens          ${number(counter.tokenCount)}`,
      `Sentences       ${number(counter.sentenceCount)}`,
      `Distinct words  ${number(counter.distinctCount)}${counter.pruneCount > 0 ? ` (after ${counter.pruneCount} prunings at -max-vocab ${maxVocab})` : ''}`,
      `Vocabulary      ${number(vocabulary.size)} words with count >= ${minCount}`,
      `Coverage        ${coverage.toFixed(2)}% of tokens are in the vocabulary`,
      ...(topWords.length > 0 ? [`Most frequent   ${topWords.join(', ')}`] : []),
      `Time            ${seconds.toFixed(2)} s (${number(Math.round(counter.tokenCount / seconds))} tokens/s)`,
      '',
    ].join('\n'),
  );
  if (saveVocab !== undefined) {
    await vocabulary.save(saveVocab, { sentenceCount: counter.sentenceCount });
    out.write(`Vocabulary saved to ${saveVocab} (word2vec.c -save-vocab format, </s> first)\n`);
  }
  return 0;
}

/** The `vocab` command. */
export const vocabCommand: Command = {
  name: 'vocab',
  summary: 'Count the words of a text file and print corpus statistics; -save-vocab writes the vocabulary.',
  style: 'c',
  options: [
    { name: 'train', type: 'string', required: true, valueName: 'FILE', description: 'Text file to read; a line is a sentence (or a Parquet file: a row is a sentence)' },
    C_TOOL_OPTIONS.column,
    { name: 'min-count', type: 'integer', api: 'minCount', default: 5, min: 1, description: 'Keep words occurring at least this many times' },
    {
      name: 'save-vocab',
      type: 'string',
      valueName: 'FILE',
      description: 'Write the vocabulary as "word count" lines, readable by word2vec.c -read-vocab',
    },
    ...TOKENIZER_OPTION_LIST,
    {
      name: 'max-vocab',
      type: 'integer',
      api: 'maxSize',
      min: 1,
      valueName: 'N',
      description: 'Prune rare words while counting to hold at most N (bounded memory, approximate rare counts)',
    },
    { name: 'top', type: 'integer', default: 10, min: 0, valueName: 'N', description: 'How many of the most frequent words to show' },
  ],
  epilog: [
    'Examples:',
    '  embedkit vocab -train text8 -min-count 5 -save-vocab vocab.txt',
    '  embedkit vocab -train zhwiki.txt -save-vocab vocab.txt   # Chinese: -tokenizer auto cuts lines into words',
    '  embedkit word2vec -train zhwiki.txt -read-vocab vocab.txt -output zh.txt',
    'The tokenizer options and their defaults are those of every trainer, so a vocabulary saved here',
    'fits `embedkit word2vec -read-vocab` (and, on space-separated text, word2vec.c -read-vocab).',
  ].join('\n'),
  run: runVocab,
};
