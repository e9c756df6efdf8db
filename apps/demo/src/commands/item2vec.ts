/**
 * `embedkit item2vec train|eval|recommend|tune`: item embeddings from interaction logs.
 *
 * - `train --events FILE [--preset NAME | column options] --mode item2vec|sequence|airbnb --output items.vec
 *   [--context-output items.ctx.vec] [--params tuned.json]`
 *   (FILE: delimited text with a sniffed delimiter, JSON Lines or Parquet, gzip detected;
 *   `--session-column` for logs whose sessions are given)
 * - `eval --events FILE … --k 10 [--resamples 1000] [--params tuned.json] [--json]`: the embedding next
 *   to popularity, item-kNN and session-kNN on a leave-last-out temporal split, with bootstrap
 *   intervals and paired embedding − kNN differences that call a tie a tie.
 * - `recommend --vectors items.vec [--context-vectors items.ctx.vec] --items ID,ID,… [--k 10] [--catalog movies.csv]`
 * - `tune --events FILE … --budget SECONDS --output tuned.json` (item2vec-tune.ts)
 */
import { realpathSync } from 'node:fs';
import { EmbedkitError, isEmbedkitError } from '@embedkit/errors';
import {
  DEFAULT_SESSION_GAP_MS, EVENT_FORMATS, EVENT_PRESETS, ITEM2VEC_DEFAULTS, RECOMMEND_DEFAULTS, RECOMMEND_SCORINGS, Recommender, TRAINING_MODES,
  compareRecommenders, contextMismatch, eventPreset, forEachCsvRecord, readEvents, readItem2VecParams, sessionize, trainItemEmbeddings,
} from '@embedkit/item2vec';
import type {
  ConfidenceInterval, EventColumns, EventFormat, Item2VecErrorCode, Item2VecParams, ItemMetadata, ReadEventsOptions, ReadEventsReport, RecommendScoring, Session,
  TimestampUnit, TrainItemsOptions, TrainingMode,
} from '@embedkit/item2vec';
import type { ParsedArgs } from '../cli/args';
import { UsageError } from '../cli/args';
import type { Command, CommandContext, CommandGroup, OptionSpec } from '../cli/command';
import { checkFiles, readNamedByFlag, warnAboutThreads } from '../cli/preflight';
import { createProgress } from '../cli/progress';
import { loadVectorFile, readFormatOption } from '../cli/vector-files';
import { createTuneCommand } from './item2vec-tune';
import { delimiterOption, featuresCommand, typesCommand } from './item2vec-types';

/**
 * Options of every subcommand that reads an events log (train, eval): one meaning everywhere,
 * read by {@link readOptions} and {@link loadSessions}.
 */
