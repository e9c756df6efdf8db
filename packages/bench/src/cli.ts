#!/usr/bin/env node
/**
 * `embedkit-bench` (`pnpm bench` at the repository root): runs benchmark suites side by side with
 * the reference tools installed here and writes JSON, Markdown and an SVG chart.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSotuCorpus } from '@embedkit/datasets';
import { AS_WRITTEN, countWords } from '@embedkit/tokenizer';
import { runFamiliesComparison } from './families/comparison';
import { familiesToMarkdown } from './families/report';
import { DEFAULT_FAMILIES_SETTINGS } from './families/rows';
import { defaultEvalDir, findEvalSets } from './quality';
import { toMarkdown, toSvg, updateMarkdownSection } from './report';
import { runBenchmarks, type BenchEvent, type BenchResult } from './runner';
import { DEFAULT_SUITES, suiteNames, tasksOf } from './suites';

const USAGE = `Usage: embedkit-bench [options]

Runs embedkit's trainers and the reference tools installed here (gensim, fastText, word2vec.c)
with identical settings, each run in its own process, and reports wall and CPU time, peak memory,
words/s and quality, with embedkit/reference ratios.

Options:
  --suite NAMES        comma-separated suites (default: ${DEFAULT_SUITES.join(',')}; known: ${suiteNames().join(', ')});
                       'families' alone runs the embedding-families comparison (as \`embedkit families\`)
  --corpus FILE        one sentence per line (default: the bundled State of the Union corpus)
  --data-dir DIR       the shared data sets, for item tasks (default: ../shared/data if present)
  --eval-dir DIR       evaluation sets laid out as shared/data/eval (default: DATA-DIR/eval if present)
  --repeats N          runs per (task, method); medians are reported (default: 1)
  --threads N          threads given to every method (default: 2)
  --methods IDS        only these method ids, comma-separated (default: all available)
  --word2vec-bin PATH  the original word2vec.c binary, run as a reference
  --contextual-seconds N  families: training time of the contextual encoder (bilm) (default: 150)
  --contextual-model DIR  families: load this saved bilm instead of training one
  --onnx-model DIR     families: measure this local BERT-family ONNX export too
  --out DIR            where result.json, report.md and chart.svg go (default: .bench/results)
  --update FILE        replace the section between <!-- bench:TAG --> and <!-- /bench:TAG --> in FILE
  --tag TAG            the tag of that section (default: the suites' names joined by '-')
  --from FILE          render a saved result.json again instead of measuring (same outputs)
  --help               show this help
`;

function fail(message: string): never {
  process.stderr.write(`embedkit-bench: ${message}\n`);
  process.exit(2);
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive integer, got '${raw}'.`);
  return value;
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        suite: { type: 'string' }, corpus: { type: 'string' }, 'eval-dir': { type: 'string' }, 'data-dir': { type: 'string' },
        repeats: { type: 'string' }, threads: { type: 'string' }, methods: { type: 'string' },
        'word2vec-bin': { type: 'string' }, out: { type: 'string' }, update: { type: 'string' },
        tag: { type: 'string' }, from: { type: 'string' }, help: { type: 'boolean' },
        'contextual-seconds': { type: 'string' }, 'contextual-model': { type: 'string' }, 'onnx-model': { type: 'string' },
      },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}. See --help.`);
  }
}

const parsed = parseOptions();
if (parsed.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const suites = (parsed.suite ?? DEFAULT_SUITES.join(',')).split(',').filter(Boolean);
const outDir = resolve(parsed.out ?? '.bench/results');
await mkdir(outDir, { recursive: true });
const controller = new AbortController();
process.on('SIGINT', () => {
  process.stderr.write('\nStopping: ending the running child process…\n');
  controller.abort();
});

/** Runs the suites given on the command line. */
async function measure(): Promise<BenchResult> {
  const threads = positiveInteger('threads', parsed.threads, 2);
  const repeats = positiveInteger('repeats', parsed.repeats, 1);
  let tasks;
  try {
    tasks = tasksOf(suites, threads);
  } catch (error) {
    fail((error as Error).message);
  }

  let corpus = parsed.corpus ? resolve(parsed.corpus) : '';
  if (corpus && !existsSync(corpus)) fail(`--corpus ${corpus} does not exist.`);
  if (!corpus) {
    corpus = resolve('.bench/sotu.txt');
    if (!existsSync(corpus)) {
      await mkdir(resolve('.bench'), { recursive: true });
      const summary = await writeSotuCorpus(corpus);
      process.stderr.write(`Wrote the bundled corpus to ${corpus} (${summary.tokens.toLocaleString('en-US')} tokens).\n`);
    }
  }
  for (const option of ['data-dir', 'eval-dir'] as const) {
    const dir = parsed[option];
    if (dir && !existsSync(dir)) fail(`--${option} ${dir} does not exist.`);
  }
  // The shared data sets sit beside the repository: found from the working folder or from here.
  const sharedData = ['../shared/data', fileURLToPath(new URL('../../../../shared/data', import.meta.url))].find((dir) => existsSync(dir));
  const dataDir = parsed['data-dir'] ?? sharedData;
  const evalDir = parsed['eval-dir'] ?? (dataDir && existsSync(join(dataDir, 'eval')) ? join(dataDir, 'eval') : undefined);
  const evalSets = findEvalSets(evalDir);
  process.stderr.write(evalDir ? `Evaluation sets from ${evalDir}.\n` : 'No evaluation sets (give --eval-dir): quality is not measured.\n');

  const corpusTokens = (await countWords(corpus, AS_WRITTEN)).tokenCount;

  const started = Date.now();
  // On a terminal: a bar with ETA above the finished runs; piped: one plain line per run.
  const tty = process.stderr.isTTY === true;
  const eta = (done: number, total: number) => {
    const elapsed = (Date.now() - started) / 1000;
    return done > 0 ? `ETA ${Math.round((elapsed / done) * (total - done))}s` : 'ETA ?';
  };
  const bar = (done: number, total: number) => {
    const filled = Math.round((24 * done) / total);
    return `${'█'.repeat(filled)}${'░'.repeat(24 - filled)} ${done}/${total} ${eta(done, total)}`;
  };
  const onEvent = (event: BenchEvent) => {
    if (event.type === 'skip') process.stderr.write(`skip ${event.method}: ${event.reason}\n`);
    else if (event.type === 'start') {
      const what = `${event.task} · ${event.label} · run ${event.repeat}`;
      process.stderr.write(tty ? `\r\x1b[K${bar(event.index, event.total)}  ${what}…` : `[${event.index + 1}/${event.total}] ${eta(event.index, event.total)} ${what}… `);
    } else {
      const r = event.record;
      const outcome = r.error ? `FAILED: ${r.error}` : `${r.wallSeconds.toFixed(1)} s${r.quality?.analogy != null ? `, analogy ${r.quality.analogy}%` : ''}`;
      process.stderr.write(tty ? `\r\x1b[K${r.task} · ${r.label} · run ${r.repeat}: ${outcome}\n` : `${outcome}\n`);
    }
  };

  try {
    return await runBenchmarks({
      tasks,
      input: corpus,
      corpusTokens,
      evalSets,
      repeats,
      workDir: join(outDir, 'work'),
      signal: controller.signal,
      onEvent,
      methods: parsed.methods?.split(','),
      word2vecBin: parsed['word2vec-bin'],
      dataDir: dataDir === undefined ? undefined : resolve(dataDir),
    });
  } catch (error) {
    fail((error as Error).message);
  }
}

