// Offline benchmark of @embedkit/item2vec on the shared MovieLens and trivago data: embedding
// modes vs popularity and item-kNN on the same leave-last-out split, medians over seeds.
// Hyper-parameters are chosen on a VALIDATION split carved from the training period (the same
// leave-last-out rule applied to the training sessions), never on the test split.
//
// Runs on the BUILT packages:
//   cd packages/item2vec && for p in errors tokenizer sampling vectors word2vec item2vec; do (cd ../$p && npx tsup); done
//   node bench/item2vec.mjs --dataset movielens --seeds 1,2,3 [--tune] [--modes item2vec,sequence,airbnb] [--json out.json]
//     [--cold-start] [--market-filter] [--decays 0.5,0.7,1] [--grid '{"alpha":[0.1],"epochs":[30],"negativeExponent":[0.5]}']
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EventLog, ItemKnnRecommender, PopularityRecommender, Recommender, eventPreset, evaluateRecommender, readEvents,
  sessionize, temporalSplit, trainItemEmbeddings,
} from '@embedkit/item2vec';
import { median, parseArgs } from './bench-utils.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, '../../../../shared/data');
const DATASETS = {
  movielens: {
    file: path.join(SHARED, 'movielens/ml-latest-small/ratings.csv'),
    preset: 'movielens',
    // 20 keeps item2vec's whole-session window (quadratic in session length) affordable.
    sessionize: { maxGap: 30 * 60 * 1000, maxLength: 20 },
    grid: { alpha: [0.1], epochs: [10, 30], negativeExponent: [-0.5, 0.5] },
  },
  trivago: {
    file: path.join(SHARED, 'sessions/trivago-100k/trivago_val_100k.csv'),
    preset: 'trivago',
    sessionize: { maxGap: 30 * 60 * 1000, maxLength: 50 },
    grid: { alpha: [0.05, 0.1], epochs: [20, 50], negativeExponent: [-0.5, 0.75] },
  },
};