const EVENT_OPTIONS: readonly OptionSpec[] = [
  { name: 'events', type: 'string', description: 'Interaction log: delimited text (, ; tab |), JSON Lines or Parquet; gzip is detected', required: true, valueName: 'FILE' },
  { name: 'preset', type: 'choice', choices: EVENT_PRESETS, description: 'Column mapping of a known data set' },
  { name: 'format', type: 'choice', choices: EVENT_FORMATS, description: 'File format (default: Parquet by its bytes, else from the extension)' },
  { name: 'delimiter', type: 'string', description: "Field separator of delimited text: auto (sniffed among , ; tab |), tab, or the character, e.g. ';'", default: 'auto', valueName: 'CHAR' },
  { name: 'no-header', type: 'flag', description: 'Delimited text without a header line: columns are 0-based indices' },
  { name: 'user-column', type: 'string', description: 'Column (or JSON key) of the user id; sessions are cut on --gap', valueName: 'NAME' },
  { name: 'session-column', type: 'string', description: 'Column of a session id: sessions are given, never cut on --gap', valueName: 'NAME' },
  { name: 'order-column', type: 'string', description: 'Number that orders events within a session (default: the time)', valueName: 'NAME' },
  { name: 'item-column', type: 'string', description: 'Column of the item id', valueName: 'NAME' },
  { name: 'time-column', type: 'string', description: 'Column of the timestamp (see --time-unit); optional with --session-column', valueName: 'NAME' },
  { name: 'time-unit', type: 'choice', choices: ['auto', 's', 'ms', 'iso'], description: 'Timestamps: auto (numbers ≥ 1e11 are ms, smaller s, else ISO), s, ms or iso', valueName: 'UNIT' },
  { name: 'type-column', type: 'string', description: 'Column of the event type', valueName: 'NAME' },
  { name: 'market-column', type: 'string', description: 'Column of the market (city, site)', valueName: 'NAME' },
  { name: 'category-column', type: 'string', description: 'Column of the item category', valueName: 'NAME' },
  { name: 'events-field', type: 'string', description: 'JSONL: key of the nested array of events', valueName: 'KEY' },
  { name: 'event-types', type: 'string', description: 'Keep only these event types (comma-separated)', valueName: 'A,B' },
  { name: 'conversion-types', type: 'string', description: 'Event types that are conversions (comma-separated)', valueName: 'A,B' },
  { name: 'min-rating', type: 'number', description: 'movielens preset: keep ratings ≥ this' },
  { name: 'strict', type: 'flag', description: 'Fail on the first bad row instead of counting it' },
  { name: 'gap', type: 'number', description: 'Session inactivity gap in minutes (a gap exactly equal does not split); not with given sessions', default: DEFAULT_SESSION_GAP_MS / 60000, min: 0 },
  { name: 'max-length', type: 'integer', api: 'maxLength', description: 'Cut sessions longer than this into chunks', default: 50, min: 2 },
];

const TRAIN_OPTIONS: readonly OptionSpec[] = [
  { name: 'mode', type: 'choice', choices: TRAINING_MODES, description: 'item2vec (sets), sequence (prod2vec) or airbnb', default: ITEM2VEC_DEFAULTS.mode },
  { name: 'dim', type: 'integer', api: 'dim', description: 'Vector size', default: ITEM2VEC_DEFAULTS.dim, min: 1, max: 10000 },
  { name: 'window', type: 'integer', description: 'Sliding window (sequence, airbnb)', default: ITEM2VEC_DEFAULTS.window, min: 1, max: 1000 },
  { name: 'epochs', type: 'integer', description: 'Passes over the sessions', default: ITEM2VEC_DEFAULTS.epochs, min: 1, max: 100000 },
  { name: 'negative', type: 'integer', description: 'Negative samples per example', default: ITEM2VEC_DEFAULTS.negative, min: 1, max: 1000 },
  { name: 'negative-exponent', type: 'number', api: 'negativeExponent', min: -100, max: 100, description: 'Exponent of the negative distribution', default: ITEM2VEC_DEFAULTS.negativeExponent },
  { name: 'sample', type: 'number', description: 'Subsampling threshold (0 = off)', default: ITEM2VEC_DEFAULTS.sample, min: 0, max: 1 },
  { name: 'alpha', type: 'number', api: 'alpha', description: 'Starting learning rate', default: ITEM2VEC_DEFAULTS.alpha, greaterThan: 0, max: 10 },
  { name: 'market-negatives', type: 'integer', api: 'marketNegatives', description: 'airbnb: same-market negatives per example', default: ITEM2VEC_DEFAULTS.marketNegatives, min: 0 },
  { name: 'min-count', type: 'integer', api: 'minCount', description: 'Ignore items rarer than this', default: ITEM2VEC_DEFAULTS.minCount, min: 1 },
  { name: 'threads', type: 'integer', description: 'Worker threads', default: 1, min: 1, max: 256 },
  { name: 'seed', type: 'integer', description: 'Random seed', default: 1 },
];

/** `--params`: settings from `item2vec tune`; a flag given explicitly overrides the file's value. */
const PARAMS_OPTION: OptionSpec = {
  name: 'params', type: 'string', valueName: 'FILE',
  description: 'Settings written by item2vec tune --output (flags given explicitly override them)',
};

