// Re-ranking evaluation of the Airbnb personalisation features (Grbovic & Cheng 2018, 3.2 and
// 4.4): what EmbClickSim and friends and UserTypeListingTypeSim add over the plain listing
// embedding, on the generated booking marketplace and on the shared trivago sample (click-outs
// are the conversions, the impression list is the ranking to redo).
//
// Runs on the BUILT packages:
//   cd packages/item2vec && for p in errors tokenizer sampling vectors word2vec parquet item2vec; do (cd ../$p && npx tsup); done
//   node bench/rerank.mjs --dataset marketplace --seeds 1,2,3 [--k 5]
//   node bench/rerank.mjs --dataset types --seeds 1,2,3,4,5,6   (type embeddings alone: planted preference, rejection term)
//   node bench/rerank.mjs --dataset trivago --seeds 1,2,3 [--k 5] [--listing-attributes city,price:q5] [--bookings-out /tmp/trivago-bookings.csv] [--warm-only 1]
//
// trivago protocol: rows sorted by time; the first 60 % of the time span trains the listing
// embeddings (item actions, `airbnb` mode with the settings tuned in BENCHMARKS-item2vec.md) and
// the type embeddings (one booking per click-out: user type = platform, device, earlier
// click-outs; listing type = city and the shown price); click-outs in 60–80 % fit the
// re-rankers; click-outs in the last 20 % are the test cases. The shown position enters the
// re-rankers as log2(2 + index), the shape of a position bias. A case needs at least one earlier
// item action of the user (the features have nothing to work with otherwise). `--warm-only 1`
// keeps only cases whose converted hotel has a trained vector (fitting and test alike): a subset
// chosen by the target, so its figures are not comparable with the full run's, only among rankers.
import { writeFileSync } from 'node:fs';
import { Embeddings } from '@embedkit/vectors';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOOKING_MARKETPLACE_SCHEMA, generateBookingMarketplace, listingKind,
  EMBEDDING_SIMILARITY, EventLog, Personaliser, Recommender, buildFeatureTable, compareRerankers, evaluateMarketplaceReranking,
  forEachCsvRecord, parseTypeAttributes, sessionize, skippedListings, trainItemEmbeddings, trainTypeEmbeddings,
} from '@embedkit/item2vec';
import { median, parseArgs } from './bench-utils.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TRIVAGO = path.resolve(here, '../../../../shared/data/sessions/trivago-100k/trivago_val_100k.csv');
const ITEM_ACTIONS = new Set(['interaction item image', 'interaction item info', 'interaction item rating', 'interaction item deals', 'search for item', 'clickout item']);

const SHORT_TERM = [EMBEDDING_SIMILARITY, 'embClickSim', 'embLongClickSim', 'embSkipSim', 'embBookSim', 'embLastLongClickSim'];
const TRIVAGO_RANKERS = [
  { name: 'embedding', column: EMBEDDING_SIMILARITY },
  { name: '+ short-term features', columns: SHORT_TERM },
  { name: '+ short-term + type', columns: [...SHORT_TERM, 'userTypeListingTypeSim'] },
  { name: 'shown position', column: 'position', ascending: true },
  { name: 'position + embedding', columns: ['position', EMBEDDING_SIMILARITY] },
  { name: 'position + all features', columns: ['position', ...SHORT_TERM, 'userTypeListingTypeSim'] },
];

/** Reads the trivago sample into per-user time-ordered rows. */
async function readTrivago() {
  const rows = [];
  let header;
  await forEachCsvRecord(TRIVAGO, (f) => {
    if (header === undefined) {
      header = new Map(f.map((name, i) => [name, i]));
      return;
    }
    const get = (name) => f[header.get(name)] ?? '';
    rows.push({
      user: get('user_id'), session: get('session_id'), time: Number(get('timestamp')) * 1000, step: Number(get('step')),
      action: get('action_type'), reference: get('reference'), platform: get('platform'), city: get('city'), device: get('device'),
      impressions: get('impressions') === '' ? [] : get('impressions').split('|'),
      prices: get('prices') === '' ? [] : get('prices').split('|').map(Number),
    });
  });
  rows.sort((a, b) => a.time - b.time || a.step - b.step);
  return rows;
}

