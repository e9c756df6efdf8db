/**
 * `embedkit similar --vectors FILE WORD… [--negative WORD]… [--topn 10]`: the nearest neighbours
 * of a word (or of the normalised mean of several words' unit vectors, minus those of the
 * `--negative` words: gensim's `most_similar(positive, negative)`) by cosine similarity. Without
 * any word it is interactive, like the C tool's `distance`: it prompts for words until EXIT or
 * end of input.
 *
 * Also exports the small helpers `analogy.ts` shares: loading with progress, the C tool's result
 * table, and the interactive loop.
 */
import { createInterface } from 'node:readline';
import { isEmbedkitError } from '@embedkit/errors';
import { Embeddings } from '@embedkit/vectors';
import type { Neighbour } from '@embedkit/vectors';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { loadVectorFile, readFormatOption } from '../cli/vector-files';

/** Loads `--vectors` (honouring `--format` and `--limit`), reporting size and time on stderr. */
export async function loadVectors(args: ParsedArgs, context: CommandContext): Promise<Embeddings> {
  const path = args.requireString('vectors');
  const started = Date.now();
  const vectors = await loadVectorFile(
    { path, flag: '--vectors', format: args.requireString('format'), formatFlag: '--format', limit: args.number('limit') },
    context,
  );
  context.stderr.write(
    `Loaded ${vectors.size.toLocaleString('en-US')} words × ${vectors.dim} dimensions from ${path} ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return vectors;
}

/**
 * The C tool's result table (`distance`, `word-analogy`), or JSON lines with `--json`. `score`
 * heads the numbers: the C tool's "Cosine distance" (a cosine similarity), or what else they are.
 */
export function printNeighbours(neighbours: readonly Neighbour[], json: boolean, context: CommandContext, score = 'Cosine distance'): void {
  const out = context.stdout;
  if (json) {
    out.write(`${JSON.stringify(neighbours)}\n`);
    return;
  }
  out.write(`\n${'Word'.padStart(50)}${score.padStart(22)}\n${'-'.repeat(72)}\n`);
  for (const n of neighbours) out.write(`${n.label.padStart(50)}\t\t${n.similarity.toFixed(6)}\n`);
}

/**
 * Reads lines from stdin after a prompt until EXIT, end of input or Ctrl-C, and hands each
 * non-empty line's words to `answer`. Unknown words are reported and the loop goes on.
 */
export async function interactive(
  promptText: string,
  context: CommandContext,
  json: boolean,
  answer: (words: string[]) => void,
): Promise<void> {
  // With --json, stdout carries only answers (one JSON line each), no prompts.
  const prompt = json ? '' : promptText;
  const lines = createInterface({ input: context.stdin, crlfDelay: Infinity, terminal: false });
  context.signal.addEventListener('abort', () => lines.close(), { once: true });
  context.stdout.write(prompt);
  try {
    for await (const line of lines) {
      const words = line.trim().split(/\s+/).filter((w) => w.length > 0);
      if (words.length === 1 && words[0] === 'EXIT') break;
      if (words.length > 0) {
        try {
          answer(words);
        } catch (error) {
          // An unknown word or a wrong number of words must not end the session.
          // Shown inline like distance's "Out of dictionary word!"; on stderr when stdout is JSON.
          if (isEmbedkitError(error) || error instanceof RangeError) (json ? context.stderr : context.stdout).write(`${error.message}\n`);
          else throw error;
        }
      }
      if (prompt !== '') context.stdout.write(`\n${prompt}`);
    }
  } finally {
    lines.close();
  }
  if (prompt !== '') context.stdout.write('\n');
}

function position(vectors: Embeddings, word: string): string {
  const row = vectors.indexOf(word);
  return row < 0 ? `Word: ${word}` : `Word: ${word}  Position in vocabulary: ${row}`;
}

async function runSimilar(args: ParsedArgs, context: CommandContext): Promise<number> {
  const topN = args.requireNumber('topn');
  const json = args.flag('json');
  const negative = args.list('negative');
  const vectors = await loadVectors(args, context);
  const answer = (words: string[]) => {
    const neighbours = vectors.mostSimilar({ positive: words, negative, topN });
    if (!json) {
      const lines = [...words.map((w) => position(vectors, w)), ...negative.map((w) => `${position(vectors, w)}  (negative)`)];
      context.stdout.write(`\n${lines.join('\n')}\n`);
    }
    printNeighbours(neighbours, json, context);
  };
  if (args.positionals.length > 0 || negative.length > 0) {
    answer([...args.positionals]);
    return 0;
  }
  await interactive('Enter word or sentence (EXIT to break): ', context, json, answer);
  return 0;
}

/** The `similar` command. */
export const similarCommand: Command = {
  name: 'similar',
  summary: 'Nearest neighbours of a word (interactive without one, like word2vec\'s distance).',
  style: 'gnu',
  options: [
    { name: 'vectors', type: 'string', description: 'Vector file (word2vec text or binary, GloVe, fastText .vec; format auto-detected)', required: true, valueName: 'FILE' },
    { name: 'topn', type: 'integer', description: 'Number of neighbours shown', default: 10, min: 1, valueName: 'N' },
    readFormatOption(),
    { name: 'limit', type: 'integer', description: 'Load only the first N vectors (the N most frequent words)', min: 1, valueName: 'N' },
    { name: 'negative', type: 'list', description: 'Word subtracted from the query (gensim\'s most_similar negative=)', valueName: 'WORD' },
    { name: 'json', type: 'flag', description: 'Print each answer as one JSON line: [{"label","similarity"}, …]' },
  ],
  positionals: [
    { name: 'word', description: 'Word(s): several words are averaged (unit vectors), as in distance and gensim\'s positive=', variadic: true },
  ],
  epilog: [
    'Examples:',
    '  embedkit similar --vectors vectors.bin france',
    '  embedkit similar --vectors vectors.bin king woman --negative man     (gensim: most_similar(positive=[\'king\', \'woman\'], negative=[\'man\']))',
    '  embedkit similar --vectors GoogleNews-vectors-negative300.bin --limit 200000 --topn 5 Paris',
    '  embedkit similar --vectors vectors.txt          (interactive; EXIT or Ctrl-D to quit)',
  ].join('\n'),
  run: runSimilar,
};