/** How recommendations are made from the vectors (eval, recommend). */
const RECENCY_DECAY_OPTION: OptionSpec = {
  name: 'recency-decay', type: 'number', api: 'recencyDecay', greaterThan: 0, max: 1, default: RECOMMEND_DEFAULTS.recencyDecay,
  description: 'Weight ratio of consecutive history items, the last weighs 1 (1 = plain mean)',
};
const scoringOption = (fallback: string | undefined): OptionSpec => ({
  name: 'scoring', type: 'choice', choices: RECOMMEND_SCORINGS, ...(fallback === undefined ? {} : { default: fallback }),
  description: 'in-out: history input vectors · item context vectors (the skip-gram\'s score); cosine: between input vectors',
});

/** Reads `--params` when given. */
async function paramsFile(args: ParsedArgs): Promise<Item2VecParams | undefined> {
  const path = args.string('params');
  return path === undefined ? undefined : readNamedByFlag('--params', path, () => readItem2VecParams(path));
}

/** The flag's value when given explicitly, else the params file's, else the flag's default. */
function pick<T>(args: ParsedArgs, flag: string, fromParams: T | undefined, read: () => T): T {
  return !args.given(flag) && fromParams !== undefined ? fromParams : read();
}

/** `--recency-decay` and `--scoring` (with `--params`); `scoring` undefined when neither says. */
function recommendSettings(args: ParsedArgs, params: Item2VecParams | undefined): { recencyDecay: number; scoring: RecommendScoring | undefined } {
  return {
    recencyDecay: pick(args, 'recency-decay', params?.recommend.recencyDecay, () => args.requireNumber('recency-decay')),
    scoring: pick(args, 'scoring', params?.recommend.scoring, () => args.string('scoring') as RecommendScoring | undefined),
  };
}

const csvList = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

type ColumnKey = keyof EventColumns;
const COLUMN_FLAGS: ReadonlyArray<[string, ColumnKey]> = [
  ['user-column', 'user'], ['session-column', 'session'], ['order-column', 'order'], ['item-column', 'item'],
  ['time-column', 'timestamp'], ['type-column', 'type'], ['market-column', 'market'], ['category-column', 'category'],
];

/**
 * Reader options from `--preset` or the column options (column options override a preset's).
 * With --no-header, column options are 0-based indices.
 */