/**
 * The embeddings plus, for every item of `metadata` without a vector, the normalised mean of the
 * unit vectors of its market: the Recommender's cold-start vector (market tier; trivago has no
 * categories), computed once per market instead of once per item (the Recommender scans the
 * catalogue per cold item, which took minutes here).
 */
function withColdStart(embeddings, metadata) {
  const dim = embeddings.dim;
  const sums = new Map();
  for (const label of embeddings.labels) {
    const market = metadata.get(label)?.market;
    if (market === undefined) continue;
    let sum = sums.get(market);
    if (sum === undefined) sums.set(market, (sum = new Float64Array(dim)));
    const v = embeddings.unitVector(label);
    for (let j = 0; j < dim; j++) sum[j] += v[j];
  }
  const labels = [...embeddings.labels];
  const rows = [embeddings.toMatrix()];
  for (const [item, meta] of metadata) {
    if (embeddings.has(item)) continue;
    const sum = sums.get(meta.market);
    if (sum === undefined) continue;
    const norm = Math.hypot(...sum) || 1;
    labels.push(item);
    rows.push(Float32Array.from(sum, (x) => x / norm));
  }
  const data = new Float32Array(labels.length * dim);
  let offset = 0;
  for (const r of rows) {
    data.set(r, offset);
    offset += r.length;
  }
  return new Embeddings(labels, dim, data);
}

