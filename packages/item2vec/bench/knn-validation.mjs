// The kNN baselines' options searched on the same validation split the embedding is tuned on
// (temporalSplit(temporalSplit(sessions).train)), so that the comparison is with baselines as
// strong as their settings allow: item-kNN's recency decay × neighbours kept, session-kNN's
// weighting × neighbours × IDF. Prints validation NDCG@10 per setting, the best, and the defaults.
// Runs on the BUILT package: node bench/knn-validation.mjs
import { ItemKnnRecommender, SessionKnnRecommender, eventPreset, evaluateRecommender, readEvents, sessionize, temporalSplit } from '@embedkit/item2vec';
import { VALIDATION_DATASETS as DATASETS } from './data-sets.mjs';

const ndcg = (split, rec) => evaluateRecommender(rec, split.cases, { k: 10, catalogueSize: 1 }).ndcg;
console.log('| data set | baseline | setting | validation NDCG@10 |');
console.log('|---|---|---|---:|');
for (const [name, [file, preset]] of Object.entries(DATASETS)) {
  const { log } = await readEvents(file, eventPreset(preset));
  const { sessions } = sessionize(log); // the CLI's defaults: 30-minute gap, 50 items at most
  const val = temporalSplit(temporalSplit(sessions).train);
  const rows = [];
  for (const recencyDecay of [0.3, 0.5, 0.7, 1]) {
    for (const neighbours of [200, Infinity]) rows.push(['item-knn', { recencyDecay, neighbours }, ndcg(val, new ItemKnnRecommender(val.train, { recencyDecay, neighbours }))]);
  }
  for (const weighting of ['none', 'linear', 'exponential']) {
    for (const neighbours of [50, 100, 500]) {
      for (const idf of [true, false]) rows.push(['session-knn', { weighting, neighbours, idf }, ndcg(val, new SessionKnnRecommender(val.train, { weighting, neighbours, idf }))]);
    }
  }
  const defaults = { 'item-knn': ndcg(val, new ItemKnnRecommender(val.train)), 'session-knn': ndcg(val, new SessionKnnRecommender(val.train)) };
  for (const baseline of ['item-knn', 'session-knn']) {
    const mine = rows.filter((r) => r[0] === baseline).sort((a, b) => b[2] - a[2]);
    const show = (o) => JSON.stringify(o).replace('null', 'Infinity');
    console.log(`| ${name} | ${baseline} | best: ${show(mine[0][1])} | ${mine[0][2].toFixed(4)} |`);
    console.log(`| ${name} | ${baseline} | defaults | ${defaults[baseline].toFixed(4)} |`);
  }
}
