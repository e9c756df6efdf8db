/**
 * Turns a {@link BenchResult} into what people read: a Markdown section ready for BENCHMARKS.md
 * and an SVG chart of speed against quality, one point per (task, method).
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { WordTaskSettings } from './method';
import type { BenchResult, MethodSummary, Spread } from './runner';

const fixed = (x: number, digits: number) => x.toFixed(digits);
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const kwords = (x: number) => `${Math.round(x / 1000).toLocaleString('en-US')}k`;

function spreadText(s: Spread | null, format: (x: number) => string): string {
  if (!s) return '–';
  return s.min === s.max ? format(s.median) : `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

const QUALITY_COLUMNS: readonly [string, string, (x: number) => string][] = [
  ['analogy', 'analogy %', (x) => fixed(x, 1)],
  ['semantic', 'sem. %', (x) => fixed(x, 1)],
  ['syntactic', 'syn. %', (x) => fixed(x, 1)],
  ['wordsim353', 'WS-353 ρ', (x) => fixed(x, 3)],
  ['simlex999', 'SimLex ρ', (x) => fixed(x, 3)],
];

function table(result: BenchResult, task: string): string[] {
  const rows = result.summaries.filter((s) => s.task === task);
  const metricNames = [...new Set(rows.flatMap((s) => Object.keys(s.quality)))].filter(
    (name) => !QUALITY_COLUMNS.some(([key]) => key === name) && name !== 'analogyCoverage',
  );
  const qualityColumns = QUALITY_COLUMNS.filter(([key]) => rows.some((s) => s.quality[key] !== undefined));
  const header = ['method', 'wall s', 'CPU s', 'peak RSS', 'words/s', ...qualityColumns.map(([, title]) => title), ...metricNames];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const s of rows) {
    const cells = [
      s.label + (s.failures ? ` (${s.failures} failed)` : ''),
      spreadText(s.wallSeconds, (x) => fixed(x, 1)),
      spreadText(s.cpuSeconds, (x) => fixed(x, 1)),
      spreadText(s.peakRssBytes, mib),
      spreadText(s.wordsPerSecond, kwords),
      ...qualityColumns.map(([key, , format]) => (s.quality[key] === undefined ? '–' : format(s.quality[key] as number))),
      ...metricNames.map((name) => (s.quality[name] === undefined ? '–' : fixed(s.quality[name] as number, 4))),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** The settings that matter for the task's algorithm, in the C tool's words. */
function settingsText(s: WordTaskSettings): string {
  const common = `dim ${s.dim}, window ${s.window}, min-count ${s.minCount}${s.maxVocab ? `, top ${s.maxVocab} words` : ''}, threads ${s.threads}`;
  switch (s.algorithm) {
    case 'ppmi-svd':
      return `PPMI + truncated SVD, ${common}`;
    case 'glove':
      return `GloVe, ${common}, x-max ${s.xMax ?? 100}, ${s.epochs} iterations`;
    default:
      return `${s.algorithm}, ${common}, negative ${s.negative}, hs ${s.hs ? 1 : 0}, sample ${s.sample}, epochs ${s.epochs}`;
  }
}

/** A Markdown section: settings, one table per task, and the embedkit/reference ratios. */
export function toMarkdown(result: BenchResult, command: string): string {
  const out: string[] = [];
  out.push(`Measured ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${result.machine.cpus} cores, Node ${result.machine.node}, ${result.machine.platform}; ${result.repeats} run(s) each, median (min–max).`);
  out.push('', '```sh', command, '```', '');
  if (result.tasks.some((t) => t.kind === 'words')) {
    out.push(`Corpus: \`${relative(process.cwd(), result.input)}\`${result.corpusTokens ? ` (${result.corpusTokens.toLocaleString('en-US')} tokens)` : ''}. Words/s = corpus tokens × epochs / wall time, vocabulary pass included.`);
  }
  for (const task of result.tasks) {
    out.push('', `#### ${task.id}`, '');
    if (task.kind === 'words') out.push(`Settings: ${settingsText(task.settings)}.`, '');
    out.push(...table(result, task.id));
  }
  if (result.ratios.length) {
    out.push('', '#### embedkit ÷ reference (medians)', '', '| task | reference | speed × | memory × | quality Δ |', '|---|---|---:|---:|---|');
    for (const r of result.ratios) {
      const delta = Object.entries(r.qualityDelta).filter(([k]) => k !== 'analogyCoverage').map(([k, v]) => `${k} ${v >= 0 ? '+' : ''}${v}`).join(', ');
      out.push(`| ${r.task} | ${r.reference} | ${r.speed === null ? '–' : fixed(r.speed, 2)} | ${r.memory === null ? '–' : fixed(r.memory, 2)} | ${delta || '–'} |`);
    }
  }
  if (result.skipped.length) {
    out.push('', 'Skipped: ' + result.skipped.map((s) => `${s.method} (${s.reason})`).join('; ') + '.');
  }
  return out.join('\n') + '\n';
}

