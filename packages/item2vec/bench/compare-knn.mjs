// The embedding recommender against popularity, item-kNN and session-kNN, through the CLI a user
// runs: `embedkit item2vec eval … --seed S --json` once per seed (with `--params FILE` from
// `item2vec tune`, or the defaults), then medians over the seeds, the number of cases, the
// bootstrap intervals of the median seed and the paired verdicts of every seed against the
// strongest kNN. The baselines are deterministic: their figures must agree across seeds.
//
// Runs the BUILT CLI (`npx -y pnpm@12.4.2 build --filter @embedkit/demo...` first):
//   node bench/compare-knn.mjs --dataset movielens [--params tuned.json] [--seeds 1,2,3] [--json out.json] [--label defaults]
//     [--flags '--mode item2vec --epochs 30 --scoring cosine']   (more eval flags, e.g. the former defaults)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS } from './data-sets.mjs';
import { median, parseArgs } from './bench-utils.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../../..');
const CLI = path.join(ROOT, 'apps/demo/dist/cli.js');
/** `--events` and reading flags of each data set, as in BENCHMARKS-item2vec.md. */
const DATASET_FLAGS = Object.fromEntries(Object.entries(DATASETS).map(([name, [file, preset]]) => [name, ['--events', file, '--preset', preset]]));

const f4 = (x) => x.toFixed(4);
const ci = (c) => `${f4(c.mean)} [${f4(c.low)}, ${f4(c.high)}]`;

const args = parseArgs(process.argv.slice(2), { seeds: '1,2,3', k: '10' });
const events = DATASET_FLAGS[args.dataset];
if (!events) throw new Error(`--dataset must be one of ${Object.keys(DATASET_FLAGS).join(', ')}`);
const seeds = args.seeds.split(',').map(Number);
const runs = [];
for (const seed of seeds) {
  const argv = [CLI, 'item2vec', 'eval', ...events, '--k', args.k, '--seed', String(seed), '--json'];
  if (args.params) argv.push('--params', args.params);
  if (args.flags) argv.push(...args.flags.split(' ').filter(Boolean));
  const t0 = performance.now();
  const out = execFileSync(process.execPath, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  runs.push(JSON.parse(out));
  console.error(`seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const first = runs[0];
const mode = first.results[0].method;
const methods = first.results.map((r) => r.method);
const label = args.label ?? (args.params ? `${mode} (tuned)` : `${mode} (defaults)`);
// The seed whose embedding NDCG is the median: its intervals are the ones shown.
const byNdcg = runs.map((r, i) => [r.results[0].metrics.ndcg, i]).sort((a, b) => a[0] - b[0]);
const mid = runs[byNdcg[byNdcg.length >> 1][1]];
const rows = methods.map((method, m) => {
  const per = runs.map((r) => r.results[m]);
  const med = (key) => median(per.map((p) => p.metrics[key]));
  return {
    method: m === 0 ? label : method,
    hitRate: med('hitRate'), ndcg: med('ndcg'), mrr: med('mrr'), coverage: med('coverage'),
    trainSeconds: median(per.map((p) => p.trainSeconds)), intervals: mid.results[m].intervals,
    perSeed: per.map((p) => ({ hitRate: p.metrics.hitRate, ndcg: p.metrics.ndcg, mrr: p.metrics.mrr })),
  };
});
for (const r of rows.slice(1)) {
  const spread = Math.max(...r.perSeed.map((p) => p.ndcg)) - Math.min(...r.perSeed.map((p) => p.ndcg));
  if (spread > 1e-12) throw new Error(`${r.method} differs across seeds (NDCG spread ${spread}): baselines must be deterministic`);
}
const k = args.k;
console.log(`\n${args.dataset}: ${first.cases} cases (${first.skippedRepeats} skipped: target repeats a query item), ${first.trainSessions} training sessions, ` +
  `catalogue ${first.catalogueSize}; medians over seeds ${seeds.join(', ')}; intervals of the median seed (${mid.bootstrap.seed}), ${mid.bootstrap.resamples} resamples\n`);
console.log(`| method | HitRate@${k} [95 % CI] | NDCG@${k} [95 % CI] | MRR@${k} [95 % CI] | coverage | train s |`);
console.log('|---|---|---|---|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.method} | ${f4(r.hitRate)} [${f4(r.intervals.hitRate.low)}, ${f4(r.intervals.hitRate.high)}] | ${f4(r.ndcg)} [${f4(r.intervals.ndcg.low)}, ${f4(r.intervals.ndcg.high)}] | ` +
    `${f4(r.mrr)} [${f4(r.intervals.mrr.low)}, ${f4(r.intervals.mrr.high)}] | ${r.coverage.toFixed(3)} | ${r.trainSeconds.toFixed(2)} |`);
}
console.log(`\nPer seed (${label}, HitRate / NDCG / MRR): ${rows[0].perSeed.map((p) => `${f4(p.hitRate)} / ${f4(p.ndcg)} / ${f4(p.mrr)}`).join('; ')}`);
const verdicts = {};
for (const baseline of ['item-knn', 'session-knn']) {
  const per = runs.map((r) => r.differences.find((d) => d.baseline === baseline).differences);
  const strongest = runs.map((r) => r.strongestBaseline === baseline);
  verdicts[baseline] = per.map((d) => ({ hitRate: d.hitRate.verdict, ndcg: d.ndcg.verdict, mrr: d.mrr.verdict }));
  const midD = mid.differences.find((d) => d.baseline === baseline).differences;
  console.log(`\n${label} − ${baseline}${strongest.every(Boolean) ? ' (the strongest kNN)' : ''}: paired differences of the median seed, verdicts of seeds ${seeds.join(', ')}`);
  console.log('| metric | difference [95 % CI] | verdicts |');
  console.log('|---|---|---|');
  for (const [key, name] of [['hitRate', `HitRate@${k}`], ['ndcg', `NDCG@${k}`], ['mrr', `MRR@${k}`]]) {
    console.log(`| ${name} | ${ci(midD[key])} | ${per.map((d) => d[key].verdict).join(', ')} |`);
  }
}
if (args.json) writeFileSync(args.json, JSON.stringify({ dataset: args.dataset, params: args.params, seeds, rows, verdicts, runs }, null, 2));
