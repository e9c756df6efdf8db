// Which settings should a user get without tuning? Each candidate (the current defaults with one
// or two settings changed) is trained on each data set's validation split (the training period of
// temporalSplit(sessions), split again: the test cases are held out) with seeds 1, 2, 3, scored with
// every recency decay and both scorings, and compared with the strongest kNN baseline of that
// validation split. The candidate to prefer is the one whose worst data set is best: defaults
// must hold on every data set, not on average.
// Runs on the BUILT package:
//   node bench/defaults-validation.mjs [--candidates '[{"dim":64},{"negative":10}]'] [--seeds 1,2,3] [--top 25] [--json out.json] [--from out.json]
// (--top: rows of the printed table, best worst case first; --json: every median, every recommend setting)
import { readFileSync, writeFileSync } from 'node:fs';
import {
  ITEM2VEC_DEFAULTS, ItemKnnRecommender, RECOMMEND_DEFAULTS, Recommender, SessionKnnRecommender, eventPreset, rankCases, rankingMetrics,
  readEvents, sessionize, trainItemEmbeddings, tuningSplit,
} from '@embedkit/item2vec';
import { VALIDATION_DATASETS as DATASETS } from './data-sets.mjs';
import { median, parseArgs } from './bench-utils.mjs';

const args = parseArgs(process.argv.slice(2));
/** Candidates: changes to the training defaults, plus `recencyDecay` / `scoring` for recommending. */
const candidates = JSON.parse(args.candidates ?? JSON.stringify([
  {}, { dim: 64 }, { dim: 100 }, { negative: 10 }, { negative: 20 }, { window: 3 }, { window: 10 }, { alpha: 0.05 }, { epochs: 200 },
]));
const DECAYS = [0.3, 0.5, 0.7, 1];
const SCORINGS = ['cosine', 'in-out'];
const K = 10;
const METRICS = ['hitRate', 'ndcg', 'mrr'];
const score = (rec, split) => {
  const { ranks } = rankCases(rec, split.cases, { k: K });
  return rankingMetrics(ranks, K);
};

// --from FILE: the table again from a saved --json run, without training.
const saved = args.from === undefined ? undefined : JSON.parse(readFileSync(args.from, 'utf8'));
const results = saved?.results ?? [];
const seeds = saved?.seeds ?? (args.seeds ?? '1,2,3').split(',').map(Number);
// A saved run's candidates, in its order.
if (saved !== undefined) candidates.splice(0, candidates.length, ...[...new Set(saved.results.map((r) => JSON.stringify(r.change)))].map((c) => JSON.parse(c)));
for (const [name, [file, preset]] of saved === undefined ? Object.entries(DATASETS) : []) {
  const { log } = await readEvents(file, eventPreset(preset));
  const { sessions } = sessionize(log);
  const val = tuningSplit(sessions).validation;
  const knn = { 'item-knn': score(new ItemKnnRecommender(val.train), val), 'session-knn': score(new SessionKnnRecommender(val.train), val) };
  const strongest = knn['item-knn'].ndcg >= knn['session-knn'].ndcg ? 'item-knn' : 'session-knn';
  console.error(`${name}: ${val.cases.length} validation cases; item-kNN ${knn['item-knn'].ndcg.toFixed(4)}, session-kNN ${knn['session-knn'].ndcg.toFixed(4)} NDCG@10`);
  for (const change of candidates) {
    const { recencyDecay, scoring, ...train } = change;
    const perSeed = [];
    for (const seed of seeds) {
      const t0 = performance.now();
      const trained = await trainItemEmbeddings(val.train, { ...train, seed });
      const byRecommend = {};
      for (const s of scoring === undefined ? SCORINGS : [scoring]) {
        for (const d of recencyDecay === undefined ? DECAYS : [recencyDecay]) {
          const rec = new Recommender(trained.embeddings, s === 'in-out' ? { recencyDecay: d, context: trained.contextEmbeddings } : { recencyDecay: d });
          byRecommend[`${s} ${d}`] = score(rec, val);
        }
      }
      perSeed.push(byRecommend);
      console.error(`  ${JSON.stringify(change)} seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const recommend of Object.keys(perSeed[0])) {
      const med = Object.fromEntries(METRICS.map((m) => [m, median(perSeed.map((p) => p[recommend][m]))]));
      results.push({ dataset: name, change, recommend, ...med, strongest, strongestMetrics: knn[strongest] });
    }
  }
}

// Per candidate, scored as the defaults recommend (RECOMMEND_DEFAULTS; `recencyDecay` / `scoring`
// in a candidate override it): the ratio to the strongest kNN on each data set and metric.
const names = Object.keys(DATASETS);
const rows = candidates.map((change) => {
  const recommend = `${change.scoring ?? RECOMMEND_DEFAULTS.scoring} ${change.recencyDecay ?? RECOMMEND_DEFAULTS.recencyDecay}`;
  const cells = names.map((n) => results.find((r) => r.dataset === n && r.recommend === recommend && JSON.stringify(r.change) === JSON.stringify(change)));
  const ratios = cells.flatMap((c) => METRICS.map((m) => c[m] / c.strongestMetrics[m]));
  return { change, cells, worst: Math.min(...ratios), mean: ratios.reduce((a, b) => a + b, 0) / ratios.length };
});
rows.sort((a, b) => b.worst - a.worst);
console.log(`Defaults: ${JSON.stringify({ ...ITEM2VEC_DEFAULTS, ...RECOMMEND_DEFAULTS })}; seeds ${seeds.join(', ')} (medians); ratio = ours / strongest kNN per data set and metric\n`);
console.log(`| change to the defaults | ${names.map((n) => `${n} HR / NDCG / MRR`).join(' | ')} | worst ratio | mean ratio |`);
console.log(`|---|${names.map(() => '---').join('|')}|---:|---:|`);
for (const r of rows.slice(0, Number(args.top ?? 25))) {
  const label = Object.keys(r.change).length === 0 ? 'none (the defaults)' : `\`${JSON.stringify(r.change)}\``;
  console.log(`| ${label} | ${r.cells.map((c) => METRICS.map((m) => c[m].toFixed(4)).join(' / ')).join(' | ')} | ${r.worst.toFixed(3)} | ${r.mean.toFixed(3)} |`);
}
console.log(`| strongest kNN of the validation split | ${names.map((n) => {
  const c = results.find((r) => r.dataset === n);
  return `${c.strongest} ${METRICS.map((m) => c.strongestMetrics[m].toFixed(4)).join(' / ')}`;
}).join(' | ')} | 1 | 1 |`);
if (args.json) writeFileSync(args.json, JSON.stringify({ seeds, results }, null, 2));