/**
 * `--suite families`: the embedding-families comparison (the same code as `embedkit families`),
 * its result.json and report.md in --out, and the 'families' section of --update.
 */
async function families(): Promise<void> {
  const corpus = parsed.corpus ? resolve(parsed.corpus) : undefined;
  if (corpus && !existsSync(corpus)) fail(`--corpus ${corpus} does not exist.`);
  const evalDir = parsed['eval-dir'] ?? defaultEvalDir();
  const command = `npx -y pnpm@12.4.2 bench ${process.argv.slice(2).join(' ')}`.trim();
  if (parsed['contextual-model'] && parsed['contextual-seconds']) fail('--contextual-seconds and --contextual-model exclude each other: a loaded model is not trained again.');
  let result;
  try {
    result = await runFamiliesComparison({
      corpus,
      evalDir,
      settings: {
        threads: positiveInteger('threads', parsed.threads, 2),
        contextualSeconds: positiveInteger('contextual-seconds', parsed['contextual-seconds'], DEFAULT_FAMILIES_SETTINGS.contextualSeconds),
        contextualModel: parsed['contextual-model'] ? resolve(parsed['contextual-model']) : null,
        onnxModel: parsed['onnx-model'] ? resolve(parsed['onnx-model']) : null,
      },
      rows: parsed.methods?.split(','),
      workDir: join(outDir, 'work'),
      command,
      signal: controller.signal,
      onNote: (message) => process.stderr.write(`${message}\n`),
      onEvent: (event) =>
        process.stderr.write(event.type === 'start' ? `[${event.index + 1}/${event.total}] ${event.row.label}… ` : `${event.result.status}${event.result.reason ? ` (${event.result.reason})` : ''}\n`),
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const markdown = familiesToMarkdown(result);
  await writeFile(join(outDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  await writeFile(join(outDir, 'report.md'), markdown);
  process.stdout.write(markdown);
  if (parsed.update) {
    await updateMarkdownSection(resolve(parsed.update), parsed.tag ?? 'families', markdown);
    process.stderr.write(`Updated the '${parsed.tag ?? 'families'}' section of ${parsed.update}.\n`);
  }
}

if (suites.length === 1 && suites[0] === 'families') {
  await families();
  process.exit(controller.signal.aborted ? 130 : 0);
}

// --from re-renders a saved result (after a change to the report format) without measuring again.
const saved = parsed.from ? (JSON.parse(await readFile(parsed.from, 'utf8')) as BenchResult & { command: string }) : undefined;
const result = saved ?? (await measure());
const command = saved?.command ?? `npx -y pnpm@12.4.2 bench ${process.argv.slice(2).join(' ')}`.trim();
const markdown = toMarkdown(result, command);
const write = async (name: string, text: string) => {
  const path = join(outDir, name);
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
};
await write('result.json', JSON.stringify({ command, ...result }, null, 2) + '\n');
await write('report.md', markdown);
await write('chart.svg', toSvg(result) + '\n');
process.stdout.write(markdown);
process.stderr.write(`Results in ${outDir} (result.json, report.md, chart.svg).\n`);

if (parsed.update) {
  const tag = parsed.tag ?? suites.join('-');
  const file = resolve(parsed.update);
  await updateMarkdownSection(file, tag, markdown);
  process.stderr.write(`Updated the '${tag}' section of ${file}.\n`);
}
if (controller.signal.aborted) process.exitCode = 130;