function readOptions(args: ParsedArgs): ReadEventsOptions {
  const preset = args.string('preset');
  const minRating = args.number('min-rating');
  const noHeader = args.flag('no-header');
  let options: ReadEventsOptions;
  if (preset !== undefined) {
    options = eventPreset(preset, minRating === undefined ? {} : { minRating });
  } else {
    const has = (flag: string): boolean => args.string(flag) !== undefined;
    if (!has('item-column') || !(has('session-column') || (has('user-column') && has('time-column')))) {
      throw new UsageError(
        `Give --preset ${EVENT_PRESETS.join('|')}, or --item-column with --user-column and --time-column ` +
          '(sessions cut on --gap), or --item-column with --session-column (sessions given by the file).',
      );
    }
    options = { columns: { item: args.requireString('item-column') } };
    if (minRating !== undefined) options.minValue = { column: 'rating', min: minRating };
  }
  const columns: EventColumns = { ...options.columns };
  for (const [flag, key] of COLUMN_FLAGS) {
    const v = args.string(flag);
    if (v === undefined) continue;
    if (noHeader) {
      if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a 0-based column index with --no-header, got ${JSON.stringify(v)}.`);
      columns[key] = Number(v);
    } else {
      columns[key] = v;
    }
  }
  options = { ...options, columns, strict: args.flag('strict') };
  if (noHeader) {
    const named = COLUMN_FLAGS.filter(([, key]) => typeof columns[key] === 'string').map(([flag]) => `--${flag}`);
    if (named.length > 0) {
      throw new UsageError(`--no-header needs every column as a 0-based index, but the preset names ${named.join(', ')}: give ${named.join(', ')} as indices too.`);
    }
    options.header = false;
  }
  const format = args.string('format');
  if (format !== undefined) options.format = format as EventFormat;
  if (args.given('delimiter')) options.delimiter = delimiterOption(args.requireString('delimiter'));
  const unit = args.string('time-unit');
  if (unit !== undefined) options.timestampUnit = unit as TimestampUnit;
  const eventsField = args.string('events-field');
  if (eventsField !== undefined) options.eventsField = eventsField;
  const eventTypes = csvList(args.string('event-types'));
  if ((eventTypes !== undefined || args.given('conversion-types')) && columns.type === undefined) {
    const flag = eventTypes !== undefined ? '--event-types' : '--conversion-types';
    throw new UsageError(`${flag} picks events by their type, but no type column is mapped: add --type-column NAME${preset === undefined ? '' : ` (the ${preset} preset has none)`}.`);
  }
  if (eventTypes !== undefined) options.eventTypes = eventTypes;
  const conversionTypes = csvList(args.string('conversion-types'));
  if (conversionTypes !== undefined) options.conversionTypes = conversionTypes;
  return options;
}

function trainOptions(args: ParsedArgs, context: CommandContext, params?: Item2VecParams): TrainItemsOptions {
  const t = params?.train;
  const num = (flag: string, fromParams: number | undefined): number => pick(args, flag, fromParams, () => args.requireNumber(flag));
  return {
    mode: pick(args, 'mode', t?.mode, () => args.requireString('mode') as TrainingMode),
    dim: num('dim', t?.dim),
    window: num('window', t?.window),
    epochs: num('epochs', t?.epochs),
    negative: num('negative', t?.negative),
    negativeExponent: num('negative-exponent', t?.negativeExponent),
    sample: num('sample', t?.sample),
    alpha: num('alpha', t?.alpha),
    marketNegatives: args.requireNumber('market-negatives'),
    minCount: args.requireNumber('min-count'),
    threads: args.requireNumber('threads'),
    seed: args.requireNumber('seed'),
    signal: context.signal,
  };
}

function describeInput(report: ReadEventsReport): string {
  const parts: string[] = [report.format];
  if (report.delimiter !== undefined && report.format !== 'tsv') parts.push(report.delimiter === '\t' ? 'tab-separated' : `'${report.delimiter}'-separated`);
  if (report.gzip) parts.push('gzip');
  return parts.join(', ');
}

function printReport(path: string, report: ReadEventsReport, context: CommandContext): void {
  const err = context.stderr;
  err.write(`Read ${path} (${describeInput(report)}): ${report.records.toLocaleString('en-US')} records, ${report.events.toLocaleString('en-US')} events kept, ${report.filtered.toLocaleString('en-US')} filtered, ${report.bad.toLocaleString('en-US')} bad\n`);
  if (report.bad > 0) {
    const reasons = Object.entries(report.badByReason).map(([r, n]) => `${r}: ${n}`).join(', ');
    err.write(`  bad rows by reason: ${reasons}\n`);
    for (const e of report.examples) err.write(`  line ${e.line}: ${e.reason} (${e.detail}): ${e.text}\n`);
  }
}

/** Reads and sessionises `--events`, reporting on stderr. */
async function loadSessions(args: ParsedArgs, context: CommandContext): Promise<{ sessions: Session[]; metadata: Map<string, ItemMetadata> }> {
  const path = args.requireString('events');
  const options = readOptions(args);
  if (options.columns.session !== undefined && args.given('gap')) {
    throw new UsageError('--gap cuts sessions on inactivity, but this log\'s sessions are given (--session-column or the preset): leave out --gap, or map --user-column without --session-column to cut on gaps.');
  }
  const { log, report } = await readNamedByFlag('--events', path, () => readEvents(path, options)).catch((error: unknown) => {
    // Given --format parquet, a file that is not Parquet: the fix is that flag, which the reader cannot name.
    if (options.format === 'parquet' && isEmbedkitError(error) && isEmbedkitError(error.cause) && error.cause.code === 'NOT_PARQUET') {
      throw new EmbedkitError(
        error.code,
        `--events ${path}: not a Parquet file (it does not start with "PAR1"), but --format parquet reads it as one; leave out --format to detect the format, or give its own (${EVENT_FORMATS.filter((f) => f !== 'parquet').join(', ')})`,
        { cause: error },
      );
    }
    throw error;
  });
  printReport(path, report, context);
  const { sessions, stats } = sessionize(log, { maxGap: args.requireNumber('gap') * 60_000, maxLength: args.requireNumber('max-length') });
  if (stats.sessions === 0) {
    // Refused here, in flag words, before any training or splitting meets an empty input.
    const fix = stats.given
      ? 'each session id needs two different items; check that --session-column names the session and --item-column the item'
      : 'a larger --gap joins more of a user\'s events into one session; check that --user-column names the user and --item-column the item';
    throw new EmbedkitError<Item2VecErrorCode>('NO_EVENTS',
      `--events ${path}: no session has two different items (${stats.droppedShort.toLocaleString('en-US')} sessions of one item, after ${stats.collapsed.toLocaleString('en-US')} repeats collapsed): nothing to learn from; ${fix}`);
  }
  const origin = stats.given ? 'given by the session column' : `cut on ${args.requireNumber('gap')}-minute gaps`;
  // Given sessions without a user column: the "users" are the session ids, not worth a count.
  const users = stats.given && options.columns.user === undefined ? '' : ` from ${stats.users.toLocaleString('en-US')} users`;
  context.stderr.write(
    `Sessions: ${stats.sessions.toLocaleString('en-US')} (${stats.items.toLocaleString('en-US')} items, ${origin})${users}; ` +
      `${stats.droppedShort} too short, ${stats.split} cut, ${stats.collapsed} repeats collapsed\n`,
  );
  return { sessions, metadata: log.metadataMap() };
}

/**
 * Item ids the word2vec text format of `--output` cannot store (whitespace inside) are refused
 * before training, not by the save after it.
 */
function refuseUnsavableItems(sessions: readonly Session[], eventsPath: string): void {
  for (const s of sessions) {
    const item = s.items.find((i) => /[ \t\n\r]/.test(i));
    if (item === undefined) continue;
    throw new EmbedkitError('INVALID_LABEL',
      `--events ${eventsPath}: the item ${JSON.stringify(item)} contains whitespace, which the word2vec text format of --output cannot store; ` +
      'map --item-column to a column of item ids, keep only item events with --event-types, or replace the spaces in the file');
  }
}

async function runTrain(args: ParsedArgs, context: CommandContext): Promise<number> {
  const output = args.requireString('output');
  const contextOutput = args.string('context-output');
  const outputs = [{ flag: '--output', path: output }];
  if (contextOutput !== undefined) outputs.push({ flag: '--context-output', path: contextOutput });
  await checkFiles({ inputs: [{ flag: '--events', path: args.requireString('events') }, { flag: '--params', path: args.string('params') }], outputs });
  const options = trainOptions(args, context, await paramsFile(args));
  warnAboutThreads(context, '--threads', options.threads ?? 1);
  const { sessions } = await loadSessions(args, context);
  refuseUnsavableItems(sessions, args.requireString('events'));
  const progress = createProgress(`item2vec (${options.mode})`, context.stderr, { interactive: context.interactive });
  const result = await trainItemEmbeddings(sessions, {
    ...options,
    onProgress: (p) => progress.update(p.fraction, `loss ${Number.isNaN(p.loss) ? '-' : p.loss.toFixed(3)}`),
  });
  progress.finish(`${result.embeddings.size.toLocaleString('en-US')} items in ${result.stats.seconds.toFixed(1)} s`);
  await result.embeddings.save(output, { format: 'word2vec-text' });
  context.stderr.write(`Saved ${result.embeddings.size.toLocaleString('en-US')} item vectors × ${result.embeddings.dim} to ${output}\n`);
  if (contextOutput !== undefined) {
    await result.contextEmbeddings.save(contextOutput, { format: 'word2vec-text' });
    context.stderr.write(`Saved their context vectors to ${contextOutput} (item2vec recommend --context-vectors ${contextOutput})\n`);
  }
  return 0;
}

async function runEval(args: ParsedArgs, context: CommandContext): Promise<number> {
  await checkFiles({ inputs: [{ flag: '--events', path: args.requireString('events') }, { flag: '--params', path: args.string('params') }] });
  const params = await paramsFile(args);
  const { sessions, metadata } = await loadSessions(args, context);
  const k = args.requireNumber('k');
  const options = trainOptions(args, context, params);
  warnAboutThreads(context, '--threads', options.threads ?? 1);
  const { mode, ...train } = options;
  const { recencyDecay, scoring } = recommendSettings(args, params);
  const comparison = await compareRecommenders(sessions, {
    k,
    modes: [mode ?? 'item2vec'],
    train,
    recencyDecay,
    ...(scoring === undefined ? {} : { scoring }),
    metadata,
    bootstrap: { resamples: args.requireNumber('resamples'), seed: options.seed ?? 1 },
    onMethod: (m) => context.stderr.write(`Evaluating ${m}…\n`),
  });
  if (args.flag('json')) {
    context.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    return 0;
  }
  const out = context.stdout;
  out.write(`\nLeave-last-out split: ${comparison.cases} cases (${comparison.skippedRepeats} users skipped: target repeats a query item), ` +
    `${comparison.trainSessions} training sessions, catalogue ${comparison.catalogueSize} items\n\n`);
  const { resamples, confidence } = comparison.bootstrap;
  const level = `${Math.round(confidence * 100)} %`;
  const fmt = (ci: ConfidenceInterval, digits = 4): string => `${ci.mean.toFixed(digits)} [${ci.low.toFixed(digits)}, ${ci.high.toFixed(digits)}]`;
  const table = (header: string[], rows: string[][]): void => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
    for (const r of rows) out.write(`${line(r)}\n`);
  };
  out.write(`Means over ${comparison.cases} cases with ${level} percentile-bootstrap intervals (${resamples} resamples, --seed ${comparison.bootstrap.seed}):\n`);
  table(
    ['method', `HitRate@${k}`, `NDCG@${k}`, `MRR@${k}`, 'coverage', 'train s'],
    comparison.results.map((r) => [
      r.method, fmt(r.intervals.hitRate), fmt(r.intervals.ndcg), fmt(r.intervals.mrr), r.metrics.coverage.toFixed(3), r.trainSeconds.toFixed(2),
    ]),
  );
  out.write(`\n${comparison.results[0]!.method}: ${describeSettings(options, recencyDecay, scoring ?? RECOMMEND_DEFAULTS.scoring)}\n`);
  for (const d of comparison.differences) {
    const strongest = d.baseline === comparison.strongestBaseline ? ' (the strongest kNN here)' : '';
    out.write(`\n${d.method} − ${d.baseline}${strongest}, paired over the same cases (tie when the ${level} interval contains 0):\n`);
    table(
      ['metric', 'difference [interval]', 'verdict'],
      (['hitRate', 'ndcg', 'mrr'] as const).map((m, i) => [[`HitRate@${k}`, `NDCG@${k}`, `MRR@${k}`][i]!, fmt(d.differences[m]), d.differences[m].verdict]),
    );
  }
  return 0;
}

/**
 * Reads `id → title` from a catalogue whose first column is the id and second the title
 * (MovieLens `movies.csv`): the events reader's CSV parsing, delimiter sniffed, gzip detected.
 */
async function readCatalog(path: string): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  await readNamedByFlag('--catalog', path, () => forEachCsvRecord(path, (fields) => {
    if (fields.length >= 2 && fields[0] !== undefined && fields[0] !== '') titles.set(fields[0].trim(), fields[1]!.trim());
  }));
  return titles;
}

/** The training and recommend settings in flag words, for reports. */
export function describeSettings(o: TrainItemsOptions, recencyDecay: number, scoring: RecommendScoring): string {
  const window = o.mode === 'item2vec' ? 'whole session' : `--window ${o.window}`;
  return `--mode ${o.mode} (${window}), --negative-exponent ${o.negativeExponent}, --epochs ${o.epochs}, --sample ${o.sample}, ` +
    `--alpha ${o.alpha}, --dim ${o.dim}, --negative ${o.negative}, --recency-decay ${recencyDecay}, --scoring ${scoring}`;
}

async function runRecommend(args: ParsedArgs, context: CommandContext): Promise<number> {
  const vectorsPath = args.requireString('vectors');
  const contextPath = args.string('context-vectors');
  const catalogPath = args.string('catalog');
  await checkFiles({
    inputs: [
      { flag: '--vectors', path: vectorsPath, directory: true }, { flag: '--context-vectors', path: contextPath, directory: true },
      { flag: '--params', path: args.string('params') }, { flag: '--catalog', path: catalogPath },
    ],
  });
  if (contextPath !== undefined && realpathSync(contextPath) === realpathSync(vectorsPath)) {
    throw new UsageError(`--context-vectors ${contextPath} is the --vectors file: pass the file written by item2vec train --context-output, or leave --context-vectors out for cosine scoring.`);
  }
  const params = await paramsFile(args);
  const settings = recommendSettings(args, params);
  const scoring = settings.scoring ?? (contextPath === undefined ? 'cosine' : 'in-out');
  if (scoring === 'in-out' && contextPath === undefined) {
    const source = args.given('scoring') ? '--scoring in-out' : `the --params file's scoring in-out`;
    throw new UsageError(`${source} needs the context vectors: pass --context-vectors FILE (written by item2vec train --context-output FILE), or --scoring cosine.`);
  }
  const load = (flag: string, path: string) =>
    readNamedByFlag(flag, path, () => loadVectorFile({ flag, path, format: args.requireString('format'), formatFlag: '--format' }, context));
  const embeddings = await load('--vectors', vectorsPath);
  const contextVectors = scoring === 'in-out' ? await load('--context-vectors', contextPath!) : undefined;
  const mismatch = contextVectors === undefined ? undefined : contextMismatch(embeddings, contextVectors);
  if (mismatch !== undefined) {
    throw new EmbedkitError<Item2VecErrorCode>('BAD_PARAMS',
      `--context-vectors ${contextPath} are not the context vectors of --vectors ${vectorsPath} (${mismatch}); write both in one run with ` +
      `\`embedkit item2vec train … --output ${vectorsPath} --context-output ${contextPath}\`, or score without them: --scoring cosine.`);
  }
  const items = csvList(args.requireString('items')) ?? [];
  if (items.length === 0) throw new UsageError('--items needs at least one item id (comma-separated, oldest first).');
  const k = args.requireNumber('k');
  const titles = catalogPath === undefined ? new Map<string, string>() : await readCatalog(catalogPath);
  const rec = new Recommender(embeddings, { recencyDecay: settings.recencyDecay, ...(contextVectors === undefined ? {} : { context: contextVectors }) });
  const unknown = items.filter((i) => !rec.has(i));
  if (unknown.length > 0) context.stderr.write(`warning: no vector for ${unknown.join(', ')} (ignored)\n`);
  if (unknown.length === items.length) {
    const examples = embeddings.labels.slice(0, 3).join(', ');
    context.stderr.write(`None of the --items has a vector in --vectors ${vectorsPath}; nothing to recommend. ` +
      `Items are the item column's values, as in the vectors file (e.g. ${examples}).\n`);
    return 1;
  }
  const recs = rec.recommend(items, k);
  const name = (id: string): string => (titles.has(id) ? `${id}  ${titles.get(id)}` : id);
  if (args.flag('json')) {
    context.stdout.write(`${JSON.stringify(recs.map((r) => ({ ...r, ...(titles.has(r.item) ? { title: titles.get(r.item) } : {}) })))}\n`);
    return 0;
  }
  const out = context.stdout;
  out.write(`Because of: ${items.map(name).join('; ')}\n\n`);
  recs.forEach((r, i) => out.write(`${String(i + 1).padStart(3)}. ${r.score.toFixed(4)}  ${name(r.item)}\n`));
  return 0;
}

const trainCommand: Command = {
  name: 'train',
  summary: 'Train item vectors from an interaction log and save them (word2vec text format).',
  style: 'gnu',
  options: [
    ...EVENT_OPTIONS,
    ...TRAIN_OPTIONS,
    PARAMS_OPTION,
    { name: 'output', type: 'string', description: 'Where to write the vectors', required: true, valueName: 'FILE' },
    { name: 'context-output', type: 'string', description: 'Also write the context (output) vectors, for recommend --context-vectors (in-out scoring)', valueName: 'FILE' },
  ],
  epilog: 'Examples:\n  embedkit item2vec train --events ratings.csv --preset movielens --mode item2vec --output items.vec\n' +
    '  embedkit item2vec train --events train-item-views.csv --preset diginetica --output items.vec\n' +
    '  embedkit item2vec train --events clicks.parquet --session-column session --item-column aid --order-column ts --output items.vec\n' +
    '  embedkit item2vec train --events ratings.csv --preset movielens --params tuned.json --output items.vec --context-output items.ctx.vec',
  run: runTrain,
};

const evalCommand: Command = {
  name: 'eval',
  summary: 'Leave-last-out evaluation of item vectors next to popularity, item-kNN and session-kNN, with bootstrap intervals.',
  style: 'gnu',
  options: [
    ...EVENT_OPTIONS,
    ...TRAIN_OPTIONS,
    PARAMS_OPTION,
    RECENCY_DECAY_OPTION,
    scoringOption(RECOMMEND_DEFAULTS.scoring),
    { name: 'k', type: 'integer', description: 'Cut-off of HitRate, NDCG and MRR', default: 10, min: 1 },
    { name: 'resamples', type: 'integer', description: 'Bootstrap resamples of the confidence intervals (seeded by --seed)', default: 1000, min: 1 },
    { name: 'json', type: 'flag', description: 'Print the comparison as JSON' },
  ],
  epilog: 'Examples:\n  embedkit item2vec eval --events trivago_val_100k.csv --preset trivago --mode airbnb --k 10\n' +
    '  embedkit item2vec eval --events ratings.csv --preset movielens --params tuned.json --seed 2',
  run: runEval,
};

const recommendCommand: Command = {
  name: 'recommend',
  summary: 'Recommend items for a list of items (oldest first) from saved item vectors.',
  style: 'gnu',
  options: [
    { name: 'vectors', type: 'string', description: 'Item vectors (from item2vec train)', required: true, valueName: 'FILE' },
    { name: 'context-vectors', type: 'string', description: 'Their context vectors (item2vec train --context-output): in-out scoring', valueName: 'FILE' },
    readFormatOption(),
    PARAMS_OPTION,
    RECENCY_DECAY_OPTION,
    scoringOption(undefined),
    { name: 'items', type: 'string', description: 'Item ids, comma-separated, oldest first', required: true, valueName: 'ID,ID' },
    { name: 'k', type: 'integer', description: 'Number of recommendations', default: 10, min: 1 },
    { name: 'catalog', type: 'string', description: 'CSV with id and title columns (MovieLens movies.csv) for titles', valueName: 'FILE' },
    { name: 'json', type: 'flag', description: 'Print JSON' },
  ],
  epilog: 'Examples:\n  embedkit item2vec recommend --vectors items.vec --items 1,260,1196 --catalog movies.csv\n' +
    '  embedkit item2vec recommend --vectors items.vec --context-vectors items.ctx.vec --params tuned.json --items 1,260,1196\n' +
    'Scoring: in-out when --context-vectors is given, else cosine (--scoring overrides; so does --params).',
  run: runRecommend,
};

const tuneCommand = createTuneCommand({ eventOptions: EVENT_OPTIONS, trainOptions: TRAIN_OPTIONS, loadSessions, describeSettings });

/** `embedkit item2vec train|eval|recommend|tune|types|features`. */
export const item2vecCommand: CommandGroup = {
  name: 'item2vec',
  summary: 'Item embeddings from sessions (item2vec, prod2vec, Airbnb): train, evaluate, recommend, tune; Airbnb user/listing types and personalisation features.',
  subcommands: [trainCommand, evalCommand, recommendCommand, tuneCommand, typesCommand, featuresCommand],
};
