// Subword (fastText-style) training side by side with Debian's fastText, one run each, same
// settings: skip-gram, dim 100, window 5, neg 5, epochs 5, minn 3, maxn 6, 2 threads, t 1e-4,
// lr 0.05, bucket 2,000,000 (all overridable). Measures, per tool:
//   - wall time, words/s (tokens × epochs / wall time of the whole command, reading and writing
//     included) and peak RSS, from /usr/bin/time -v;
//   - analogy accuracy (overall, syntactic, semantic; questions-words.txt, 30k most frequent
//     words) and WordSim-353 / SimLex-999 Spearman ρ, on PREFIX.vec with @embedkit/evaluation;
//   - out-of-vocabulary words: plurals removed from the training text whose singular stays
//     (and which no evaluation file uses); each held-out plural's subword vector (PREFIX.bin
//     loaded with SubwordEmbeddings.load, for both tools) and its 10 nearest vocabulary words:
//     how often the singular is the nearest, is among the 10, and how often a form of the same
//     word (singular or singular + up to 3 letters: tower, towers, towered, towering) is among them.
//
// Build first: cd /work/main && npx -y pnpm@12.4.2 turbo run build --filter=@embedkit/demo...
// Usage: node bench/subword-bench.mjs [--lines N] [--threads 2] [--epochs 5] [--bucket 2000000]
//        [--heldout 300] [--out DIR] [--only ours|fasttext]
// Prints a JSON summary and writes DIR/results.json.
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../../..');
const shared = join(repo, '../shared/data');
const { SubwordEmbeddings, Embeddings } = await import(new URL('../../vectors/dist/index.js', import.meta.url).href);
const { evaluateAnalogies, evaluateSimilarity } = await import(new URL('../../evaluation/dist/index.js', import.meta.url).href);

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const lines = Number(flag('lines', '0'));
const threads = Number(flag('threads', '2'));
const epochs = Number(flag('epochs', '5'));
const bucket = Number(flag('bucket', '2000000'));
const heldoutCount = Number(flag('heldout', '300'));
const only = flag('only', '');
const out = flag('out', '/tmp/subword-bench');
mkdirSync(out, { recursive: true });

const source = join(shared, 'enwiki/enwiki-text8like.txt');
const analogies = join(shared, 'eval/google-analogy/questions-words.txt');
const wordsim = join(shared, 'eval/wordsim353/faruqui/EN-WS-353-ALL.txt');
const simlex = join(shared, 'eval/simlex999/faruqui/EN-SIMLEX-999.txt');
const FASTTEXT = '/usr/bin/fasttext';
const CLI = join(repo, 'apps/demo/dist/cli.js');

// ─── the training text, with held-out plurals removed ────────────────────────────────────────
async function readLines(path, limit) {
  const text = [];
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of reader) {
    text.push(line);
    if (limit > 0 && text.length >= limit) break;
  }
  reader.close();
  return text;
}

const text = await readLines(source, lines);
const counts = new Map();
for (const line of text) for (const w of line.split(/\s+/)) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
const evalWords = new Set();
for (const file of [analogies, wordsim, simlex]) {
  for (const w of readFileSync(file, 'utf8').toLowerCase().split(/\s+/)) evalWords.add(w);
}
// Plurals "Xs" (not "ss") of 5+ letters seen 10..300 times whose singular X is seen ≥ 20 times;
// neither in an evaluation file. The most frequent first, deterministic.
const candidates = [...counts]
  .filter(([w, c]) => /^[a-z]{5,}$/.test(w) && w.endsWith('s') && !w.endsWith('ss') && c >= 10 && c <= 300)
  .filter(([w]) => (counts.get(w.slice(0, -1)) ?? 0) >= 20 && !evalWords.has(w) && !evalWords.has(w.slice(0, -1)))
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .slice(0, heldoutCount)
  .map(([w]) => w);
