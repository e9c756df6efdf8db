/**
 * `embedkit eval --vectors FILE [--analogies FILE] [--similarity FILE …] [--restrict 30000] [--json]`:
 * intrinsic evaluation of a vector file with @embedkit/evaluation — analogy accuracy per section,
 * semantic / syntactic / total and coverage; Spearman ρ per word-similarity file with the pairs
 * skipped as out of vocabulary. The numbers match gensim's `evaluate_word_analogies` and
 * `evaluate_word_pairs` on the same file.
 */
import { basename } from 'node:path';
import {
  evaluateAnalogies,
  evaluateSimilarity,
  type AnalogyMethod,
  type AnalogyResult,
  type AnalogyScore,
  type SimilarityResult,
} from '@embedkit/evaluation';
import { UsageError } from '../cli/args';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';
import { TOKENIZER_OPTION_LIST, wordFormOf } from '../cli/text';
import { readFormatOption } from '../cli/vector-files';
import { loadVectors } from './similar';

interface EvalReport {
  vectors: string;
  size: number;
  dim: number;
  analogies?: AnalogyResult & { file: string; seconds: number };
  similarity: (SimilarityResult & { file: string })[];
}

async function runEval(args: ParsedArgs, context: CommandContext): Promise<number> {
  const analogyFile = args.string('analogies');
  // `--similarity A --similarity B` and `--similarity A B` both work: extra positionals are more files.
  const similarityFiles = [...args.list('similarity'), ...args.positionals];
  if (analogyFile === undefined && similarityFiles.length === 0) {
    throw new UsageError('Nothing to evaluate: give --analogies FILE and/or --similarity FILE. See --help.');
  }
  const restrictTo = args.requireNumber('restrict');
  const method = args.requireString('method') as AnalogyMethod;
  const caseInsensitive = !args.flag('case-sensitive');
  const json = args.flag('json');
  // The words of the files are looked up as the training tokenizer would have written them.
  const wordForm = wordFormOf(args);
  const vectors = await loadVectors(args, context);

  let analogies: EvalReport['analogies'];
  if (analogyFile !== undefined) {
    context.stderr.write(`Evaluating analogies from ${analogyFile} …\n`);
    const started = Date.now();
    const result = await evaluateAnalogies(vectors, analogyFile, { restrictTo, method, caseInsensitive, wordForm });
    analogies = { file: analogyFile, seconds: (Date.now() - started) / 1000, ...result };
  }
  const similarity: EvalReport['similarity'] = [];
  for (const file of similarityFiles) {
    if (context.signal.aborted) return 130;
    const result = await evaluateSimilarity(vectors, file, { caseInsensitive, wordForm });
    similarity.push({ file, ...result });
  }
  const report: EvalReport = {
    vectors: args.requireString('vectors'),
    size: vectors.size,
    dim: vectors.dim,
    ...(analogies === undefined ? {} : { analogies }),
    similarity,
  };

  if (json) {
    context.stdout.write(`${JSON.stringify(report, (_key, value: unknown) => (Number.isNaN(value) ? null : value))}\n`);
  } else {
    context.stdout.write(formatReport(report));
  }
  return 0;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;
const count = (x: number): string => x.toLocaleString('en-US');

/** The readable tables: analogies per section and in total, then one line per similarity file. */
export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  const a = report.analogies;
  if (a !== undefined) {
    lines.push(
      '',
      `Analogies: ${basename(a.file)} — ${a.method}, ${count(a.restrictTo)} most frequent words, ` +
        `${a.caseInsensitive ? 'case-insensitive' : 'case-sensitive'} (${a.seconds.toFixed(1)} s)`,
      '',
    );
    const width = Math.max(24, ...a.sections.map((s) => s.name.length)) + 2;
    const header = `${'section'.padEnd(width)}${'accuracy'.padStart(10)}${'correct'.padStart(10)}${'answered'.padStart(10)}${'skipped'.padStart(10)}${'coverage'.padStart(10)}`;
    const row = (name: string, s: AnalogyScore): string =>
      `${name.padEnd(width)}${(s.attempted === 0 ? '—' : percent(s.accuracy)).padStart(10)}${count(s.correct).padStart(10)}` +
      `${count(s.attempted).padStart(10)}${count(s.oov).padStart(10)}${percent(s.coverage).padStart(10)}`;
    lines.push(header, '-'.repeat(header.length));
    for (const s of a.sections) lines.push(row(s.name, s));
    lines.push('-'.repeat(header.length));
    lines.push(row('semantic', a.semantic), row('syntactic', a.syntactic), row('Total accuracy', a.total));
    lines.push(
      '',
      `${count(a.total.oov)} of ${count(a.total.questions)} questions skipped (a word outside the ` +
        `${count(a.restrictTo)} most frequent); coverage ${percent(a.total.coverage)}.`,
    );
    if (a.invalidLines.length > 0) lines.push(`${count(a.invalidLines.length)} malformed line(s) ignored.`);
  }
  if (report.similarity.length > 0) {
    const width = Math.max(24, ...report.similarity.map((s) => basename(s.file).length)) + 2;
    const header = `${'similarity file'.padEnd(width)}${'Spearman ρ'.padStart(12)}${'Pearson r'.padStart(12)}${'pairs used'.padStart(14)}${'OOV pairs'.padStart(15)}`;
    lines.push('', header, '-'.repeat(header.length));
    for (const s of report.similarity) {
      const fixed = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(4));
      lines.push(
        `${basename(s.file).padEnd(width)}${fixed(s.spearman).padStart(12)}${fixed(s.pearson).padStart(12)}` +
          `${`${count(s.used)}/${count(s.pairs)}`.padStart(14)}${`${count(s.oov)} (${percent(s.oovRatio)})`.padStart(15)}`,
      );
    }
    const shown = report.similarity.filter((s) => s.oovPairs.length > 0);
    for (const s of shown) {
      const sample = s.oovPairs.slice(0, 8).map((p) => `${p.word1}–${p.word2}`);
      lines.push(`  ${basename(s.file)}: skipped ${sample.join(', ')}${s.oovPairs.length > 8 ? ', …' : ''}`);
    }
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

/** The `eval` command. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Analogy accuracy and word-similarity ρ of a vector file (gensim-compatible numbers).',
  style: 'gnu',
  options: [
    { name: 'vectors', type: 'string', description: 'Vector file (word2vec text or binary, GloVe, fastText .vec)', required: true, valueName: 'FILE' },
    { name: 'analogies', type: 'string', description: 'Analogy questions in questions-words.txt format (four words per line; ": section" lines optional)', valueName: 'FILE' },
    { name: 'similarity', type: 'list', description: 'Word-similarity file ("word1 word2 score"; tab, comma or spaces; header optional); repeatable', valueName: 'FILE' },
    { name: 'restrict', type: 'integer', description: 'Analogies: consider only the N most frequent words, as gensim\'s restrict_vocab', default: 30000, min: 1, valueName: 'N' },
    { name: 'method', type: 'choice', description: 'Analogy method', default: '3CosAdd', choices: ['3CosAdd', '3CosMul'] },
    { name: 'case-sensitive', type: 'flag', description: 'Match words exactly (default: case-insensitive, the most frequent case variant stands for a word)' },
    readFormatOption(),
    { name: 'limit', type: 'integer', description: 'Load only the first N vectors', min: 1, valueName: 'N' },
    { name: 'json', type: 'flag', description: 'Print the full results as one JSON object' },
    ...TOKENIZER_OPTION_LIST,
  ],
  positionals: [{ name: 'file', description: 'More similarity files (after --similarity FILE)', variadic: true }],
  epilog: [
    'Similarity uses every loaded vector up to 300,000 (gensim\'s evaluate_word_pairs default);',
    'pairs and questions with an unknown word are skipped and counted. The words of the files are',
    'looked up as --tokenizer, --lowercase and --nfkc (the training options) write them.',
    '',
    'Examples:',
    '  embedkit eval --vectors vectors.bin --analogies questions-words.txt',
    '  embedkit eval --vectors vectors.txt --similarity EN-WS-353-ALL.txt --similarity SimLex-999.txt --json',
  ].join('\n'),
  run: runEval,
};