async function load(name) {
  const d = DATASETS[name];
  if (!existsSync(d.file)) throw new Error(`missing ${d.file}`);
  const t0 = performance.now();
  const { log, report } = await readEvents(d.file, eventPreset(d.preset));
  const { sessions, stats } = sessionize(log, d.sessionize);
  const metadata = log.metadataMap();
  console.error(`${name}: ${report.events} events (${report.bad} bad, ${report.filtered} filtered), ${stats.sessions} sessions, ${stats.users} users, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { sessions, metadata };
}

/** Candidate settings tried on the validation split (small on purpose: 2 shared cores). */
function grid(spec, mode) {
  const out = [];
  for (const alpha of spec.alpha) {
    for (const epochs of spec.epochs) {
      for (const negativeExponent of spec.negativeExponent) {
        const base = { alpha, epochs, negativeExponent };
        if (mode === 'airbnb') for (const marketNegatives of [0, 1]) out.push({ ...base, marketNegatives });
        else out.push(base);
      }
    }
  }
  return out;
}

// --cold-start: the embedding recommender gets item metadata (markets), so query items without a
// vector get their market's mean vector. --market-filter: every method (baselines included)
// gets the metadata and only recommends items of the case's market.
let metadata;
let coldStart = false;
let marketFilter = false;

function evaluateModel(embeddings, split, k, catalogueSize, recencyDecay) {
  const rec = new Recommender(embeddings, coldStart || marketFilter ? { recencyDecay, metadata } : { recencyDecay });
  return evaluateRecommender(rec, split.cases, { k, catalogueSize, filterByMarket: marketFilter });
}

function baselineOptions(extra = {}) {
  return marketFilter ? { ...extra, metadata } : extra;
}

function catalogueOf(sessions) {
  const c = new Set();
  for (const s of sessions) for (const item of s.items) c.add(item);
  return c.size;
}

let DECAYS = [0.5, 0.7, 1];

/** Grid search on the validation split; each trained model is scored with every recency decay. */
async function tune(spec, mode, split, k) {
  const val = temporalSplit(split.train);
  const size = catalogueOf(val.train);
  let best;
  for (const params of grid(spec, mode)) {
    const r = await trainItemEmbeddings(val.train, { ...params, mode, seed: 1 });
    for (const recencyDecay of DECAYS) {
      const m = evaluateModel(r.embeddings, val, k, size, recencyDecay);
      console.error(`  tune ${mode} ${JSON.stringify(params)} decay ${recencyDecay}: val NDCG@${k} ${m.ndcg.toFixed(4)} HR ${m.hitRate.toFixed(4)} (${r.stats.seconds.toFixed(1)} s)`);
      if (!best || m.ndcg > best.ndcg) best = { params, recencyDecay, ndcg: m.ndcg, hitRate: m.hitRate };
    }
  }
  return best;
}

/** Item-kNN's recency decay, chosen on the same validation split. */
function tuneKnnDecay(split, k) {
  const val = temporalSplit(split.train);
  const size = catalogueOf(val.train);
  let best;
  for (const recencyDecay of DECAYS) {
    const m = evaluateRecommender(new ItemKnnRecommender(val.train, baselineOptions({ recencyDecay })), val.cases, { k, catalogueSize: size, filterByMarket: marketFilter });
    console.error(`  tune item-knn decay ${recencyDecay}: val NDCG@${k} ${m.ndcg.toFixed(4)} HR ${m.hitRate.toFixed(4)}`);
    if (!best || m.ndcg > best.ndcg) best = { recencyDecay, ndcg: m.ndcg };
  }
  return best.recencyDecay;
}

const args = parseArgs(process.argv.slice(2), { dataset: 'all', seeds: '1,2,3', modes: 'item2vec,sequence,airbnb', tune: false, json: undefined, k: 10 }, ['tune', 'cold-start', 'market-filter']);
// --decays 0.3,0.5 and --grid '{"alpha":[0.1],"epochs":[30],"negativeExponent":[0.5]}' override the defaults above.
if (args.decays) DECAYS = args.decays.split(',').map(Number);
coldStart = args['cold-start'] !== undefined;
marketFilter = args['market-filter'] !== undefined;
if (args.grid) for (const d of Object.values(DATASETS)) d.grid = JSON.parse(args.grid);
const k = Number(args.k);
const seeds = args.seeds.split(',').map(Number);
const modes = args.modes.split(',');
const names = args.dataset === 'all' ? Object.keys(DATASETS) : [args.dataset];
const report = {};
for (const name of names) {
  const loaded = await load(name);
  const { sessions } = loaded;
  metadata = loaded.metadata;
  const split = temporalSplit(sessions);
  const catalogueSize = catalogueOf(split.train);
  console.error(`${name}: ${split.cases.length} test cases, ${split.skippedRepeats} skipped (repeat targets), catalogue ${catalogueSize}`);
  const rows = [];
  for (const mode of modes) {
    let params = {};
    let recencyDecay = 0.7;
    if (args.tune) {
      const best = await tune(DATASETS[name].grid, mode, split, k);
      params = best.params;
      recencyDecay = best.recencyDecay;
      console.error(`  best ${mode}: ${JSON.stringify(params)} decay ${recencyDecay} (val NDCG ${best.ndcg.toFixed(4)})`);
    }
    const runs = [];
    for (const seed of seeds) {
      const r = await trainItemEmbeddings(split.train, { ...params, mode, seed });
      const m = evaluateModel(r.embeddings, split, k, catalogueSize, recencyDecay);
      runs.push({ seed, ...m, seconds: r.stats.seconds });
      console.error(`  ${mode} seed ${seed}: HR@${k} ${m.hitRate.toFixed(4)} NDCG@${k} ${m.ndcg.toFixed(4)} MRR ${m.mrr.toFixed(4)} cov ${m.coverage.toFixed(3)} (${r.stats.seconds.toFixed(1)} s)`);
    }
    rows.push({
      method: mode, params: { ...params, recencyDecay }, runs, minSeconds: Math.min(...runs.map((r) => r.seconds)),
      hitRate: median(runs.map((r) => r.hitRate)), ndcg: median(runs.map((r) => r.ndcg)), mrr: median(runs.map((r) => r.mrr)),
      coverage: median(runs.map((r) => r.coverage)), seconds: median(runs.map((r) => r.seconds)), cases: runs[0].cases,
    });
  }
  let t0 = performance.now();
  const pop = new PopularityRecommender(split.train, baselineOptions());
  const popSeconds = (performance.now() - t0) / 1000;
  const pm = evaluateRecommender(pop, split.cases, { k, catalogueSize, filterByMarket: marketFilter });
  rows.push({ method: 'popularity', ...pm, seconds: popSeconds });
  const knnDecay = args.tune ? tuneKnnDecay(split, k) : 0.7;
  t0 = performance.now();
  const knn = new ItemKnnRecommender(split.train, baselineOptions({ recencyDecay: knnDecay }));
  const knnSeconds = (performance.now() - t0) / 1000;
  const km = evaluateRecommender(knn, split.cases, { k, catalogueSize, filterByMarket: marketFilter });
  rows.push({ method: 'item-knn', ...km, seconds: knnSeconds, params: { recencyDecay: knnDecay } });
  report[name] = { cases: split.cases.length, skippedRepeats: split.skippedRepeats, catalogueSize, rows };
  const variant = [coldStart ? 'cold start' : '', marketFilter ? 'market filter' : ''].filter(Boolean).join(', ') || 'no metadata';
  console.log(`\n### ${name} (${split.cases.length} cases, K = ${k}, medians over seeds ${seeds.join(', ')}; ${variant})\n`);
  console.log(`| method | HitRate@${k} | NDCG@${k} | MRR@${k} | coverage | train s |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.method} | ${r.hitRate.toFixed(4)} | ${r.ndcg.toFixed(4)} | ${r.mrr.toFixed(4)} | ${r.coverage.toFixed(3)} | ${r.seconds.toFixed(2)} |`);
  }
  for (const r of rows) if (r.params && Object.keys(r.params).length) console.log(`\n${r.method} settings: \`${JSON.stringify(r.params)}\``);
}
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