async function trivago(args, seeds, k) {
  const rows = await readTrivago();
  const t0 = rows[0].time;
  const span = rows[rows.length - 1].time - t0;
  const t1 = t0 + 0.6 * span;
  const t2 = t0 + 0.8 * span;
  // Dwell: time to the user's next row; an item action followed by ≥ 60 s is a long click.
  const nextTime = new Map();
  const dwell = new Float64Array(rows.length);
  for (let i = rows.length - 1; i >= 0; i--) {
    const next = nextTime.get(rows[i].user);
    dwell[i] = next === undefined ? 0 : (next - rows[i].time) / 1000;
    nextTime.set(rows[i].user, rows[i].time);
  }
  // Each item's city (market) and median shown price.
  const metadata = new Map();
  const prices = new Map();
  for (const r of rows) {
    if (ITEM_ACTIONS.has(r.action) && r.reference !== '' && !metadata.has(r.reference)) metadata.set(r.reference, { market: r.city });
    r.impressions.forEach((item, i) => {
      if (!metadata.has(item)) metadata.set(item, { market: r.city });
      let list = prices.get(item);
      if (list === undefined) prices.set(item, (list = []));
      list.push(r.prices[i]);
    });
  }
  // Bookings: one per click-out (the conversion), with the shown price of the clicked item.
  const bookings = [];
  const pastCount = new Map();
  const caseRows = [];
  const history = new Map();
  const trainEvents = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!ITEM_ACTIONS.has(r.action) || r.reference === '') continue;
    let h = history.get(r.user);
    if (h === undefined) history.set(r.user, (h = { clicks: [], longClicks: [], skips: [], bookings: [] }));
    if (r.action === 'clickout item') {
      const position = r.impressions.indexOf(r.reference);
      if (position >= 0 && r.impressions.length >= 2) {
        const booking = {
          user: r.user, listing: r.reference, time: r.time,
          userAttributes: { platform: r.platform, device: r.device },
          listingAttributes: { city: r.city, price: r.prices[position] },
        };
        if (r.time < t1) bookings.push(booking);
        else if (h.clicks.length > 0) {
          caseRows.push({ row: r, past: pastCount.get(r.user) ?? 0, history: { clicks: [...h.clicks], longClicks: [...h.longClicks], skips: [...h.skips], bookings: [...h.bookings] } });
        }
        h.skips.push(...skippedListings(r.impressions, [r.reference]));
        h.bookings.push(r.reference);
        pastCount.set(r.user, (pastCount.get(r.user) ?? 0) + 1);
      }
    }
    h.clicks.push(r.reference);
    if (dwell[i] >= 60) h.longClicks.push(r.reference);
    if (r.time < t1) {
      trainEvents.push({ user: r.session, item: r.reference, timestamp: r.time, type: r.action, conversion: r.action === 'clickout item', market: r.city });
    }
  }
  if (args['bookings-out'] !== undefined) {
    const q = (s) => (/[",\n]/.test(String(s)) ? `"${String(s).replaceAll('"', '""')}"` : String(s));
    const lines = ['user_id,item_id,timestamp,platform,device,city,price'];
    for (const b of bookings) lines.push([b.user, b.listing, b.time / 1000, b.userAttributes.platform, b.userAttributes.device, b.listingAttributes.city, b.listingAttributes.price].map(q).join(','));
    writeFileSync(args['bookings-out'], `${lines.join('\n')}\n`);
    console.error(`wrote ${bookings.length} training-period click-outs as bookings to ${args['bookings-out']}`);
  }
  const { sessions } = sessionize(EventLog.fromEvents(trainEvents));
  const schema = { user: parseTypeAttributes(args['user-attributes'], '--user-attributes'), listing: parseTypeAttributes(args['listing-attributes'], '--listing-attributes') };
  console.error(`trivago: ${rows.length} rows, ${sessions.length} training sessions, ${bookings.length} training click-outs, ` +
    `${caseRows.filter((c) => c.row.time < t2).length} fitting and ${caseRows.filter((c) => c.row.time >= t2).length} test cases`);
  const results = [];
  for (const seed of seeds) {
    const ts = performance.now();
    const listing = await trainItemEmbeddings(sessions, { mode: 'airbnb', epochs: 50, marketNegatives: 0, negativeExponent: -0.5, seed });
    const { types, sequences } = await trainTypeEmbeddings(bookings, { schema, seed });
    const personaliser = new Personaliser(new Recommender(withColdStart(listing.embeddings, metadata)), { metadata, types });
    const toCase = ({ row, past, history: h }) => ({
      candidates: row.impressions, target: row.reference, history: h,
      userType: types.bucketer.userType({ platform: row.platform, device: row.device }, past),
      listingTypes: row.impressions.map((_, i) => types.bucketer.listingType({ city: row.city, price: row.prices[i] })),
      extra: { position: Float64Array.from(row.impressions, (_, i) => Math.log2(2 + i)) },
    });
    const tt = performance.now();
    const kept = args['warm-only'] === '1' ? caseRows.filter((c) => listing.embeddings.has(c.row.reference)) : caseRows;
    const fit = buildFeatureTable(personaliser, kept.filter((c) => c.row.time < t2).map(toCase));
    const test = buildFeatureTable(personaliser, kept.filter((c) => c.row.time >= t2).map(toCase));
    const tf = performance.now();
    const vsEmbedding = compareRerankers(fit, test, TRIVAGO_RANKERS, { k, bootstrap: { seed } });
    const vsPosition = compareRerankers(fit, test, TRIVAGO_RANKERS, { k, baseline: 'position + embedding', bootstrap: { seed } });
    let shown = 0;
    let trained = 0;
    for (const c of caseRows) if (c.row.time >= t2) for (const item of c.row.impressions) { shown++; if (listing.embeddings.has(item)) trained++; }
    console.error(`seed ${seed}: ${(100 * trained / shown).toFixed(1)} % of the test candidates have a trained vector (the others: their city's mean)`);
    console.error(`seed ${seed}: ${listing.embeddings.size} listing vectors, ${types.embeddings.size} types from ${sequences.bookings} click-outs of ${sequences.users.length} users; ` +
      `training ${((tt - ts) / 1000).toFixed(0)} s, features ${((tf - tt) / 1000).toFixed(0)} s, fitting and ranking ${((performance.now() - tf) / 1000).toFixed(0)} s`);
    results.push({ seed, vsEmbedding, vsPosition });
  }
  return results;
}

function report(name, results, k) {
  const fmt = (ci) => `${ci.mean.toFixed(4)} [${ci.low.toFixed(4)}, ${ci.high.toFixed(4)}]`;
  const first = results[0].vsEmbedding;
  console.log(`\n## ${name}: ${first.testCases} test cases (${first.trainCases} fitting cases), ${first.candidates.toFixed(1)} candidates per case, K = ${k}`);
  console.log(`\nMedians over seeds ${results.map((r) => r.seed).join(', ')}; intervals of seed ${results[0].seed} (95 %, 1000 resamples):\n`);
  console.log(`| ranker | HitRate@${k} | NDCG@${k} | MRR@${k} | seed ${results[0].seed}: MRR@${k} [95 % CI] |`);
  console.log('|---|---:|---:|---:|---|');
  first.results.forEach((row, i) => {
    const med = (m) => median(results.map((r) => r.vsEmbedding.results[i].metrics[m])).toFixed(4);
    console.log(`| ${row.name} | ${med('hitRate')} | ${med('ndcg')} | ${med('mrr')} | ${fmt(row.intervals.mrr)} |`);
  });
  for (const key of ['vsEmbedding', 'vsPosition']) {
    if (results[0][key] === undefined) continue;
    const base = results[0][key].differences[0]?.baseline;
    console.log(`\nPaired differences against \`${base}\` (NDCG@${k} and MRR@${k}; verdict per seed):\n`);
    console.log(`| ranker | NDCG@${k} diff (median) | MRR@${k} diff (median) | verdicts NDCG / MRR |`);
    console.log('|---|---:|---:|---|');
    results[0][key].differences.forEach((d, i) => {
      const med = (m) => median(results.map((r) => r[key].differences[i].differences[m].mean)).toFixed(4);
      const verdicts = (m) => results.map((r) => r[key].differences[i].differences[m].verdict).join(',');
      console.log(`| ${d.name} | ${med('ndcg')} | ${med('mrr')} | ${verdicts('ndcg')} / ${verdicts('mrr')} |`);
    });
  }
}

/**
 * Type embeddings on the generated marketplace, with and without the rejection term: the AUC of
 * the segment's preferred kind among listing types (per user type, by cosine; chance 0.5), and
 * the mean cosine and context probability σ(wIn·wOut) of the rejected (user type, listing type)
 * pairs, averaged both ways.
 */
async function typesOnly(seeds) {
  console.log('| seed | rejection term | preference AUC | rejected pairs: cosine | rejected pairs: context probability |');
  console.log('|---:|---|---:|---:|---:|');
  for (const seed of seeds) {
    const m = generateBookingMarketplace({ seed });
    for (const rejectionNegatives of [0, 1]) {
      const { types, sequences } = await trainTypeEmbeddings(m.bookings, { schema: BOOKING_MARKETPLACE_SCHEMA, seed, rejectionNegatives });
      const kindOf = new Map(m.listings.map((l) => [types.bucketer.listingType({ market: l.market, roomType: l.roomType, price: l.price, capacity: l.capacity }), listingKind(l)]));
      const labels = types.embeddings.labels;
      let auc = 0;
      let users = 0;
      for (const u of labels.filter((x) => x.startsWith('u:'))) {
        const [, device, language] = /^u:dt(\w+)_lg(\w+)_/.exec(u);
        const preferred = m.preferences.get(`${device}/${language}`);
        const pos = [];
        const neg = [];
        for (const l of labels.filter((x) => x.startsWith('l:'))) (kindOf.get(l) === preferred ? pos : neg).push(types.similarity(u, l));
        if (pos.length === 0 || neg.length === 0) continue;
        let wins = 0;
        for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
        auc += wins / (pos.length * neg.length);
        users++;
      }
      let cos = 0;
      let prob = 0;
      let pairs = 0;
      for (const [u, l] of sequences.rejections) {
        const c = types.similarity(u, l);
        if (c === undefined) continue;
        cos += c;
        prob += (types.contextProbability(u, l) + types.contextProbability(l, u)) / 2;
        pairs++;
      }
      console.log(`| ${seed} | ${rejectionNegatives === 0 ? 'off' : 'on'} | ${(auc / users).toFixed(3)} | ${(cos / pairs).toFixed(3)} | ${(prob / pairs).toFixed(3)} |`);
    }
  }
}

const args = parseArgs(process.argv.slice(2), { dataset: 'marketplace', seeds: '1,2,3', k: '5', 'listing-attributes': 'city,price:q5', 'user-attributes': 'platform,device' });
const seeds = args.seeds.split(',').map(Number);
const k = Number(args.k);
const started = performance.now();
if (args.dataset === 'marketplace') {
  const results = [];
  for (const seed of seeds) results.push({ seed, vsEmbedding: await evaluateMarketplaceReranking({ marketplace: { seed }, k, bootstrap: { seed } }) });
  report('generated booking marketplace', results, k);
} else if (args.dataset === 'types') {
  await typesOnly(seeds);
} else if (args.dataset === 'trivago') {
  report(args['warm-only'] === '1' ? 'trivago (first 100k rows), cases whose target has a trained vector' : 'trivago (first 100k rows)', await trivago(args, seeds, k), k);
} else {
  throw new Error(`--dataset must be marketplace, types or trivago, got ${args.dataset}`);
}
console.error(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
