/**
 * `embedkit families [--json] [--corpus FILE] [--quick] [--update BENCHMARKS.md]`: the article's
 * comparison of embedding families, measured. Trains the static models on the corpus, runs the
 * contextual encoder(s) and the hosted adapters whose keys are set, scores each on the six points
 * (context, OOV, generalisation, cost, price, quality) and prints one row per method. The result
 * is saved as JSON for `embedkit serve` (its page shows the table) and can rewrite a section of
 * BENCHMARKS.md. The measuring code is @embedkit/bench's, shared with `embedkit-bench --suite families`.
 */
import { existsSync } from 'node:fs';
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultEvalDir, familiesModelProblem, familiesToMarkdown, familyRows, runFamiliesComparison, updateMarkdownSection, type FamiliesResult } from '@embedkit/bench';
import { UsageError } from '../cli/args';
import type { ParsedArgs } from '../cli/args';
import type { Command, CommandContext } from '../cli/command';

/** Where `embedkit families` saves its result and `embedkit serve` looks for it. */
export const FAMILIES_RESULT_PATH = join('models', 'families.json');

/** Folder, beside the result, where the bilm trained by a run is saved (`--contextual-model` loads it). */
export const FAMILIES_BILM_DIRECTORY = 'families-bilm';

/** The tag of the BENCHMARKS.md section `--update` rewrites. */
const SECTION_TAG = 'families';

async function checkWritable(path: string, flag: string): Promise<void> {
  const dir = dirname(resolve(path));
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, 2);
  } catch {
    throw new UsageError(`--${flag} ${path}: cannot write in ${dir}. Give a path in a folder you can write to.`);
  }
}

/** The command as typed, rebuilt from the options given (for the report). */
function commandLine(args: ParsedArgs): string {
  const parts = ['npx -y pnpm@12.4.2 embedkit families'];
  for (const option of familiesCommand.options) {
    if (!args.given(option.name)) continue;
    if (option.type === 'flag') parts.push(`--${option.name}`);
    else if (option.type === 'list') parts.push(`--${option.name} ${args.list(option.name).join(',')}`);
    else parts.push(`--${option.name} ${args.string(option.name) ?? args.number(option.name)}`);
  }
  return parts.join(' ');
}

