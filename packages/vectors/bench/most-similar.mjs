// Benchmark: query time of Embeddings.mostSimilar on a generated random-normal matrix, against
// gensim's KeyedVectors.most_similar on the same file. Benchmarks first check they time correct
// results: both sides' neighbours are compared query by query.
//
//   cd packages/vectors && npx tsup && node bench/most-similar.mjs --rows 100000 --dim 300
//
// Options: --rows N --dim D --queries Q (default 15) --topn K (default 10) --seed S (default 1)
// --file PATH (default $TMPDIR/embedkit-bench-<rows>x<dim>.bin; generated once, then reused)
// --no-gensim (skip the baseline).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Embeddings } from '../dist/index.js';

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const rows = Number(option('rows', '100000'));
const dim = Number(option('dim', '300'));
const queryCount = Number(option('queries', '15'));
const topN = Number(option('topn', '10'));
const seed = Number(option('seed', '1'));
const file = option('file', join(tmpdir(), `embedkit-bench-${rows}x${dim}.bin`));
const withGensim = !args.includes('--no-gensim');

/** Seeded standard normal numbers: mulberry32 + Box–Muller. */
function normalGenerator(s) {
  let a = s >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

async function generate() {
  const normal = normalGenerator(seed);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) data[i] = normal();
  const labels = Array.from({ length: rows }, (_, i) => `w${i}`);
  await new Embeddings(labels, dim, data).save(file, { format: 'word2vec-binary' });
}

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (seconds) => (seconds * 1000).toFixed(1);

if (!existsSync(file)) {
  const start = performance.now();
  await generate();
  console.error(`generated ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

// Query words spread over the vocabulary, fixed for both sides.
const words = Array.from({ length: queryCount }, (_, i) => `w${(i * 7919 + 13) % rows}`);

let start = performance.now();
const embeddings = await Embeddings.load(file);
const loadSeconds = (performance.now() - start) / 1000;

start = performance.now();
embeddings.mostSimilar({ positive: [words[0]], topN });
const firstSeconds = (performance.now() - start) / 1000;

const ours = [];
const times = [];
for (const word of words) {
  start = performance.now();
  ours.push(embeddings.mostSimilar({ positive: [word], topN }));
  times.push((performance.now() - start) / 1000);
}

const report = {
  matrix: `${rows} × ${dim}`,
  embedkit: { loadSeconds, firstQuerySeconds: firstSeconds, medianQuerySeconds: median(times) },
};

function runGensim(threads) {
  const script = fileURLToPath(new URL('./gensim_most_similar.py', import.meta.url));
  // numpy's BLAS (OpenBLAS here) multithreads the matrix-vector product; `threads: 1` pins it
  // to one core like our single-threaded loop.
  const env = { ...process.env };
  if (threads === undefined) delete env.OPENBLAS_NUM_THREADS;
  else Object.assign(env, { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) });
  const run = spawnSync('/usr/bin/python3', [script, file, String(topN), ...words], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  if (run.status !== 0) {
    console.error(`gensim baseline failed (is gensim installed for /usr/bin/python3?):\n${run.stderr}`);
    return undefined;
  }
  const theirs = JSON.parse(run.stdout);
  // Correctness first: the same neighbours, with the same similarities (float32 noise aside).
  let sameLabels = 0;
  let maxDifference = 0;
  for (let q = 0; q < words.length; q++) {
    const a = ours[q];
    const b = theirs.results[q];
    if (a.length === b.length && a.every((n, i) => n.label === b[i][0])) sameLabels++;
    for (let i = 0; i < Math.min(a.length, b.length); i++) maxDifference = Math.max(maxDifference, Math.abs(a[i].similarity - b[i][1]));
  }
  if (sameLabels !== words.length) console.error('WARNING: neighbour lists differ from gensim');
  return {
    loadSeconds: theirs.loadSeconds,
    firstQuerySeconds: theirs.firstQuerySeconds,
    medianQuerySeconds: median(theirs.querySeconds),
    check: { queries: words.length, identicalNeighbourLists: sameLabels, maxSimilarityDifference: maxDifference },
  };
}

if (withGensim) {
  report.gensim = runGensim(undefined);
  report.gensim1 = runGensim(1);
}
report.loadAverage = loadavg().map((x) => Number(x.toFixed(1)));

console.log(JSON.stringify(report, null, 2));
const row = (name, r) => `| ${report.matrix} | ${name} | ${r.loadSeconds.toFixed(2)} s | ${ms(r.firstQuerySeconds)} ms | ${ms(r.medianQuerySeconds)} ms |`;
console.log('\n| matrix | implementation | load | first query (incl. norms) | median query |');
console.log('|---|---|---|---|---|');
console.log(row('embedkit', report.embedkit));
if (report.gensim) console.log(row('gensim 4.2 (BLAS default threads)', report.gensim));
if (report.gensim1) console.log(row('gensim 4.2 (OPENBLAS_NUM_THREADS=1)', report.gensim1));
console.log(`\nload average during the run: ${report.loadAverage.join(', ')}`);