const escapeXml = (text: string) => text.replace(/[<>&"]/gu, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

/** The quality figure plotted for a summary: analogy accuracy, else WS-353 ρ × 100, else none. */
function qualityOf(s: MethodSummary): number | null {
  if (s.quality['analogy'] !== undefined) return s.quality['analogy'];
  if (s.quality['wordsim353'] !== undefined) return (s.quality['wordsim353'] as number) * 100;
  return null;
}

/**
 * An SVG scatter plot: words/s (log scale) across, quality up; embedkit in blue, references in
 * grey, each point labelled `task · method`.
 */
export function toSvg(result: BenchResult): string {
  const points = result.summaries
    .map((s) => ({ s, x: s.wordsPerSecond?.median ?? null, y: qualityOf(s) }))
    .filter((p): p is { s: MethodSummary; x: number; y: number } => p.x !== null && p.x > 0 && p.y !== null);
  const width = 760;
  const height = 460;
  const margin = { left: 70, right: 30, top: 40, bottom: 60 };
  const yLabel = points.some((p) => p.s.quality['analogy'] !== undefined) ? 'analogy accuracy (%)' : 'WordSim-353 ρ × 100';
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">Speed vs quality (${escapeXml(result.input.split('/').pop() ?? '')})</text>`,
  ];
  if (points.length === 0) {
    lines.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">No run with both a speed and a quality figure.</text>`, '</svg>');
    return lines.join('\n');
  }
  const xs = points.map((p) => Math.log10(p.x));
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs) - 0.1, Math.max(...xs) + 0.1];
  const [y0, y1] = [Math.max(0, Math.min(...ys) - 5), Math.max(...ys) + 5];
  const px = (x: number) => margin.left + ((Math.log10(x) - x0) / (x1 - x0)) * (width - margin.left - margin.right);
  const py = (y: number) => height - margin.bottom - ((y - y0) / (y1 - y0)) * (height - margin.top - margin.bottom);
  lines.push(
    `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="black"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="black"/>`,
    `<text x="${width / 2}" y="${height - 15}" text-anchor="middle">words per second (log scale)</text>`,
    `<text x="18" y="${height / 2}" text-anchor="middle" transform="rotate(-90 18 ${height / 2})">${yLabel}</text>`,
  );
  // Ticks at 1, 2 and 5 × each power of ten inside the range.
  for (let e = Math.floor(x0); e <= Math.ceil(x1); e++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** e;
      if (Math.log10(value) < x0 || Math.log10(value) > x1) continue;
      const x = px(value);
      lines.push(`<line x1="${x}" y1="${height - margin.bottom}" x2="${x}" y2="${height - margin.bottom + 5}" stroke="black"/>`, `<text x="${x}" y="${height - margin.bottom + 18}" text-anchor="middle">${kwords(value)}</text>`);
    }
  }
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    lines.push(`<text x="${margin.left - 8}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`, `<line x1="${margin.left}" y1="${py(v)}" x2="${width - margin.right}" y2="${py(v)}" stroke="#eee"/>`);
  }
  for (const p of points) {
    const color = p.s.reference ? '#888' : '#1f6feb';
    // Labels of points in the right third go on their left, so they stay inside the chart.
    const onLeft = px(p.x) > margin.left + (2 * (width - margin.left - margin.right)) / 3;
    lines.push(
      `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="5" fill="${color}"><title>${escapeXml(`${p.s.task} · ${p.s.label}: ${kwords(p.x)} words/s, ${p.y.toFixed(1)}`)}</title></circle>`,
      `<text x="${(px(p.x) + (onLeft ? -8 : 8)).toFixed(1)}" y="${(py(p.y) + 4).toFixed(1)}" fill="${color}" text-anchor="${onLeft ? 'end' : 'start'}">${escapeXml(`${p.s.task} · ${p.s.label}`)}</text>`,
    );
  }
  lines.push('</svg>');
  return lines.join('\n');
}

/**
 * Replaces the section between `<!-- bench:TAG -->` and `<!-- /bench:TAG -->` of a Markdown file
 * with `markdown` (appended, markers included, when the file has no such section yet). Written to
 * a temporary name, then renamed.
 */
export async function updateMarkdownSection(file: string, tag: string, markdown: string): Promise<void> {
  const text = existsSync(file) ? await readFile(file, 'utf8') : '';
  const open = `<!-- bench:${tag} -->`;
  const close = `<!-- /bench:${tag} -->`;
  const section = `${open}\n${markdown}${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const updated = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + close.length) : `${text}\n${section}\n`;
  await writeFile(`${file}.tmp`, updated);
  await rename(`${file}.tmp`, file);
}