async function runFamilies(args: ParsedArgs, context: CommandContext): Promise<number> {
  const corpus = args.string('corpus');
  const output = args.requireString('output');
  const update = args.string('update');
  const evalDir = args.string('eval-dir') ?? defaultEvalDir();
  const contextualModel = args.string('contextual-model');
  const onnxModel = args.string('onnx-model');
  const contextualSeconds = args.number('contextual-seconds');
  const rows = args.list('rows').flatMap((value) => value.split(',')).filter(Boolean);
  const err = context.stderr;
  // Check everything before minutes of work.
  if (corpus !== undefined && !existsSync(corpus)) throw new UsageError(`--corpus ${corpus} does not exist. Give a text file with one sentence per line.`);
  if (contextualModel !== undefined && contextualSeconds !== undefined) throw new UsageError('--contextual-seconds and --contextual-model exclude each other: a loaded model is not trained again.');
  const modelProblem = await familiesModelProblem({ contextualModel: contextualModel ?? null, onnxModel: onnxModel ?? null });
  if (modelProblem) throw new UsageError(modelProblem);
  if (args.given('eval-dir') && evalDir !== undefined && !existsSync(evalDir)) throw new UsageError(`--eval-dir ${evalDir} does not exist.`);
  for (const [flag, path] of [['output', output], ['update', update]] as const) {
    if (path === undefined) continue;
    if (corpus !== undefined && resolve(path) === resolve(corpus)) throw new UsageError(`--${flag} ${path} is the corpus: give another file.`);
    await checkWritable(path, flag);
  }
  const known = familyRows().map((row) => row.id);
  const unknown = rows.filter((id) => !known.includes(id));
  if (unknown.length) throw new UsageError(`Unknown --rows ${unknown.join(', ')}: known rows are ${known.join(', ')}.`);

  const workDir = await mkdtemp(join(tmpdir(), 'embedkit-families-'));
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  let result: FamiliesResult;
  try {
    result = await runFamiliesComparison({
      corpus,
      evalDir,
      quick: args.flag('quick'),
      settings: {
        epochs: args.number('epochs') ?? (args.flag('quick') ? 1 : 5),
        threads: args.number('threads') ?? Math.min(2, availableParallelism()),
        ...(contextualSeconds === undefined ? {} : { contextualSeconds }),
        contextualModel: contextualModel === undefined ? null : resolve(contextualModel),
        // The bilm trained here is kept beside the result, so that a later run can load it.
        contextualOutput: contextualModel === undefined ? resolve(dirname(output), FAMILIES_BILM_DIRECTORY) : null,
        onnxModel: onnxModel === undefined ? null : resolve(onnxModel),
      },
      rows: rows.length ? rows : undefined,
      workDir,
      command: commandLine(args),
      signal: context.signal,
      onNote: (message) => err.write(`${message}\n`),
      onEvent: (event) => {
        if (event.type === 'start') err.write(`[${event.index + 1}/${event.total}] ${event.row.label}…\n`);
        else {
          const r = event.result;
          err.write(`[${event.index + 1}/${event.total}] ${r.label}: ${r.status === 'measured' ? 'measured' : `${r.status} (${r.reason})`} (${elapsed()})\n`);
        }
      },
      onProgress: (row, message) => err.write(`    ${row.id}: ${message}\n`),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  if (context.signal.aborted) return 130;

  const markdown = familiesToMarkdown(result);
  const json = JSON.stringify(result, null, 2) + '\n';
  await writeFile(`${output}.tmp`, json);
  await rename(`${output}.tmp`, output);
  err.write(`Saved ${output} (embedkit serve shows it).\n`);
  if (update !== undefined) {
    await updateMarkdownSection(update, SECTION_TAG, markdown);
    err.write(`Updated the '${SECTION_TAG}' section of ${update}.\n`);
  }
  context.stdout.write(args.flag('json') ? json : markdown);
  return result.rows.some((row) => row.status === 'failed') ? 1 : 0;
}

/** The `families` command. */
export const familiesCommand: Command = {
  name: 'families',
  summary: "Measure the embedding families side by side on the article's six points (context, OOV, generalisation, cost, price, quality).",
  style: 'gnu',
  options: [
    { name: 'corpus', type: 'string', description: 'Training text, one sentence per line (default: the bundled State of the Union addresses, every tenth held out)', valueName: 'FILE' },
    { name: 'json', type: 'flag', description: 'Print the result as JSON instead of the table' },
    { name: 'quick', type: 'flag', description: 'One epoch and smaller evaluation sets (about a minute)' },
    { name: 'rows', type: 'list', description: `Only these rows, comma-separated (${familyRows().map((row) => row.id).join(', ')})`, valueName: 'IDS' },
    { name: 'epochs', type: 'integer', description: 'Epochs of the static models (default 5; 1 with --quick)', min: 1, max: 100 },
    { name: 'threads', type: 'integer', description: 'Training threads (default: 2, or fewer cores)', min: 1, max: 64 },
    { name: 'contextual-seconds', type: 'integer', description: 'Training time of the contextual encoder (bilm), seconds (default 150; 20 with --quick)', min: 1, max: 86_400 },
    { name: 'contextual-model', type: 'string', description: 'Load this saved bilm instead of training one (each run saves the one it trains in models/families-bilm)', valueName: 'DIR' },
    { name: 'onnx-model', type: 'string', description: 'Also measure this local BERT-family ONNX export (model.onnx + tokenizer.json)', valueName: 'DIR' },
    { name: 'eval-dir', type: 'string', description: 'WS-353 and SimLex-999 laid out as shared/data/eval (default: ../shared/data/eval when present)', valueName: 'DIR' },
    { name: 'output', type: 'string', description: 'Where the JSON result is saved (embedkit serve shows it)', default: FAMILIES_RESULT_PATH, valueName: 'FILE' },
    { name: 'update', type: 'string', description: "Rewrite the 'families' section of this Markdown file (BENCHMARKS.md) with the table", valueName: 'FILE' },
  ],
  epilog: [
    'Examples:',
    '  embedkit families                              # every row on the bundled corpus',
    '  embedkit families --quick --rows word2vec-sg,fasttext-sg',
    '  embedkit families --update BENCHMARKS.md       # regenerate the table of BENCHMARKS.md',
    '',
    'Hosted rows run when their API key is set in the environment; otherwise they show their',
    'documented price and say "not measured".',
  ].join('\n'),
  run: runFamilies,
};