const heldout = new Set(candidates);
let tokens = 0;
let removed = 0;
const corpusPath = join(out, 'corpus.txt');
writeFileSync(
  corpusPath,
  text
    .map((line) => {
      const kept = [];
      for (const w of line.split(/\s+/)) {
        if (!w) continue;
        if (heldout.has(w)) removed++;
        else kept.push(w);
      }
      tokens += kept.length;
      return kept.join(' ');
    })
    .join('\n') + '\n',
);
writeFileSync(join(out, 'heldout.txt'), `${candidates.join('\n')}\n`);
console.error(`corpus: ${text.length} lines, ${tokens} tokens (${removed} held-out tokens of ${heldout.size} plurals removed)`);

// ─── training runs ───────────────────────────────────────────────────────────────────────────
const common = ['-dim', '100', '-ws', '5', '-epoch', String(epochs), '-minCount', '5', '-neg', '5', '-loss', 'ns', '-minn', '3', '-maxn', '6',
  '-bucket', String(bucket), '-thread', String(threads), '-lr', '0.05', '-t', '1e-4'];

function timed(tool, command, args) {
  const prefix = join(out, tool);
  const load = loadavg()[0];
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args, '-input', corpusPath, '-output', prefix], { maxBuffer: 1 << 28 });
  const stderr = result.stderr.toString();
  if (result.status !== 0) throw new Error(`${tool} failed:\n${stderr.slice(-3000)}`);
  const wall = stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const rssKb = Number(stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
  const lastProgress = stderr.replace(/\r/g, '\n').split('\n').filter((l) => l.includes('words/sec/thread')).at(-1) ?? '';
  return { tool, prefix, seconds, wordsPerSecond: (tokens * epochs) / seconds, peakRssMiB: rssKb / 1024, loadBefore: load, loadAfter: loadavg()[0], lastProgress: lastProgress.trim() };
}

const runs = [];
if (only !== 'ours') {
  console.error('training fastText …');
  runs.push(timed('fasttext', FASTTEXT, ['skipgram', ...common]));
  console.error(JSON.stringify(runs.at(-1)));
}
if (only !== 'fasttext') {
  console.error('training embedkit …');
  runs.push(timed('embedkit', process.execPath, [CLI, 'fasttext', 'skipgram', ...common]));
  console.error(JSON.stringify(runs.at(-1)));
}

// ─── evaluation ──────────────────────────────────────────────────────────────────────────────
const isForm = (label, singular) => label === singular || (label.startsWith(singular) && label.length <= singular.length + 3);
for (const run of runs) {
  const vec = await Embeddings.load(`${run.prefix}.vec`);
  const a = await evaluateAnalogies(vec, analogies);
  run.analogy = { total: a.total.accuracy, syntactic: a.syntactic.accuracy, semantic: a.semantic.accuracy, coverage: a.total.coverage };
  run.wordsim353 = (await evaluateSimilarity(vec, wordsim)).spearman;
  run.simlex999 = (await evaluateSimilarity(vec, simlex)).spearman;
  const model = await SubwordEmbeddings.load(`${run.prefix}.bin`);
  let top1 = 0;
  let singular10 = 0;
  let form10 = 0;
  let inVocabulary = 0;
  const examples = [];
  for (const plural of candidates) {
    if (model.has(plural)) inVocabulary++;
    const singular = plural.slice(0, -1);
    const neighbours = model.mostSimilarToVector(model.vectorFor(plural), { topN: 10, exclude: [plural] });
    if (neighbours[0]?.label === singular) top1++;
    if (neighbours.some((n) => n.label === singular)) singular10++;
    if (neighbours.some((n) => isForm(n.label, singular))) form10++;
    if (examples.length < 8) examples.push(`${plural}: ${neighbours.slice(0, 4).map((n) => n.label).join(' ')}`);
  }
  const n = candidates.length;
  run.oov = { heldout: n, inVocabulary, singularTop1: top1 / n, singularTop10: singular10 / n, formTop10: form10 / n, examples };
  run.vocabulary = vec.size;
}

const summary = { corpus: { lines: text.length, tokens, heldoutPlurals: heldout.size, removedTokens: removed }, settings: { threads, epochs, bucket }, runs };
writeFileSync(join(out, 'results.json'), JSON.stringify(summary, null, 2));
console.log(JSON.stringify(summary, null, 2));
