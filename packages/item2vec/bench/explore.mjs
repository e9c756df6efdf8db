import { ItemKnnRecommender, PopularityRecommender, Recommender, eventPreset, evaluateRecommender, readEvents, sessionize, temporalSplit, trainItemEmbeddings } from '@embedkit/item2vec';
const [name, ...rest] = process.argv.slice(2);
const file = name === 'trivago' ? '/work/shared/data/sessions/trivago-100k/trivago_val_100k.csv' : '/work/shared/data/movielens/ml-latest-small/ratings.csv';
const { log } = await readEvents(file, eventPreset(name));
const { sessions } = sessionize(log, {});
const split = temporalSplit(sessions);
const val = temporalSplit(split.train);
const cat = new Set(); for (const s of val.train) for (const i of s.items) cat.add(i);
const inCat = val.cases.filter((c) => cat.has(c.target)).length;
let tokens = 0; for (const s of val.train) tokens += s.items.length;
console.log(`val: ${val.cases.length} cases, ${inCat} targets in catalogue; ${val.train.length} sessions ${tokens} tokens`);
for (const [label, rec] of [['knn', new ItemKnnRecommender(val.train)], ['pop', new PopularityRecommender(val.train)]]) {
  const m = evaluateRecommender(rec, val.cases, { k: 10, catalogueSize: cat.size });
  console.log(`${label}: HR ${m.hitRate.toFixed(4)} NDCG ${m.ndcg.toFixed(4)}`);
}
for (const spec of rest) {
  const params = JSON.parse(spec);
  const r = await trainItemEmbeddings(val.train, { seed: 1, ...params });
  const m = evaluateRecommender(new Recommender(r.embeddings, { recencyDecay: params.decay ?? 0.7 }), val.cases, { k: 10, catalogueSize: cat.size });
  console.log(`${spec}: HR ${m.hitRate.toFixed(4)} NDCG ${m.ndcg.toFixed(4)} (${r.stats.seconds.toFixed(1)} s)`);
}
